"""Taps per Chinese character with the pinyin keyboard, against typing the pinyin letters alone.

``python -m bench pinyin_keyboard``. Over the 108 names of ``bench/data/pinyin_phrases.tsv``
(names mode) and 100 addresses made from its fragments with a fixed seed (city, district,
road, then ``88号3栋2单元501室`` from the digit layer), a resident types with a sensible
greedy strategy: one piece at a time (a name, a place name, a road), a syllable's letters at a
time, tapping the candidate as soon as the whole piece shows in the bar; when the piece is
all typed and is not shown whole, the longest start of it shown (paging forward until one
shows). Taps = letters + candidate taps + paging taps + layer switches and digit/symbol keys.
A second resident tries the initials first (``njs`` for 南京市): if the piece shows whole on
the first page as the initials are typed, one tap; if not, the initials are deleted (a tap
each) and the piece typed in full as above.
The baseline types the full pinyin of every Chinese character with no candidates at all
(letters only, the same digit keys): the ratio is what candidates cost or save. The bar holds
what fits in the portrait standard layout (``screens/pinyin_keyboard.py``: 820 px of bar,
a candidate ``max(108, 46.2 px × characters + 48)`` wide, 10 px apart).

Then the candidate latency, for every prefix the resident typed, against a bare dict lookup
of the same letters (the baseline), with the ratio; the machine's load is printed with it,
and the engine's CPU time beside its wall time (on a loaded machine the p99 of wall time is
mostly waiting for a core).
"""

from __future__ import annotations

import os
import random
import statistics
import time
from dataclasses import dataclass

from bench.pinyin_dictionary import ground_truth
from kiosk.pinyin.engine import PinyinEngine

BAR_WIDTH = 820.0
SPACING = 10.0
FETCH = 400  # candidates asked for; paging further asks for more, as the widget does


@dataclass(frozen=True)
class Piece:
    """What the resident types at once: Chinese text with its syllables, or one key."""

    text: str
    syllables: tuple[str, ...] = ()

    @property
    def is_key(self) -> bool:
        return not self.syllables


def addresses(count: int = 100, seed: int = 7) -> list[list[Piece]]:
    """Addresses made of ground-truth fragments, with building numbers from the digit layer."""
    fragments = [(t, tuple(s)) for kind, t, s in ground_truth() if kind == "address"]
    cities = [f for f in fragments if f[0].endswith("市")]
    districts = [f for f in fragments if f[0].endswith(("区", "县"))]
    roads = [f for f in fragments if f[0].endswith(("路", "街"))]
    rng = random.Random(seed)
    made = []
    for _ in range(count):
        pieces = [Piece(*rng.choice(cities)), Piece(*rng.choice(districts)), Piece(*rng.choice(roads))]
        for number, key in ((rng.randint(1, 300), "号"), (rng.randint(1, 30), "栋"), (rng.randint(1, 6), "单元"),
                            (rng.randint(101, 2405), "室")):
            pieces += [Piece(d) for d in str(number)] + [Piece(key)]
        made.append(pieces)
    return made


def names() -> list[list[Piece]]:
    return [[Piece(t, tuple(s))] for kind, t, s in ground_truth() if kind == "name"]


def chinese_characters(target: list[Piece]) -> int:
    return sum(len(p.text) for p in target if not p.text.isascii())


def _page_ends(texts: list[str]) -> list[int]:
    """Where each page of the bar ends, filling it as the widget does."""
    ends, room, start = [], BAR_WIDTH, 0
    for index, text in enumerate(texts):
        width = max(108.0, len(text) * 46.2 + 48)
        if index > start and width > room:
            ends.append(index)
            start, room = index, BAR_WIDTH
        room -= width + SPACING
    return ends + [len(texts)]


