"""Pinyin letters to Chinese candidates for the kiosk's on-screen keyboard (no Kivy here).

The dictionary, chosen by measuring (``python -m bench pinyin_dictionary``: 100 common words,
108 personal names, 100 address fragments in ``bench/data/pinyin_phrases.tsv``; whole pinyin
typed; each source in a process of its own; 2 cores at load average 8-14, so times are high):

    source                               top-1 w/n/a %  top-5 w/n/a %  load s  MB   p99 ms
    this engine (pypinyin+jieba, shipped)   92/23/92      100/50/94      0.6*  14   (CPU < 1)
    this engine, names mode                 22/51/7        93/81/87      0.7   14
    pypinyin+jieba built at first use       92/9/81       100/12/83    121    185
    pypinyin phrase table (no frequency)    31/2/10        39/2/12       8.5   74
    pypinyin-dict large_pinyin phrases      25/8/52        76/13/62     32    397
    pypinyin + wordfreq zh (100k words)     94/10/70      100/27/75    132    174
    Pinyin2Hanzi DAG (handed syllables)     92/11/84       97/23/91      2.4   99    4.6
    pinyinIME (pickled index)               94/32/82       98/50/87      5.8  245    0.3

(* 0.35 s on a quiet machine. This engine's wall p99 in that run was 13-50 ms, cold lists
parsed whole; they are now parsed only as far as needed.) The winner: pypinyin's readings (its phrase table settles
polyphones such as 银行 / 行走) weighted by jieba's word counts, as accurate on words as the
best and far ahead on names and addresses (whole-name composition, joined words), built once by
``kiosk.pinyin.build_lexicon`` into ``data/lexicon.tsv.gz`` (1.8 MB; 200 000 characters and
words) and read lazily by ``kiosk.pinyin.lexicon``: building the same at first use takes
minutes, pinyinIME and Pinyin2Hanzi take seconds and 100-250 MB, wordfreq's Chinese list is
jieba's counts again. Lookups: median 0.3 ms, CPU p99 under 1 ms (``python -m bench
pinyin_keyboard``; wall-clock p99 5-20 ms on the loaded machine is waiting for a core).

How letters become candidates: ``kiosk.pinyin.syllables`` splits them (``xian`` and
``xi'an``; ``zw``; ``zhangw``); for each of the best splits, words matching its first k
tokens for every k from the longest down, so the longest match leads and the resident commits
a long phrase piece by piece (``Candidate.consumed`` letters). The one-syllable list is every
character with that reading, commonest first, so a rare name character is a few pages away.
Names mode (``names=True``) puts surnames and given-name characters first and composes whole
names (``zhangwei`` → 张伟) that no word list holds; the default mode offers one such name
after the dictionary's words.
"""

from __future__ import annotations

import heapq
import re
from dataclasses import dataclass
from functools import cache
from itertools import islice, product

from kiosk.pinyin.lexicon import Entry, Lexicon, load_lexicon
from kiosk.pinyin.names import COMPOUND_SURNAMES
from kiosk.pinyin.syllables import Parse, Token, parses, segment

MAX_WORD = 8  # syllables in the longest word looked up
MAX_PARSES = 4  # splits of the letters tried, best first
WORD_BOOST = 30  # a word and a character for the same letters: the word's own count is the smaller
NAME_BONUS = 10**12  # names mode: composed names and name characters before everything else
MEMO_SIZE = 4096  # lookups remembered (a resident's letters grow one at a time)
LETTERS = re.compile(r"[a-z]*")


@dataclass(frozen=True)
class Candidate:
    """Chinese text to offer, and how many of the typed letters (from the start) it stands for."""

    text: str
    consumed: int


