"""一次告知: which of a guide's materials the resident must still bring to the counter.

The kiosk takes what the ID card holds (``Capture.CARD``); an electronic material is fetched by
the department itself. Everything else (papers to hand in, and for now what the document camera
could photograph: the camera is not yet a step of the flow) goes to the counter, and the
receipt says so together with by when and where, so nobody has to come back to ask.
"""

from __future__ import annotations

from kiosk.catalog.model import Capture, Guide, Material, MaterialForm
from kiosk.messages import Message, MessageId, message

FORM_WORDS = {
    MaterialForm.ORIGINAL: MessageId.UI_GUIDE_MATERIAL_ORIGINAL,
    MaterialForm.COPY: MessageId.UI_GUIDE_MATERIAL_COPY,
    MaterialForm.ORIGINAL_AND_COPY: MessageId.UI_GUIDE_MATERIAL_ORIGINAL_AND_COPY,
    MaterialForm.ELECTRONIC: MessageId.UI_GUIDE_MATERIAL_ELECTRONIC,
}


def material_words(material: Material) -> Message:
    """How the material is wanted: 原件 / 复印件×N / 电子 (the guide and the receipt say it alike)."""
    return message(FORM_WORDS[material.form], copies=material.copies)


def still_to_bring(guide: Guide) -> tuple[Material, ...]:
    """The guide's materials the kiosk did not take, in the guide's order (optional ones too:
    the receipt marks them "如有")."""
    return tuple(m for m in guide.materials if m.capture is not Capture.CARD and m.form is not MaterialForm.ELECTRONIC)
