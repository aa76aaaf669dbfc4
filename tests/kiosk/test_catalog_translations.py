"""Every catalogue text has a translation in English and traditional Chinese, its placeholders kept.

The catalogue (``config/catalog/**/*.toml``) and the site profiles (``config/sites/*.toml``) are
written in zh-Hans; their texts are translated in the ``catalog`` gettext domain, msgid the text
exactly as the TOML has it. A text is every string value (in arrays and nested tables too) holding
a CJK ideograph, but for the values of the keys below (translated in the TOML already, or never
shown). The rule is written out here on purpose, apart from ``kiosk.messages.extract``: the two
must agree.
"""

from __future__ import annotations

import re
import tomllib
from collections import Counter
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

REPO = Path(__file__).resolve().parents[2]
SOURCES = ("config/catalog/**/*.toml", "config/sites/*.toml")
NOT_TRANSLATED = frozenset({"name_hant", "name_en", "keywords", "code", "id"})
CJK_IDEOGRAPH = re.compile(r"[\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff]")
PLACEHOLDER = re.compile(r"\{[^{}]*\}")
LANGUAGES = ("en", "zh_Hant")


def _texts(value: object, key: str | None = None) -> Iterator[str]:
    if key in NOT_TRANSLATED:
        return
    if isinstance(value, str):
        if CJK_IDEOGRAPH.search(value):
            yield value
    elif isinstance(value, list):
        for inner in value:
            yield from _texts(inner, key)
    elif isinstance(value, dict):
        for name, inner in value.items():
            yield from _texts(inner, name)


@cache
def catalogue_texts() -> dict[str, str]:
    """Every text to translate, with the first file that has it."""
    found: dict[str, str] = {}
    for pattern in SOURCES:
        for path in sorted(REPO.glob(pattern)):
            source = path.relative_to(REPO).as_posix()
            for text in _texts(tomllib.loads(path.read_text(encoding="utf-8"))):
                found.setdefault(text, source)
    return found


@cache
def po_file(language: str) -> Catalog:
    with (REPO / "locale" / language / "LC_MESSAGES" / "catalog.po").open("rb") as file:
        return read_po(file, locale=language, domain="catalog")


def _placeholders(text: str) -> Counter[str]:
    return Counter(PLACEHOLDER.findall(text))


def test_the_rule_finds_the_catalogue_texts() -> None:
    texts = catalogue_texts()
    assert "区民政局" in texts  # a department
    assert "子女" in texts  # a choice option, in an array of a nested table
    assert texts["区民政局"].startswith("config/catalog/items/")
    assert any(source.startswith("config/sites/") for source in texts.values())


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_catalogue_text_is_translated(language: str) -> None:
    catalogue = po_file(language)
    problems = []
    for text, source in catalogue_texts().items():
        entry = catalogue.get(text)
        if entry is None:
            problems.append(f"missing: {text!r} ({source})")
        elif not (entry.string or "").strip():
            problems.append(f"empty msgstr: {text!r} ({source})")
        elif entry.fuzzy:
            problems.append(f"fuzzy (not compiled): {text!r} ({source})")
    assert not problems, f"{language} catalog.po, {len(problems)} problem(s):\n" + "\n".join(problems)


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_the_placeholders(language: str) -> None:
    catalogue = po_file(language)
    problems = []
    for text in catalogue_texts():
        entry = catalogue.get(text)
        if entry is None or not entry.string:
            continue  # reported by the test above
        if _placeholders(entry.string) != _placeholders(text):
            problems.append(f"{text!r} → {entry.string!r}: {sorted(_placeholders(text).elements())} "
                            f"≠ {sorted(_placeholders(entry.string).elements())}")
    assert not problems, f"{language} catalog.po, placeholders differ:\n" + "\n".join(problems)
