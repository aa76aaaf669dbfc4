"""The record read from an ID card, for all four card types.

Text fields are stripped of padding. ``repr`` masks the name and every number, so a record
that reaches a log by accident leaks nothing.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


class CardType(enum.StrEnum):
    """Card type, from the marker at offset 248 of the text block."""

    RESIDENT = "resident"  # 居民身份证, marker ' '
    HMT_RESIDENCE_PERMIT = "hmt_residence_permit"  # 港澳台居民居住证, marker 'J'
    FOREIGN_PERMANENT_2017 = "foreign_permanent_2017"  # 外国人永久居留身份证 (2017), 'I'
    FOREIGN_PERMANENT_2023 = "foreign_permanent_2023"  # 外国人永久居留身份证 (2023), 'Y'


def mask_middle(text: str, keep_start: int, keep_end: int) -> str:
    """Replace all but the first ``keep_start`` and last ``keep_end`` characters by '*'."""
    if len(text) <= keep_start + keep_end:
        return "*" * len(text)
    hidden = len(text) - keep_start - keep_end
    return text[:keep_start] + "*" * hidden + text[len(text) - keep_end :]


@dataclass(frozen=True)
class IdCardRecord:
    """What a card says about its holder. Dates are ``YYYYMMDD`` strings as on the card;
    ``valid_to`` may be ``"长期"`` (long-term)."""

    card_type: CardType
    name: str
    gender: str  # "男", "女", "未知" or "未说明" (GB/T 2261.1)
    birth_date: str
    id_number: str
    valid_from: str
    valid_to: str
    nation: str = ""  # resident cards only (GB 3304 name, e.g. "汉")
    address: str = ""
    issuer: str = ""
    english_name: str = ""  # foreign permanent resident cards
    nationality: str = ""  # foreign permanent resident cards: ISO 3166 alpha-3 code
    pass_number: str = ""  # 'J' permits: 通行证号码
    issue_count: str = ""  # 'J' permits: 签发次数; 'Y' cards: re-issue count
    card_version: str = ""  # 'I' cards
    previous_number: str = ""  # 'Y' cards: number on the previous edition
    photo_wlt: bytes = field(default=b"", repr=False)  # 1024 bytes, vendor-encoded
    fingerprint: bytes = field(default=b"", repr=False)
    # What failed validation (GB 11643 check digit, birth date, ...), in words without
    # personal data; empty when the record is sound. See drivers.idcard.id_number.
    problems: tuple[str, ...] = ()

    @property
    def valid(self) -> bool:
        """True when the ID number and birth date passed every check."""
        return not self.problems

    def as_dict(self, reveal: bool = False) -> dict[str, object]:
        """Return the text fields as a dict, masked unless ``reveal``; photo and fingerprint
        appear as their sizes in bytes."""
        data: dict[str, object] = {
            "card_type": self.card_type.value,
            "name": self.name if reveal else mask_name(self.name),
            "gender": self.gender,
            "nation": self.nation,
            "birth_date": self.birth_date if reveal else mask_middle(self.birth_date, 4, 0),
            "address": self.address if reveal else mask_middle(self.address, 6, 0),
            "id_number": self.id_number if reveal else mask_id_number(self.id_number),
            "issuer": self.issuer,
            "valid_from": self.valid_from,
            "valid_to": self.valid_to,
        }
        extras = {
            CardType.HMT_RESIDENCE_PERMIT: ("pass_number", "issue_count"),
            CardType.FOREIGN_PERMANENT_2017: ("english_name", "nationality", "card_version"),
            CardType.FOREIGN_PERMANENT_2023: ("english_name", "nationality", "issue_count", "previous_number"),
        }.get(self.card_type, ())
        hidden = {"pass_number": (1, 2), "english_name": (1, 0), "previous_number": (0, 0)}
        for key in extras:
            value: str = getattr(self, key)
            if not reveal and key in hidden:
                value = mask_middle(value, *hidden[key])
            data[key] = value
        data["photo_wlt_bytes"] = len(self.photo_wlt)
        data["fingerprint_bytes"] = len(self.fingerprint)
        data["problems"] = list(self.problems)
        return data

    def __repr__(self) -> str:
        return (
            f"IdCardRecord(card_type={self.card_type.value!r}, "
            f"name={mask_name(self.name)!r}, id_number={mask_id_number(self.id_number)!r})"
        )

    __str__ = __repr__


def mask_name(name: str) -> str:
    """Hide the middle of a name: 张三丰 → 张*丰, 张三 → 张*, 欧阳娜娜 → 欧**娜."""
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return mask_middle(name, 1, 1)


def mask_id_number(number: str) -> str:
    """Keep the first 6 and last 4 characters: 320102********1234."""
    return mask_middle(number, 6, 4)
