"""Masking of personal data wherever it is shown or printed (experience.md, 'Privacy').

ID number: first 6 and last 4 (``320102********1234``); name with the middle hidden
(``张*丰``, ``欧阳*``... a two-character name keeps its first); phone ``138****5678``.
"""

from __future__ import annotations

from drivers.idcard.record import mask_id_number, mask_middle, mask_name

__all__ = ["mask_id_number", "mask_name", "mask_phone", "group_case_number"]


def mask_phone(phone: str) -> str:
    """Keep the first 3 and last 4 digits of a phone number."""
    return mask_middle(phone, 3, 4)


def group_case_number(case_number: str) -> str:
    """Group a 15-digit case number for reading aloud and copying: ``2026 1122 001 0001``."""
    if len(case_number) != 15:
        return case_number
    return f"{case_number[:4]} {case_number[4:8]} {case_number[8:11]} {case_number[11:]}"
