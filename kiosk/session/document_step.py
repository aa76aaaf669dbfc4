"""The document step (拍摄材料) as the resident sees it: which papers to lay under the document
camera (高拍仪), and where each stands.

No threads, no camera, no OpenCV here: ``kiosk.document_capturing`` runs the camera and feeds this.

When: the application (an item, or a bundle's items) lists materials the kiosk can photograph
(``capture = "camera"`` in the guide), and the site has a document camera. Each such
material, once, in the guide's order (a bundle asks a shared material once; its page goes
with the first case whose item lists it). Each page::

    ASK --take--> TAKING --steady page--> CONFIRM --use--> (the next material)
                    |--timed out--> TIMED_OUT --take--> TAKING          '--retake--> TAKING
                    '--camera lost--> CAMERA_LOST
    any --at the counter--> (the next material; the receipt lists it to bring)

Never a dead end: every state offers "bring it to the counter". The pages are held here, in
memory only, until they go into the outbox with the case (encrypted there) or the session
ends (``wipe``).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from contract.captured_pages import PAGES_MAX
from kiosk.catalog.application import Application
from kiosk.catalog.model import Capture
from kiosk.messages import CatalogText, Message, MessageId, message


class PageState(enum.StrEnum):
    ASK = "ask"  # the material named: take a photo, or bring it to the counter
    TAKING = "taking"  # the camera runs; ``hint`` says what to do
    CONFIRM = "confirm"  # the page shown: use it, or take it again
    TIMED_OUT = "timed_out"
    CAMERA_LOST = "camera_lost"


def camera_materials(application: Application) -> dict[str, str]:
    """The materials the kiosk can photograph, each once in the guides' order, with the item
    whose case carries its page (at most ``PAGES_MAX`` a case: any more go to the counter)."""
    owners: dict[str, str] = {}
    for item in application.items:
        for material in item.guide.materials:
            carried = sum(owner == item.id for owner in owners.values())
            if material.capture is Capture.CAMERA and material.name not in owners and carried < PAGES_MAX:
                owners[material.name] = item.id
    return owners


@dataclass
class DocumentProgress:
    """Where the resident is among the materials to photograph."""

    application_id: str
    owners: dict[str, str]  # material name -> the item whose case carries its page
    index: int = 0
    state: PageState = PageState.ASK
    hint: MessageId | None = None
    taken: bytes = field(default=b"", repr=False)  # the page waiting for "use it"
    pages: dict[str, bytes] = field(default_factory=dict, repr=False)  # material -> JPEG, used
    at_counter: list[str] = field(default_factory=list)

    @property
    def materials(self) -> list[str]:
        return list(self.owners)

    @property
    def done(self) -> bool:
        return self.index >= len(self.owners)

    @property
    def material(self) -> str:
        """The material asked for now."""
        return self.materials[self.index]

    @property
    def words(self) -> Message:
        """What the screen says (and speaks) now."""
        if self.state is PageState.TAKING:
            return message(self.hint or MessageId.DOCUMENT_TAKING)
        fixed = {PageState.CONFIRM: MessageId.DOCUMENT_CONFIRM, PageState.TIMED_OUT: MessageId.DOCUMENT_TIMED_OUT,
                 PageState.CAMERA_LOST: MessageId.DOCUMENT_CAMERA_LOST}.get(self.state)
        if fixed is not None:
            return message(fixed)
        return message(MessageId.DOCUMENT_ASK, material=CatalogText(self.material if not self.done else ""))

    @property
    def can_take(self) -> bool:
        return not self.done and self.state in (PageState.ASK, PageState.TIMED_OUT, PageState.CONFIRM)

    def started(self) -> None:
        self.state, self.hint, self.taken = PageState.TAKING, None, b""

    def hinted(self, hint: MessageId) -> bool:
        """A new hint while taking; whether it changed what the resident sees."""
        if self.state is not PageState.TAKING or hint == self.hint:
            return False
        self.hint = hint
        return True

    def captured(self, jpeg: bytes) -> None:
        self.state, self.hint, self.taken = PageState.CONFIRM, None, jpeg

    def failed(self, camera_lost: bool) -> None:
        self.state, self.hint = (PageState.CAMERA_LOST if camera_lost else PageState.TIMED_OUT), None

    def use(self) -> None:
        """The page shown is the one: keep it and go on."""
        if self.state is PageState.CONFIRM and self.taken:
            self.pages[self.material] = self.taken
            self._next()

    def to_counter(self) -> None:
        """This one goes to the counter instead (the receipt lists it); whoever runs the camera
        closes it first."""
        if not self.done:
            self.at_counter.append(self.material)
            self._next()

    def back(self) -> bool:
        """One material back (its page forgotten); False at the first."""
        if self.index == 0:
            return False
        self.index -= 1
        self.pages.pop(self.material, None)
        if self.material in self.at_counter:
            self.at_counter.remove(self.material)
        self.state, self.hint, self.taken = PageState.ASK, None, b""
        return True

    def pages_of(self, item_id: str) -> list[tuple[str, bytes]]:
        """The pages whose case is ``item_id``'s, in the guide's order: (material, JPEG)."""
        return [(name, self.pages[name]) for name, owner in self.owners.items()
                if owner == item_id and name in self.pages]

    def wipe(self) -> None:
        self.taken = b""
        self.pages.clear()

    def _next(self) -> None:
        self.index += 1
        self.state, self.hint, self.taken = PageState.ASK, None, b""
