"""Papers on the document camera (高拍仪) through the real window, by touch: a resident applying
for a residence permit is asked for each paper the guide lists, hears what to do, photographs
the first from a folder of drawn frames (``camera:///folder/``) through the real capture thread,
sees the page and uses it, leaves the second for the counter, and the receipt screen's case
takes the page with it while the printed receipt asks only for the second."""

from __future__ import annotations

from pathlib import Path

import pytest

from drivers.idcard import samples
from drivers.printer.document import Text
from drivers.simulated import SimulatedCardReader
from kiosk.app import build_app, prepare_kivy
from kiosk.cli.embedded_centre import centre_connector
from kiosk.messages import CatalogText, MessageId, message, say
from kiosk.session.session import Step
from kiosk.terminal import Terminal
from tests.kiosk.catalog_answers import answer_for
from tests.kiosk.kiosk_support import MakeConfig
from tests.support.document_kiosk import DOCUMENT_ITEM, DOCUMENT_MATERIALS, page_frames, with_document_camera
from tests.ui.ui_support import exists, find, run_with_script, seek, tap, turn_to, until

pytestmark = [pytest.mark.ui, pytest.mark.timeout(150)]


def test_a_resident_photographs_one_paper_and_leaves_the_other_for_the_counter(kiosk_config: MakeConfig,
                                                                                tmp_path: Path) -> None:
    config = with_document_camera(kiosk_config(), page_frames(tmp_path / "camera", ["blur", None, None, None]))
    terminal = Terminal(config, centre=centre_connector(config))
    prepare_kivy(config, "portrait")
    terminal.start()
    app = build_app(config, terminal, developer_panel=False)
    session, documents = terminal.session, terminal.applying.documents
    reader = terminal.devices.id_card
    assert isinstance(reader, SimulatedCardReader)

    def screen() -> str:
        return str(app.root.manager.current)

    def spoken() -> str:
        said = app.root.voice_guide._said  # what the voice guide said last (screen, words, language)
        return said[1] if said else ""

    def script():  # type: ignore[no-untyped-def]
        root = app.root
        yield from until(lambda: screen() == "attract")
        tap(find(root, "start"))
        yield from until(lambda: screen() == "identify")
        reader.place_card(samples.RESIDENT)
        yield from until(lambda: screen() == "choose")
        yield 0.2  # the tiles are laid out
        yield from turn_to(root, f"item-{DOCUMENT_ITEM}")
        tap(find(root, f"item-{DOCUMENT_ITEM}"))
        yield from until(lambda: screen() == "guide")
        tap(find(root, "start-form"))
        yield from until(lambda: screen() == "documents")

        # The first paper: named, said, photographed, shown back, used.
        first = say(message(MessageId.DOCUMENT_ASK, material=CatalogText(DOCUMENT_MATERIALS[0])))
        assert find(root, "documents-material").text == DOCUMENT_MATERIALS[0]
        assert find(root, "documents-words").text == first
        yield from until(lambda: spoken() == first)
        assert not exists(root, "documents-page")
        tap(find(root, "documents-take"))
        yield from until(lambda: exists(root, "documents-page"), timeout=30)
        assert find(root, "documents-words").text == say(MessageId.DOCUMENT_CONFIRM)
        assert exists(root, "documents-retake")
        tap(find(root, "documents-use"))

        # The second: not brought; the form follows.
        yield from until(lambda: find(root, "documents-material").text == DOCUMENT_MATERIALS[1])
        tap(find(root, "documents-to-counter"))
        yield from until(lambda: screen() == "form")

        while session.step is Step.FORM:  # the form itself is the resident flow's test
            assert session.item is not None
            session.answer(answer_for(session.question, session.item.asked_fields))
            yield 0.05
        yield from until(lambda: screen() == "review")
        yield from seek(root, "commitments")
        tap(find(root, "commitments"))
        yield from until(lambda: all(session.commitments))
        tap(find(root, "submit"))
        yield from until(lambda: screen() == "receipt")
        receipt = terminal.applying.receipt
        assert receipt is not None
        lines = [block.text for block in receipt.blocks if isinstance(block, Text)]
        assert f"已拍照提交：{DOCUMENT_MATERIALS[0]}" in lines
        assert any(line.startswith(f"· {DOCUMENT_MATERIALS[1]}") for line in lines)
        assert not any(line.startswith(f"· {DOCUMENT_MATERIALS[0]}") for line in lines)
        bring = find(root, "bring-line").text  # 一次告知 on the screen too, and said
        assert DOCUMENT_MATERIALS[1] in bring and DOCUMENT_MATERIALS[0] not in bring
        yield from until(lambda: bring in spoken())
        yield from until(lambda: exists(root, "home"), timeout=30)  # once the receipt has printed
        tap(find(root, "home"))
        yield from until(lambda: screen() == "attract" and documents.progress is None)

    try:
        run_with_script(app, script)
    finally:
        terminal.stop()
