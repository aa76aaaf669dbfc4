"""What the kiosk says to a resident, in one place, keyed by message id.

The kiosk core never hands a screen free text: errors, refusals, notices and print outcomes
carry a ``Message`` (an id and its parameters), and ``say`` turns it into words in the
resident's language. The ids are in ``ids.py``, the words of each language in a table beside
it (``zh_hans.py``); a translation is one more table in ``WORDING``. A test checks that every
id has words in every language and that every template's parameters are given.

Parameters are plain values (a case number, a field's label from the catalogue) or other
message ids (a case state's label), which ``say`` renders in the same language. No personal
data ever goes into a message the core keeps: names and ID numbers are shown by screens,
masked (the one template with a name, ``ui.choose.greeting``, gets the masked name from its
screen and is rendered at once).

Screens keep no words of their own either: every title, button, hint and line they show is a
``ui.<screen>.<what>`` id below, said through ``app.say(id, app.language, **params)`` in
``.kv`` files (naming ``app.language`` makes Kivy re-evaluate when the language changes)
and ``KioskScreen.say`` in their ``.py`` files. Catalogue data (item names, guides, field
and delivery labels) is the site's, in ``config/``, and is shown as it is.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass, field

from kiosk.messages.ids import MessageId
from kiosk.messages.zh_hans import ZH_HANS

__all__ = ["DEFAULT_LANGUAGE", "WORDING", "ZH_HANS", "Message", "MessageId", "message", "say", "template_fields"]

DEFAULT_LANGUAGE = "zh-Hans"

Param = str | int | MessageId


@dataclass(frozen=True)
class Message:
    """A message id with its parameters; ``say`` gives its words."""

    id: MessageId
    params: Mapping[str, Param] = field(default_factory=dict)

    def __hash__(self) -> int:
        return hash((self.id, tuple(sorted(self.params.items()))))


def message(message_id: MessageId, **params: Param) -> Message:
    """Build a ``Message``: ``message(MessageId.DIGITS_LENGTH, label="…", low=1, high=8)``."""
    return Message(message_id, dict(params))


WORDING: dict[str, dict[MessageId, str]] = {DEFAULT_LANGUAGE: ZH_HANS}


def say(msg: Message | MessageId | None, language: str = DEFAULT_LANGUAGE) -> str:
    """The words of ``msg`` in ``language`` ("" for None)."""
    if msg is None:
        return ""
    if isinstance(msg, MessageId):
        msg = Message(msg)
    table = WORDING.get(language, ZH_HANS)
    template = table.get(msg.id) or ZH_HANS[msg.id]
    params = {key: say(value, language) if isinstance(value, MessageId) else str(value)
              for key, value in msg.params.items()}
    return template.format_map(params)


def template_fields(message_id: MessageId, language: str = DEFAULT_LANGUAGE) -> set[str]:
    """The parameter names a message's words use (for tests and translators)."""
    template = WORDING[language][message_id]
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}
