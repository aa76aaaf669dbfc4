"""Checks on the numbers printed on the four card types.

18-character numbers (resident cards, 'J' permits, 'Y' 2023 foreign cards) follow
GB 11643-1999: 17 digits and an ISO 7064 MOD 11-2 check character (0-9 or X), with the
birth date at characters 7-14. The 15-character number of the 2017 'I' card is three
letters (nationality) and twelve digits with the birth date as YYMMDD at characters 8-13;
its check character's algorithm is not in our sources, so only its form and date are checked.

Problems are returned as short phrases that never contain the number itself.
"""

from __future__ import annotations

import datetime as dt
import re

from contract.id_numbers import check_character, with_check_character
from drivers.idcard.record import CardType

_EIGHTEEN = re.compile(r"[0-9]{17}[0-9X]")
_FIFTEEN_FOREIGN = re.compile(r"[A-Z]{3}[0-9]{12}")

__all__ = ["check_character", "find_problems", "with_check_character"]

PROBLEM_FORM = "证件号码格式不符 (ID number malformed)"
PROBLEM_CHECK_DIGIT = "证件号码校验位错误 (GB 11643 check digit wrong)"
PROBLEM_BIRTH_IN_NUMBER = "证件号码中的出生日期无效 (birth date in number invalid)"
PROBLEM_BIRTH_MISMATCH = "出生日期与证件号码不符 (birth date differs from the number)"
PROBLEM_GENDER_MISMATCH = "性别与证件号码不符 (gender differs from the number)"
PROBLEM_BIRTH_DATE = "出生日期格式错误 (birth date malformed)"


def _is_date(text: str) -> bool:
    if len(text) != 8 or not text.isascii() or not text.isdigit():
        return False
    try:
        dt.date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        return False
    return True


def find_problems(card_type: CardType, id_number: str, birth_date: str, gender: str) -> tuple[str, ...]:
    """Return what is wrong with the number and birth date of a record (empty if nothing)."""
    problems: list[str] = []
    if not _is_date(birth_date):
        problems.append(PROBLEM_BIRTH_DATE)
    if card_type is CardType.FOREIGN_PERMANENT_2017:
        if not _FIFTEEN_FOREIGN.fullmatch(id_number):
            return (*problems, PROBLEM_FORM)
        if birth_date[2:] != id_number[7:13] and PROBLEM_BIRTH_DATE not in problems:
            problems.append(PROBLEM_BIRTH_MISMATCH)
        return tuple(problems)
    if not _EIGHTEEN.fullmatch(id_number):
        return (*problems, PROBLEM_FORM)
    if check_character(id_number[:17]) != id_number[17]:
        problems.append(PROBLEM_CHECK_DIGIT)
    embedded = id_number[6:14]
    if not _is_date(embedded):
        problems.append(PROBLEM_BIRTH_IN_NUMBER)
    elif embedded != birth_date and PROBLEM_BIRTH_DATE not in problems:
        problems.append(PROBLEM_BIRTH_MISMATCH)
    # Character 17 is odd for men and even for women on resident cards and 'J' permits.
    # The 'Y' card's sequence code is not documented as carrying the gender: not checked.
    if card_type in (CardType.RESIDENT, CardType.HMT_RESIDENCE_PERMIT) and gender in ("男", "女"):
        odd = int(id_number[16]) % 2 == 1
        if odd != (gender == "男"):
            problems.append(PROBLEM_GENDER_MISMATCH)
    return tuple(problems)
