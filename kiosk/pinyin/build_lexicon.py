"""Make ``kiosk/pinyin/data/lexicon.tsv.gz`` from pypinyin's readings and jieba's frequencies.

A developer's tool, run once when the sources change (``python -m kiosk.pinyin.build_lexicon``):
the kiosk only reads the file it wrote (``kiosk.pinyin.lexicon``), because reading pypinyin's
own tables takes longer than the keyboard may take to appear (see ``bench/pinyin_dictionary.py``).
Both sources are MIT licensed; pypinyin is in the ``kiosk`` extra, jieba in ``dev`` for this.

One line per bucket, so the kiosk reads the file in one pass and parses a bucket only when
a resident's letters need it: ``c<TAB>syllable<TAB>char:weight char:weight ...`` for the
characters read so, and ``w<TAB>initials<TAB>word:syllables:weight|...`` for the words whose
syllables start with those letters (``zw``), heaviest first in both; syllables are toneless,
``v`` for ü, joined by ``'``.

Characters: every reading pypinyin knows for every character, weighted by jieba's count of
the character alone (a fiftieth of it for readings after pypinyin's first) plus the counts of
the words that read it so (现 counts 现在 and 发现). Words: jieba's words of two to eight
characters seen at least ``MIN_COUNT`` times, read by pypinyin (its phrase table settles
polyphones), pypinyin's own phrases at weight 1, and the kiosk's service words
(``kiosk_phrases.txt``, with a reading where pypinyin's is wrong) above everything of their
length. Then the names mode's surnames and given-name characters by syllable (``s`` and ``g``
lines, from ``kiosk.pinyin.names``). Deterministic.
"""

from __future__ import annotations

import gzip
import re
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
OUT = DATA / "lexicon.tsv.gz"
MIN_COUNT = 5
MAX_WORD = 8
SECONDARY_READING = 0.02
KIOSK_WEIGHT = 10_000_000  # service words come first among words of their length
HAN = re.compile(r"^[\u3400-\u4dbf\u4e00-\u9fff\U00020000-\U0003ffff]+$")
ODD = {"m", "n", "ng", "hm", "hng", "r", "ê"}  # interjection readings people never type for a character


def char_readings() -> dict[str, list[str]]:
    """Each character's toneless readings, most common first (pypinyin's order)."""
    from pypinyin import Style, pinyin
    from pypinyin.pinyin_dict import pinyin_dict

    found: dict[str, list[str]] = {}
    for code in sorted(pinyin_dict):
        char = chr(code)
        readings = pinyin(char, style=Style.NORMAL, heteronym=True, errors="ignore")
        seen: list[str] = []
        for reading in readings[0] if readings else []:
            reading = reading.replace("ü", "v")
            if reading.isascii() and reading.isalpha() and reading not in seen and reading not in ODD:
                seen.append(reading)
        if seen:
            found[char] = seen
    return found


def word_reading(word: str) -> list[str]:
    from pypinyin import Style, lazy_pinyin

    return [r.replace("ü", "v") for r in lazy_pinyin(word, style=Style.NORMAL, errors="ignore")]


def jieba_counts() -> dict[str, int]:
    import jieba

    path = Path(jieba.__file__).resolve().parent / "dict.txt"
    counts: dict[str, int] = {}
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            word, count, *_ = line.split(" ")
            counts[word] = max(counts.get(word, 0), int(count))
    return counts


def kiosk_phrases() -> list[tuple[str, list[str] | None]]:
    """The service words, each with its reading where the file gives one (``六合区 lu'he'qu``)."""
    text = (DATA / "kiosk_phrases.txt").read_text(encoding="utf-8")
    found: list[tuple[str, list[str] | None]] = []
    for line in text.splitlines():
        word, _, spelled = line.strip().partition(" ")
        if word and not word.startswith("#"):
            found.append((word, spelled.split("'") if spelled else None))
    return found


