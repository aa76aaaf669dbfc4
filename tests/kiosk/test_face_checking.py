"""The face step on a running terminal: drawn frames from a folder through the real capture thread
(``camera:///folder/``), the capture sent with the card's photo once the case is at the centre,
and every way out (declined, timed out, camera lost, no camera, the centre out of reach) ending
on another way, with no picture kept."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from central import face_checks
from central.auth import Clerk, Role
from contract.face_checks import FaceVerdict
from drivers.idcard.record import IdCardRecord
from drivers.simulated import SimulatedCardReader
from kiosk import face_checking
from kiosk.cli.embedded_centre import EmbeddedCentreConnector
from kiosk.config.settings import KioskConfig
from kiosk.messages import MessageId
from kiosk.session.face_step import Delivery, FaceState, OtherWay
from kiosk.session.session import Step
from kiosk.terminal import Terminal
from tests.kiosk.catalog_answers import answer_for
from tests.kiosk.kiosk_support import UNREACHABLE_CENTRE, MakeConfig
from tests.kiosk.terminal_support import pump_until, running_terminal
from tests.support import face_frames as ff
from tests.support.face_kiosk import (
    FACE_ITEM,
    PLAIN_ITEM,
    DrawnPhotoDecoder,
    card_with_photo,
    child_card,
    photo_decoder,
    with_face_camera,
)

CAPTURE_WAIT_S = 30.0


@pytest.fixture
def decoder() -> Iterator[DrawnPhotoDecoder]:
    with photo_decoder() as registered:
        yield registered


def camera_threads() -> list[str]:
    return [t.name for t in threading.enumerate() if t.name.startswith("face-camera")]


def to_face_step(terminal: Terminal, item: str = FACE_ITEM, card: IdCardRecord | None = None) -> None:
    reader = terminal.devices.id_card
    assert isinstance(reader, SimulatedCardReader)
    terminal.session.begin()
    reader.place_card(card or card_with_photo())
    pump_until(terminal, lambda: terminal.session.step is Step.CHOOSE)
    terminal.session.choose(item)
    terminal.applying.face.start_form()


def finish_form_and_submit(terminal: Terminal) -> str:
    session = terminal.session
    assert session.item is not None
    while session.step is Step.FORM:
        session.answer(answer_for(session.question, session.item.asked_fields))
    session.accept_commitments(True)
    assert terminal.submit(), session.error
    assert session.case is not None
    return session.case.case_number


def test_a_consenting_card_holder_is_captured_and_the_clerk_gets_the_pair(
        kiosk_config: MakeConfig, tmp_path: Path, decoder: DrawnPhotoDecoder) -> None:
    config = with_face_camera(kiosk_config(), ff.write_folder(ff.blink_sequence(), tmp_path / "blink"))
    with running_terminal(config) as terminal:
        face = terminal.applying.face
        to_face_step(terminal)
        assert terminal.session.step is Step.FACE and face.progress is not None
        assert face.progress.state is FaceState.NOTICE
        assert not camera_threads()  # nothing is captured while the notice is shown
        face.consent()
        pump_until(terminal, lambda: terminal.session.step is Step.FORM, CAPTURE_WAIT_S)
        assert face.progress.state is FaceState.CAPTURED and face.progress.capture is not None
        assert not camera_threads()  # closed once the check was over

        terminal.session.back()  # to the guide and on again: the capture stands, no second check
        assert terminal.session.step is Step.GUIDE
        face.start_form()
        assert terminal.session.step is Step.FORM

        case_number = finish_form_and_submit(terminal)
        assert face.progress.capture is None and face.progress.card_photo is None  # handed to the sender
        pump_until(terminal, lambda: face.progress is not None and face.progress.delivery is Delivery.SENT,
                   CAPTURE_WAIT_S)
        connector = terminal.centre
        assert isinstance(connector, EmbeddedCentreConnector) and connector.centre is not None
        state = connector.centre.app.state
        [waiting] = face_checks.pending(state.engine, Clerk("zhao", Role.SUPERVISOR))
        assert waiting.case_number == case_number and waiting.item_id == FACE_ITEM
        pair = face_checks.open_pair(state.engine, waiting, state.cipher)
        assert pair.capture[:3] == b"\xff\xd8\xff" and pair.card_photo == decoder.decode(card_with_photo().photo_wlt)

        terminal.session.wipe()  # the session ends (home waits while the receipt prints)
        assert face.progress is None


def test_declining_leads_to_qr_login_and_keeps_nothing(kiosk_config: MakeConfig, tmp_path: Path,
                                                       decoder: DrawnPhotoDecoder) -> None:
    config = with_face_camera(kiosk_config(), ff.write_folder(ff.photo_sequence(60), tmp_path / "photo"))
    with running_terminal(config) as terminal:
        face = terminal.applying.face
        to_face_step(terminal)
        face.consent()
        pump_until(terminal, lambda: camera_threads() or face.progress is None
                   or face.progress.state is not FaceState.GUIDING)
        face.other_way(OtherWay.QR_LOGIN)  # while the camera runs
        session = terminal.session
        assert session.step is Step.IDENTIFY and session.identity is None and session.item is None
        assert session.notice_message is not None and session.notice_message.id is MessageId.FACE_QR_LOGIN
        assert face.progress is None and not camera_threads()


def test_a_camera_unplugged_mid_capture_offers_the_other_ways(kiosk_config: MakeConfig, tmp_path: Path,
                                                              decoder: DrawnPhotoDecoder) -> None:
    folder = ff.write_folder(ff.settle(5), tmp_path / "short")  # the frames stop before the check is done
    with running_terminal(with_face_camera(kiosk_config(), folder)) as terminal:
        face = terminal.applying.face
        to_face_step(terminal)
        face.consent()
        pump_until(terminal, lambda: face.progress is not None and face.progress.state is FaceState.CAMERA_LOST,
                   CAPTURE_WAIT_S)
        assert not face.progress.can_start and face.progress.capture is None
        assert face.progress.ways == (OtherWay.QR_LOGIN, OtherWay.ASSISTED)
        face.other_way(OtherWay.ASSISTED)
        assert terminal.session.step is Step.IDENTIFY and terminal.session.assistance.waiting


def test_a_timed_out_check_may_be_tried_again_and_the_session_end_closes_the_camera(
        kiosk_config: MakeConfig, tmp_path: Path, decoder: DrawnPhotoDecoder) -> None:
    folder = ff.write_folder(ff.photo_sequence(20), tmp_path / "photo")  # a photo held still, a frame a second
    with running_terminal(with_face_camera(kiosk_config(), folder, fps=1)) as terminal:
        face = terminal.applying.face
        to_face_step(terminal)
        face.consent()
        pump_until(terminal, lambda: face.progress is not None and face.progress.state is FaceState.TIMED_OUT,
                   CAPTURE_WAIT_S)
        assert face.progress.can_start
        face.consent()  # 再试一次
        assert face.progress.state is FaceState.GUIDING and face.progress.attempts == 2
        terminal.session.home()
        assert face.progress is None and not camera_threads()


def test_no_camera_here_or_a_child_card_ends_on_the_other_ways_without_a_camera(
        kiosk_config: MakeConfig, decoder: DrawnPhotoDecoder) -> None:
    with running_terminal(with_face_camera(kiosk_config(), None)) as terminal:
        face = terminal.applying.face
        to_face_step(terminal)
        assert face.progress is not None and face.progress.state is FaceState.UNAVAILABLE
        face.consent()  # nothing to start
        assert face.progress.state is FaceState.UNAVAILABLE and not camera_threads()
        assert decoder.decoded == 0  # the card's photo is decoded only where it can be used
        terminal.session.home()
        to_face_step(terminal, card=child_card())
        assert face.progress is not None and face.progress.state is FaceState.CHILD
        terminal.session.home()
        to_face_step(terminal, item=PLAIN_ITEM)  # an item that does not ask: straight to the form
        assert terminal.session.step is Step.FORM and face.progress is None


def test_a_capture_that_cannot_reach_the_centre_is_dropped_and_the_receipt_says_so(
        kiosk_config: MakeConfig, tmp_path: Path, decoder: DrawnPhotoDecoder,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(face_checking, "SEND_WAIT_S", 1.0)
    folder = ff.write_folder(ff.blink_sequence(), tmp_path / "blink")
    config: KioskConfig = with_face_camera(kiosk_config(centre_url=UNREACHABLE_CENTRE), folder)
    with running_terminal(config) as terminal:
        face = terminal.applying.face
        to_face_step(terminal)
        face.consent()
        pump_until(terminal, lambda: terminal.session.step is Step.FORM, CAPTURE_WAIT_S)
        finish_form_and_submit(terminal)
        pump_until(terminal, lambda: face.progress is not None and face.progress.delivery is Delivery.NOT_SENT)
        assert face.progress.receipt_line is not None
        assert face.progress.receipt_line.id is MessageId.FACE_NOT_SENT
        assert face.progress.capture is None and face.progress.card_photo is None
        assert FaceVerdict.PENDING  # (the centre never heard of it: nothing to look up)
