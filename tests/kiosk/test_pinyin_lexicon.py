"""The lexicon file: what the build writes reads back the same, and the shipped one is complete."""

from __future__ import annotations

import gzip
from pathlib import Path

from kiosk.pinyin.build_lexicon import bucket_lines, kiosk_phrases, name_lines, ordered, word_reading
from kiosk.pinyin.lexicon import load_lexicon
from kiosk.pinyin.syllables import SYLLABLES

ROWS = {
    ("张", "zhang"): 80, ("长", "zhang"): 90, ("长", "chang"): 70, ("章", "zhang"): 30, ("伟", "wei"): 50,
    ("单", "dan"): 60, ("单", "shan"): 5, ("长尾", "zhang wei"): 12, ("掌握", "zhang wo"): 40,
    ("张伟", "zhang wei"): 3,
}


def write(tmp_path: Path, rows: dict[tuple[str, str], int]) -> Path:
    path = tmp_path / "lexicon.tsv.gz"
    with gzip.open(path, "wt", encoding="utf-8") as out:
        out.write("".join(bucket_lines(ordered(rows)) + name_lines(rows)))
    return path


def test_what_the_build_writes_reads_back_heaviest_first(tmp_path: Path) -> None:
    lexicon = load_lexicon(write(tmp_path, ROWS))
    assert lexicon.chars("zhang") == [("长", 90), ("张", 80), ("章", 30)]
    assert lexicon.chars("zhang", 2) == [("长", 90), ("张", 80)]
    assert lexicon.chars("chang") == [("长", 70)]
    assert lexicon.syllables == {"zhang", "chang", "wei", "dan", "shan"}
    assert [w[0] for w in lexicon.words("zw")] == ["掌握", "长尾", "张伟"]
    assert lexicon.exact(("zhang", "wei")) == [("长尾", 12), ("张伟", 3)]
    assert lexicon.exact(("li", "ming")) == []
    assert lexicon.readings("长") == ["zhang", "chang"]


def test_a_partly_parsed_list_grows_when_more_is_asked(tmp_path: Path) -> None:
    lexicon = load_lexicon(write(tmp_path, ROWS))
    assert lexicon.chars("zhang", 1) == [("长", 90)]
    assert lexicon.chars("zhang") == [("长", 90), ("张", 80), ("章", 30)]
    assert lexicon.chars("zhang", 10) == [("长", 90), ("张", 80), ("章", 30)]


def test_surnames_are_filed_under_their_surname_reading(tmp_path: Path) -> None:
    lexicon = load_lexicon(write(tmp_path, ROWS))
    assert lexicon.surnames["shan"] == "单"  # not dan, its commonest reading
    assert "张" in lexicon.surnames["zhang"] and "长" not in lexicon.surnames.get("zhang", "")
    assert lexicon.given["wei"] == "伟"


def test_the_shipped_lexicon_holds_every_service_word_as_the_kiosk_reads_it() -> None:
    lexicon = load_lexicon()
    for word, spelled in kiosk_phrases():
        if len(word) < 2:
            continue
        reading = tuple(spelled or word_reading(word))
        assert word in [text for text, _ in lexicon.exact(reading)], f"{word} {reading}"
    assert lexicon.exact(("lu", "he", "qu"))[0][0] == "六合区"  # pypinyin reads it liu'he
    assert lexicon.syllables <= SYLLABLES
