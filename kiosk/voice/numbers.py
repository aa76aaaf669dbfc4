"""Numbers in Mandarin pinyin: digit by digit, as a quantity, a decimal and a clock time.

How a run of digits is read (``read_number``), decided here once:

- one by one when it is an identifier: five digits or more (phones, case numbers, 12345),
  or starting with 0 (a code, "0571"), or followed by 年 (a year: 二零二六年);
- as a quantity when it is a count of at most four digits: 24 → er4 shi2 si4 (二十四), 180 →
  yi4 bai3 ba1 shi2 (一百八十);
- a decimal point between digits is 点 (dian3), the fraction one digit at a time;
- ``H:MM`` is a clock time: 8:30 → 八点三十分, 17:00 → 十七点.

In identifiers 1 is 幺 (yao1), as phone numbers are read aloud in Mandarin: it cannot be
misheard as 七 (qi1). Years and quantities keep 一 (yi1). The tones are the citation tones;
tone sandhi of 一 in quantities is not applied (一百 is said yi4 bai3 by most, yi1 bai3 is
understood).
"""

from __future__ import annotations

DIGITS = ("ling2", "yi1", "er4", "san1", "si4", "wu3", "liu4", "qi1", "ba1", "jiu3")
YAO = "yao1"  # 幺: 1 in an identifier
_UNITS = ("", "shi2", "bai3", "qian1")  # 十 百 千


def one_by_one(digits: str, *, yao: bool = True) -> list[str]:
    """Each digit's reading; 1 as 幺 when ``yao``."""
    return [YAO if d == "1" and yao else DIGITS[int(d)] for d in digits if d.isdigit()]


def quantity(digits: str) -> list[str]:
    """A whole number below 10000 read as a count (零 for inner zeros, 十 alone for 10-19)."""
    value = int(digits)
    if value == 0:
        return [DIGITS[0]]
    text = str(value)
    words: list[str] = []
    zero_pending = False
    for position, digit in enumerate(text):
        unit = len(text) - position - 1
        if digit == "0":
            zero_pending = bool(words)
            continue
        if zero_pending:
            words.append(DIGITS[0])
            zero_pending = False
        if not (digit == "1" and unit == 1 and position == 0):  # 十二, not 一十二
            words.append(DIGITS[int(digit)])
        if unit:
            words.append(_UNITS[unit])
    return words


def read_number(digits: str, following: str = "") -> list[str]:
    """A run of ASCII digits read the way the module docstring says, given the character after it."""
    if following == "年":
        return one_by_one(digits, yao=False)
    if len(digits) >= 5 or (len(digits) > 1 and digits.startswith("0")):
        return one_by_one(digits)
    return quantity(digits)


def read_decimal(whole: str, fraction: str) -> list[str]:
    """``whole.fraction``: 3.5 → san1 dian3 wu3."""
    return [*quantity(whole), "dian3", *one_by_one(fraction, yao=False)]


def read_time(hours: str, minutes: str) -> list[str]:
    """``H:MM`` as a clock time: 8:30 → ba1 dian3 san1 shi2 fen1; 17:00 → shi2 qi1 dian3."""
    words = [*quantity(hours), "dian3"]
    if int(minutes):
        words += [*quantity(minutes), "fen1"]
    return words
