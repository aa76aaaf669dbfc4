"""What a prompt is: its words, its language and its kind, and the rules each kind carries.

=============  ==========  ============  =======  ===================================
kind           personal    spoken        cached   read as
=============  ==========  ============  =======  ===================================
instruction    no          always        yes      words; numbers as ``numbers`` says
digits         typed data  always        no       each digit (1 as 幺), letters spelled
name           yes         headset only  no       surname table first, then pypinyin
id_number      yes         headset only  no       each digit (1 as 幺), X spelled
=============  ==========  ============  =======  ===================================

"Personal" prompts (a name, an ID number) are never spoken through the loudspeaker: only when
``[voice] private_headset = true``. Nothing but an instruction is cached on disk or named in a
log line: the digits a resident types (a phone number) are personal data too, so they are
spoken but, like names, kept in memory only.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

LANGUAGES = ("zh-Hans", "zh-Hant", "en")


class Kind(StrEnum):
    """What a prompt holds; it decides whether it may be spoken, cached and logged."""

    INSTRUCTION = "instruction"  # a screen's words: the same for every resident
    DIGITS = "digits"  # digits the resident typed, read back one by one
    NAME = "name"  # a person's name
    ID_NUMBER = "id_number"  # an ID card number

    @property
    def needs_headset(self) -> bool:
        """Spoken only through a private headset (never the loudspeaker)."""
        return self in (Kind.NAME, Kind.ID_NUMBER)

    @property
    def public(self) -> bool:
        """The same for every resident: may be cached on disk and named in a log line."""
        return self is Kind.INSTRUCTION


@dataclass(frozen=True)
class Prompt:
    text: str
    language: str = "zh-Hans"
    kind: Kind = Kind.INSTRUCTION

    def __post_init__(self) -> None:
        if self.language not in LANGUAGES:
            raise ValueError(f"language {self.language!r}: use one of {', '.join(LANGUAGES)}")

    def __repr__(self) -> str:  # never the words of a personal prompt, wherever it is printed
        words = repr(self.text) if self.kind.public else f"<{len(self.text)} characters>"
        return f"Prompt({words}, {self.language}, {self.kind.value})"
