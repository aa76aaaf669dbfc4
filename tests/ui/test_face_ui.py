"""The face check (人证比对) through the real window, by touch: a card holder applies for the
pension certification, reads the notice beside the other ways, consents, is captured from a
folder of drawn frames (``camera:///folder/``) through the real capture thread, submits, and
the centre holds a pending face check for that case. Then a resident who declines lands on
QR login, and a camera whose frames stop mid-capture leaves the resident the other ways."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from central import face_checks
from central.auth import Clerk, Role
from drivers.simulated import SimulatedCardReader
from kiosk.app import build_app, prepare_kivy
from kiosk.cli.embedded_centre import EmbeddedCentreConnector, centre_connector
from kiosk.messages import MessageId, say
from kiosk.session.face_step import Delivery, FaceState
from kiosk.session.outcome import PrintState
from kiosk.session.session import Step
from kiosk.terminal import Terminal
from tests.kiosk.catalog_answers import answer_for
from tests.kiosk.kiosk_support import MakeConfig
from tests.support import face_frames as ff
from tests.support.face_kiosk import FACE_ITEM, card_with_photo, photo_decoder, with_face_camera
from tests.ui.ui_support import exists, find, run_with_script, seek, tap, turn_to, until

pytestmark = [pytest.mark.ui, pytest.mark.timeout(150)]


def test_a_card_holder_consents_declines_and_loses_the_camera_by_touch(kiosk_config: MakeConfig,
                                                                     tmp_path: Path) -> None:
    folder = ff.write_folder(ff.blink_sequence(), tmp_path / "camera")
    config = with_face_camera(kiosk_config(), folder)
    connector = centre_connector(config)
    assert isinstance(connector, EmbeddedCentreConnector)
    terminal = Terminal(config, centre=connector)
    prepare_kivy(config, "portrait")
    terminal.start()
    app = build_app(config, terminal, developer_panel=False)
    session, face = terminal.session, terminal.applying.face
    reader = terminal.devices.id_card
    assert isinstance(reader, SimulatedCardReader)

    def screen() -> str:
        return str(app.root.manager.current)

    def spoken() -> str:
        said = app.root.voice_guide._said  # what the voice guide said last (screen, words, language)
        return said[1] if said else ""

    def to_face_screen():  # type: ignore[no-untyped-def]
        root = app.root
        yield from until(lambda: screen() == "attract")
        tap(find(root, "start"))
        yield from until(lambda: screen() == "identify")
        reader.remove_card()
        reader.place_card(card_with_photo())
        yield from until(lambda: screen() == "choose")
        yield 0.2  # the tiles are laid out
        yield from turn_to(root, f"item-{FACE_ITEM}")
        tap(find(root, f"item-{FACE_ITEM}"))
        yield from until(lambda: screen() == "guide")
        tap(find(root, "start-form"))
        yield from until(lambda: screen() == "face")

    def script():  # type: ignore[no-untyped-def]
        root = app.root
        # 1. The notice and the other ways, shown and said before anything is captured; consent.
        yield from to_face_screen()
        assert "照片只用于本次核对" in find(root, "face-notice").text
        for name in ("face-consent", "face-use-qr", "face-use-staff", "face-other-ways"):
            assert exists(root, name), name
        assert "照片只用于本次核对" in spoken() and "政务服务App扫码登录" in spoken()  # said before asking
        tap(find(root, "face-consent"))
        yield from until(lambda: screen() == "form", timeout=30)
        assert face.progress is not None and face.progress.state is FaceState.CAPTURED
        while session.step is Step.FORM:  # the form itself is the resident flow's test
            assert session.item is not None
            session.answer(answer_for(session.question, session.item.asked_fields))
            yield 0.05
        yield from until(lambda: screen() == "review")
        yield from seek(root, "commitments")
        tap(find(root, "commitments"))
        yield from until(lambda: all(session.commitments))
        tap(find(root, "submit"))
        yield from until(lambda: session.case is not None and face.progress is not None
                         and face.progress.delivery is Delivery.SENT, timeout=30)
        case_number = session.case.case_number
        yield from until(lambda: find(root, "face-check-line").text == say(MessageId.FACE_SENT))
        centre = connector.centre
        assert centre is not None
        [pending] = face_checks.pending(centre.app.state.engine, Clerk("zhao", Role.SUPERVISOR))
        assert pending.case_number == case_number and pending.item_id == FACE_ITEM
        yield from until(lambda: session.case is not None and session.case.print_state is PrintState.PRINTED)
        tap(find(root, "home"))
        yield from until(lambda: screen() == "attract" and face.progress is None)

        # 2. Declined: QR login instead, said on identify; nothing kept.
        yield from to_face_screen()
        tap(find(root, "face-use-qr"))
        yield from until(lambda: screen() == "identify")
        assert session.identity is None and face.progress is None
        assert find(root, "identify-notice-text").text == say(MessageId.FACE_QR_LOGIN)
        tap(find(root, "home"))
        yield from until(lambda: screen() == "attract")

        # 3. The camera's frames stop mid-capture (unplugged): the other ways, and staff help works.
        shutil.rmtree(folder)
        ff.write_folder(ff.settle(5), folder)
        yield from to_face_screen()
        tap(find(root, "face-consent"))
        yield from until(lambda: exists(root, "face-problem") and not exists(root, "face-consent"), timeout=30)
        assert find(root, "face-problem-text").text == say(MessageId.FACE_CAMERA_LOST)
        assert spoken() == say(MessageId.FACE_CAMERA_LOST)
        assert not exists(root, "face-try-again")
        tap(find(root, "face-use-staff"))
        yield from until(lambda: screen() == "identify" and session.assistance.waiting)
        assert "帮办码" in find(root, "identify-notice-text").text

    with photo_decoder():
        try:
            run_with_script(app, script)
        finally:
            terminal.stop()
