"""What the camera steps of a session share (the face check, the papers on the document camera):
listeners told of every change, and one camera, opened on demand, whose events reach the UI
thread tagged with the opening they belong to.

``CameraRun.open`` builds the camera on first use (``make``: OpenCV is heavy, so the step
imports it only then), subscribes, and opens it; the camera's own thread hands each event it
cares about to ``post`` as ``tag(attempt, event)`` (``None``: not one it cares about). The step
compares an event's attempt with ``attempt`` and drops a late one of an earlier opening.
``close`` stops the camera (it can be opened again); ``forget`` also drops it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Generic, TypeVar

if TYPE_CHECKING:
    from drivers.device import DeviceEvent, ThreadedDevice
    from kiosk.events import TerminalEvent

Step = TypeVar("Step")
Camera = TypeVar("Camera", bound="ThreadedDevice")


class Observed(Generic[Step]):
    """Listeners (on the UI thread) of a step's changes."""

    def __init__(self) -> None:
        self._listeners: list[Callable[[Step], None]] = []

    def subscribe(self, listener: Callable[[Step], None]) -> None:
        """Call ``listener`` whenever the step's state, hint or outcome changes."""
        self._listeners.append(listener)

    def _changed(self) -> None:
        for listener in list(self._listeners):
            listener(self)  # type: ignore[arg-type]


class CameraRun(Generic[Camera]):
    """One camera for one step, opened and closed as the resident moves."""

    def __init__(self, make: Callable[[], Camera], post: Callable[[TerminalEvent], None],
                 tag: Callable[[int, DeviceEvent], TerminalEvent | None]) -> None:
        self._make, self._post, self._tag = make, post, tag
        self.camera: Camera | None = None
        self.attempt = 0
        self._unsubscribe: Callable[[], None] | None = None

    def open(self) -> None:
        """Close any opening before, then open the camera (built now if it is not yet): raises
        what building it raises (``DriverError``, ``ImportError``), with nothing opened."""
        self.close()
        self.attempt += 1
        camera = self.camera or self._make()
        self.camera = camera
        attempt, post, tag = self.attempt, self._post, self._tag

        def forward(event: DeviceEvent) -> None:  # on the camera's thread
            tagged = tag(attempt, event)
            if tagged is not None:
                post(tagged)

        self._unsubscribe = camera.subscribe(forward)
        camera.open()

    def close(self) -> None:
        unsubscribe, self._unsubscribe = self._unsubscribe, None
        if unsubscribe is None:
            return
        unsubscribe()
        if self.camera is not None:
            self.camera.close()

    def forget(self) -> None:
        """Close, and drop the camera (the terminal is stopping)."""
        self.close()
        self.camera = None
