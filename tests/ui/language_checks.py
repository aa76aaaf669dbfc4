"""Every visible text translated: the layout audit's check when it draws a language but zh-Hans.

``untranslated(root, language)`` walks the drawn screen as the layout checks do and reports
each visible label whose words are still Chinese: in English any CJK ideograph, in zh-Hant a
simplified character OpenCC would still convert (when OpenCC, a dev dependency, is there).
What is the resident's own is not the kiosk's to translate: the masked name in the greeting,
the answers and card values on the review (its question, drawn in its own colour, is
checked), and the language switch, which names each language in its own words. A tile's icon (one or two
characters drawn as a picture, ``icon`` in the catalogue) is a pictogram, the same in every
language, and is not read as words. Nor is a line a clerk wrote of what is still missing (a
status lookup shows it as written, marked ``[ref=clerk]``); the materials from the clerks' list
are checked.
"""

from __future__ import annotations

import re

from kivy.uix.label import Label
from kivy.uix.widget import Widget

from screens.lookup import CLERK_REF
from tests.support.chinese_script import chinese_in, simplified_in
from tests.ui.layout_checks import Finding, describe, shown

MARKUP = re.compile(r"\[/?[a-z]+(=[^\]]*)?\]")
RESIDENTS = ("greeting",)  # test names of labels that show the resident's own data
ANSWER_ROWS = "row-"  # the review's rows: the question, then the resident's answer or card value
QUESTION = re.compile(r"\[color=[^\]]*\](.*?)\[/color\]", re.DOTALL)  # a row's question, in its colour
SWITCH = "language-"  # the language switch's buttons
CLERKS_WORDS = re.compile(rf"\[ref={CLERK_REF}\].*?\[/ref\]", re.DOTALL)  # a clerk's line (screens.lookup)


def checked_words(widget: Widget) -> str:
    """The words of a visible label that are the kiosk's (the resident's own left out)."""
    name = str(getattr(widget, "test_name", "") or "")
    if not isinstance(widget, Label) or name.startswith(SWITCH) or name in RESIDENTS or _is_icon(widget):
        return ""
    if name.startswith(ANSWER_ROWS):
        # The question only: its own colour, on the first line or before the value on one line.
        question = QUESTION.search(str(widget.text or ""))
        if question is not None:
            return MARKUP.sub("", question.group(1))
        return MARKUP.sub("", str(widget.text or "")).split("\n", 1)[0]
    return MARKUP.sub("", CLERKS_WORDS.sub("", str(widget.text or "")))


def _is_icon(label: Label) -> bool:
    """Whether ``label`` draws the icon of the tile it is in."""
    parent = label.parent
    while parent is not None and parent is not parent.parent:
        if getattr(parent, "icon", None) == label.text:
            return True
        parent = parent.parent
    return False


def still_chinese(text: str, language: str) -> str:
    """The characters of ``text`` that are not yet ``language``'s ("" when it is all translated)."""
    if language == "en":
        return chinese_in(text)
    return simplified_in(text) if language == "zh-Hant" else ""


def untranslated(root: Widget, language: str) -> list[Finding]:
    found = []
    for widget in shown(root):
        left = still_chinese(checked_words(widget), language)
        if left:
            found.append(Finding("untranslated", describe(widget), f"{language}: {left}"))
    return found
