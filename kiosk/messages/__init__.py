"""What the kiosk says to a resident, in one place, keyed by message id.

The kiosk core never hands a screen free text: errors, refusals, notices and print outcomes
carry a ``Message`` (an id and its parameters), and ``say`` turns it into words in the
resident's language. The ids are in ``ids.py``, the zh-Hans words (the source) in
``zh_hans.py``; zh-Hant and English are gettext catalogues (``locales.py``, made with
``python -m kiosk.messages.extract``), read into ``WORDING`` when a language is first used.
Tests check that every id has words in every language, with the same parameters.

Parameters are plain values (a case number), catalogue texts (``CatalogText``: a field's
label, shown in the message's language through ``catalog_text``) or other message ids (a
case state's label), which ``say`` renders in the same language. No personal data ever goes
into a message the core keeps: names and ID numbers are shown by screens, masked (the one
template with a name, ``ui.choose.greeting``, gets the masked name from its screen and is
rendered at once).

Screens keep no words of their own either: every title, button, hint and line they show is a
``ui.<screen>.<what>`` id below, said through ``app.say(id, app.language, **params)`` in
``.kv`` files (naming ``app.language`` makes Kivy re-evaluate when the language changes)
and ``KioskScreen.say`` in their ``.py`` files. Catalogue data (item names, guides, field
and delivery labels) is the site's, in ``config/``, and is shown through ``catalog_text``.
"""

from __future__ import annotations

import functools
import string
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from kiosk.messages.catalog_text import CatalogText, catalog_text
from kiosk.messages.ids import MessageId
from kiosk.messages.locales import LOCALES, SOURCE_LANGUAGE, Untranslated, translations
from kiosk.messages.zh_hans import ZH_HANS

__all__ = [
    "DEFAULT_LANGUAGE", "LANGUAGES", "WORDING", "ZH_HANS", "CatalogText", "Message", "MessageId", "Param",
    "catalog_text", "message", "say", "spoken", "template_fields",
]

DEFAULT_LANGUAGE = SOURCE_LANGUAGE
LANGUAGES = tuple(LOCALES)  # zh-Hans, zh-Hant, en: the order the language switch offers them

Param = str | int | MessageId | CatalogText


@dataclass(frozen=True)
class Message:
    """A message id with its parameters; ``say`` gives its words."""

    id: MessageId
    params: Mapping[str, Param] = field(default_factory=dict)

    def __hash__(self) -> int:
        return hash((self.id, tuple(sorted(self.params.items(), key=lambda item: item[0]))))


def message(message_id: MessageId, **params: Param) -> Message:
    """Build a ``Message``: ``message(MessageId.DIGITS_LENGTH, label=CatalogText("邮编"), low=1, high=8)``."""
    return Message(message_id, dict(params))


@functools.cache
def _translated_words(language: str) -> dict[MessageId, str]:
    """Every message's words in ``language`` that its catalogue has (read once)."""
    catalogue = translations(language, "kiosk")
    table = {}
    for message_id, source in ZH_HANS.items():
        try:
            table[message_id] = catalogue.pgettext(message_id.value, source)
        except Untranslated:
            continue
    return table


class _Wording(Mapping[str, Mapping[MessageId, str]]):
    """The words of every language, by language code; a translation is read on first use."""

    def __getitem__(self, language: str) -> Mapping[MessageId, str]:
        if language == SOURCE_LANGUAGE:
            return ZH_HANS
        if language not in LOCALES:
            raise KeyError(language)
        return _translated_words(language)

    def __iter__(self) -> Iterator[str]:
        return iter(LOCALES)

    def __len__(self) -> int:
        return len(LOCALES)


WORDING: Mapping[str, Mapping[MessageId, str]] = _Wording()


def say(msg: Message | MessageId | None, language: str = DEFAULT_LANGUAGE) -> str:
    """The words of ``msg`` in ``language`` ("" for None)."""
    if msg is None:
        return ""
    if isinstance(msg, MessageId):
        msg = Message(msg)
    table = WORDING.get(language, ZH_HANS)
    template = table.get(msg.id) or ZH_HANS[msg.id]
    return template.format_map({key: _param(value, language) for key, value in msg.params.items()})


SENTENCE_ENDS = "。.！!？?"  # a sentence with its own end is not given a second


def spoken(sentences: Iterable[str], language: str = DEFAULT_LANGUAGE) -> str:
    """Sentences one after another, as the voice says them ("" ones left out)."""
    said = ""
    for sentence in filter(None, sentences):
        said = say(message(MessageId.SPOKEN_THEN, first=said.rstrip(SENTENCE_ENDS), then=sentence), language) \
            if said else sentence
    return said


def _param(value: Param, language: str) -> str:
    if isinstance(value, MessageId):
        return say(value, language)
    if isinstance(value, CatalogText):
        return catalog_text(value.text, language)
    return str(value)


def template_fields(message_id: MessageId, language: str = DEFAULT_LANGUAGE) -> set[str]:
    """The parameter names a message's words use (for tests and translators)."""
    template = WORDING[language][message_id]
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}