def name_lines(rows: dict[tuple[str, str], int]) -> list[str]:
    """``s<TAB>syllable<TAB>surnames`` (surname order) and ``g<TAB>syllable<TAB>characters``
    (given-name order), each under its name reading: the surname's own, else the commonest."""
    from kiosk.pinyin.names import GIVEN_NAME_CHARS, SURNAME_READINGS, SURNAMES

    commonest: dict[str, tuple[int, str]] = {}
    for (text, spelled), weight in rows.items():
        if len(text) == 1 and " " not in spelled and weight > commonest.get(text, (-1, ""))[0]:
            commonest[text] = (weight, spelled)
    lines = []
    for kind, chars in (("s", SURNAMES), ("g", "".join(dict.fromkeys(GIVEN_NAME_CHARS)))):
        by_syllable: dict[str, str] = {}
        for char in chars:
            reading = (SURNAME_READINGS.get(char) if kind == "s" else None) or commonest.get(char, (0, ""))[1]
            if reading:
                by_syllable[reading] = by_syllable.get(reading, "") + char
        lines += [f"{kind}\t{syllable}\t{found}\n" for syllable, found in sorted(by_syllable.items())]
    return lines


def build() -> dict[tuple[str, str], int]:
    """(text, syllables joined by spaces) → weight, for every character and word."""
    from pypinyin.phrases_dict import phrases_dict

    readings = char_readings()
    counts = jieba_counts()
    rows: dict[tuple[str, str], int] = {}
    char_weight: dict[tuple[str, str], int] = {}
    for char, options in readings.items():
        count = counts.get(char, 0)
        for rank, reading in enumerate(options):
            char_weight[(char, reading)] = count if rank == 0 else int(count * SECONDARY_READING)

    def add_word(word: str, weight: int, spelled: list[str] | None = None) -> None:
        if not (2 <= len(word) <= MAX_WORD and HAN.match(word)) or any(c not in readings for c in word):
            return
        syllables = spelled or word_reading(word)
        if len(syllables) != len(word) or not all(s.isascii() and s.isalpha() for s in syllables):
            return
        key = (word, " ".join(syllables))
        rows[key] = max(rows.get(key, 0), weight)
        if weight < KIOSK_WEIGHT:  # a character read so inside a word counts as read so once more
            for char, syllable in zip(word, syllables, strict=True):
                char_weight[(char, syllable)] = char_weight.get((char, syllable), 0) + weight

    for word, count in counts.items():
        if count >= MIN_COUNT:
            add_word(word, count)
    for word in phrases_dict:
        add_word(word, 1)
    for word, spelled in kiosk_phrases():
        add_word(word, KIOSK_WEIGHT, spelled)
    for (char, syllable), weight in char_weight.items():
        if syllable in readings[char]:
            rows[(char, syllable)] = weight
    return rows


def ordered(rows: dict[tuple[str, str], int]) -> list[tuple[str, str, int]]:
    """The rows heaviest first, ties in a fixed order."""
    return sorted(((text, syl, w) for (text, syl), w in rows.items()), key=lambda r: (-r[2], r[1], r[0]))


def bucket_lines(rows: list[tuple[str, str, int]]) -> list[str]:
    """The file's lines: rows (heaviest first) grouped by syllable or by initials."""
    chars: dict[str, list[str]] = {}
    words: dict[str, list[str]] = {}
    for text, spelled, weight in rows:
        syllables = spelled.split(" ")
        if len(syllables) == 1:
            chars.setdefault(spelled, []).append(f"{text}:{weight}")
        else:
            initials = "".join(s[0] for s in syllables)
            joined = "'".join(syllables)
            words.setdefault(initials, []).append(f"{text}:{joined}:{weight}")
    return [f"c\t{k}\t{' '.join(v)}\n" for k, v in sorted(chars.items())] + [
        f"w\t{k}\t{'|'.join(v)}\n" for k, v in sorted(words.items())
    ]


def main() -> None:
    rows = build()
    with gzip.GzipFile(OUT, "wb", mtime=0) as raw:
        raw.write("".join(bucket_lines(ordered(rows)) + name_lines(rows)).encode("utf-8"))
    print(f"{len(rows)} entries -> {OUT} ({OUT.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
