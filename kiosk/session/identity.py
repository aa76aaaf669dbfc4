"""Who the resident is, as proved by an ID card (or a signed login code).

An ``Identity`` lives only in the session and leaves memory when the session is wiped. Its
``repr`` is masked so it can never leak through a log line or a traceback.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from contract.display_text import name_problem
from contract.vocabulary import IdType
from drivers.idcard.record import CardType, IdCardRecord
from kiosk.catalog.fields import PHONE
from kiosk.errors import CardNotAccepted
from kiosk.messages import MessageId
from kiosk.session.privacy import mask_id_number, mask_name

_ID_TYPES = {
    CardType.RESIDENT: IdType.RESIDENT,
    CardType.HMT_RESIDENCE_PERMIT: IdType.HMT_RESIDENCE_PERMIT,
    CardType.FOREIGN_PERMANENT_2017: IdType.FOREIGN_PERMANENT_2017,
    CardType.FOREIGN_PERMANENT_2023: IdType.FOREIGN_PERMANENT_2023,
}

ID_TYPE_LABELS = {  # what the receipt calls the document the resident proved who they are with
    IdType.RESIDENT: MessageId.ID_TYPE_RESIDENT,
    IdType.HMT_RESIDENCE_PERMIT: MessageId.ID_TYPE_HMT_RESIDENCE_PERMIT,
    IdType.FOREIGN_PERMANENT_2017: MessageId.ID_TYPE_FOREIGN_PERMANENT,
    IdType.FOREIGN_PERMANENT_2023: MessageId.ID_TYPE_FOREIGN_PERMANENT,
    IdType.QR_LOGIN: MessageId.ID_TYPE_QR_LOGIN,
}


@dataclass(frozen=True, repr=False)
class Identity:
    id_type: IdType
    name: str
    id_number: str
    gender: str = ""
    birth_date: str = ""
    address: str = ""
    # The card's photo as the chip holds it (vendor WLT): for a face check only (人证比对,
    # ``kiosk.session.face_step``), never shown, printed or sent with a case; empty from a login code.
    card_photo: bytes = field(default=b"", repr=False, compare=False)
    from_card: bool = field(default=False, compare=False)  # read from a card on the reader (not a login code)
    # The mobile number the identity authority holds for the resident (a login code's ``phone``):
    # offered on a phone question with one tap ("是 138****5678 吗？"), never shown whole.
    phone: str = field(default="", repr=False, compare=False)

    def __repr__(self) -> str:
        return f"Identity({self.id_type.value}, {mask_name(self.name)}, {mask_id_number(self.id_number)})"

    __str__ = __repr__

    def value_of(self, attribute: str) -> str:
        """The value a prefilled form field shows (``name``, ``id_number``, ...)."""
        return str(getattr(self, attribute))


def identity_from_card(record: IdCardRecord, today: date) -> Identity:
    """Accept a card read by the reader, or say in words why it cannot be used."""
    if record.valid_to != "长期" and record.valid_to < today.strftime("%Y%m%d"):
        raise CardNotAccepted(MessageId.CARD_EXPIRED)
    if not record.name or not record.id_number:
        raise CardNotAccepted(MessageId.CARD_INCOMPLETE)
    if name_problem(record.name) is not None:  # hidden or reordering characters: not a card's
        raise CardNotAccepted(MessageId.CARD_DATA_INVALID)
    return Identity(
        id_type=_ID_TYPES[record.card_type],
        name=record.name,
        id_number=record.id_number,
        gender=record.gender,
        birth_date=record.birth_date,
        address=record.address,
        card_photo=record.photo_wlt,
        from_card=True,
    )


def identity_from_login_code(data: Mapping[str, str]) -> Identity:
    """Accept the data of a verified ``login`` code from the centre.

    The centre puts ``name``, ``id_number`` and optionally ``id_type`` (an ``IdType`` value,
    resident by default) and ``phone`` (the mobile number the app verified; one that is not a
    mainland mobile number is ignored) in the code's data; the signature was checked before
    this. A name that could spoof what is shown and printed (``contract.display_text``) is refused.
    """
    name, number = data.get("name", ""), data.get("id_number", "")
    try:
        id_type = IdType(data.get("id_type", IdType.RESIDENT.value))
    except ValueError:
        id_type = None
    if not name or not number or id_type is None:
        raise CardNotAccepted(MessageId.LOGIN_CODE_INCOMPLETE)
    if name_problem(name) is not None:
        raise CardNotAccepted(MessageId.LOGIN_CODE_NAME_REFUSED)
    phone = data.get("phone", "")
    return Identity(id_type=id_type, name=name, id_number=number, phone=phone if PHONE.match(phone) else "")
