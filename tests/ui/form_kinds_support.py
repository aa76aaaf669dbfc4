"""The test-only catalogue with one item asking every kind of question, and a kiosk offering it.

Used by ``test_form_kinds`` (real touches) and ``render_form_kinds`` (PNGs of every screen). Its
words in the other languages are in ``form_kinds_catalog/locale``, kept apart from the kiosk's:
``kinds_locale_dir`` adds them to the kiosk's own, as a site with its own catalogue would.
"""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from kiosk.catalog.loading import load_catalog
from kiosk.config.settings import KioskConfig
from kiosk.messages.locales import LOCALES, SOURCE_LANGUAGE, SOURCE_LOCALE_DIR, mo_path

CATALOG = Path(__file__).resolve().parent / "form_kinds_catalog" / "catalog.toml"
TRANSLATIONS = CATALOG.parent / "locale"  # <locale>.po: the test catalogue's words only
ITEM = "form-kinds"
VALID_ID_NUMBER = "11010519491231002X"  # the GB 11643 standard's own example


def kinds_config(config: KioskConfig) -> KioskConfig:
    """``config`` offering only the every-kind item from the test catalogue."""
    site = dataclasses.replace(config.site, item_ids=(ITEM,), bundle_ids=())
    return dataclasses.replace(config, catalog=load_catalog(CATALOG), site=site)


def kinds_locale_dir(folder: Path) -> Path:
    """A locale folder under ``folder`` for ``KIOSK_LOCALE_DIR``: the kiosk's compiled words, and
    its catalogue's with the test catalogue's added, in every language but the source."""
    for language, locale in LOCALES.items():
        if language == SOURCE_LANGUAGE:
            continue
        target = folder / locale / "LC_MESSAGES"
        target.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(mo_path(language, "kiosk", SOURCE_LOCALE_DIR), target / "kiosk.mo")
        with (SOURCE_LOCALE_DIR / locale / "LC_MESSAGES" / "catalog.po").open("rb") as file:
            words = read_po(file)
        with (TRANSLATIONS / f"{locale}.po").open("rb") as file:
            for message in read_po(file):
                if message.id:
                    words[message.id] = message
        with (target / "catalog.mo").open("wb") as file:
            write_mo(file, words)
    return folder
