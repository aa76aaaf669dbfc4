"""The hidden gesture: a long press top-left, then a tap bottom-right within five seconds."""

from __future__ import annotations

from kiosk.maintenance.entry import Corner, CornerGesture

W, H = 1080, 1920
TOP_LEFT = (20, H - 20)
BOTTOM_RIGHT = (W - 20, 20)
MIDDLE = (W / 2, H / 2)


def press(gesture: CornerGesture, where: tuple[float, float], t: float, hold: float) -> bool:
    gesture.down(*where, t)
    return gesture.up(*where, t + hold)


def test_corners_are_at_the_window_corners_in_kivy_coordinates() -> None:
    gesture = CornerGesture(W, H)
    assert gesture.corner_of(*TOP_LEFT) is Corner.TOP_LEFT
    assert gesture.corner_of(*BOTTOM_RIGHT) is Corner.BOTTOM_RIGHT
    assert gesture.corner_of(*MIDDLE) is None
    assert gesture.corner_of(20, 20) is None  # bottom-left is not part of it


def test_long_press_then_tap_in_the_opposite_corner_opens_the_pin_pad() -> None:
    gesture = CornerGesture(W, H)
    assert not press(gesture, TOP_LEFT, 0.0, 2.1)
    assert press(gesture, BOTTOM_RIGHT, 4.0, 0.1)


def test_a_short_press_a_late_tap_or_a_touch_between_does_nothing() -> None:
    gesture = CornerGesture(W, H)
    assert not press(gesture, TOP_LEFT, 0.0, 1.5)
    assert not press(gesture, BOTTOM_RIGHT, 2.0, 0.1)
    assert not press(gesture, TOP_LEFT, 10.0, 2.5)
    assert not press(gesture, BOTTOM_RIGHT, 18.0, 0.1)  # 5.5 s after the press ended
    assert not press(gesture, TOP_LEFT, 20.0, 2.5)
    assert not press(gesture, MIDDLE, 23.0, 0.1)
    assert not press(gesture, BOTTOM_RIGHT, 23.5, 0.1)


def test_a_press_that_slides_out_of_the_corner_does_not_count() -> None:
    gesture = CornerGesture(W, H)
    gesture.down(*TOP_LEFT, 0.0)
    assert not gesture.up(*MIDDLE, 2.5)
    assert not press(gesture, BOTTOM_RIGHT, 3.0, 0.1)
