"""Days as a resident reads them in each language: a slot's day on a button, on a screen.

Dates are formatted here rather than translated as messages: an English day needs its
weekday and month in words and another order (``Thu 3 Dec``), not the Chinese pattern with
other characters. Printed slips stay in Chinese (``kiosk.printing.appointment_slip``).
"""

from __future__ import annotations

from datetime import date

from kiosk.messages.locales import SOURCE_LANGUAGE

_ZH_WEEKDAYS = "一二三四五六日"
_EN_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_EN_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def short_day(day: date, language: str = SOURCE_LANGUAGE) -> str:
    """The day without its year, for a button: ``12月3日（星期四）``, ``Thu 3 Dec``."""
    if language == "en":
        return f"{_EN_WEEKDAYS[day.weekday()]} {day.day} {_EN_MONTHS[day.month - 1]}"
    return f"{day.month}月{day.day}日（星期{_ZH_WEEKDAYS[day.weekday()]}）"


def long_day(day: date, language: str = SOURCE_LANGUAGE) -> str:
    """The day with its year: ``2026年12月3日（星期四）``, ``Thu 3 Dec 2026``."""
    if language == "en":
        return f"{short_day(day, language)} {day.year}"
    return f"{day.year}年{short_day(day, language)}"
