"""Case numbers stay unique, and in order, whatever the clock does: back within a day, back
across days, forward again, with the sequence file reopened between numbers, and with floors
(``raise_to``) from the outbox and the centre in between."""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path

from kiosk.delivery.case_numbers import CaseNumbers

DAY = date(2026, 12, 2)


def reopened(tmp_path: Path) -> CaseNumbers:
    """The numbering as a restarted kiosk finds it: only the file carries over."""
    return CaseNumbers(tmp_path / "case-sequence", 7)


def test_a_clock_set_back_within_the_day_goes_on_with_the_sequence(tmp_path: Path) -> None:
    numbers = reopened(tmp_path)
    given = [numbers.next(DAY) for _ in range(3)]  # 15:00; then the clock is set back to 09:00
    given += [reopened(tmp_path).next(DAY) for _ in range(2)]
    assert given == [f"20261202007{n:04d}" for n in range(1, 6)]


def test_a_clock_set_back_days_numbers_on_under_the_last_day_until_it_catches_up(tmp_path: Path) -> None:
    numbers = reopened(tmp_path)
    given = [numbers.next(DAY), numbers.next(DAY)]
    given.append(numbers.next(DAY - timedelta(days=1)))  # back a day: still the 2nd, after 0002
    given.append(reopened(tmp_path).next(DAY - timedelta(days=400)))  # a flat RTC battery, after a restart
    given.append(reopened(tmp_path).next(DAY))  # the clock is right again
    given.append(numbers.next(DAY + timedelta(days=1)))  # and the next day starts afresh
    given.append(numbers.next(DAY - timedelta(days=3)))  # then back again: stays on the 3rd
    assert given == ["202612020070001", "202612020070002", "202612020070003", "202612020070004",
                     "202612020070005", "202612030070001", "202612030070002"]


def test_a_clock_wrongly_ahead_keeps_its_day_when_set_right(tmp_path: Path) -> None:
    numbers = reopened(tmp_path)
    ahead = numbers.next(DAY + timedelta(days=30))
    right = reopened(tmp_path).next(DAY)
    assert (ahead, right) == ("202701010070001", "202701010070002")


def test_floors_while_the_clock_is_behind_never_take_the_numbering_back(tmp_path: Path) -> None:
    numbers = reopened(tmp_path)
    numbers.next(DAY)
    numbers.next(DAY)
    behind = DAY - timedelta(days=1)
    # The link opens with the slow clock: the outbox and the centre answer for the 1st.
    numbers.raise_to(f"{behind:%Y%m%d}0070042")
    assert numbers.next(behind) == "202612020070003"
    numbers.raise_to("202612020070040")  # the centre holds more of the 2nd than the file did
    assert reopened(tmp_path).next(behind) == "202612020070041"
    numbers.raise_to("202612050070009")  # a later day's floor moves the numbering to it
    assert numbers.next(behind) == "202612050070010"


def test_any_walk_of_the_clock_gives_increasing_numbers(tmp_path: Path) -> None:
    walk = random.Random(14)
    day, given = DAY, list[str]()
    numbers = reopened(tmp_path)
    for _ in range(300):
        day += timedelta(days=walk.choice([-30, -2, -1, 0, 0, 0, 0, 1, 2]))
        if walk.random() < 0.2:
            numbers = reopened(tmp_path)
        if walk.random() < 0.05:
            numbers.raise_to(walk.choice(given or ["202612020070001"]))  # an old floor: changes nothing
        given.append(numbers.next(day))
    assert given == sorted(given) and len(set(given)) == len(given)
