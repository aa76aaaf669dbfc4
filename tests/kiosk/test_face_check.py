"""The face check's state machine on drawn faces (tests/support/face_frames.py) through the
real OpenCV cascades: quality hints, a blink or a head turn, a still photo failing."""

from __future__ import annotations

from collections.abc import Sequence

import cv2
import numpy as np
import pytest

from kiosk.capture.face_check import FaceCheck, FaceOutcome, FacePhase, FaceRules, FaceStep, Liveness
from kiosk.capture.face_detect import FaceDetector
from kiosk.messages import say
from kiosk.messages.ids import MessageId
from tests.support import face_frames as ff

FPS = 10.0


@pytest.fixture(scope="module")
def detector() -> FaceDetector:
    return FaceDetector()


def play(frames: Sequence[np.ndarray], detector: FaceDetector, rules: FaceRules | None = None,
         ) -> tuple[FaceCheck, list[FaceStep]]:
    """Feed frames at 10 a second until the check ends; return it and every step."""
    check = FaceCheck(rules, detector)
    steps = []
    for i, frame in enumerate(frames):
        steps.append(check.feed(frame, i / FPS))
        if steps[-1].result is not None:
            break
    return check, steps


def hints(steps: list[FaceStep]) -> list[MessageId | None]:
    return [s.hint for s in steps]


def test_a_blink_after_a_good_frontal_view_captures_the_face(detector: FaceDetector) -> None:
    check, steps = play(ff.blink_sequence(), detector)
    result = steps[-1].result
    assert result is not None and result.outcome is FaceOutcome.CAPTURED
    assert result.liveness is Liveness.BLINK
    assert check.phase is FacePhase.DONE
    assert MessageId.FACE_BLINK in hints(steps)
    # the capture is a JPEG of the face with a margin, small, and shows one face with both eyes
    assert result.jpeg is not None and result.jpeg[:2] == b"\xff\xd8"
    image = cv2.imdecode(np.frombuffer(result.jpeg, np.uint8), cv2.IMREAD_COLOR)
    assert max(image.shape[:2]) <= FaceRules().max_side
    facts = detector.look(image)
    assert len(facts.faces) == 1 and facts.eyes >= 2
    assert facts.face is not None and facts.face.w > 0.5 * image.shape[1]


@pytest.mark.parametrize("direction", [-1, 1])
def test_a_head_turn_either_way_passes_the_active_check(detector: FaceDetector, direction: int) -> None:
    _, steps = play(ff.turn_sequence(direction=direction), detector)
    result = steps[-1].result
    assert result is not None and result.outcome is FaceOutcome.CAPTURED
    assert result.liveness is Liveness.TURN and result.jpeg


def test_a_printed_photo_held_still_fails_the_active_check(detector: FaceDetector) -> None:
    rules = FaceRules(liveness_timeout=4.0)
    _, steps = play(ff.photo_sequence(80), detector, rules)
    result = steps[-1].result
    assert result is not None and result.outcome is FaceOutcome.TIMED_OUT
    assert result.failed_in is FacePhase.LIVENESS and result.jpeg is None
    # it did pass the quality gate: the active check is what refused it
    assert MessageId.FACE_BLINK in hints(steps) and MessageId.FACE_TURN_HEAD in hints(steps)


def test_a_printed_photo_slid_sideways_does_not_count_as_a_turn(detector: FaceDetector) -> None:
    still = ff.frame(noise=0.0)
    moved = [np.roll(still, dx, axis=1) for dx in [0] * 5 + list(range(0, 60, 6)) + [60] * 30]
    _, steps = play(moved, detector, FaceRules(liveness_timeout=3.0))
    result = steps[-1].result
    assert result is not None and result.outcome is FaceOutcome.TIMED_OUT


@pytest.mark.parametrize(("frames", "hint"), [
    (ff.two_faces_sequence, MessageId.FACE_ONE_PERSON),
    (ff.dark_sequence, MessageId.FACE_TOO_DARK),
    (ff.tiny_face_sequence, MessageId.FACE_COME_CLOSER),
])
def test_a_frame_that_breaks_a_rule_says_what_to_do(detector: FaceDetector, frames, hint: MessageId) -> None:
    check, steps = play(frames(6), detector)
    assert set(hints(steps)) == {hint}
    assert check.phase is FacePhase.POSITIONING and check.result is None
    assert say(hint)  # words to show and speak


def test_other_rules_have_their_own_hints(detector: FaceDetector) -> None:
    cases = {
        MessageId.FACE_LOOK_AT_SCREEN: ff.frame(()),
        MessageId.FACE_MOVE_TO_CENTRE: ff.frame((ff.Face(x=0.22, width=0.3),)),
        MessageId.FACE_HOLD_STILL: ff.frame(blur=18),
        MessageId.FACE_OPEN_EYES: ff.frame((ff.Face(eyes_open=False),)),
        MessageId.FACE_TOO_BRIGHT: ff.frame(light=1.9),
    }
    for hint, frame in cases.items():
        _, steps = play([frame], detector)
        assert steps[0].hint is hint, hint


def test_no_capture_without_a_steady_run_of_good_frames(detector: FaceDetector) -> None:
    good, bad = ff.frame(), ff.frame(blur=18)
    _, steps = play([good, good, bad, good, good], detector)
    assert all(s.phase is FacePhase.POSITIONING for s in steps)


def test_the_camera_lost_mid_capture_ends_with_camera_lost_and_keeps_nothing(detector: FaceDetector) -> None:
    check, steps = play(ff.settle(4), detector)
    assert steps[-1].result is None and check.phase is FacePhase.LIVENESS
    result = check.camera_lost()
    assert result.outcome is FaceOutcome.CAMERA_LOST and result.jpeg is None
    # later frames change nothing
    assert check.feed(ff.frame(), 10.0).result is result


def test_declining_ends_the_check_with_nothing_kept(detector: FaceDetector) -> None:
    check, _ = play(ff.settle(4), detector)
    result = check.decline()
    assert result.outcome is FaceOutcome.DECLINED and result.jpeg is None


def test_nobody_in_front_of_the_camera_times_out_while_positioning(detector: FaceDetector) -> None:
    empty = ff.frame(())
    _, steps = play([empty] * 12, detector, FaceRules(positioning_timeout=1.0))
    result = steps[-1].result
    assert result is not None and result.outcome is FaceOutcome.TIMED_OUT
    assert result.failed_in is FacePhase.POSITIONING and result.last_hint is MessageId.FACE_LOOK_AT_SCREEN


def test_a_second_person_during_the_blink_starts_the_active_check_over(detector: FaceDetector) -> None:
    pair = ff.frame((ff.Face(), ff.Face(x=0.88, width=0.2, eyes_open=False)))
    closed = ff.frame((ff.Face(eyes_open=False),))
    frames = ff.settle(4) + [closed, closed, pair] + ff.settle(3)
    _, steps = play(frames, detector)
    assert MessageId.FACE_ONE_PERSON in hints(steps)
    assert steps[-1].result is None  # the blink was broken by the second face
