"""Papers on the document camera (拍摄材料, 高拍仪): one material at a time, the page shown back.

The material asked for, with its place among them ("第 1 份，共 2 份"), and what to do, said
and shown; while the camera runs, its hint large ("请避开反光"); the page it took, shown for
the resident to check, with 使用这张 and 重拍. Every state offers "没带，到窗口交": a paper left
for the counter is on the receipt. The logic is ``kiosk.document_capturing``
(``terminal.applying.documents``) and ``kiosk.session.document_step``.
"""

from __future__ import annotations

from io import BytesIO

from kivy.core.image import Image as CoreImage
from kivy.properties import BooleanProperty, ObjectProperty, StringProperty

from kiosk.document_capturing import DocumentCapturing
from kiosk.messages import MessageId, catalog_text
from kiosk.session.document_step import PageState
from kiosk.session.session import Step
from screens.base import KioskScreen


class DocumentsScreen(KioskScreen):
    state = StringProperty("")  # a PageState value
    material = StringProperty("")  # its name, in the resident's language
    place = StringProperty("")  # 第 1 份，共 2 份
    words = StringProperty("")  # what to do, the camera's hint, or what happened
    taking = BooleanProperty(False)
    problem = BooleanProperty(False)  # timed out, or the camera lost
    can_take = BooleanProperty(False)
    page = ObjectProperty(None, allownone=True)  # the taken page's texture, shown to confirm
    _shown: bytes = b""  # the JPEG ``page`` was decoded from

    @property
    def documents(self) -> DocumentCapturing:
        return self.terminal.applying.documents

    def instruction(self) -> str:
        return self.words

    def refresh(self) -> None:
        progress = self.documents.progress
        if progress is None or progress.done or self.session.step is not Step.DOCUMENTS:
            return
        state = progress.state
        self.state = state.value
        self.material = catalog_text(progress.material, self.session.language)
        self.place = self.say(MessageId.UI_DOCUMENTS_PROGRESS, index=progress.index + 1,
                              count=len(progress.materials))
        self.words = self.session.say(progress.words)
        self.taking = state is PageState.TAKING
        self.problem = state in (PageState.TIMED_OUT, PageState.CAMERA_LOST)
        self.can_take = progress.can_take and state is not PageState.CAMERA_LOST
        taken = progress.taken if state is PageState.CONFIRM else b""
        if taken is not self._shown:  # decode once a page, not on every countdown tick
            self._shown, self.page = taken, _texture(taken)

    def take(self) -> None:
        self.documents.take()

    def use(self) -> None:
        self.documents.use()

    def to_counter(self) -> None:
        self.documents.to_counter()

    def clear(self) -> None:
        self.state = self.material = self.place = self.words = ""
        self.taking = self.problem = self.can_take = False
        self.page, self._shown = None, b""


def _texture(jpeg: bytes):  # type: ignore[no-untyped-def]
    """The page's picture for an Image widget (decoded in memory: never a file)."""
    if not jpeg:
        return None
    return CoreImage(BytesIO(jpeg), ext="jpg").texture
