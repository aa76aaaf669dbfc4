"""Write the gettext templates from the sources and bring every locale's ``.po`` up to date.

``python -m kiosk.messages.extract`` (a developer's tool: it needs Babel, from the ``dev``
extra) writes ``locale/kiosk.pot`` (every message of ``zh_hans.py``: msgctxt the id, msgid the
words) and ``locale/catalog.pot`` (every catalogue text: each string value in
``config/catalog/**/*.toml`` and ``config/sites/*.toml`` holding a CJK ideograph, but for the
keys in ``NOT_SHOWN``; and the materials a clerk may ask for, ``contract.materials``, which a
status lookup shows among the catalogue's words), then updates ``locale/<locale>/LC_MESSAGES/<domain>.po`` from them
with Babel's ``Catalog.update``: a new text comes in untranslated, a changed one fuzzy, and
both count as missing until a translator fills them in. zh_Hans is the source: its ``.po``
repeats the msgids. ``make`` compiles the ``.po`` files; tests check all of it.
"""

from __future__ import annotations

import copy
import re
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

from contract.materials import MATERIAL_LABELS
from kiosk.messages.locales import LOCALES, SOURCE_LANGUAGE, SOURCE_LOCALE_DIR
from kiosk.messages.zh_hans import ZH_HANS

REPO = Path(__file__).resolve().parents[2]
CONFIG = REPO / "config"
CATALOG_SOURCES = ("catalog/**/*.toml", "sites/*.toml")
NOT_SHOWN = frozenset({"name_hant", "name_en", "keywords", "code", "id"})  # translated already, or never shown
CJK_IDEOGRAPH = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff]")
PROJECT = "gov-kiosk"
PO_WIDTH = 100


def kiosk_template() -> Catalog:
    """Every message the kiosk says, in the order of ``zh_hans.py``."""
    template = Catalog(project=PROJECT, domain="kiosk", fuzzy=False)
    for message_id, words in ZH_HANS.items():
        template.add(words, context=message_id.value)
    return template


def catalog_texts(config: Path = CONFIG) -> dict[str, list[tuple[str, str]]]:
    """Every catalogue text, with where it is (file, key path), in file order."""
    found: dict[str, list[tuple[str, str]]] = {}
    for pattern in CATALOG_SOURCES:
        for path in sorted(config.glob(pattern)):
            source = path.relative_to(config.parent).as_posix()
            for key, text in _strings(tomllib.loads(path.read_text(encoding="utf-8")), ""):
                found.setdefault(text, []).append((source, key))
    for material, label in MATERIAL_LABELS.items():
        found.setdefault(label, []).append(("contract/materials.py", material.value))
    return found


def _strings(value: object, key: str) -> Iterator[tuple[str, str]]:
    """The shown strings of a TOML value, with their dotted key (list items take the list's)."""
    if key.rpartition(".")[2] in NOT_SHOWN:
        return
    if isinstance(value, str):
        if CJK_IDEOGRAPH.search(value):
            yield key, value
    elif isinstance(value, dict):
        for name, inner in value.items():
            yield from _strings(inner, f"{key}.{name}" if key else name)
    elif isinstance(value, list):
        for inner in value:
            yield from _strings(inner, key)


def catalog_template(config: Path = CONFIG) -> Catalog:
    template = Catalog(project=PROJECT, domain="catalog", fuzzy=False)
    for text, places in catalog_texts(config).items():
        files = list(dict.fromkeys(source for source, _ in places))
        keys = list(dict.fromkeys(key for _, key in places))
        template.add(text, locations=[(source, 0) for source in files], auto_comments=keys)
    return template


def templates() -> dict[str, Catalog]:
    return {"kiosk": kiosk_template(), "catalog": catalog_template()}


def po_path(folder: Path, language: str, domain: str) -> Path:
    return folder / LOCALES[language] / "LC_MESSAGES" / f"{domain}.po"


def updated(template: Catalog, language: str, domain: str, existing: Catalog | None) -> Catalog:
    """``existing`` (or a new catalogue) brought up to ``template``; the source repeats its msgids."""
    locale = LOCALES[language]
    catalogue = existing or Catalog(locale=locale, domain=domain, project=PROJECT, fuzzy=False)
    catalogue.update(copy.deepcopy(template))  # update shares the template's messages
    catalogue.obsolete.clear()  # git keeps the history
    if language == SOURCE_LANGUAGE:
        for entry in catalogue:
            if entry.id:
                entry.string = entry.id
                entry.flags.discard("fuzzy")
    return catalogue


def write(catalogue: Catalog, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as file:
        write_po(file, catalogue, width=PO_WIDTH, include_lineno=False)


def extract(folder: Path = SOURCE_LOCALE_DIR) -> list[Path]:
    """Write both templates and update every locale's ``.po`` files; the files written."""
    written = []
    for domain, template in templates().items():
        pot = folder / f"{domain}.pot"
        write(template, pot)
        written.append(pot)
        for language in LOCALES:
            path = po_path(folder, language, domain)
            existing = None
            if path.exists():
                with path.open("rb") as file:
                    existing = read_po(file, locale=LOCALES[language], domain=domain)
            write(updated(template, language, domain, existing), path)
            written.append(path)
    return written


def main(argv: list[str]) -> int:
    folder = Path(argv[0]) if argv else SOURCE_LOCALE_DIR
    for path in extract(folder):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
