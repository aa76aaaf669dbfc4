"""From the camera to the clerk: a face captured by the kiosk's check goes with the card
photo to a real embedded centre, where it waits for a clerk's eye check."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import cv2
import pytest

from central import face_checks
from central.auth import Clerk, Role
from central.samples import sample_submission
from central.server import EmbeddedCentre, start_embedded
from contract.face_checks import FaceCheckSubmission, FaceVerdict
from kiosk.capture.face_check import FaceCheck, FaceOutcome
from kiosk.delivery.centre_client import CentreClient
from kiosk.errors import CentreRejected
from tests.support import face_frames as ff


@pytest.fixture
def centre(tmp_path: Path) -> Iterator[EmbeddedCentre]:
    running = start_embedded(f"sqlite:///{tmp_path / 'central.db'}", terminal_id="T001", terminal_number=1)
    yield running
    running.stop()


def test_a_captured_face_reaches_the_clerks_queue_with_the_card_photo(centre: EmbeddedCentre) -> None:
    check = FaceCheck()
    for i, frame in enumerate(ff.blink_sequence()):
        step = check.feed(frame, i / 10)
    assert step.result is not None and step.result.outcome is FaceOutcome.CAPTURED
    assert step.result.jpeg is not None
    ok, encoded = cv2.imencode(".jpg", ff.frame(seed=9)[80:420, 160:480])  # stands in for the card's photo
    assert ok
    card_photo = encoded.tobytes()

    client = CentreClient(centre.base_url, centre.token)
    submission = sample_submission(1)
    client.submit(submission)
    ack = client.send_face_check(submission.case_number,
                                 FaceCheckSubmission(capture=step.result.jpeg, card_photo=card_photo))
    assert (ack.case_number, ack.verdict) == (submission.case_number, FaceVerdict.PENDING)

    supervisor = Clerk("zhao", Role.SUPERVISOR)
    [waiting] = face_checks.pending(centre.app.state.engine, supervisor)
    pair = face_checks.open_pair(centre.app.state.engine, waiting, centre.app.state.cipher)
    assert (pair.capture, pair.card_photo) == (step.result.jpeg, card_photo)

    with pytest.raises(CentreRejected):  # no such case at the centre
        client.send_face_check("202611230019999", FaceCheckSubmission(capture=card_photo, card_photo=card_photo))

