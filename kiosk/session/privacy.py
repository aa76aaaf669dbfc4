"""Masking of personal data wherever it is shown or printed (experience.md, 'Privacy').

ID number: first 6 and last 4 (``320102********1234``); name with the middle hidden
(``张*丰``, ``欧阳*``... a two-character name keeps its first); phone ``138****5678``.
"""

from __future__ import annotations

from drivers.idcard.record import mask_id_number, mask_middle, mask_name
from kiosk.catalog.fields import Mask

__all__ = ["group_case_number", "mask_address", "apply_mask", "mask_id_number", "mask_name", "mask_phone"]


def mask_phone(phone: str) -> str:
    """Keep the first 3 and last 4 digits of a phone number."""
    return mask_middle(phone, 3, 4)


def group_case_number(case_number: str) -> str:
    """Group a 15-digit case number for reading aloud and copying: ``2026 1122 001 0001``."""
    if len(case_number) != 15:
        return case_number
    return f"{case_number[:4]} {case_number[4:8]} {case_number[8:11]} {case_number[11:]}"


def mask_address(address: str) -> str:
    """Keep the first 6 characters (province and city) of an address."""
    return address[:6] + "*" * min(8, max(0, len(address) - 6))


_MASKS = {
    Mask.NAME: mask_name,
    Mask.ID_NUMBER: mask_id_number,
    Mask.ADDRESS: mask_address,
    Mask.PHONE: mask_phone,
}


def apply_mask(mask: Mask, value: str) -> str:
    """``value`` as it may be shown: masked by ``mask`` (a field's ``Field.mask``)."""
    masking = _MASKS.get(mask)
    return masking(value) if masking and value else value
