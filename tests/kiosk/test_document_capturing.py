"""The documents step on a running terminal: drawn pages from a folder through the real camera
thread (``camera:///folder/``), the resident's hint, confirm and use, "bring it to the counter",
a lost camera, and the receipt that asks only for what was not photographed."""

from __future__ import annotations

import threading
from pathlib import Path

from drivers.idcard import samples
from drivers.printer.document import Text
from drivers.simulated import SimulatedCardReader
from kiosk.document_capturing import DocumentCapturing
from kiosk.messages import MessageId
from kiosk.session.document_step import PageState
from kiosk.session.session import Step
from kiosk.terminal import Terminal
from tests.kiosk.catalog_answers import answer_for
from tests.kiosk.kiosk_support import MakeConfig
from tests.kiosk.terminal_support import pump_until, running_terminal
from tests.support.document_kiosk import DOCUMENT_ITEM, DOCUMENT_MATERIALS, page_frames, with_document_camera

PAGE_WAIT_S = 30.0


def camera_threads() -> list[str]:
    return [t.name for t in threading.enumerate() if t.name.startswith("document-camera")]


def to_documents(terminal: Terminal) -> DocumentCapturing:
    reader = terminal.devices.id_card
    assert isinstance(reader, SimulatedCardReader)
    terminal.session.begin()
    reader.place_card(samples.RESIDENT)
    pump_until(terminal, lambda: terminal.session.step is Step.CHOOSE)
    terminal.session.choose(DOCUMENT_ITEM)
    terminal.applying.face.start_form()  # the guide's 我要办理: no face check for this item
    return terminal.applying.documents


def take_page(terminal: Terminal, documents: DocumentCapturing) -> None:
    documents.take()
    pump_until(terminal, lambda: documents.progress is not None
               and documents.progress.state is not PageState.TAKING, PAGE_WAIT_S)


def submit(terminal: Terminal) -> list[str]:
    """Answer the form, tick, submit; the receipt's lines."""
    session = terminal.session
    assert session.item is not None
    while session.step is Step.FORM:
        session.answer(answer_for(session.question, session.item.asked_fields))
    session.accept_commitments(True)
    assert terminal.submit(), session.error
    receipt = terminal.applying.receipt
    assert receipt is not None
    return [block.text for block in receipt.blocks if isinstance(block, Text)]


def test_both_papers_are_photographed_with_a_hint_then_the_receipt_does_not_ask_for_them(
        kiosk_config: MakeConfig, tmp_path: Path) -> None:
    frames = page_frames(tmp_path / "pages", ["glare", None, None, None])
    with running_terminal(with_document_camera(kiosk_config(), frames)) as terminal:
        documents = to_documents(terminal)
        progress = documents.progress
        assert terminal.session.step is Step.DOCUMENTS and progress is not None
        assert progress.materials == list(DOCUMENT_MATERIALS) and progress.state is PageState.ASK
        assert not camera_threads()  # nothing runs until the resident asks for a photo
        hints: list[MessageId] = []
        documents.subscribe(lambda d: hints.append(d.progress.hint) if d.progress and d.progress.hint else None)

        take_page(terminal, documents)
        assert progress.state is PageState.CONFIRM and progress.taken[:3] == b"\xff\xd8\xff"
        assert MessageId.CAPTURE_GLARE in hints  # the glaring frame came first: "请避开反光"
        pump_until(terminal, lambda: not camera_threads())  # closed once the page was taken
        documents.use()
        assert progress.material == DOCUMENT_MATERIALS[1] and progress.state is PageState.ASK

        take_page(terminal, documents)
        documents.use()
        assert terminal.session.step is Step.FORM
        assert list(progress.pages) == list(DOCUMENT_MATERIALS)

        terminal.session.back()  # from the first question to the guide, and on again: not asked twice
        assert terminal.session.step is Step.GUIDE
        terminal.applying.face.start_form()
        assert terminal.session.step is Step.FORM

        lines = submit(terminal)
        case = terminal.session.case
        assert case is not None and case.photographed == DOCUMENT_MATERIALS
        assert f"已拍照提交：{'、'.join(DOCUMENT_MATERIALS)}" in lines
        assert not [line for line in lines if line.startswith("· ") and line[2:].startswith(DOCUMENT_MATERIALS)]

        terminal.session.wipe()  # the session ends: every page held in memory goes
        assert documents.progress is None


def test_papers_brought_to_the_counter_instead_are_on_the_receipt(kiosk_config: MakeConfig, tmp_path: Path) -> None:
    frames = page_frames(tmp_path / "pages", [None, None])
    with running_terminal(with_document_camera(kiosk_config(), frames)) as terminal:
        documents = to_documents(terminal)
        documents.take()
        documents.to_counter()  # while the camera runs: it closes, the next material is asked
        progress = documents.progress
        assert progress is not None and progress.material == DOCUMENT_MATERIALS[1]
        assert progress.state is PageState.ASK
        documents.to_counter()
        assert terminal.session.step is Step.FORM and progress.pages == {}
        pump_until(terminal, lambda: not camera_threads())
        lines = submit(terminal)
        assert not any(line.startswith("已拍照提交") for line in lines)
        for name in DOCUMENT_MATERIALS:
            assert any(line.startswith(f"· {name}") for line in lines), name


def test_a_camera_that_is_not_there_offers_the_counter(kiosk_config: MakeConfig, tmp_path: Path) -> None:
    with running_terminal(with_document_camera(kiosk_config(), tmp_path / "unplugged")) as terminal:
        documents = to_documents(terminal)
        take_page(terminal, documents)
        progress = documents.progress
        assert progress is not None and progress.state is PageState.CAMERA_LOST
        documents.to_counter()
        documents.to_counter()
        assert terminal.session.step is Step.FORM


def test_without_a_document_camera_the_form_follows_the_guide(kiosk_config: MakeConfig) -> None:
    with running_terminal(with_document_camera(kiosk_config(), None)) as terminal:
        documents = to_documents(terminal)
        assert terminal.session.step is Step.FORM and documents.progress is None


def test_a_camera_unplugged_mid_capture_leaves_the_counter(kiosk_config: MakeConfig, tmp_path: Path) -> None:
    frames = page_frames(tmp_path / "pages", ["glare", "glare", "glare"])  # then the frames stop: pulled out
    with running_terminal(with_document_camera(kiosk_config(), frames)) as terminal:
        documents = to_documents(terminal)
        hints: list[MessageId] = []
        documents.subscribe(lambda d: hints.append(d.progress.hint) if d.progress and d.progress.hint else None)
        take_page(terminal, documents)
        progress = documents.progress
        assert progress is not None and progress.state is PageState.CAMERA_LOST
        assert hints == [MessageId.CAPTURE_GLARE]  # it was guiding when the frames stopped
        assert not progress.can_take  # no "try again" on a camera that is gone: the counter
        documents.to_counter()
        assert progress.material == DOCUMENT_MATERIALS[1]
