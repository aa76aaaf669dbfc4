"""What to render at start-up: the kiosk's fixed words, so a screen's first prompt is a cache hit.

Every message (``kiosk.messages``) whose words take no parameters is the same for every
resident, so it can be rendered before anyone comes: ``voice.prewarm(fixed_words(language))``
at start-up, in the background. Messages with parameters (a case number, a field's label) are
rendered when said, and cached then if they are instructions.
"""

from __future__ import annotations

import string

from kiosk.messages import DEFAULT_LANGUAGE, WORDING


def fixed_words(language: str = DEFAULT_LANGUAGE) -> list[str]:
    """The words of every message without parameters in ``language`` (simplified Chinese where
    the language has no table yet), each once, in the tables' order."""
    table = {**WORDING[DEFAULT_LANGUAGE], **WORDING.get(language, {})}
    words = (text for text in table.values() if not any(name for _, name, _, _ in string.Formatter().parse(text)))
    return list(dict.fromkeys(words))
