"""Text that is shown and printed as given, but cannot spoof what a clerk or a resident reads.

A name is shown and printed exactly as the resident's card or login code gives it: rare CJK
characters (Extension A, B and on, e.g. 䶮 𠀾), private-use characters some card readers
give for characters Unicode lacks, and the middle dot of minority names (``·``, ``•``,
``・``) all stay. Refused:

- control characters (C0, DEL, C1), and line or paragraph separators;
- bidirectional overrides and isolates (U+202A–U+202E, U+2066–U+2069), which reorder what
  follows them on screen and paper;
- in names, every other invisible format character (zero-width space and joiners, word
  joiner, byte order mark, soft hyphen, direction marks...): two names that look the same
  must be the same name;
- a stack of more than ``MAX_COMBINING_MARKS`` combining marks on one character.

Free text (answers, notes, comments) may hold tabs and line breaks, and the zero-width
joiners emoji and some scripts need; the rest is refused as in names.

``name_problem`` and ``free_text_problem`` return why a text is refused (naming code points,
never the text) or ``None``.
"""

from __future__ import annotations

import unicodedata

MAX_COMBINING_MARKS = 3

BIDI_CONTROLS = frozenset(chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A)))
FREE_TEXT_CONTROLS = frozenset("\t\n\r")
# Format characters free text keeps: zero-width (non-)joiners, for emoji and Indic/Arabic text.
FREE_TEXT_FORMATS = frozenset("\u200c\u200d")


def _problem(value: str, *, allowed_controls: frozenset[str], allowed_formats: frozenset[str]
             ) -> str | None:
    stack = 0
    for char in value:
        category = unicodedata.category(char)
        if category == "Cc" and char not in allowed_controls:
            return f"must not contain control characters (U+{ord(char):04X})"
        if category in ("Zl", "Zp"):
            return f"must not contain line or paragraph separators (U+{ord(char):04X})"
        if char in BIDI_CONTROLS:
            return f"must not contain bidirectional override or isolate characters (U+{ord(char):04X})"
        if category == "Cf" and char not in allowed_formats:
            return f"must not contain invisible formatting characters (U+{ord(char):04X})"
        if category in ("Mn", "Me"):
            stack += 1
            if stack > MAX_COMBINING_MARKS:
                return f"must not stack more than {MAX_COMBINING_MARKS} combining marks on one character"
        else:
            stack = 0
    return None


def name_problem(value: str) -> str | None:
    """Why ``value`` cannot be a person's name as shown and printed, or ``None``."""
    return _problem(value, allowed_controls=frozenset(), allowed_formats=frozenset())


def free_text_problem(value: str) -> str | None:
    """Why ``value`` cannot be free text a clerk reads, or ``None``."""
    return _problem(value, allowed_controls=FREE_TEXT_CONTROLS, allowed_formats=FREE_TEXT_FORMATS)


def displayable_name(value: str) -> str:
    """Return ``value``, or raise ``ValueError`` saying why it cannot be a name (a validator)."""
    problem = name_problem(value)
    if problem is not None:
        raise ValueError(f"a name {problem}")
    return value


def displayable_text(value: str) -> str:
    """Return ``value``, or raise ``ValueError`` saying why it cannot be free text (a validator)."""
    problem = free_text_problem(value)
    if problem is not None:
        raise ValueError(f"text {problem}")
    return value


__all__ = [
    "MAX_COMBINING_MARKS", "displayable_name", "displayable_text", "free_text_problem", "name_problem",
]