class PinyinEngine:
    """Candidates for typed pinyin letters; see the module docstring. Deterministic."""

    def __init__(self, *, names: bool = False, lexicon: Lexicon | None = None) -> None:
        self.names = names
        self._lexicon = lexicon if lexicon is not None else shared_lexicon()
        self._surnames = {k: list(v) for k, v in self._lexicon.surnames.items()}
        self._given = {k: list(v) for k, v in self._lexicon.given.items()}
        self._syllables = sorted(self._lexicon.syllables)
        self._memo: dict[tuple[tuple[Token, ...], int], list[Entry]] = {}

    def segment(self, letters: str) -> list[str]:
        """How the letters split into syllables, for display (``zhangw`` → ``['zhang', 'w']``)."""
        return segment(_checked(letters))

    def candidates(self, letters: str, limit: int = 50) -> list[Candidate]:
        """Up to ``limit`` candidates, most letters consumed first, then the commonest."""
        letters = _checked(letters)
        best: dict[str, tuple[int, int, int]] = {}  # text → (consumed, prefixes, score), best kept

        def offer(text: str, consumed: int, prefixes: int, score: int) -> None:
            key = (consumed, -prefixes, score)
            if text not in best or key > best[text]:
                best[text] = key

        useful = _useful(parses(letters))
        shortest = min((len(p) for p in useful), default=0)
        for parse in useful:
            for k in range(min(len(parse), MAX_WORD), 0, -1):
                tokens = parse[:k]
                consumed = sum(len(t.letters) for t in tokens)
                prefixes = sum(not t.whole for t in tokens)
                boost = WORD_BOOST if k > 1 else 1
                for text, weight in self._matches(tokens, limit):
                    offer(text, consumed, prefixes, weight * boost)
                if len(parse) == shortest:
                    for rank, text in enumerate(self._composed_names(tokens, len(parse))):
                        offer(text, consumed, prefixes, (NAME_BONUS if self.names else 0) - rank)
        if useful:
            parse = useful[0]
            chain = self._chain(parse)
            if chain:
                offer(chain, len(letters), sum(not t.whole for t in parse), 1)
        ranked = heapq.nsmallest(limit, best.items(), key=lambda kv: (-kv[1][0], -kv[1][1], -kv[1][2], kv[0]))
        return [Candidate(text, key[0]) for text, key in ranked]

    def _matches(self, tokens: tuple[Token, ...], limit: int) -> list[Entry]:
        key = (tokens, limit)
        found = self._memo.get(key)
        if found is None:
            found = self._look_up(tokens, limit)
            if len(self._memo) >= MEMO_SIZE:
                self._memo.clear()
            self._memo[key] = found
        return found

    def _look_up(self, tokens: tuple[Token, ...], limit: int) -> list[Entry]:
        if len(tokens) == 1:
            return self._characters(tokens[0], limit)
        if all(t.whole for t in tokens):
            return self._lexicon.exact(tuple(t.syllable for t in tokens))[:limit]
        checks = [(i, t) for i, t in enumerate(tokens) if t.whole or len(t.letters) > 1]
        initials = "".join(t.letters[0] for t in tokens)
        found = (
            (text, weight)
            for text, syllables, weight in self._lexicon.words(initials)
            if all(t.matches(syllables[i]) for i, t in checks)
        )
        return list(islice(found, limit))

    def _chain(self, parse: Parse) -> str:
        """The longest words one after another across the whole parse (人民 + 路), when no
        word covers it all and the pieces hold a word; empty otherwise."""
        if len(parse) < 2 or (len(parse) <= MAX_WORD and self._matches(parse, 1)):
            return ""
        pieces: list[str] = []
        start = 0
        while start < len(parse):
            for k in range(min(MAX_WORD, len(parse) - start), 0, -1):
                found = self._matches(parse[start : start + k], 1)
                if found:
                    pieces.append(found[0][0])
                    start += k
                    break
            else:
                return ""
        return "".join(pieces) if any(len(p) > 1 for p in pieces) else ""

    def _characters(self, token: Token, limit: int) -> list[Entry]:
        """The characters ``token`` may stand for, commonest first (name characters first in
        names mode)."""
        syllables = [token.syllable] if token.whole else [s for s in self._syllables if token.matches(s)]
        lists = [self._char_list(s, limit) for s in syllables]
        merged = heapq.merge(*lists, key=lambda cw: -cw[1])
        return list(islice(merged, limit))

    def _char_list(self, syllable: str, limit: int) -> list[Entry]:
        """The first ``limit`` characters read ``syllable``, commonest first; in names mode the
        surnames and given-name characters read so come first, in the order of their lists."""
        if not self.names:
            return self._lexicon.chars(syllable, limit)
        first = list(dict.fromkeys(self._surnames.get(syllable, [])[:8] + self._given.get(syllable, [])))
        found = [(c, NAME_BONUS - i) for i, c in enumerate(first)]
        found += [(c, w) for c, w in self._lexicon.chars(syllable, limit) if c not in first]
        return found[:limit]

    def _composed_names(self, tokens: tuple[Token, ...], parse_length: int) -> list[str]:
        """Whole names for the tokens: a surname, then the commonest given-name characters
        (in names mode the commonest character where no given-name character fits)."""
        if len(tokens) != parse_length or not all(t.whole for t in tokens):
            return []
        if not (2 <= len(tokens) <= 4) or (not self.names and len(tokens) != 2):
            return []
        spelled = f"{tokens[0].syllable}'{tokens[1].syllable}"
        compound = [s for s, reading in COMPOUND_SURNAMES.items() if reading == spelled and len(tokens) > 2]
        heads = compound or self._surnames.get(tokens[0].syllable, [])[:2]
        if self.names and not compound:
            heads = heads + [c for c in self._given.get(tokens[0].syllable, [])[:2] if c not in heads]
        rest = tokens[2 if compound else 1 :]
        given = [self._given_for(t.syllable)[: 2 if i == 0 else 1] for i, t in enumerate(rest)]
        if not heads or not all(given):
            return []
        names = ["".join(parts) for parts in product(heads, *given)]
        return names[: 4 if self.names else 1]

    def _given_for(self, syllable: str) -> list[str]:
        found = self._given.get(syllable, [])
        if self.names and len(found) < 2:
            found = found + [c for c, _ in self._lexicon.chars(syllable)[:2] if c not in found]
        return found


def _useful(found: tuple[Parse, ...]) -> tuple[Parse, ...]:
    """The best splits that abbreviate no more than the best one does (``xian`` and ``xi'an``,
    not ``z'hang'wei`` beside ``zhang'wei``)."""
    fewest = min((sum(not t.whole for t in p) for p in found), default=0)
    return tuple(p for p in found if sum(not t.whole for t in p) == fewest)[:MAX_PARSES]


def _checked(letters: str) -> str:
    if not LETTERS.fullmatch(letters):
        raise ValueError("pinyin letters are a-z, lower case")
    return letters


@cache
def shared_lexicon() -> Lexicon:
    """The shipped lexicon, read once per process."""
    return load_lexicon()


@cache
def pinyin_engine(names: bool = False) -> PinyinEngine:
    """The engine for ordinary text or for names, built once per process."""
    return PinyinEngine(names=names)