class Typist:
    """Counts the taps of one resident using the keyboard greedily; records each lookup's letters."""

    def __init__(self, engine: PinyinEngine, abbreviates: bool = False) -> None:
        self.engine = engine
        self.abbreviates = abbreviates
        self.looked_up: list[str] = []

    def _shown(self, letters: str, page: int) -> list[tuple[str, int]]:
        self.looked_up.append(letters)
        found = [(c.text, c.consumed) for c in self.engine.candidates(letters, limit=FETCH)]
        ends = _page_ends([t for t, _ in found])
        if page >= len(ends):
            return []
        return found[(ends[page - 1] if page else 0) : ends[page]]

    def taps(self, target: list[Piece]) -> int:
        taps, digits_layer = 0, False
        for piece in target:
            if piece.is_key:
                if not digits_layer:
                    taps, digits_layer = taps + 1, True
                taps += 1
                continue
            if digits_layer:
                taps, digits_layer = taps + 1, False
            taps += self._type_chinese(piece)
        return taps

    def _type_chinese(self, piece: Piece) -> int:
        if self.abbreviates and len(piece.syllables) > 1:
            initials = "".join(s[0] for s in piece.syllables)
            for count in range(2, len(initials) + 1):
                if piece.text in [t for t, c in self._shown(initials[:count], 0) if c == count]:
                    return count + 1  # the initials, then the candidate
            return 2 * len(initials) + self._type_in_full(piece)  # typed, deleted, typed in full
        return self._type_in_full(piece)

    def _type_in_full(self, piece: Piece) -> int:
        taps, done, typed = 0, 0, 0  # characters committed; syllables typed so far
        letters = ""
        while done < len(piece.text):
            if typed < len(piece.syllables):
                letters += piece.syllables[typed]
                typed += 1
                taps += len(piece.syllables[typed - 1])
                whole = piece.text[done:typed]
                if typed < len(piece.syllables) and whole not in [t for t, _ in self._shown(letters, 0)]:
                    continue
            page = 0
            while True:
                wanted = [(t, c) for t, c in self._shown(letters, page) if piece.text[done:].startswith(t)
                          and c == sum(len(s) for s in piece.syllables[done : done + len(t)])]
                if wanted:
                    text, consumed = max(wanted, key=lambda tc: len(tc[0]))
                    taps += 1
                    done += len(text)
                    letters = letters[consumed:]
                    break
                taps += 1  # next page
                page += 1
                if page > 200:
                    raise RuntimeError(f"{piece.text!r} never shows")
        return taps


def letters_only(target: list[Piece]) -> int:
    taps, digits_layer = 0, False
    for piece in target:
        if piece.is_key != digits_layer:
            taps, digits_layer = taps + 1, piece.is_key
        taps += 1 if piece.is_key else sum(len(s) for s in piece.syllables)
    return taps


def _latency(engine: PinyinEngine, looked_up: list[str]) -> tuple[list[float], list[float], list[float]]:
    """Wall time and CPU time of the engine, and wall time of a bare dict, per lookup."""
    table: dict[str, list[str]] = {}
    for letters in looked_up:
        table.setdefault(letters, [c.text for c in engine.candidates(letters, limit=50)])
    ours, cpu, bare = [], [], []
    for letters in looked_up:
        fresh = PinyinEngine(names=engine.names)  # no remembered lookups; the lexicon is shared
        began, began_cpu = time.perf_counter(), time.process_time()
        fresh.candidates(letters, limit=50)
        ours.append(time.perf_counter() - began)
        cpu.append(time.process_time() - began_cpu)
        began = time.perf_counter()
        table.get(letters, [])[:50]
        bare.append(time.perf_counter() - began)
    return ours, cpu, bare


def _p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))] * 1000


def main() -> None:
    print("taps per Chinese character; 'letters only' types the pinyin and gets no Chinese at all")
    print(f"{'targets, strategy':34} {'chars':>6} {'keyboard taps/char':>19} {'letters only':>13} {'ratio':>6}")
    looked_up: dict[bool, list[str]] = {}
    for label, targets, names_mode in (("names (108)", names(), True), ("addresses (100)", addresses(), False)):
        characters = sum(chinese_characters(t) for t in targets)
        baseline = sum(letters_only(t) for t in targets) / characters
        for how, abbreviates in (("full pinyin", False), ("initials first", True)):
            typist = Typist(PinyinEngine(names=names_mode), abbreviates)
            keyboard = sum(typist.taps(t) for t in targets) / characters
            looked_up.setdefault(names_mode, typist.looked_up)
            row = f"{label}, {how}"
            print(f"{row:34} {characters:6d} {keyboard:19.2f} {baseline:13.2f} {keyboard / baseline:6.2f}")
    one, five, _ = os.getloadavg()
    print(f"candidate latency per lookup (fresh engine, shared lexicon), load average {one:.1f} {five:.1f}"
          f" on {os.cpu_count()} cores")
    for names_mode, letters in looked_up.items():
        sample = letters[:: max(1, len(letters) // 400)]
        ours, cpu, bare = _latency(PinyinEngine(names=names_mode), sample)
        ratio = statistics.median(ours) / statistics.median(bare)
        print(f"  {'names' if names_mode else 'default'} mode, {len(sample)} lookups: engine median"
              f" {_p(ours, 0.5):.2f} ms p99 {_p(ours, 0.99):.2f} ms (CPU p99 {_p(cpu, 0.99):.2f} ms);"
              f" bare dict median {_p(bare, 0.5) * 1000:.1f} µs p99 {_p(bare, 0.99) * 1000:.1f} µs;"
              f" ratio of medians {ratio:.0f}")


if __name__ == "__main__":
    main()
