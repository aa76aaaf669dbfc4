"""The technician PIN: never a default, no trivial PINs, a lockout that grows and survives a restart."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from kiosk.maintenance.pin import (
    FREE_TRIES,
    MAX_DELAY_S,
    NOT_SET,
    PinOutcome,
    PinRefused,
    PinStore,
    check_new_pin,
    lockout_delay,
)
from tests.kiosk.kiosk_support import FakeClock


def test_with_no_pin_set_entry_is_refused_and_says_how_to_set_one(tmp_path: Path) -> None:
    store = PinStore(tmp_path)
    assert not store.is_set
    result = store.verify("000000")
    assert result.outcome is PinOutcome.NOT_SET and not result.ok
    assert result.message == NOT_SET


@pytest.mark.parametrize("pin", ["12345", "1234567890123", "12a456", "１２３４５６", "", "111111", "999999999",
                                 "123456", "234567", "987654", "3210987", "890123"])
def test_short_long_non_digit_and_trivial_pins_are_refused(pin: str) -> None:
    with pytest.raises(PinRefused):
        check_new_pin(pin)


@pytest.mark.parametrize("pin", ["274816", "135790", "112233", "123457", "902184736152"])
def test_ordinary_pins_are_accepted(pin: str) -> None:
    check_new_pin(pin)


def test_the_pin_is_an_argon2id_hash_in_a_private_file(tmp_path: Path) -> None:
    store = PinStore(tmp_path)
    store.set_pin("274816")
    text = store.pin_path.read_text()
    assert text.startswith("$argon2id$") and "274816" not in text
    assert stat.S_IMODE(store.pin_path.stat().st_mode) == 0o600
    assert store.verify("274816").ok
    assert store.verify("274817").outcome is PinOutcome.WRONG


def test_wrong_pins_lock_entry_for_a_growing_delay_that_survives_a_restart(tmp_path: Path) -> None:
    clock = FakeClock()
    PinStore(tmp_path, clock).set_pin("274816")
    store = PinStore(tmp_path, clock)
    assert store.verify("000001").tries_left == 2
    assert store.verify("000002").tries_left == 1
    third = store.verify("000003")
    assert third.outcome is PinOutcome.WRONG and third.wait_s == 30
    # Locked: even the right PIN is not looked at, and a new store (a restart) agrees.
    restarted = PinStore(tmp_path, clock)
    locked = restarted.verify("274816")
    assert locked.outcome is PinOutcome.LOCKED and locked.wait_s == pytest.approx(30)
    assert "30 秒后再试" in locked.message
    clock.advance(30)
    assert restarted.verify("000004").wait_s == 60  # the next lockout is twice as long
    clock.advance(59)
    assert restarted.verify("274816").outcome is PinOutcome.LOCKED
    clock.advance(1)
    assert restarted.verify("274816").ok
    assert restarted.verify("000005").tries_left == 2  # the right PIN reset the count


def test_the_delay_doubles_up_to_an_hour() -> None:
    delays = [lockout_delay(n) for n in range(1, 14)]
    assert delays[: FREE_TRIES - 1] == [0.0] * (FREE_TRIES - 1)
    assert delays[FREE_TRIES - 1 : FREE_TRIES + 3] == [30, 60, 120, 240]
    assert max(delays) == MAX_DELAY_S == delays[-1]


def test_setting_a_pin_refuses_a_trivial_one_and_keeps_the_old(tmp_path: Path) -> None:
    store = PinStore(tmp_path)
    store.set_pin("274816")
    with pytest.raises(PinRefused, match="连续"):
        store.set_pin("123456")
    assert store.verify("274816").ok


def test_the_hash_is_cheap_enough_for_the_ui_thread_and_older_hashes_still_verify(tmp_path: Path) -> None:
    from argon2 import PasswordHasher

    store = PinStore(tmp_path)
    store.set_pin("274816")
    assert "$m=19456,t=2,p=1$" in store.pin_path.read_text()
    store.pin_path.write_text(PasswordHasher().hash("902184") + "\n")  # argon2-cffi's default parameters
    assert store.verify("902184").ok and not store.verify("274816").ok
