"""Drive a real Kivy window offscreen: run the app with a script, tap widgets, read text.

Kivy allows one app per process, so each UI test module runs one app with one script. A
script is a generator that acts and asserts between ``yield``s; each ``yield`` lets Kivy
run (clock, input, layout) for the seconds yielded.

Nobody watches a test's window, so its frames are not drawn (``skip_window_frames``): layout,
text and touches do not need them, and a PNG draws the widget tree itself
(``screens.screenshot.save_screen``). On Mesa's software renderer a 1080x1920 frame costs
50-100 ms of CPU; drawing them took more than half of a screen audit's time.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Generator, Iterator
from pathlib import Path
from typing import Any

import pytest
from kivy.clock import Clock
from kivy.tests.common import UnitTestTouch
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.widget import Widget

from tests.support import polling
from tests.support.waiting import Describe

Script = Generator[float, None, None]

OWN_PROCESS = "KIOSK_TEST_OWN_PROCESS"  # set in the child process ``in_own_process`` starts
only_in_own_process = pytest.mark.skipif(os.environ.get(OWN_PROCESS) != "1",
                                         reason="run by in_own_process, in a process of its own")


def in_own_process(test_file: str, test_name: str, timeout: float) -> None:
    """Run the test ``test_name`` of ``test_file`` (marked ``only_in_own_process``) in a child
    pytest, and fail with its output if it fails. For a window of another size (landscape):
    Kivy sizes a process's one window once, so a test run in a worker would be drawn in the
    window earlier tests made, and would leave its own to the tests after it."""
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", f"{test_file}::{test_name}"],
        env={**os.environ, OWN_PROCESS: "1"}, capture_output=True, text=True, timeout=timeout,
        cwd=Path(__file__).resolve().parents[2],
    )
    summary = (result.stdout.strip().splitlines() or [""])[-1]  # "1 passed in 15.68s", not "1 skipped"
    assert result.returncode == 0 and summary.startswith("1 passed"), result.stdout[-5000:] + result.stderr[-2000:]


def skip_window_frames() -> None:
    """The window's frames are not drawn from now on (``on_flip`` still comes, on every loop
    now: the window's canvas stays marked as needing a redraw)."""
    from kivy.core.window import Window

    Window.on_draw = lambda *_args: None


def run_with_script(app: Any, script: Callable[[], Script]) -> None:
    """Run ``app`` until ``script`` ends; re-raise the first failure after the window closes."""
    skip_window_frames()
    failures: list[BaseException] = []
    steps = script()

    def advance(_dt: float) -> None:
        try:
            delay = next(steps)
        except StopIteration:
            app.stop()
            return
        except BaseException as err:  # noqa: BLE001 - handed back to the test below
            failures.append(err)
            app.stop()
            return
        Clock.schedule_once(advance, delay)

    Clock.schedule_once(advance, 0.3)
    app.run()
    if failures:
        raise failures[0]


def find(root: Widget, test_name: str) -> Widget:
    """The one visible widget called ``test_name`` (a person can see only what is on screen)."""
    found = [w for w in root.walk() if getattr(w, "test_name", None) == test_name and w.opacity > 0]
    assert len(found) == 1, f"expected one widget named {test_name!r}, found {len(found)}"
    return found[0]


def exists(root: Widget, test_name: str) -> bool:
    return any(getattr(w, "test_name", None) == test_name and w.opacity > 0 for w in root.walk())


def turn_to(root: Widget, test_name: str) -> Iterator[float]:
    """Tap 下一页 until ``test_name`` is on the page in view, as a person would look for it."""
    while not exists(root, test_name):
        assert exists(root, "page-next"), f"{test_name!r} is not shown and there are no pages to turn"
        turn = find(root, "page-next")
        assert not turn.disabled, f"{test_name!r} is on no page"
        tap(turn)
        yield 0.05


def seek(root: Widget, test_name: str) -> Iterator[float]:
    """Back to the list's first page, then 下一页 until ``test_name`` shows (``turn_to``)."""
    while not exists(root, test_name) and exists(root, "page-previous") and not find(root, "page-previous").disabled:
        tap(find(root, "page-previous"))
        yield 0.05
    yield from turn_to(root, test_name)


def every_page(root: Widget, into: list[str]) -> Iterator[float]:
    """Read a paged screen as a person would: from its first page, 下一页 to the last, each
    page's texts added to ``into``; then back to the first page."""
    pages = 0
    while exists(root, "page-previous") and not find(root, "page-previous").disabled:
        tap(find(root, "page-previous"))
        yield 0.05
    while True:
        into.extend(texts(root))
        if not exists(root, "page-next") or find(root, "page-next").disabled:
            break
        tap(find(root, "page-next"))
        pages += 1
        yield 0.05
    for _ in range(pages):
        tap(find(root, "page-previous"))
        yield 0.05


def tap(widget: Widget) -> None:
    """Touch the middle of ``widget`` with a finger: down, then up."""
    x, y = widget.to_window(*widget.center)
    touch = UnitTestTouch(x, y)
    touch.touch_down()
    touch.touch_up()


def until(condition: Callable[[], object], timeout: float = 10.0, describe: Describe = None) -> Iterator[float]:
    """Let Kivy run until ``condition`` holds (``tests.support.polling``, yielding to Kivy)."""
    yield from polling(condition, timeout, step=0.05, describe=describe)
    yield 0.05  # one more frame, so the change is drawn


def texts(root: Widget) -> list[str]:
    """Every text anywhere under ``root``, visible or not."""
    return [str(w.text) for w in root.walk(restrict=True) if isinstance(getattr(w, "text", None), str) and w.text]


def small_touch_targets(root: Widget, minimum: float) -> list[str]:
    """Visible, enabled buttons smaller than ``minimum`` in either direction."""
    small = []
    for widget in root.walk():
        if isinstance(widget, ButtonBehavior) and widget.opacity > 0 and not widget.disabled and widget.height > 0:
            if widget.width < minimum or widget.height < minimum:
                small.append(f"{widget.text!r} {widget.width:.0f}x{widget.height:.0f}")
    return small
