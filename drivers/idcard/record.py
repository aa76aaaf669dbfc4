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
    return text[:keep_start] + "*" * (len(text) - keep_start - keep_end) + text[len(text) - keep_end:]


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
