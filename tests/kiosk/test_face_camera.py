"""The face camera: folders of drawn frames played through the real capture thread
(``camera:///folder/`` as on a kiosk), hints and the outcome as device events."""

from __future__ import annotations

import queue
from pathlib import Path

import pytest

from drivers.device import DeviceEvent, DeviceState, StatusChanged
from drivers.errors import UnsupportedBackend
from drivers.url import parse_device_url
from kiosk.capture.face_camera import FaceCamera, FaceFinished, FaceHint, face_camera_from_url
from kiosk.capture.face_check import FaceOutcome, FaceRules, Liveness
from kiosk.messages.ids import MessageId
from tests.support import face_frames as ff


def run(camera: FaceCamera, timeout: float = 60.0) -> tuple[list[DeviceEvent], FaceFinished]:
    """Open the camera, collect its events until the check finishes, close it."""
    events: queue.Queue[DeviceEvent] = queue.Queue()
    camera.subscribe(events.put)
    camera.open()
    seen: list[DeviceEvent] = []
    try:
        while True:
            event = events.get(timeout=timeout)
            seen.append(event)
            if isinstance(event, FaceFinished):
                return seen, event
    finally:
        camera.close()


def test_a_blink_recorded_in_a_folder_is_captured_through_the_capture_thread(tmp_path: Path) -> None:
    folder = ff.write_folder(ff.blink_sequence(), tmp_path / "blink")
    camera = face_camera_from_url(parse_device_url(f"camera://{folder}"), "face")
    seen, finished = run(camera)
    assert finished.result.outcome is FaceOutcome.CAPTURED
    assert finished.result.liveness is Liveness.BLINK
    assert finished.result.jpeg and finished.result.jpeg[:2] == b"\xff\xd8"
    hints = [e.hint for e in seen if isinstance(e, FaceHint)]
    assert hints[-1] is MessageId.FACE_BLINK
    assert len(hints) == len(set(hints))  # a hint is published when it changes, not every frame
    assert camera.status.state is DeviceState.OFFLINE


def test_frames_that_stop_mid_capture_end_with_camera_lost(tmp_path: Path) -> None:
    folder = ff.write_folder(ff.settle(5), tmp_path / "short")
    seen, finished = run(FaceCamera("face", folder))
    assert finished.result.outcome is FaceOutcome.CAMERA_LOST and finished.result.jpeg is None
    assert any(isinstance(e, FaceHint) and e.hint is MessageId.FACE_BLINK for e in seen)


def test_a_missing_camera_ends_with_camera_lost_at_once(tmp_path: Path) -> None:
    seen, finished = run(FaceCamera("face", tmp_path / "no-such-video.mp4"))
    assert finished.result.outcome is FaceOutcome.CAMERA_LOST
    assert [e.new.state for e in seen if isinstance(e, StatusChanged)] == [DeviceState.NO_DEVICE]


def test_a_photo_held_up_to_the_camera_times_out(tmp_path: Path) -> None:
    folder = ff.write_folder(ff.photo_sequence(50), tmp_path / "photo")
    _, finished = run(FaceCamera("face", folder, rules=FaceRules(liveness_timeout=3.0)))
    assert finished.result.outcome is FaceOutcome.TIMED_OUT and finished.result.jpeg is None


def test_the_resident_declines_while_the_camera_runs(tmp_path: Path) -> None:
    folder = ff.write_folder(ff.photo_sequence(40), tmp_path / "photo")
    camera = FaceCamera("face", folder)
    camera.subscribe(lambda e: camera.decline() if isinstance(e, FaceHint) else None)
    _, finished = run(camera)
    assert finished.result.outcome is FaceOutcome.DECLINED and finished.result.jpeg is None


def test_a_camera_url_must_name_an_index_or_an_absolute_path() -> None:
    with pytest.raises(UnsupportedBackend):
        face_camera_from_url(parse_device_url("camera://front"), "face")
