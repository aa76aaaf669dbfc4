"""Wait for a condition, failing with a message that says what was awaited.

``wait_for`` blocks (sleeping between checks); ``polling`` yields the pause instead, for a
caller that must hand control back between checks (a Kivy script yields to the event loop).
"""

from __future__ import annotations

import inspect
import time
from collections.abc import Callable, Iterator

Describe = str | Callable[[], str] | None


def polling(
    condition: Callable[[], object],
    timeout: float = 10.0,
    step: float = 0.01,
    on_each: Callable[[], object] | None = None,
    describe: Describe = None,
) -> Iterator[float]:
    """Yield ``step`` between checks until ``condition`` holds; fail after ``timeout`` seconds.

    ``on_each`` runs before every check (a terminal's ``pump``). ``describe`` says what is
    awaited (text, or a function giving it at the time of failure); by default the
    condition's source.
    """
    deadline = time.monotonic() + timeout
    while True:
        if on_each is not None:
            on_each()
        if condition():
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:g}s waiting for {_describe(describe, condition)}")
        yield step


def wait_for(
    condition: Callable[[], object],
    timeout: float = 10.0,
    step: float = 0.01,
    on_each: Callable[[], object] | None = None,
    describe: Describe = None,
) -> None:
    """Check ``condition`` every ``step`` seconds until it holds; fail after ``timeout`` seconds."""
    for pause in polling(condition, timeout, step, on_each, describe):
        time.sleep(pause)


def _describe(describe: Describe, condition: Callable[[], object]) -> str:
    if callable(describe):
        return describe()
    return describe or condition_source(condition)


def condition_source(condition: Callable[[], object]) -> str:
    """The source line of ``condition`` (a lambda), to say in a failure what was awaited."""
    try:
        return inspect.getsource(condition).strip()
    except (OSError, TypeError):
        return repr(condition)
