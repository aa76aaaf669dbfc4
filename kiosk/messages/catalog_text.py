"""The catalogue's texts (guides, field labels, options, site names) in the resident's language.

The catalogue and the site profiles are written in zh-Hans; their translations are the
``catalog`` gettext domain (``kiosk.messages.locales``), keyed by the zh-Hans text itself.
Only what is shown is translated: answers are stored, and cases submitted, in the
catalogue's own words whatever the language on screen.

A few texts are the catalogue's texts joined by the kiosk (a bundle's merged guide,
``名称：费用；名称：费用``; a group member's label, ``家庭成员2：姓名``; a bundle's
departments, ``甲、乙``): one not found whole is translated part by part. A text found
nowhere (a newer catalogue from the centre, not yet translated) is shown as it is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kiosk.messages.locales import SOURCE_LANGUAGE, Untranslated, translations

# How the kiosk joins catalogue texts, outermost first, and how each language writes the joint.
SEPARATORS = ("；", "：", "、")
JOINTS = {"en": ("; ", ": ", ", ")}
NUMBERED = re.compile(r"(.*[\u3400-\u9fff])(\d+)")  # a repeating group's member: 家庭成员2


@dataclass(frozen=True)
class CatalogText:
    """A message parameter that is catalogue text: ``say`` shows it in the message's language."""

    text: str

    def __str__(self) -> str:
        return self.text


def catalog_text(text: str, language: str) -> str:
    """``text`` (as the catalogue has it, in zh-Hans) in ``language``."""
    if language == SOURCE_LANGUAGE or not text.strip():
        return text
    return _translated(text, language)


def _translated(text: str, language: str) -> str:
    try:
        return translations(language, "catalog").gettext(text)
    except Untranslated:
        pass
    joints = JOINTS.get(language, SEPARATORS)
    for separator, joint in zip(SEPARATORS, joints, strict=True):
        if separator in text:
            return joint.join(_translated(part, language) if part else part for part in text.split(separator))
    numbered = NUMBERED.fullmatch(text)
    if numbered is not None:
        space = " " if language == "en" else ""
        return f"{_translated(numbered[1], language)}{space}{numbered[2]}"
    return text
