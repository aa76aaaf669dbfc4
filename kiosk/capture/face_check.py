"""The face check (人证比对, kiosk side): a state machine fed camera frames one at a time.

::

    POSITIONING --(steady_frames good frames in a row: best one kept as the capture)--> LIVENESS
    LIVENESS --(a blink, or a head turn)--> DONE: CAPTURED
    POSITIONING / LIVENESS --(time limit)--> DONE: TIMED_OUT
    any --(decline())--> DONE: DECLINED          any --(camera_lost())--> DONE: CAMERA_LOST

A good frame shows exactly one frontal face, centred, large enough (but not too large), sharp
(variance of the Laplacian), lit (mean luminance, few clipped pixels) and with both eyes
found. Each frame answers a ``FaceStep``: the phase, the hint to show and say (a
``MessageId``, the first rule the frame broke, or what to do next), and the result once done.

The active check guards against a printed photo or a still picture held up: either a blink
(eyes found, then not found for ``blink_closed_frames`` frames on the same face, then found
again) or a head turn (``turn_frames`` frames where the frontal face near the one captured is
gone but a profile is there, or where it has moved sideways by ``turn_shift`` of its width
while narrowing to ``turn_shrink``). A photo held still does neither and times out. The check
does not prove liveness against a replayed video or a photo moved cleverly (see
docs/face-recognition.md): the centre's verifier decides, and the resident can always choose
another way.

Time comes with each frame (``at``, seconds on any monotonic scale), so a recorded sequence
plays the same way however fast it is read. Nothing is kept but the one capture: the frames
themselves are dropped as soon as they are judged.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

import cv2
import numpy as np

from kiosk.capture.face_detect import Box, FaceDetector, FrameFacts
from kiosk.messages.ids import MessageId


class FacePhase(enum.StrEnum):
    POSITIONING = "positioning"
    LIVENESS = "liveness"
    DONE = "done"


class FaceOutcome(enum.StrEnum):
    CAPTURED = "captured"
    TIMED_OUT = "timed_out"
    DECLINED = "declined"
    CAMERA_LOST = "camera_lost"


class Liveness(enum.StrEnum):
    BLINK = "blink"
    TURN = "turn"


@dataclass(frozen=True)
class FaceRules:
    """The thresholds, as fractions of the frame or of the captured face's width."""

    min_width: float = 0.25  # face width / frame width
    max_width: float = 0.75
    max_offset_x: float = 0.15  # face centre's distance from the frame's centre / frame width
    max_offset_y: float = 0.20  # ... / frame height
    min_sharpness: float = 120.0  # Laplacian variance on the face scaled to 128 px
    min_luminance: float = 60.0
    max_luminance: float = 210.0
    max_clipped: float = 0.20  # share of the face's pixels at black or white
    steady_frames: int = 3
    blink_closed_frames: int = 2
    turn_frames: int = 2
    turn_shift: float = 0.08
    turn_shrink: float = 0.93
    positioning_timeout: float = 30.0  # seconds
    liveness_timeout: float = 10.0
    margin: float = 0.35  # of the face's width around the face in the capture
    max_side: int = 480  # pixels: the capture is scaled down to this (minimum data)
    jpeg_quality: int = 90


@dataclass(frozen=True)
class FaceResult:
    outcome: FaceOutcome
    jpeg: bytes | None = field(default=None, repr=False)  # the capture, only when CAPTURED
    liveness: Liveness | None = None
    failed_in: FacePhase | None = None  # where a time-out happened
    last_hint: MessageId | None = None


@dataclass(frozen=True)
class FaceStep:
    phase: FacePhase
    hint: MessageId | None
    result: FaceResult | None = None


