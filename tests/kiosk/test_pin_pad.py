"""The maintenance PIN pad against a real ``PinStore`` (Argon2id) in a temporary folder."""

from __future__ import annotations

from pathlib import Path

from kiosk.maintenance.pin import PinStore
from kiosk.maintenance.pin_pad import CLEAR, DELETE, IDLE_CLOSE_S, PinPad
from tests.kiosk.kiosk_support import FakeClock


def test_the_pin_pad_shows_dots_and_says_what_a_wrong_pin_leaves(tmp_path: Path) -> None:
    store, clock = PinStore(tmp_path), FakeClock()
    pad = PinPad(store.verify, clock)
    pad.open()
    for key in "2468":
        pad.press(key)
    assert pad.dots == "●●●●"
    assert not pad.submit() and pad.message == "维护密码为 6 至 12 位数字"
    for key in "13":
        pad.press(key)
    assert not pad.submit() and pad.message.startswith("未设置维护密码")
    store.set_pin("246813")
    for key in "246810":
        pad.press(key)
    pad.press(DELETE)
    pad.press("9")
    assert not pad.submit() and pad.message == "密码错误，还可尝试 2 次" and pad.digits == ""
    for _ in range(2):
        for key in "999999":
            pad.press(key)
        pad.submit()
    assert pad.message == "已锁定，请 0 分 30 秒后再试"
    pad.press("1")
    pad.press(CLEAR)
    assert pad.dots == ""
    clock.advance(IDLE_CLOSE_S)
    assert pad.expired()


def test_the_right_pin_closes_the_pad(tmp_path: Path) -> None:
    store = PinStore(tmp_path)
    store.set_pin("246813")
    pad = PinPad(store.verify, FakeClock())
    pad.open()
    for key in "246813":
        pad.press(key)
    assert pad.submit() and not pad.is_open and pad.digits == ""
