"""Surname readings with tones, for prompts that are a person's name (``Kind.NAME``).

pypinyin reads a character the common way, which is wrong for many surnames: 单 is shan4 as a
surname (dan1 otherwise), 曾 zeng1 (ceng2), 解 xie4 (jie3). The keyboard's table
(``kiosk.pinyin.names``) has the same surnames without tones; this one is for speech.
Traditional forms are listed beside the simplified ones (zh-Hant names).
"""

from __future__ import annotations

COMPOUND = {  # two-character surnames, checked first
    "尉迟": "yu4 chi2", "尉遲": "yu4 chi2", "万俟": "mo4 qi2", "萬俟": "mo4 qi2",
    "单于": "chan2 yu2", "單于": "chan2 yu2", "长孙": "zhang3 sun1", "長孫": "zhang3 sun1",
    "澹台": "tan2 tai2", "澹臺": "tan2 tai2", "欧阳": "ou1 yang2", "歐陽": "ou1 yang2",
    "令狐": "ling2 hu2", "皇甫": "huang2 fu3", "司马": "si1 ma3", "司馬": "si1 ma3",
    "诸葛": "zhu1 ge3", "諸葛": "zhu1 ge3", "上官": "shang4 guan1", "夏侯": "xia4 hou2",
    "公孙": "gong1 sun1", "公孫": "gong1 sun1", "慕容": "mu4 rong2", "宇文": "yu3 wen2",
    "东方": "dong1 fang1", "東方": "dong1 fang1", "端木": "duan1 mu4", "轩辕": "xuan1 yuan2",
    "軒轅": "xuan1 yuan2", "司徒": "si1 tu2", "司空": "si1 kong1", "呼延": "hu1 yan2",
    "独孤": "du2 gu1", "獨孤": "du2 gu1", "南宫": "nan2 gong1", "南宮": "nan2 gong1",
    "西门": "xi1 men2", "西門": "xi1 men2", "申屠": "shen1 tu2", "闻人": "wen2 ren2",
    "聞人": "wen2 ren2", "百里": "bai3 li3", "东郭": "dong1 guo1", "東郭": "dong1 guo1",
}
SINGLE = {  # where a surname is not read the character's commonest way
    "单": "shan4", "單": "shan4", "曾": "zeng1", "解": "xie4", "区": "ou1", "區": "ou1",
    "仇": "qiu2", "朴": "piao2", "樸": "piao2", "查": "zha1", "盖": "ge3", "蓋": "ge3",
    "覃": "qin2", "乐": "yue4", "樂": "yue4", "缪": "miao4", "繆": "miao4", "翟": "zhai2",
    "柏": "bai3", "华": "hua4", "華": "hua4", "曲": "qu1", "宿": "su4", "都": "du1",
    "强": "qiang2", "強": "qiang2", "薄": "bo2", "尉": "wei4", "种": "chong2", "種": "chong2",
    "重": "chong2", "任": "ren2", "沈": "shen3", "贾": "jia3", "賈": "jia3", "召": "shao4",
    "冼": "xian3", "於": "yu1", "员": "yun4", "員": "yun4", "纪": "ji3", "紀": "ji3",
    "秘": "bi4", "折": "she2", "繁": "po2", "隗": "wei3", "能": "nai4", "句": "gou1",
    "那": "na1", "过": "guo1", "過": "guo1", "燕": "yan1", "石": "shi2", "万": "wan4",
}


def surname_reading(name: str) -> tuple[str, str] | None:
    """The surname at the start of ``name`` and its reading, when the table knows it."""
    if name[:2] in COMPOUND:
        return name[:2], COMPOUND[name[:2]]
    if name[:1] in SINGLE:
        return name[:1], SINGLE[name[:1]]
    return None
