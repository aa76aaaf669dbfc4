"""The catalogue schema: the shipped folder validates; bad files fail naming file, item and field;
conditions, repeating groups and bundles behave in a session."""

from __future__ import annotations

import copy
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from contract.wire import Delivery
from drivers.idcard import samples
from kiosk.catalog.application import application_for
from kiosk.catalog.fields import FieldKind, check_answer
from kiosk.catalog.loading import catalog_from_document, load_catalog
from kiosk.catalog.model import Channel
from kiosk.config.settings import SOURCE_CONFIG, KioskConfig
from kiosk.errors import ConfigError
from kiosk.session.identity import identity_from_card
from kiosk.session.session import Session, Step

CATALOG_DIR = SOURCE_CONFIG.parent / "catalog"


def _item(item_id: str, fields: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    return {
        "id": item_id, "code": "TEST-" + item_id.upper()[:20], "name": f"测试{item_id}",
        "name_hant": f"測試{item_id}", "name_en": f"Test {item_id}", "department": "测试局",
        "level": "street", "channel": "intake", "icon": "测",
        "categories": ["family"], "keywords": ["测试"], "delivery": ["pickup", "electronic"],
        "guide": {
            "who": "本市居民", "conditions": ["年满18周岁"], "fee": "免费", "legal_limit": "20个工作日",
            "promised_limit": "5个工作日", "legal_basis": ["《测试条例》"], "result": "结果",
            "result_delivery": "短信",
            "materials": [{"name": "居民身份证", "form": "original", "capture": "card"}],
        },
        "fields": [{"id": "name", "label": "姓名", "prefill": "name"}, *fields],
        **extra,
    }


DOCUMENT: dict[str, Any] = {
    "version": "t1",
    "categories": [{"id": "family", "name": "家庭", "name_hant": "家庭", "name_en": "Family", "icon": "家"}],
    "items": [
        _item("allowance", [
            {"id": "phone", "label": "手机号码", "kind": "phone", "min_length": 11, "max_length": 11},
            {"id": "married", "label": "是否已婚", "kind": "yes_no"},
            {"id": "spouse", "label": "配偶姓名", "kind": "name", "show_if": {"field": "married", "values": ["yes"]}},
            {"id": "members", "label": "共同生活的家庭成员", "kind": "group",
             "member_label": "家庭成员", "max_items": 3,
             "fields": [{"id": "name", "label": "姓名", "kind": "name"},
                        {"id": "relation", "label": "关系", "kind": "choice", "options": ["子女", "父母"]}]},
        ], commitments=["承诺一"]),
        _item("subsidy", [
            {"id": "phone", "label": "手机号码", "kind": "phone", "min_length": 11, "max_length": 11},
            {"id": "amount", "label": "月收入", "kind": "amount", "max_amount": 100000},
        ], commitments=["承诺一", "承诺二"], delivery=["pickup"]),
    ],
    "bundles": [{"id": "family-support", "name": "家庭帮扶一件事",
                 "name_hant": "家庭幫扶一件事", "name_en": "Family support",
                 "icon": "帮", "categories": ["family"], "keywords": ["帮扶"], "summary": "两项一起办",
                 "items": ["allowance", "subsidy"]}],
}


def _broken(path: str, value: Any) -> dict[str, Any]:
    """DOCUMENT with one key changed; ``path`` is dotted with list indexes."""
    document = copy.deepcopy(DOCUMENT)
    *parents, last = path.split(".")
    node: Any = document
    for key in parents:
        node = node[int(key)] if isinstance(node, list) else node[key]
    node[int(last) if isinstance(node, list) else last] = value
    return document


def test_the_shipped_catalogue_validates_and_every_form_is_answerable() -> None:
    catalog = load_catalog(CATALOG_DIR)
    assert catalog.items and catalog.categories
    for item in catalog.items:
        assert item.names.zh_hant and item.names.en and item.guide.materials and item.guide.legal_basis
        assert bool(item.delivery) == (item.channel is Channel.INTAKE)
    for bundle in catalog.bundles:
        application = application_for(catalog, bundle.id)
        assert len(application.items) == len(bundle.item_ids) >= 2 and application.delivery


@pytest.mark.parametrize(("path", "value", "expected"), [
    ("items.0.fields.1.kind", "free_text", r"<doc>: \[item allowance field phone\] kind: 'free_text' is not allowed"),
    ("items.0.channel", "fax", r"\[item allowance\] channel: 'fax' is not allowed"),
    ("items.0.guide.fee", "", r"\[item allowance.guide\] fee: must not be empty"),
    ("items.0.fields.3.show_if", {"field": "phone", "values": ["x"]},
     r"\[item allowance field spouse\] show_if: 'phone' must be an earlier choice field"),
    ("items.0.fields.3.show_if", {"field": "married", "values": ["maybe"]}, r"'maybe' is not an option of 'married'"),
    ("items.1.fields.1.kind", "digits", r"field 'phone' of 'subsidy' differs from the one in 'allowance'"),
    ("items.1.delivery", ["express"], r"\[bundle family-support\] items: its items share no way"),
    ("items.1.id", "allowance", r"id 'allowance' is also used"),
    ("bundles.0.items", ["allowance", "nothing"], r"'nothing' is not in the catalogue"),
    ("bundles.0.id", "family", r"id 'family' is also used in the categories"),
    ("items.0.categories", ["holidays"], r"\[item allowance\] categories: 'holidays' is not a category"),
    ("items.0.surprise", 1, r"\[item allowance\] surprise: unknown key"),
])
def test_a_bad_catalogue_names_file_item_and_field(path: str, value: Any, expected: str) -> None:
    with pytest.raises(ConfigError, match=expected):
        catalog_from_document(_broken(path, value), "<doc>")


def test_a_document_round_trips_through_json() -> None:
    catalog = catalog_from_document(json.loads(json.dumps(DOCUMENT, ensure_ascii=False)), "centre")
    assert [i.id for i in catalog.items] == ["allowance", "subsidy"] and catalog.bundles[0].id == "family-support"
    assert catalog.item("allowance").field("married").options == ("yes", "no")


@pytest.fixture
def session(shipped_config: KioskConfig) -> Session:
    catalog = catalog_from_document(DOCUMENT, "test")
    session = Session(catalog, shipped_config.timeouts)
    session.begin()
    session.identified(identity_from_card(samples.RESIDENT, date(2026, 11, 23)))
    return session


def _ids(session: Session) -> list[str]:
    return [q.id for q in session.questions]


def test_a_follow_up_question_is_asked_only_when_an_answer_calls_for_it(session: Session) -> None:
    session.choose("allowance")
    session.start_form()
    assert session.answer("13812345678") and session.answer("no")
    assert session.question.id == "members" and "spouse" not in _ids(session)
    session.back()
    assert session.answer("yes")
    assert session.question.id == "spouse"
    assert not session.answer("Zhang")  # a name is Han characters
    assert session.answer("阿依古丽·买买提")


def test_a_repeating_group_asks_each_member_and_review_lists_them(session: Session) -> None:
    session.choose("allowance")
    session.start_form()
    for value in ("13812345678", "no", "2", "李四", "子女", "王五", "父母", "pickup"):
        assert session.answer(value), (session.question.id, session.error)
    assert session.step is Step.REVIEW
    rows = {row.key: row for row in session.rows()}
    assert rows["members.2.name"].value == "王五" and rows["members.1.relation"].label == "家庭成员1：关系"
    assert session.submitted_answers()["members.2.relation"] == "父母"
    # Fewer members from the review: the dropped member's answers are not submitted.
    session.change("members")
    assert session.answer("1")
    assert session.step is Step.REVIEW
    assert "members.2.name" not in session.submitted_answers()


def test_changing_an_answer_that_reveals_a_question_asks_it_before_the_review(session: Session) -> None:
    session.choose("allowance")
    session.start_form()
    for value in ("13812345678", "no", "0", "pickup"):
        assert session.answer(value)
    session.change("married")
    assert session.answer("yes")
    assert session.step is Step.FORM and session.question.id == "spouse"
    assert session.answer("张三")
    assert session.step is Step.REVIEW and session.submitted_answers()["spouse"] == "张三"


def test_a_bundle_asks_shared_questions_once_and_merges_guide_and_commitments(session: Session) -> None:
    session.choose("family-support")
    application = session.item
    assert application is not None and application.bundle is not None
    assert application.delivery == (Delivery.PICKUP,)  # the only way both items share
    assert application.commitments == ("承诺一", "承诺二")
    assert [m.name for m in application.guide.materials] == ["居民身份证"]
    session.start_form()
    for value in ("13812345678", "no", "0", "3500.50"):
        assert session.answer(value), session.error
    assert session.step is Step.REVIEW
    assert _ids(session).count("phone") == 1
    subsidy = application.items[1]
    answers = application.answers_for(subsidy, session.submitted_answers())
    assert answers == {"phone": "13812345678", "amount": "3500.50"}


def test_kind_checks_say_what_is_wrong() -> None:
    catalog = catalog_from_document(DOCUMENT, "test")
    amount = catalog.item("subsidy").field("amount")
    assert check_answer(amount, "12.345") is not None and check_answer(amount, "200000") is not None
    assert check_answer(amount, "0.5") is None
    spouse = catalog.item("allowance").field("spouse")
    assert spouse.kind is FieldKind.NAME and check_answer(spouse, "张\u202e三") is not None


def test_id_number_and_date_kinds(tmp_path: Path) -> None:
    document = _broken("items.1.fields.2", {"id": "other_id", "label": "证件号码", "kind": "id_number"})
    document["items"][1]["fields"].append({"id": "day", "label": "日期", "kind": "date", "dates": "past"})
    item = catalog_from_document(document, "test").item("subsidy")
    id_field, day = item.field("other_id"), item.field("day")
    assert check_answer(id_field, "11010519491231002X") is None
    assert check_answer(id_field, "110105194912310021") is not None  # wrong check character
    assert check_answer(id_field, "11010519491331002X") is not None  # no 13th month
    assert check_answer(day, "2020-02-29") is None and check_answer(day, "2021-02-29") is not None
    assert check_answer(day, "2999-01-01") is not None  # a past date only


def test_a_region_answer_must_reach_the_asked_level_unless_nothing_is_below() -> None:
    document = _broken("items.1.fields.2", {"id": "home", "label": "居住地", "kind": "region", "region_levels": 3})
    home = catalog_from_document(document, "test").item("subsidy").field("home")
    assert check_answer(home, "320000") is not None  # 江苏省: a city and a district are still to pick
    assert check_answer(home, "320111") is None  # 浦口区
    assert check_answer(home, "441900") is None  # 东莞市 has no districts: complete at the second level
    assert check_answer(home, "999999") is not None
