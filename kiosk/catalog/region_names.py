"""A region's name as a resident reads it in their language: the shipped tables are in
simplified Chinese (``kiosk.catalog.regions``); these are only shown, never stored or sent.

- zh-Hans: the name itself.
- zh-Hant: the same name in traditional characters (OpenCC's ``s2tw``, as locale/zh_Hant is written).
- en: the name in Hanyu Pinyin as China's place names are written in English: syllables run
  together, an apostrophe before a syllable that starts with a vowel ("Xi'an"), the level's
  word in English ("Pukou District", "Taishan Subdistrict"; provinces and cities by their bare
  name, "Jiangsu", "Nanjing"). pypinyin reads most place names right; ``READINGS`` holds the
  ones it reads as the everyday word (六合 is Luhe, not Liuhe).
"""

from __future__ import annotations

import functools
import re
from typing import Any

# Whole names with an English form of their own.
ENGLISH_NAMES = {
    "内蒙古自治区": "Inner Mongolia",
    "广西壮族自治区": "Guangxi",
    "西藏自治区": "Xizang",
    "宁夏回族自治区": "Ningxia",
    "新疆维吾尔自治区": "Xinjiang",
    "香港特别行政区": "Hong Kong",
    "澳门特别行政区": "Macao",
    "陕西省": "Shaanxi",
    "鄂伦春自治旗": "Oroqen Autonomous Banner",  # named for its people, without 族
}

# The level's word at a name's end, longest first, and its English (placed after the name).
LEVEL_WORDS = (
    ("特别行政区", " SAR"),
    ("民族乡", " Ethnic Township"),
    ("自治县", " Autonomous County"),
    ("自治州", " Autonomous Prefecture"),
    ("自治旗", " Autonomous Banner"),
    ("自治区", ""),
    ("林区", " Forestry District"),
    ("街道", " Subdistrict"),
    ("地区", " Prefecture"),
    ("新区", " New Area"),
    ("省", ""),
    ("市", ""),
    ("区", " District"),
    ("县", " County"),
    ("旗", " Banner"),
    ("盟", " League"),
    ("镇", " Town"),
    ("乡", " Township"),
)

# The peoples an autonomous region, prefecture, county or township is named for ("苗族侗族"
# before 自治州: "Miao and Dong Autonomous Prefecture"), as their names are written in English.
PEOPLES = {
    "蒙古族": "Mongol", "回族": "Hui", "藏族": "Tibetan", "维吾尔族": "Uygur", "苗族": "Miao",
    "彝族": "Yi", "壮族": "Zhuang", "布依族": "Bouyei", "朝鲜族": "Korean", "满族": "Manchu",
    "侗族": "Dong", "瑶族": "Yao", "白族": "Bai", "土家族": "Tujia", "哈尼族": "Hani",
    "哈萨克族": "Kazak", "傣族": "Dai", "黎族": "Li", "傈僳族": "Lisu", "佤族": "Va", "畲族": "She",
    "拉祜族": "Lahu", "水族": "Sui", "东乡族": "Dongxiang", "纳西族": "Naxi", "景颇族": "Jingpo",
    "柯尔克孜族": "Kirgiz", "土族": "Tu", "达斡尔族": "Daur", "仫佬族": "Mulam", "羌族": "Qiang",
    "撒拉族": "Salar", "毛南族": "Maonan", "仡佬族": "Gelao", "锡伯族": "Xibe", "普米族": "Pumi",
    "塔吉克族": "Tajik", "怒族": "Nu", "鄂温克族": "Ewenki", "保安族": "Bonan", "裕固族": "Yugur",
    "独龙族": "Derung", "各族": "Multi-ethnic",
}

# The tables' notes on streets that no longer exist: "（撤销）", "（已撤销）", "（2022年撤分）".
NOTE = re.compile(r"（已?(?:(?P<year>\d{4})年)?(?P<what>撤销|撤分)）$")
NOTES = {"撤销": "abolished", "撤分": "split up"}

# Place names pypinyin reads as the everyday word, as their syllables.
READINGS = {
    "六合": ("lu", "he"),
    "洪洞": ("hong", "tong"),
    "涡阳": ("guo", "yang"),
    "蚌山": ("beng", "shan"),
    "都安": ("du", "an"),
    "解州": ("xie", "zhou"),
    "长子": ("zhang", "zi"),
}
SINGLE_CHARACTER_READINGS = {"单": "shan", "浚": "xun"}  # 单县, 浚县
LEADING_READINGS = {"长": "chang"}  # 长宁, 长清, 长治 … (but 长子, in READINGS)
VOWELS = "aoe"


def shown_region_name(name: str, language: str) -> str:
    """``name`` (a region's name from the tables, simplified Chinese) as shown in ``language``."""
    if language == "zh-Hant":
        return _traditional(name)
    if language == "en":
        return english_region_name(name)
    return name


def shown_region_path(names: list[str], language: str) -> str:
    """A region's path from the province down ("江苏省 南京市 浦口区") in ``language``."""
    joint = ", " if language == "en" else " "
    return joint.join(shown_region_name(name, language) for name in names)


@functools.lru_cache(maxsize=4096)
def english_region_name(name: str) -> str:
    """``name`` in pinyin with its level in English ("浦口区" → "Pukou District")."""
    note = NOTE.search(name)
    if note is not None:  # a street since merged away: "巷口镇（已撤销）"
        year = f" {note['year']}" if note["year"] else ""
        return f"{english_region_name(name[: note.start()])} ({NOTES[note['what']]}{year})"
    if name in ENGLISH_NAMES:
        return ENGLISH_NAMES[name]
    base, level = name, ""
    for word, english in LEVEL_WORDS:
        if name.endswith(word) and len(name) > len(word):
            base, level = name[: -len(word)], english
            break
    peoples: list[str] = []
    while (people := next((p for p in PEOPLES if base.endswith(p) and len(base) > len(p)), None)) is not None:
        peoples.insert(0, PEOPLES[people])
        base = base[: -len(people)]
    named_for = (" " + " and ".join(peoples)) if peoples else ""
    return _romanised(base) + named_for + level


def _romanised(text: str) -> str:
    syllables = _syllables(text)
    joined = syllables[0]
    for syllable in syllables[1:]:
        joined += ("'" if syllable[:1] in VOWELS else "") + syllable
    return joined[:1].upper() + joined[1:]


def _syllables(text: str) -> list[str]:
    from pypinyin import lazy_pinyin  # its dictionaries load on first use

    if len(text) == 1 and text in SINGLE_CHARACTER_READINGS:
        return [SINGLE_CHARACTER_READINGS[text]]
    syllables: list[str] = []
    rest = text
    while rest:
        known = next((word for word in READINGS if rest.startswith(word)), None)
        if known is not None:
            syllables += READINGS[known]
            rest = rest[len(known):]
            continue
        following = next((i for i in range(1, len(rest)) if any(rest[i:].startswith(w) for w in READINGS)), len(rest))
        part = lazy_pinyin(rest[:following])  # anything but Han characters stays as it is
        if not syllables and rest[:1] in LEADING_READINGS:
            part[0] = LEADING_READINGS[rest[0]]
        syllables += part
        rest = rest[following:]
    return [s for s in syllables if s.strip()]


@functools.lru_cache(maxsize=4096)
def _traditional(name: str) -> str:
    return _converter().convert(name)


@functools.cache
def _converter() -> Any:
    import opencc  # loads its dictionaries: only when a name is first shown in zh-Hant

    return opencc.OpenCC("s2tw")  # Taiwan standard forms, as the kiosk's zh-Hant texts are written

