"""The steps of a resident's session (``kiosk.session.session``); each names the screen that shows it."""

from __future__ import annotations

import enum


class Step(enum.StrEnum):
    ATTRACT = "attract"
    IDENTIFY = "identify"
    CHOOSE = "choose"
    GUIDE = "guide"
    FACE = "face"  # 人证比对 before the form, when the item asks for it (``kiosk.session.face_step``)
    DOCUMENTS = "documents"  # 拍摄材料 on the document camera (``kiosk.session.document_step``)
    FORM = "form"
    REVIEW = "review"
    APPOINTMENT = "appointment"  # a counter-only item: pick a slot at the counter
    LOOKUP = "lookup"  # 办件查询 from attract: a case's status, nobody identified (``status_lookup``)
    RECEIPT = "receipt"
    RATING = "rating"
    FAREWELL = "farewell"
