"""Finding an item or a bundle (一件事) by what a resident types: words, pinyin, initials.

``CatalogSearch(catalog)`` indexes once what each offer is called and known as: its names in
the three languages, its keywords (which carry the synonyms, "开店"), and its department.
Every Chinese text becomes a string of units, each ``\\x01`` + a character + its toneless
pinyin (``\\x01社she\\x01保bao…``, digits and letters stand for themselves), all texts of a
kind joined into one string. A query becomes one regular expression over those units, so a
single scan finds Chinese words (``社保``), full pinyin (``shebao``), initials (``sbzm``) and any
mix (``社保zm``, ``shebaozm``); English names are matched as lower-case text.

Matches rank by quality (a name before a keyword, a whole name before its start before its
middle, the words themselves before their pinyin), then by use at this site, then in the
site's order (``ranked`` gives that order for an empty query). No Kivy; pure Python.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from kiosk.catalog.model import Bundle, Catalog, Item

MAX_QUERY = 40  # characters looked at; a longer query is cut (no name is that long)
UNIT = "\x01"
END = "\x00"  # between texts, so no match runs from one text into the next
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff]+")
SYLLABLE = re.compile(r"[^a-z]")

# How good a match is: what matched (name, keyword, department) and how.
FIELD_WEIGHT = {"name": 30.0, "keyword": 20.0, "department": 10.0}
EXACT, PREFIX, INSIDE = 6.0, 4.0, 2.0  # the whole text, its start, anywhere in it
AS_WRITTEN = 1.0  # the characters themselves rather than their pinyin

Kind = Literal["item", "bundle"]
Offer = Item | Bundle


@dataclass(frozen=True)
class Match:
    """One offer found: its id, zh-Hans name, kind, how well it matched and on which text."""

    id: str
    name: str
    kind: Kind
    score: float
    matched: str  # the name, keyword or department the query was found in


@dataclass(frozen=True)
class _Text:
    offer: int  # index into the offers
    field: str  # "name", "keyword" or "department"
    text: str  # as written, for ``Match.matched``
    start: int  # where its units begin in the joined string
    end: int


class _Joined:
    """Many texts as one string, with where each begins, to scan them all in one go."""

    def __init__(self) -> None:
        self.parts: list[str] = [END]
        self.texts: list[_Text] = []
        self.starts: list[int] = []
        self.length = 1
        self.string = ""

    def add(self, offer: int, field: str, text: str, encoded: str) -> None:
        if not encoded:
            return
        start = self.length
        self.parts.append(encoded + END)
        self.length += len(encoded) + 1
        self.texts.append(_Text(offer, field, text, start, start + len(encoded)))
        self.starts.append(start)

    def seal(self) -> None:
        self.string = "".join(self.parts)
        self.parts = []

    def text_at(self, position: int) -> _Text:
        return self.texts[bisect.bisect_right(self.starts, position) - 1]


class CatalogSearch:
    """The search index of one catalogue (build it once per catalogue, then query often)."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.offers: tuple[Offer, ...] = catalog.offers()
        self._site_order = _site_order(catalog)
        self._units = _Joined()  # Chinese texts as pinyin units
        self._plain = _Joined()  # texts without Chinese (English names), lower case
        for index, offer in enumerate(self.offers):
            for field, text in _texts_of(offer):
                if HAN.search(text):
                    self._units.add(index, field, text, units_of(text))
                else:
                    self._plain.add(index, field, text, _normal(text))
        self._units.seal()
        self._plain.seal()

    def ranked(self, usage: Mapping[str, int] | None = None) -> tuple[Offer, ...]:
        """Everything offered, the most used here first, the site's order breaking ties."""
        return ranked_offers(self.catalog, usage)

    def search(self, text: str, usage: Mapping[str, int] | None = None, limit: int = 20) -> list[Match]:
        """The offers ``text`` finds, best first; an empty list when nothing (or nothing sensible) was typed."""
        query = _normal(text)[:MAX_QUERY].strip()
        compact = "".join(ch for ch in query if HAN.match(ch) or (ch.isascii() and ch.isalnum()))
        if not compact or limit <= 0:
            return []
        best: dict[int, tuple[float, str]] = {}
        pattern = _unit_pattern(compact, anchored=len(compact) == 1 and compact.isascii())
        if pattern is not None:
            written = not re.search(r"[a-z]", compact)  # characters (and digits), no pinyin
            self._scan(self._units, pattern, AS_WRITTEN if written else 0.0, best)
        if query.isascii():
            self._scan(self._plain, _literal(" ".join(query.split())), AS_WRITTEN, best, word_start=True)
        used = usage or {}
        order = sorted(best, key=lambda i: (-best[i][0], -_used(self.offers[i], used),
                                            self._site_order[self.offers[i].id]))
        return [self._match(i, *best[i]) for i in order[:limit]]

    def _scan(self, joined: _Joined, pattern: re.Pattern[str], bonus: float,
              best: dict[int, tuple[float, str]], word_start: bool = False) -> None:
        """Score each text the pattern matches by its first match (the earliest is the best)."""
        string, position = joined.string, 0
        while (found := pattern.search(string, position)) is not None:
            start = found.start() + 1 if string[found.start()] == END else found.start()  # anchored
            text = joined.text_at(start)
            position = text.end + 1  # one match per text: on to the next
            if word_start and start > text.start and string[start - 1].isalnum():
                position = start + 1  # the middle of a word: look further in this text
                continue
            if start == text.start:
                how = EXACT if _reaches_end(string, found.end(), text.end) else PREFIX
            else:
                how = INSIDE
            score = FIELD_WEIGHT[text.field] + how + bonus
            if score > best.get(text.offer, (-1.0, ""))[0]:
                best[text.offer] = (score, text.text)

    def _match(self, index: int, score: float, matched: str) -> Match:
        offer = self.offers[index]
        kind: Kind = "bundle" if isinstance(offer, Bundle) else "item"
        return Match(offer.id, offer.name, kind, score, matched)


