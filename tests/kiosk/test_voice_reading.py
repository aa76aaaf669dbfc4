"""What espeak-ng is handed: tone-numbered pinyin with polyphones, surnames, numbers and pauses
read right, and what the voice makes of it (its phoneme output, from the real espeak-ng)."""

from __future__ import annotations

import subprocess

import pytest

from kiosk.voice.prompt import Kind
from kiosk.voice.reading import MANDARIN_VOICE, reading_for, to_pinyin


@pytest.mark.parametrize(("text", "expected"), [
    ("银行", "yin2 hang2"),
    ("重新输入", "chong2 xin1 shu1 ru4"),
    ("行长", "hang2 zhang3"),
    ("还款", "hai2 kuan3"),
    ("音乐", "yin1 yue4"),
    ("好了吗", "hao3 le5 ma5"),  # the neutral tone is 5
    ("不是", "bu2 shi4"),  # 不 before a fourth tone
    ("一个", "yi2 ge4"),
    ("绿色", "lv4 se4"),  # ü written v, as the voice reads it
])
def test_phrases_pick_the_reading_of_a_polyphone(text: str, expected: str) -> None:
    assert to_pinyin(text) == expected


@pytest.mark.parametrize(("name", "expected"), [
    ("单雄信", "shan4 xiong2 xin4"),
    ("曾国藩", "zeng1 guo2 fan1"),
    ("解缙", "xie4 jin4"),
    ("区志强", "ou1 zhi4 qiang2"),
    ("仇英", "qiu2 ying1"),
    ("朴树", "piao2 shu4"),
    ("查良镛", "zha1 liang2 yong1"),
    ("盖叫天", "ge3 jiao4 tian1"),
    ("覃雪", "qin2 xue3"),
    ("尉迟恭", "yu4 chi2 gong1"),
    ("單田芳", "shan4 tian2 fang1"),  # traditional
    ("王芳", "wang2 fang1"),  # not in the table: pypinyin
])
def test_a_name_takes_the_surname_reading(name: str, expected: str) -> None:
    assert to_pinyin(name, Kind.NAME) == expected


def test_the_same_characters_outside_a_name_read_the_common_way() -> None:
    assert to_pinyin("单独") == "dan1 du2"
    assert to_pinyin("曾经") == "ceng2 jing1"


@pytest.mark.parametrize(("text", "expected"), [
    ("拨打12345", "bo1 da3 yao1 er4 san1 si4 wu3"),  # an identifier: digit by digit, 1 as 幺
    ("3个工作日", "san1 ge4 gong1 zuo4 ri4"),
    ("24小时", "er4 shi2 si4 xiao3 shi2"),
    ("105元", "yi1 bai3 ling2 wu3 yuan2"),
    ("2026年", "er4 ling2 er4 liu4 nian2"),
    ("3.5元", "san1 dian3 wu3 yuan2"),
    ("8:30-17:00", "ba1 dian3 san1 shi2 fen1 zhi4 shi2 qi1 dian3"),
])
def test_numbers(text: str, expected: str) -> None:
    assert to_pinyin(text) == expected


def test_typed_digits_and_id_numbers_are_read_one_by_one() -> None:
    assert to_pinyin("138 1234", Kind.DIGITS) == "yao1 san1 ba1 , yao1 er4 san1 si4"
    assert to_pinyin("11010519491231002X", Kind.ID_NUMBER).split()[-3:] == ["ling2", "er4", "X"]


def test_punctuation_is_a_pause_and_letters_are_spelled() -> None:
    assert to_pinyin("请扫描QR码，然后确认。") == "qing3 sao3 miao2 Q R ma3 , ran2 hou4 que4 ren4"
    assert to_pinyin("“确认”！！") == "que4 ren4"


def test_english_goes_to_the_english_voice_and_names_stay_chinese() -> None:
    assert reading_for("Place your ID card", "en").voice == "en"
    assert reading_for("13812345678", "en", Kind.DIGITS).text == "1 3 8 1 2 3 4 5 6 7 8"
    assert reading_for("单雄信", "en", Kind.NAME) == reading_for("单雄信", "zh-Hans", Kind.NAME)
    assert reading_for("请", "zh-Hant").voice == MANDARIN_VOICE


def test_traditional_characters_are_read() -> None:
    """Character by character: pypinyin's phrases are simplified, so a traditional polyphone phrase
    (銀行) is not checked here; see ``kiosk.voice.reading``."""
    assert to_pinyin("請將身份證放在讀卡器上") == "qing3 jiang1 shen1 fen4 zheng4 fang4 zai4 du2 ka3 qi4 shang4"


def test_the_voice_reads_the_tones_it_is_given() -> None:
    """espeak-ng's own phonemes: the 2nd tone is 35, a neutral tone after it a level 33."""
    phonemes = subprocess.run(["espeak-ng", "-q", "-x", "-v", MANDARIN_VOICE, to_pinyin("银行了")],
                              capture_output=True, text=True, check=True).stdout
    assert phonemes.split() == ["j'i35n_|", "X'a35N_|", "l@33_|"]
