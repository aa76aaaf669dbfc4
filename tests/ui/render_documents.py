"""Draw the documents screen (拍摄材料, 高拍仪) to PNGs: the material asked for, the camera's hint
while it runs, the page taken shown for the resident to check, the next material, and the
camera unplugged (the counter still offered).

``python -m tests.ui.render_documents OUT portrait|landscape``: each in standard then elder mode.
The camera plays drawn frames slowly (paced, two a second): glaring ones first, so the hint
holds long enough to draw, then a good page. The layout audit draws the same (its
``documents`` set).
"""

from __future__ import annotations

import atexit
import shutil
import sys
import tempfile
from pathlib import Path

from kivy.clock import Clock

from drivers.simulated import SimulatedCardReader
from kiosk.config.settings import KioskConfig, load_config
from kiosk.messages import MessageId
from kiosk.session.document_step import PageState
from kiosk.session.session import Step
from kiosk.terminal import Terminal
from tests.support.document_kiosk import DOCUMENT_ITEM, page_frames, with_document_camera
from tests.ui.layout_states import CARD_GONE_S, _when, at
from tests.ui.render_support import RenderStep, place_card, render

_FOLDER: list[Path] = []


def documents_config(config: KioskConfig) -> KioskConfig:
    """``config`` with a document camera playing glare, then a good page, two frames a second."""
    folder = Path(tempfile.mkdtemp(prefix="document-frames-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    page_frames(folder / "pages", ["glare"] * 8 + [None] * 3)
    _FOLDER[:] = [folder / "pages"]
    return with_document_camera(config, folder / "pages", fps=2, pace=True)


def _state(state: PageState, index: int = 0, hint: MessageId | None = None):  # type: ignore[no-untyped-def]
    def ready(terminal: Terminal) -> bool:
        progress = terminal.applying.documents.progress
        return (terminal.session.step is Step.DOCUMENTS and progress is not None and progress.state is state
                and progress.index == index and (hint is None or progress.hint is hint))
    return ready


def _to_documents(terminal: Terminal, _app: object) -> None:
    """A card on the reader, the item whose guide asks for two papers, 我要办理."""
    session = terminal.session
    if session.step is not Step.ATTRACT:
        session.wipe()
    reader = terminal.devices.id_card
    assert isinstance(reader, SimulatedCardReader), "rendering needs the in-process card reader"

    def apply() -> None:
        session.choose(DOCUMENT_ITEM)
        terminal.applying.face.start_form()  # the guide's 我要办理

    reader.remove_card()  # the reader must see it gone before it reads another
    Clock.schedule_once(lambda _dt: place_card(terminal), CARD_GONE_S)
    _when(at(Step.CHOOSE), terminal, apply)


def _unplug_and_take(terminal: Terminal, _app: object) -> None:
    """The camera's cable pulled (its frames gone), then 拍照."""
    shutil.rmtree(_FOLDER[0], ignore_errors=True)
    terminal.applying.documents.take()


STEPS: list[RenderStep] = [
    RenderStep("documents-ask", _to_documents, _state(PageState.ASK)),
    RenderStep("documents-taking", lambda t, a: t.applying.documents.take(),
               _state(PageState.TAKING, hint=MessageId.CAPTURE_GLARE)),
    RenderStep("documents-confirm", lambda t, a: None, _state(PageState.CONFIRM)),
    RenderStep("documents-next", lambda t, a: t.applying.documents.use(), _state(PageState.ASK, index=1)),
    RenderStep("documents-camera-lost", _unplug_and_take, _state(PageState.CAMERA_LOST, index=1)),
]


if __name__ == "__main__":
    sys.exit(render(documents_config(load_config()), sys.argv[2], Path(sys.argv[1]), STEPS, first=None))
