"""The answer widgets' own rules, without a window: what a key press keeps, how a date steps."""

from __future__ import annotations

import datetime as dt

import pytest

from screens.form_inputs.date_picker import clamp, moved
from screens.form_inputs.keypad import grouped_id_number, pressed


def typed(extra: str, keys: str, max_length: int = 20) -> str:
    value = ""
    for key in keys:
        value = pressed(value, {"<": "back", "C": "clear"}.get(key, key), extra, max_length)
    return value


@pytest.mark.parametrize(("keys", "value"), [
    ("X", ""),  # X only as the check character
    ("1101051949123100X", "1101051949123100"),
    ("11010519491231002X", "11010519491231002X"),
    ("11010519491231002XX", "11010519491231002X"),
    ("110105194912310021X", "110105194912310021"),  # eighteen is the most
    ("1234<<", "12"),
    ("1234C5", "5"),
])
def test_an_id_number_takes_x_only_last(keys: str, value: str) -> None:
    assert typed("X", keys, max_length=18) == value


@pytest.mark.parametrize(("keys", "value"), [
    (".5", "0.5"),
    ("12.3.4", "12.34"),
    ("12.345", "12.34"),  # two decimals at most
    ("007", "7"),  # no leading zeros
    ("0.07", "0.07"),
    ("1.<", "1"),
])
def test_an_amount_takes_one_point_and_two_decimals(keys: str, value: str) -> None:
    assert typed(".", keys) == value


def test_plain_digits_take_neither_x_nor_a_point() -> None:
    assert typed("", "0138", max_length=11) == "0138"
    assert typed("", "123456789012", max_length=11) == "12345678901"


def test_an_id_number_reads_back_in_three_groups() -> None:
    assert grouped_id_number("11010519491231002X") == "110105 19491231 002X"
    assert grouped_id_number("1101051949") == "110105 1949"
    assert grouped_id_number("") == ""


def test_dates_step_by_month_and_year_keeping_the_day_in_its_month() -> None:
    assert moved(dt.date(2024, 1, 31), months=1) == dt.date(2024, 2, 29)
    assert moved(dt.date(2024, 2, 29), years=1) == dt.date(2025, 2, 28)
    assert moved(dt.date(2024, 12, 15), months=1) == dt.date(2025, 1, 15)
    assert moved(dt.date(2024, 1, 1), months=-1) == dt.date(2023, 12, 1)
    assert moved(dt.date(2024, 12, 31), days=1) == dt.date(2025, 1, 1)
    assert moved(dt.date(2000, 6, 1), years=-10) == dt.date(1990, 6, 1)


def test_dates_stay_in_the_field_range() -> None:
    low, high = dt.date(1900, 1, 1), dt.date(2026, 12, 2)
    assert clamp(moved(high, years=1), low, high) == high
    assert clamp(moved(dt.date(1905, 3, 1), years=-10), low, high) == low