class FaceCheck:
    """Feed frames with ``feed(frame, at)`` until a step carries a result."""

    def __init__(self, rules: FaceRules | None = None, detector: FaceDetector | None = None) -> None:
        self.rules = rules or FaceRules()
        self._detector = detector or FaceDetector()
        self.phase = FacePhase.POSITIONING
        self.result: FaceResult | None = None
        self._hint: MessageId | None = MessageId.FACE_LOOK_AT_SCREEN
        self._started: float | None = None
        self._liveness_started = 0.0
        self._steady = 0
        self._best: tuple[float, np.ndarray, Box] | None = None  # sharpness, frame, face
        self._capture: bytes | None = None
        self._baseline: Box | None = None
        self._eyes_seen_open = False
        self._closed_run = 0
        self._turned = 0

    # --- the resident or the camera ends it ------------------------------------------------

    def decline(self) -> FaceResult:
        """The resident chose another way: nothing is kept."""
        return self._finish(FaceOutcome.DECLINED)

    def camera_lost(self) -> FaceResult:
        """The frames stopped before the check was done: nothing is kept."""
        return self._finish(FaceOutcome.CAMERA_LOST)

    # --- frames --------------------------------------------------------------------------

    def feed(self, frame: np.ndarray, at: float) -> FaceStep:
        """Judge one BGR frame taken at ``at`` seconds."""
        if self.result is not None:
            return FaceStep(FacePhase.DONE, None, self.result)
        if self._started is None:
            self._started = at
        if self.phase is FacePhase.POSITIONING:
            if at - self._started > self.rules.positioning_timeout:
                return self._step(self._finish(FaceOutcome.TIMED_OUT))
            self._position(self._detector.look(frame), at)
        else:
            if at - self._liveness_started > self.rules.liveness_timeout:
                return self._step(self._finish(FaceOutcome.TIMED_OUT))
            self._check_liveness(frame, at)
        return self._step(self.result)

    def _step(self, result: FaceResult | None) -> FaceStep:
        return FaceStep(self.phase, None if result else self._hint, result)

    def _finish(self, outcome: FaceOutcome, liveness: Liveness | None = None) -> FaceResult:
        if self.result is None:
            failed = self.phase if outcome is FaceOutcome.TIMED_OUT else None
            jpeg = self._capture if outcome is FaceOutcome.CAPTURED else None
            self.result = FaceResult(outcome, jpeg, liveness, failed, self._hint)
            self.phase = FacePhase.DONE
            self._best = None  # drop every frame we held
            self._capture = None
        return self.result

    # --- positioning ---------------------------------------------------------------------

    def _position(self, facts: FrameFacts, at: float) -> None:
        hint = self._quality_hint(facts)
        face = facts.face
        if hint is not None or face is None or facts.frame is None:
            self._hint = hint
            self._steady, self._best = 0, None
            return
        self._steady += 1
        if self._best is None or facts.sharpness > self._best[0]:
            self._best = (facts.sharpness, facts.frame, face)
        self._hint = MessageId.FACE_HOLD_STILL
        if self._steady >= self.rules.steady_frames:
            _, best_frame, best_face = self._best
            self._capture = self._crop(best_frame, best_face)
            self._baseline, self._best = best_face, None
            self.phase, self._liveness_started = FacePhase.LIVENESS, at
            self._hint = MessageId.FACE_BLINK

    def _quality_hint(self, facts: FrameFacts) -> MessageId | None:
        """The first rule the frame breaks, as what to tell the resident; None when good."""
        r, face = self.rules, facts.face
        if face is None:
            return MessageId.FACE_LOOK_AT_SCREEN
        if len(facts.faces) > 1:
            return MessageId.FACE_ONE_PERSON
        if facts.luminance < r.min_luminance:
            return MessageId.FACE_TOO_DARK
        if facts.luminance > r.max_luminance or facts.clipped > r.max_clipped:
            return MessageId.FACE_TOO_BRIGHT
        if face.w < r.min_width * facts.width:
            return MessageId.FACE_COME_CLOSER
        if face.w > r.max_width * facts.width:
            return MessageId.FACE_MOVE_BACK
        if (abs(face.cx - facts.width / 2) > r.max_offset_x * facts.width
                or abs(face.cy - facts.height / 2) > r.max_offset_y * facts.height):
            return MessageId.FACE_MOVE_TO_CENTRE
        if facts.sharpness < r.min_sharpness:
            return MessageId.FACE_HOLD_STILL
        if facts.eyes < 2:
            return MessageId.FACE_OPEN_EYES
        return None

    def _crop(self, frame: np.ndarray, face: Box) -> bytes:
        """The face with a margin, scaled to at most ``max_side``, as JPEG."""
        pad = int(face.w * self.rules.margin)
        h, w = frame.shape[:2]
        x0, y0 = max(0, face.x - pad), max(0, face.y - pad)
        x1, y1 = min(w, face.x + face.w + pad), min(h, face.y + face.h + pad)
        crop = frame[y0:y1, x0:x1]
        k = min(1.0, self.rules.max_side / max(crop.shape[:2]))
        if k < 1.0:
            crop = cv2.resize(crop, None, fx=k, fy=k, interpolation=cv2.INTER_AREA)
        ok, encoded = cv2.imencode(".jpg", crop, [cv2.IMWRITE_JPEG_QUALITY, self.rules.jpeg_quality])
        if not ok:
            raise ValueError("the capture could not be encoded as JPEG")
        return bytes(encoded.tobytes())

    # --- liveness ------------------------------------------------------------------------

    def _check_liveness(self, frame: np.ndarray, at: float) -> None:
        r, base = self.rules, self._baseline
        assert base is not None
        halfway = at - self._liveness_started > r.liveness_timeout / 2
        self._hint = MessageId.FACE_TURN_HEAD if halfway else MessageId.FACE_BLINK
        facts = self._detector.look(frame)
        if len(facts.faces) > 1:  # someone else in view: start the active check over
            self._hint = MessageId.FACE_ONE_PERSON
            self._eyes_seen_open, self._closed_run, self._turned = False, 0, 0
            return
        near = [f for f in facts.faces if _near(f, base)]
        if not near:
            self._closed_run = 0
            profiles = self._detector.profiles(frame)
            if any(_near(p, base) for p in profiles):
                self._turned += 1
        else:
            face = near[0]
            if facts.eyes >= 2:
                if self._eyes_seen_open and self._closed_run >= r.blink_closed_frames:
                    self._finish(FaceOutcome.CAPTURED, Liveness.BLINK)
                    return
                self._eyes_seen_open, self._closed_run = True, 0
            elif facts.eyes == 0 and self._eyes_seen_open:
                self._closed_run += 1
            if abs(face.cx - base.cx) >= r.turn_shift * base.w and face.w <= r.turn_shrink * base.w:
                self._turned += 1
        if self._turned >= r.turn_frames:
            self._finish(FaceOutcome.CAPTURED, Liveness.TURN)


def _near(box: Box, base: Box) -> bool:
    """Whether ``box`` is the face at ``base`` (same place, comparable size)."""
    return (abs(box.cx - base.cx) <= 0.5 * base.w and abs(box.cy - base.cy) <= 0.5 * base.h
            and box.w >= 0.5 * base.w)
