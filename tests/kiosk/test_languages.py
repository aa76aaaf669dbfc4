"""Three languages through gettext: every word translated, the templates up to date with the
sources, the catalogue shown (never stored) in the resident's language, and the switch kept
by the session.

A new message or catalogue text without its translation fails here, naming it and the
command that brings the ``.po`` files up to date.
"""

from __future__ import annotations

import string
from datetime import date
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from kiosk.catalog.application import application_for
from kiosk.catalog.fields import MULTI_SEPARATOR, FieldKind
from kiosk.catalog.model import Field
from kiosk.catalog.translated import field_in, guide_in, shown_answer
from kiosk.config.settings import load_config
from kiosk.messages import LANGUAGES, WORDING, ZH_HANS, CatalogText, MessageId, catalog_text, locales, message, say
from kiosk.messages.extract import SOURCE_LOCALE_DIR, po_path, templates
from kiosk.session.questions import delivery_field, review_rows
from tests.support.chinese_script import chinese_in, opencc_available, simplified_in

EXTRACT = "python -m kiosk.messages.extract"
TRANSLATED = [language for language in LANGUAGES if language != locales.SOURCE_LANGUAGE]


def fields_of(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def read(path: Path, language: str, domain: str) -> Catalog:
    with path.open("rb") as file:
        return read_po(file, locale=locales.LOCALES[language], domain=domain)


def keys(catalogue: Catalog) -> set[tuple[str | None, str]]:
    return {(m.context, str(m.id)) for m in catalogue if m.id}


@pytest.mark.parametrize("domain", locales.DOMAINS)
def test_the_templates_are_up_to_date_with_the_sources(domain: str) -> None:
    committed = read(SOURCE_LOCALE_DIR / f"{domain}.pot", "zh-Hans", domain)
    wanted = templates()[domain]
    new, gone = keys(wanted) - keys(committed), keys(committed) - keys(wanted)
    assert not new and not gone, f"locale/{domain}.pot is stale: run `{EXTRACT}` and translate; new {sorted(new)[:5]}"


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("domain", locales.DOMAINS)
def test_every_text_is_translated_in_every_language(language: str, domain: str) -> None:
    catalogue = read(po_path(SOURCE_LOCALE_DIR, language, domain), language, domain)
    template = templates()[domain]
    assert keys(catalogue) == keys(template), f"{language} {domain}.po is stale: run `{EXTRACT}`"
    missing = [(m.context or "") + " " + str(m.id) for m in catalogue if m.id and (not m.string or m.fuzzy)]
    assert missing == [], f"{len(missing)} untranslated (or fuzzy) in {language} {domain}.po"


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_message_has_words_with_the_same_parameters(language: str) -> None:
    table = WORDING[language]
    assert set(table) == set(MessageId), f"no {language} words for {sorted(set(MessageId) - set(table))}"
    differ = [m for m in MessageId if fields_of(table[m]) != fields_of(ZH_HANS[m])]
    assert differ == [], "a translation must keep every {param} of the zh-Hans words"


@pytest.mark.skipif(not opencc_available(), reason="OpenCC (the dev extra) finds simplified characters")
@pytest.mark.parametrize("domain", locales.DOMAINS)
def test_no_simplified_characters_are_left_in_traditional_chinese(domain: str) -> None:
    catalogue = read(po_path(SOURCE_LOCALE_DIR, "zh-Hant", domain), "zh-Hant", domain)
    own_name = ZH_HANS[MessageId.UI_LANGUAGE_ZH_HANS]  # 简体 names itself
    left = [(m.id, m.string, simplified_in(m.string)) for m in catalogue
            if m.id and m.string and m.string != own_name and simplified_in(m.string)]
    assert left == [], f"{len(left)} zh-Hant texts with simplified characters"


def test_english_has_no_chinese_but_the_language_switch() -> None:
    own_names = {MessageId.UI_LANGUAGE_ZH_HANS, MessageId.UI_LANGUAGE_ZH_HANT}
    chinese = [m for m, words in WORDING["en"].items() if m not in own_names and chinese_in(words)]
    assert chinese == []


def test_the_words_follow_the_language() -> None:
    result = message(MessageId.LOOKUP_RESULT, case_number="202612020010001", status=MessageId.CASE_ACCEPTED)
    assert say(result, "en") == "Accepted\nCase number 202612020010001"
    assert say(result, "zh-Hant") == "已受理\n受理編號 202612020010001"
    assert say(MessageId.UI_FORM_NEXT, "zh-Hans") == "下一步"
    assert say(MessageId.UI_LANGUAGE_ZH_HANT, "en") == "繁體"  # each language named in its own words


def test_a_catalogue_parameter_is_shown_in_the_message_language() -> None:
    missing = message(MessageId.REVIEW_MISSING, label=CatalogText("手机号码"))
    assert say(missing) == "请检查以下内容：手机号码未填写"
    assert "手机" not in say(missing, "en") and "手機號碼" in say(missing, "zh-Hant")


def test_joined_catalogue_texts_are_translated_part_by_part() -> None:
    joined = "免费；即时办结"
    assert catalog_text(joined, "en") == f"{catalog_text('免费', 'en')}; {catalog_text('即时办结', 'en')}"
    assert catalog_text("不在目录里的字", "en") == "不在目录里的字"  # a newer catalogue's text: as it is
    assert catalog_text("免费", "zh-Hans") == "免费"


def test_a_missing_compiled_catalogue_is_an_error_naming_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KIOSK_LOCALE_DIR", str(tmp_path))
    locales.translations.cache_clear()
    try:
        with pytest.raises(locales.MissingTranslations, match=r"zh_Hant/LC_MESSAGES/kiosk\.mo"):
            locales.check_translations()
    finally:
        monkeypatch.delenv("KIOSK_LOCALE_DIR")
        locales.translations.cache_clear()


@pytest.fixture(scope="module")
def catalog():  # type: ignore[no-untyped-def]
    return load_config().catalog


def test_every_shipped_catalogue_text_has_a_translation(catalog) -> None:  # type: ignore[no-untyped-def]
    for language in TRANSLATED:
        for item in catalog.items:
            guide = guide_in(item.guide, language)
            for field in item.fields:
                shown = field_in(field, language)
                assert shown.options == field.options  # what a choice stores never changes
                if language == "en":
                    assert not chinese_in(shown.label + "".join(shown.option_labels)), (item.id, field.id)
            if language == "en":
                materials = (m.name for m in guide.materials)
                words = " ".join((guide.who, *guide.conditions, guide.fee, guide.result, *materials))
                assert not chinese_in(words), item.id


def test_a_choice_is_stored_in_the_catalogue_words_and_shown_in_the_resident_language() -> None:
    field = Field(id="kinds", label="需要的发票种类（可多选）", kind=FieldKind.MULTI_CHOICE,
                  options=("数电发票（普通发票）", "数电发票（增值税专用发票）"))
    stored = MULTI_SEPARATOR.join(field.options)
    shown = shown_answer(field, stored, "en")
    assert "数电" not in shown and ", " in shown
    assert shown_answer(field, stored, "zh-Hans") == field.label_of(stored)
    yes_no = Field(id="yes", label="是否需要开具发票？", kind=FieldKind.YES_NO, options=("yes", "no"),
                   option_labels=("是", "否"))
    assert field_in(yes_no, "en").option_labels == ("Yes", "No")


def test_the_review_is_in_the_resident_language_and_the_answers_are_not(catalog) -> None:  # type: ignore[no-untyped-def]
    from drivers.idcard import samples
    from kiosk.session.identity import identity_from_card

    application = application_for(catalog, catalog.items[0].id)
    identity = identity_from_card(samples.RESIDENT, date(2026, 12, 1))
    asked = [f for f in application.asked_fields if f.options]
    answers = {f.id: f.options[0] for f in asked}
    english = {row.key: row for row in review_rows(application, identity, answers, "en")}
    chinese = {row.key: row for row in review_rows(application, identity, answers)}
    for field in asked:
        assert english[field.id].label == field_in(field, "en").label != field.label
    assert english["name"].value == chinese["name"].value  # the card's values are the resident's own
    assert answers == {f.id: f.options[0] for f in asked}
    delivery = delivery_field(application, "en")
    assert delivery.options == tuple(way.value for way in application.delivery)
    assert not chinese_in(delivery.label + "".join(delivery.option_labels))
