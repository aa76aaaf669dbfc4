"""The words and characters the keyboard offers, read from the shipped ``data/lexicon.tsv.gz``.

``kiosk.pinyin.build_lexicon`` writes the file as one line per bucket (the characters of one
syllable; the words whose syllables start with given letters), heaviest first. Loading keeps
each bucket as its line of text and parses a bucket the first time a lookup needs it, so the
keyboard is ready in a fraction of a second and holds only the text in memory.
"""

from __future__ import annotations

import gzip
from pathlib import Path

LEXICON_FILE = Path(__file__).resolve().parent / "data" / "lexicon.tsv.gz"

Entry = tuple[str, int]  # text, weight
Word = tuple[str, tuple[str, ...], int]  # text, syllables, weight


class Lexicon:
    """Characters by syllable and words by the first letters of their syllables."""

    def __init__(self, char_lines: dict[str, str], word_lines: dict[str, str],
                 surnames: dict[str, str] | None = None, given: dict[str, str] | None = None) -> None:
        self._char_lines = char_lines
        self._word_lines = word_lines
        self.surnames = surnames or {}  # syllable → surnames read so, commonest first
        self.given = given or {}  # syllable → given-name characters read so, commonest first
        self._chars: dict[str, list[Entry]] = {}
        self._complete: set[str] = set()  # syllables whose whole list is parsed
        self._words: dict[str, list[Word]] = {}
        self._exact: dict[tuple[str, ...], list[Entry]] = {}

    @property
    def syllables(self) -> frozenset[str]:
        return frozenset(self._char_lines)

    def chars(self, syllable: str, limit: int | None = None) -> list[Entry]:
        """The characters read ``syllable``, commonest first: all of them, or the first ``limit``
        (only those are parsed, so a one-letter prefix does not parse every list it covers)."""
        found = self._chars.get(syllable)
        if found is None or (syllable not in self._complete and (limit is None or len(found) < limit)):
            line = self._char_lines.get(syllable, "")
            parts = line.split(" ") if limit is None else line.split(" ", limit)
            if limit is not None and len(parts) > limit:
                parts = parts[:limit]  # the last part is the unparsed rest
            else:
                self._complete.add(syllable)
            found = [(text, int(weight)) for text, _, weight in (e.rpartition(":") for e in parts if e)]
            self._chars[syllable] = found
        return found if limit is None else found[:limit]

    def words(self, initials: str) -> list[Word]:
        """Every word whose syllables start with these letters in turn (``zw``), commonest first."""
        found = self._words.get(initials)
        if found is None:
            found = []
            for entry in self._word_lines.get(initials, "").split("|"):
                if entry:
                    text, spelled, weight = entry.split(":")
                    found.append((text, tuple(spelled.split("'")), int(weight)))
            self._words[initials] = found
            for word, syllables, count in found:
                self._exact.setdefault(syllables, []).append((word, count))
        return found

    def exact(self, syllables: tuple[str, ...]) -> list[Entry]:
        """The words read exactly ``syllables`` (two or more), commonest first."""
        self.words("".join(s[0] for s in syllables))
        return self._exact.get(syllables, [])

    def readings(self, char: str) -> list[str]:
        """The syllables ``char`` is read as, commonest reading first (reads every bucket)."""
        weighted = [(w, s) for s in sorted(self._char_lines) for c, w in self.chars(s) if c == char]
        return [s for _, s in sorted(weighted, key=lambda ws: -ws[0])]


def load_lexicon(path: Path = LEXICON_FILE) -> Lexicon:
    """Read the lexicon file's buckets (parsed later, on first use)."""
    kinds: dict[str, dict[str, str]] = {"c": {}, "w": {}, "s": {}, "g": {}}
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        for line in lines:
            kind, key, entries = line.rstrip("\n").split("\t")
            kinds[kind][key] = entries
    return Lexicon(kinds["c"], kinds["w"], kinds["s"], kinds["g"])
