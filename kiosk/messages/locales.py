"""The kiosk's languages and their compiled gettext catalogues (``locale/<locale>/LC_MESSAGES``).

Two domains, one ``.po`` per locale each: ``kiosk`` (the kiosk's own words: msgctxt the
message id, msgid the zh-Hans words, looked up with ``pgettext``) and ``catalog`` (the
catalogue's and the site profiles' texts: msgid the zh-Hans text as the TOML has it).
``python -m kiosk.messages.extract`` writes the templates and updates the ``.po`` files;
``make`` compiles them to ``.mo`` (not kept in git). zh-Hans is the source: its words are the
msgids, so it needs no catalogue at run time.

The ``.mo`` files are found in ``locale/`` beside the source (a checkout, an editable
install), else under ``<prefix>/share/gov-kiosk/locale`` (a wheel), or where
``KIOSK_LOCALE_DIR`` says. A missing one is ``MissingTranslations`` naming the file: a
kiosk never falls back to Chinese in silence.
"""

from __future__ import annotations

import functools
import gettext
import os
import sys
from pathlib import Path

SOURCE_LANGUAGE = "zh-Hans"
LOCALES = {"zh-Hans": "zh_Hans", "zh-Hant": "zh_Hant", "en": "en"}  # the app's code → the locale's folder
DOMAINS = ("kiosk", "catalog")
SOURCE_LOCALE_DIR = Path(__file__).resolve().parents[2] / "locale"
INSTALLED_LOCALE_DIR = Path("share") / "gov-kiosk" / "locale"  # under sys.prefix


class MissingTranslations(RuntimeError):
    """A language's compiled catalogue is not there (``make`` compiles them) or is unreadable."""


class Untranslated(LookupError):
    """Raised by ``Translations`` for a text its catalogue does not have."""


class _NoFallback(gettext.NullTranslations):
    """The last fallback: a text not in the catalogue is an ``Untranslated``, never its msgid."""

    def gettext(self, message: str) -> str:
        raise Untranslated(message)

    def pgettext(self, context: str, message: str) -> str:
        raise Untranslated(f"{context}: {message}")


def locale_dir() -> Path:
    """Where the compiled catalogues are."""
    if os.environ.get("KIOSK_LOCALE_DIR"):
        return Path(os.environ["KIOSK_LOCALE_DIR"])
    if SOURCE_LOCALE_DIR.is_dir():
        return SOURCE_LOCALE_DIR
    return Path(sys.prefix) / INSTALLED_LOCALE_DIR


def mo_path(language: str, domain: str, folder: Path | None = None) -> Path:
    return (folder or locale_dir()) / LOCALES[language] / "LC_MESSAGES" / f"{domain}.mo"


@functools.cache
def translations(language: str, domain: str) -> gettext.GNUTranslations:
    """The compiled catalogue of ``domain`` in ``language`` (not the source language)."""
    if language not in LOCALES or language == SOURCE_LANGUAGE:
        raise ValueError(f"no catalogue for language {language!r}")
    path = mo_path(language, domain)
    try:
        with path.open("rb") as file:
            catalogue = gettext.GNUTranslations(file)
    except OSError as err:
        raise MissingTranslations(
            f"{path}: the {language} words are missing ({err.strerror}); `make setup` compiles them "
            f"(pybabel compile -i {path.with_suffix('.po')} -o {path})"
        ) from err
    catalogue.add_fallback(_NoFallback())
    return catalogue


def check_translations() -> None:
    """Load every language's catalogues now (at start-up): ``MissingTranslations`` if one is missing."""
    for language in LOCALES:
        if language != SOURCE_LANGUAGE:
            for domain in DOMAINS:
                translations(language, domain)
