"""The pinyin engine on the shipped lexicon: splits, abbreviations, names, rare characters."""

from __future__ import annotations

import pytest

from kiosk.pinyin.engine import Candidate, PinyinEngine, pinyin_engine
from kiosk.pinyin.syllables import parses, segment


def texts(letters: str, names: bool = False, limit: int = 50) -> list[str]:
    return [c.text for c in pinyin_engine(names=names).candidates(letters, limit=limit)]


def test_letters_split_into_syllables_for_display() -> None:
    assert segment("zhangwei") == ["zhang", "wei"]
    assert segment("zhangw") == ["zhang", "w"]
    assert segment("zhangwe") == ["zhang", "we"]
    assert segment("bjs") == ["b", "j", "s"]
    assert segment("lv") == ["lv"]
    assert segment("nanjingshi") == ["nan", "jing", "shi"]
    assert segment("") == []
    assert pinyin_engine().segment("xian") == ["xian"]


def test_xian_is_read_both_ways() -> None:
    assert [[t.letters for t in p] for p in parses("xian")][:2] == [["xian"], ["xi", "an"]]
    shown = texts("xian")[:8]
    assert "现" in shown and "先" in shown and "西安" in shown


def test_a_full_name_is_offered_whole() -> None:
    assert "张伟" in texts("zhangwei", names=True)[:5]
    assert texts("zhangwei", names=True)[0] == "张伟"
    assert "张伟" in texts("zhangwei")[:5]  # the default mode offers one name after the words
    assert texts("wangfang", names=True)[0] == "王芳"
    assert texts("ouyangxiu", names=True)[:2] in (["欧阳修", "欧阳秀"], ["欧阳秀", "欧阳修"])


def test_names_mode_reads_surnames_as_surnames() -> None:
    assert texts("shan", names=True)[0] == "单"
    assert texts("zeng", names=True)[0] == "曾"
    assert "解" in texts("xie", names=True)[:3]
    assert "单" not in texts("shan")[:5]  # in ordinary text 单 is dan first


def test_initials_stand_for_whole_words() -> None:
    assert texts("sbzm")[0] == "社保证明"
    assert texts("bjs")[0] == "北京市"
    assert "作为" in texts("zw")[:5]
    everything = pinyin_engine().candidates("sbzm")
    assert all(c.consumed == 4 for c in everything[:3])


def test_an_unfinished_last_syllable_is_matched_by_its_start() -> None:
    first = pinyin_engine().candidates("zhangw")[:5]
    assert all(c.consumed == 6 and len(c.text) == 2 for c in first)
    assert "掌握" in [c.text for c in first]


def test_v_is_u_umlaut() -> None:
    assert {"绿", "旅", "吕"} <= set(texts("lv")[:8])
    assert texts("nv")[0] == "女"
    assert texts("lue")[0] == texts("lve")[0] == "略"


@pytest.mark.parametrize(("letters", "rare"), [("kun", "堃"), ("zhe", "喆"), ("sheng", "昇"), ("jun", "珺"),
                                                ("jing", "婧"), ("yi", "燚")])
def test_every_character_of_a_reading_is_reachable_rare_ones_too(letters: str, rare: str) -> None:
    everything = texts(letters, limit=5000)
    assert rare in everything
    assert len(everything) == len(set(everything))
    assert len(everything) > 20
    assert rare in texts(letters, names=True)[:12], "names mode puts name characters first"


def test_a_long_phrase_is_committed_piece_by_piece() -> None:
    engine = pinyin_engine()
    letters = "nanjingshijiangbeixinqupuzhubeilu"
    found = engine.candidates(letters)
    assert found[0] == Candidate("南京市江北新区浦珠北路", len(letters))
    assert Candidate("南京市", len("nanjingshi")) in found[:3]
    assert [c.consumed for c in found] == sorted((c.consumed for c in found), reverse=True)
    rest = letters[len("nanjingshi"):]
    assert engine.candidates(rest)[0].text.startswith("江北新区")


def test_words_from_two_dictionary_pieces_are_joined() -> None:
    assert texts("renminlu")[0] == "人民路"


def test_results_are_deterministic_and_limited() -> None:
    fresh = PinyinEngine(names=True)
    assert [c.text for c in fresh.candidates("zhangwei", limit=7)] == texts("zhangwei", names=True, limit=7)
    assert len(texts("a", limit=3)) == 3
    assert texts("") == []


def test_only_lower_case_letters_are_accepted() -> None:
    with pytest.raises(ValueError):
        pinyin_engine().candidates("Zhang")
    with pytest.raises(ValueError):
        pinyin_engine().segment("zhang wei")


def test_letters_that_make_no_syllable_give_nothing() -> None:
    assert texts("iii") == []
    assert segment("iii") == ["iii"]
