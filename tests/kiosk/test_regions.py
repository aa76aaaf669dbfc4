"""The shipped region tables: levels, names, parents and children as a resident picks them."""

from __future__ import annotations

import re

import pytest

from kiosk.catalog import regions
from kiosk.catalog.fields import FieldKind, check_answer
from kiosk.catalog.model import Field
from kiosk.catalog.region_names import english_region_name
from kiosk.catalog.translated import shown_answer

JIANGBEI_NEW_AREA = {  # 江北新区's streets, in 浦口区 and 六合区
    "320111001": "泰山街道", "320111002": "顶山街道", "320111003": "沿江街道", "320111007": "盘城街道",
    "320116010": "大厂街道", "320116011": "葛塘街道", "320116012": "长芦街道",
}


def test_the_provinces_are_the_34_of_gb_t_2260() -> None:
    provinces = regions.children(None)
    assert len(provinces) == 34
    assert provinces[0] == ("110000", "北京市") and ("320000", "江苏省") in provinces
    assert all(regions.region_depth(code) == 1 and regions.parent(code) is None for code, _ in provinces)


def test_nanjing_has_its_eleven_districts() -> None:
    assert ("320100", "南京市") in regions.children("320000")
    districts = dict(regions.children("320100"))
    assert list(districts.values()) == [
        "玄武区", "秦淮区", "建邺区", "鼓楼区", "浦口区", "栖霞区", "雨花台区", "江宁区", "六合区", "溧水区", "高淳区",
    ]
    assert all(regions.region_depth(code) == 3 and regions.parent(code) == "320100" for code in districts)


def test_the_streets_of_jiangbei_new_area_are_level_four() -> None:
    for code, name in JIANGBEI_NEW_AREA.items():
        assert regions.region_depth(code) == 4
        assert (code, name) in regions.children(code[:6])
    assert regions.region_path_name("320111002") == "江苏省 南京市 浦口区 顶山街道"
    assert regions.path("320116011") == ["320000", "320100", "320116", "320116011"]


def test_every_nanjing_district_has_streets_and_every_street_its_district() -> None:
    for district, _ in regions.children("320100"):
        streets = regions.children(district)
        assert streets, district
        assert all(re.fullmatch(rf"{district}[0-9]{{3}}", code) and name for code, name in streets)


def test_municipalities_and_province_governed_counties_hang_under_the_province() -> None:
    beijing = dict(regions.children("110000"))
    assert beijing["110101"] == "东城区" and regions.parent("110101") == "110000"
    assert regions.region_path_name("110101") == "北京市 东城区"
    assert regions.parent("419001") == "410000" and regions.region_depth("419001") == 3
    assert ("419001", "济源市") in regions.children("410000")


def test_unknown_codes_have_no_depth_and_read_as_themselves() -> None:
    for code in ("", "999999", "320199", "320111999", "32011100", "abcdef", "320111001000"):
        assert regions.region_depth(code) is None, code
        assert regions.region_path_name(code) == code
    assert regions.children("999999") == []


def test_a_city_without_districts_is_a_complete_answer_but_a_city_with_them_is_not() -> None:
    assert regions.region_depth("441900") == 2 and regions.children("441900") == []  # 东莞市
    assert regions.region_complete("441900", 3)
    assert not regions.region_complete("320100", 3)
    assert regions.region_complete("320111", 3) and not regions.region_complete("320111", 4)
    assert regions.region_complete("320111001", 4)
    assert not regions.region_complete("000000", 1)


def test_the_region_check_and_the_review_wording_use_the_tables() -> None:
    home = Field("home", "户籍地", FieldKind.REGION, region_levels=4)
    assert check_answer(home, "320111002") is None
    assert check_answer(home, "320111") is not None  # a street is wanted
    assert check_answer(home, "320111999") is not None
    assert home.label_of("320111002") == "江苏省 南京市 浦口区 顶山街道"


@pytest.mark.parametrize(("name", "english"), [
    ("江苏省", "Jiangsu"), ("南京市", "Nanjing"), ("浦口区", "Pukou District"),
    ("泰山街道", "Taishan Subdistrict"), ("西安市", "Xi'an"), ("陕西省", "Shaanxi"),
    # place names pypinyin reads as the everyday word
    ("六合区", "Luhe District"), ("单县", "Shan County"), ("长治市", "Changzhi"),
    ("长宁区", "Changning District"), ("长子县", "Zhangzi County"), ("洪洞县", "Hongtong County"),
    # the peoples an autonomous region is named for
    ("黔东南苗族侗族自治州", "Qiandongnan Miao and Dong Autonomous Prefecture"),
    ("宁夏回族自治区", "Ningxia"),
    ("巷口镇（已撤销）", "Xiangkou Town (abolished)"),  # the tables' note on a street merged away
])
def test_a_region_reads_in_english_as_chinas_place_names_are_written(name: str, english: str) -> None:
    assert english_region_name(name) == english


def test_the_review_shows_a_region_in_the_residents_language_and_stores_its_code() -> None:
    home = Field("home", "户籍地", FieldKind.REGION, region_levels=4)
    assert shown_answer(home, "320116011", "en") == "Jiangsu, Nanjing, Luhe District, Getang Subdistrict"
    assert shown_answer(home, "320111002", "zh-Hant") == "江蘇省 南京市 浦口區 頂山街道"
    assert shown_answer(home, "320111002", "zh-Hans") == "江苏省 南京市 浦口区 顶山街道"
    assert check_answer(home, "320111002") is None  # what is stored stays the code


def test_every_region_name_has_an_english_form_in_latin_letters() -> None:
    names = [name for code, name in regions.children(None)]
    for province, _ in regions.children(None):
        for city, name in regions.children(province):
            names.append(name)
            names += [district_name for _, district_name in regions.children(city)]
    assert len(names) > 3000
    for name in names:
        english = english_region_name(name)
        assert english.isascii() and english[:1].isupper(), (name, english)
