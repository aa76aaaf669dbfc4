"""A slot's day as a resident reads it in each language (``kiosk.messages.dates``)."""

from __future__ import annotations

from datetime import date

import pytest

from kiosk.messages.dates import long_day, short_day

THURSDAY = date(2026, 12, 3)


@pytest.mark.parametrize(("language", "short", "long"), [
    ("zh-Hans", "12月3日（星期四）", "2026年12月3日（星期四）"),
    ("zh-Hant", "12月3日（星期四）", "2026年12月3日（星期四）"),
    ("en", "Thu 3 Dec", "Thu 3 Dec 2026"),
])
def test_a_day_in_each_language(language: str, short: str, long: str) -> None:
    assert short_day(THURSDAY, language) == short
    assert long_day(THURSDAY, language) == long


def test_every_weekday_and_month_has_its_english_name() -> None:
    days = {short_day(date(2026, 6, d), "en").split()[0] for d in range(1, 8)}
    assert days == {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"}
    months = {short_day(date(2026, m, 1), "en").split()[2] for m in range(1, 13)}
    assert len(months) == 12 and "May" in months and "Sep" in months
