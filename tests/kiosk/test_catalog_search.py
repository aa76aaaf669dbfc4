"""The catalogue search: words, synonyms, pinyin, initials, other names, ranking by use."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from kiosk.catalog.loading import load_catalog
from kiosk.catalog.model import Bundle, Catalog, Names
from kiosk.catalog.search import MAX_QUERY, CatalogSearch, units_of

SHIPPED = Path(__file__).resolve().parents[2] / "config" / "catalog"


@pytest.fixture(scope="module")
def shipped() -> Catalog:
    return load_catalog(SHIPPED)


@pytest.fixture(scope="module")
def search(shipped: Catalog) -> CatalogSearch:
    return CatalogSearch(shipped)


def ids(found: list) -> list[str]:  # type: ignore[type-arg]
    return [match.id for match in found]


def small_catalog(shipped: Catalog) -> Catalog:
    """Three real items renamed into a known shape, and a bundle of two of them."""
    first, second, third = (shipped.item(i) for i in
                            ("social-insurance-certificate", "residence-permit", "senior-citizen-card"))
    items = (
        dataclasses.replace(first, names=Names("社保证明甲", "社保證明甲", "Certificate A"), keywords=()),
        dataclasses.replace(second, names=Names("社保证明乙", "社保證明乙", "Certificate B"), keywords=()),
        dataclasses.replace(third, names=Names("老人卡", "老人卡", "Senior card"), keywords=("敬老",)),
    )
    bundle = Bundle(id="both-certificates", names=Names("两张证明一起办", "兩張證明一起辦", "Both certificates"),
                    icon="证", categories=(), keywords=("社保",), summary="一次办两张",
                    item_ids=(items[0].id, items[1].id))
    return Catalog("test", items, (bundle,))


def test_units_carry_each_character_with_its_pinyin() -> None:
    assert units_of("社保证明") == "\x01社she\x01保bao\x01证zheng\x01明ming"
    assert units_of("80岁补贴") == "\x0188\x0100\x01岁sui\x01补bu\x01贴tie"
    assert units_of("银行（网点）") == "\x01银yin\x01行hang\x01网wang\x01点dian"  # the phrase reading, no brackets


def test_initials_find_the_social_insurance_certificate(search: CatalogSearch) -> None:
    found = search.search("sbzm")
    assert found and found[0].id == "social-insurance-certificate"
    assert found[0].kind == "item" and found[0].name == "社保参保证明打印"
    assert found[0].matched == "社保证明"  # its keyword; the name's initials are sbcbzmdy


def test_full_pinyin_partial_pinyin_and_mixed_input_find_the_same_item(search: CatalogSearch) -> None:
    for typed in ("shebaozhengming", "shebaozhengm", "社保zm", "社保zhengming", "shebzm", "SBZM", "ｓｂｚｍ"):
        assert ids(search.search(typed))[:1] == ["social-insurance-certificate"], typed


def test_pinyin_of_a_name_finds_it(search: CatalogSearch) -> None:
    found = ids(search.search("juzhuzheng"))
    assert set(found[:2]) == {"residence-permit", "residence-permit-endorsement"}
    assert ids(search.search("jzz")) == found


def test_a_synonym_among_the_keywords_finds_the_item(search: CatalogSearch) -> None:
    found = {m.id: m for m in search.search("开店")}
    assert found["individual-business-registration"].matched == "开店"
    assert "individual-business-registration" in ids(search.search("kaidian"))
    assert "individual-business-registration" in ids(search.search("kd"))


def test_traditional_and_english_names_find_the_item(search: CatalogSearch) -> None:
    assert ids(search.search("居住證申領")) == ["residence-permit"]
    found = search.search("residence permit")
    assert found[0].id == "residence-permit" and found[0].matched == "Residence permit application"
    assert "residence-permit" in ids(search.search("Resid"))  # a word's start, any case
    assert "residence-permit" not in ids(search.search("sidence"))  # not the middle of an English word


def test_the_name_outranks_a_keyword_and_the_whole_name_its_start(search: CatalogSearch) -> None:
    found = search.search("居住证申领")
    assert found[0].id == "residence-permit"
    exact, *rest = found
    assert all(exact.score > other.score for other in rest)
    by_name = search.search("医保")
    scores = {m.id: m.score for m in by_name}
    assert scores["resident-medical-insurance"] > scores["medical-insurance-certificate"]  # name > keyword


def test_equal_matches_rank_by_use_here_then_by_the_site_order(shipped: Catalog) -> None:
    catalog = small_catalog(shipped)
    search = CatalogSearch(catalog)
    first, second = catalog.items[0].id, catalog.items[1].id
    assert ids(search.search("社保证明")) == [first, second]
    assert ids(search.search("社保证明", usage={second: 3, first: 1})) == [second, first]
    # Equal quality (证明 inside each name): the bundle comes first in the site's order, unless used less.
    assert ids(search.search("证明")) == ["both-certificates", first, second]
    assert ids(search.search("证明", usage={second: 2})) == [second, "both-certificates", first]
    assert ids(search.search("sbzm", usage={second: 3}))[:2] == [second, first]
    assert search.search("敬老")[0].matched == "敬老"
    assert ids(search.search("社保", limit=1)) == [first]


def test_bundles_are_found_and_marked(shipped: Catalog) -> None:
    search = CatalogSearch(small_catalog(shipped))
    found = search.search("lzzm")
    assert [(m.id, m.kind) for m in found] == [("both-certificates", "bundle")]
    assert found[0].name == "两张证明一起办"


def test_ranked_puts_the_most_used_first_and_keeps_the_site_order_otherwise(shipped: Catalog) -> None:
    catalog = small_catalog(shipped)
    search = CatalogSearch(catalog)
    site_order = [o.id for o in catalog.offers()]
    assert [o.id for o in search.ranked()] == site_order == [o.id for o in search.ranked({})]
    third = catalog.items[2].id
    assert [o.id for o in search.ranked({third: 5})] == [third, *[i for i in site_order if i != third]]
    # A bundle counts as used as its least used item, unless counted itself.
    first, second = catalog.items[0].id, catalog.items[1].id
    assert search.ranked({first: 4, second: 2, third: 3})[0].id == first
    assert [o.id for o in search.ranked({first: 4, second: 2, third: 3})][1:3] == [third, "both-certificates"]
    assert search.ranked({"both-certificates": 9})[0].id == "both-certificates"


def test_nothing_found_is_an_empty_list(search: CatalogSearch) -> None:
    assert search.search("qqqqqq") == []
    assert search.search("火箭发射") == []
    assert search.search("xyzzy") == []


@pytest.mark.parametrize("typed", ["", "   ", "!!!", "（）、。", "\x00\x01", "🙂🙂", "+-*/ (.*) 。", "#$%^&"])
def test_empty_or_garbage_input_finds_nothing_and_does_not_crash(search: CatalogSearch, typed: str) -> None:
    assert search.search(typed) == []


def test_very_long_input_is_cut_and_does_not_crash(search: CatalogSearch) -> None:
    for typed in ("a" * 100_000, "zh" * 5000, "社保" * 5000, "shebaozhengming" * 100):
        assert isinstance(search.search(typed), list)
    # The first MAX_QUERY characters still count: a name typed in full, then noise.
    assert ids(search.search("社保参保证明打印" + "x" * (MAX_QUERY * 10)))[:1] == []
    assert ids(search.search("shebaozhengming" + " " * 1000))[:1] == ["social-insurance-certificate"]


def test_the_limit_caps_the_matches(search: CatalogSearch) -> None:
    assert len(search.search("z", limit=3)) == 3
    assert search.search("z", limit=0) == []
