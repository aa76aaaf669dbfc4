"""Draw the face check's screen (人脸核验) to PNGs: the notice with consent beside the other ways,
the camera's hint while it runs, a check that timed out (try again, or another way), and a
child's card (staff help only).

``python -m tests.ui.render_face OUT portrait|landscape``: each in standard then elder mode.
The camera plays a still photo (a frame every half second, paced), so the hint holds long
enough to draw and the check then times out. The layout audit draws the same (its ``face`` set).
"""

from __future__ import annotations

import atexit
import shutil
import sys
import tempfile
from pathlib import Path

from kivy.clock import Clock

from drivers.idcard.photo import register_wlt_decoder
from drivers.simulated import SimulatedCardReader
from kiosk.config.settings import KioskConfig, load_config
from kiosk.messages import MessageId
from kiosk.session.face_step import FaceState
from kiosk.session.session import Step
from kiosk.terminal import Terminal
from tests.support import face_frames as ff
from tests.support.face_kiosk import FACE_ITEM, DrawnPhotoDecoder, card_with_photo, child_card, with_face_camera
from tests.ui.layout_states import CARD_GONE_S, _when, at
from tests.ui.render_support import RenderStep, render


def face_config(config: KioskConfig) -> KioskConfig:
    """``config`` with a face camera playing a held-up photo slowly, and the stand-in WLT decoder
    registered in this process (a render runs one app per process)."""
    folder = Path(tempfile.mkdtemp(prefix="face-frames-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    ff.write_folder(ff.photo_sequence(40), folder)
    register_wlt_decoder(DrawnPhotoDecoder())
    return with_face_camera(config, folder, fps=2, pace=True)


def _state(state: FaceState, hint: MessageId | None = None):  # type: ignore[no-untyped-def]
    def ready(terminal: Terminal) -> bool:
        progress = terminal.applying.face.progress
        return (terminal.session.step is Step.FACE and progress is not None and progress.state is state
                and (hint is None or progress.hint in (hint, MessageId.FACE_TURN_HEAD)))
    return ready


def _to_face(terminal: Terminal, child: bool = False) -> None:
    """A card with its photo on the reader, the item that asks for a face check, 我要办理."""
    session = terminal.session
    if session.step is not Step.ATTRACT:
        session.wipe()
    session.begin()
    reader = terminal.devices.id_card
    assert isinstance(reader, SimulatedCardReader), "rendering needs the in-process card reader"
    card = child_card() if child else card_with_photo()

    def apply() -> None:
        session.choose(FACE_ITEM)
        terminal.applying.face.start_form()

    reader.remove_card()  # the reader must see it gone before it reads another
    Clock.schedule_once(lambda _dt: reader.place_card(card), CARD_GONE_S)
    _when(at(Step.CHOOSE), terminal, apply)  # the card reader answers in its own time


STEPS: list[RenderStep] = [
    RenderStep("face-notice", lambda t, a: _to_face(t), _state(FaceState.NOTICE)),
    RenderStep("face-guiding", lambda t, a: t.applying.face.consent(), _state(FaceState.GUIDING, MessageId.FACE_BLINK)),
    # (a blink asked for, or after half the time a head turn: the photo does neither and times out)
    RenderStep("face-timed-out", lambda t, a: None, _state(FaceState.TIMED_OUT)),
    RenderStep("face-child", lambda t, a: _to_face(t, child=True), _state(FaceState.CHILD)),
]


if __name__ == "__main__":
    sys.exit(render(face_config(load_config()), sys.argv[2], Path(sys.argv[1]), STEPS, first=None))