def ranked_offers(catalog: Catalog, usage: Mapping[str, int] | None = None) -> tuple[Offer, ...]:
    """``CatalogSearch.ranked`` without building the index (no pinyin needed)."""
    used = usage or {}
    offers = catalog.offers()
    order = {offer.id: position for position, offer in enumerate(offers)}
    return tuple(sorted(offers, key=lambda o: (-_used(o, used), order[o.id])))


def units_of(text: str) -> str:
    """``text`` as pinyin units: each Chinese character, letter or digit with how it is typed."""
    from pypinyin import Style, lazy_pinyin

    units: list[str] = []
    position = 0
    normal = _normal(text)
    for run in HAN.finditer(normal):
        units += _plain_units(normal[position:run.start()])
        chars = run.group()
        syllables = lazy_pinyin(chars, style=Style.NORMAL, errors="default", v_to_u=False)
        if len(syllables) != len(chars):  # a character pypinyin does not know: one by one
            syllables = [lazy_pinyin(ch, style=Style.NORMAL, errors="default", v_to_u=False)[0] for ch in chars]
        for char, syllable in zip(chars, syllables, strict=True):
            units.append(UNIT + char + SYLLABLE.sub("", syllable.replace("ü", "v").lower()))
        position = run.end()
    units += _plain_units(normal[position:])
    return "".join(units)


def _plain_units(text: str) -> list[str]:
    return [UNIT + ch + ch for ch in text if ch.isascii() and ch.isalnum()]


@lru_cache(maxsize=256)
def _unit_pattern(compact: str, anchored: bool = False) -> re.Pattern[str] | None:
    """The expression that finds ``compact`` in a units string: each Chinese character as
    itself, each run of letters as one or more pinyin syllables it may start; ``anchored``,
    only at a text's start (one letter found in every middle would rank nothing)."""
    pieces: list[str] = [END] if anchored else []
    previous_letter = False
    for char in compact:
        skip = "" if pieces in ([], [END]) else "[a-z0-9]*"  # the rest of the previous unit's syllable
        if HAN.match(char):
            pieces.append(skip + UNIT + re.escape(char))
            previous_letter = False
        else:
            new_unit = UNIT + "[^" + UNIT + END + "]" + re.escape(char)
            if previous_letter:  # the same syllable goes on, or the next one starts with it
                pieces.append(f"(?:{re.escape(char)}|{skip}{new_unit})")
            else:
                pieces.append(skip + new_unit)
            previous_letter = True
    return re.compile("".join(pieces)) if pieces else None


@lru_cache(maxsize=256)
def _literal(query: str) -> re.Pattern[str]:
    """``query`` as written (the scan keeps the matches at a word's start: "resid" in "Residence")."""
    return re.compile(re.escape(query))


def _reaches_end(string: str, end: int, text_end: int) -> bool:
    """Whether a match ending at ``end`` covers its text to the end (a last syllable may be cut)."""
    return end == text_end or string.find(UNIT, end, text_end) == -1 and string[end:text_end].isalnum()


def _texts_of(offer: Offer) -> Iterable[tuple[str, str]]:
    names = offer.names
    yield from (("name", names.zh_hans), ("name", names.zh_hant), ("name", names.en))
    yield from (("keyword", keyword) for keyword in offer.keywords)
    if isinstance(offer, Item):
        yield "department", offer.department


def _normal(text: str) -> str:
    """Full-width letters and digits as ASCII, lower case."""
    return unicodedata.normalize("NFKC", text).lower()


def _used(offer: Offer, usage: Mapping[str, int]) -> int:
    """Cases lately for an item; for a bundle its own count if kept, else its least used item's."""
    if isinstance(offer, Bundle):
        if offer.id in usage:
            return usage[offer.id]
        return min((usage.get(item_id, 0) for item_id in offer.item_ids), default=0)
    return usage.get(offer.id, 0)


def _site_order(catalog: Catalog) -> dict[str, int]:
    return {offer.id: position for position, offer in enumerate(catalog.offers())}
