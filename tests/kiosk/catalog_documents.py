"""Catalogue documents for tests: the shipped catalogue with a bundle, as the centre serves it."""

from __future__ import annotations

import copy
from typing import Any

from kiosk.catalog.export import site_document
from kiosk.config.settings import KioskConfig

# A 新生儿出生一件事 of two intake items of two departments (区公安分局, 区医疗保障局), under an
# id no shipped bundle has.
TEST_BUNDLE_ID = "newborn-two-offices"
NEWBORN_BUNDLE = {
    "id": TEST_BUNDLE_ID, "name": "新生儿出生一件事", "name_hant": "新生兒出生一件事", "name_en": "A new baby",
    "icon": "婴", "categories": ["birth"], "keywords": ["出生"], "summary": "出生登记与医保参保一次办",
    "items": ["newborn-household-registration", "newborn-medical-insurance"],
}
NEWBORN_ITEMS = tuple(NEWBORN_BUNDLE["items"])


def document_with_bundle(config: KioskConfig, version: str) -> dict[str, Any]:
    """The site's document plus the test bundle and its items, under ``version``."""
    site = config.site
    item_ids = site.item_ids + tuple(i for i in NEWBORN_ITEMS if i not in site.item_ids)
    document = site_document(config.catalog, item_ids, site.bundle_ids)
    birth = next(c for c in config.catalog.categories if c.id == "birth")
    if not any(c["id"] == "birth" for c in document["categories"]):
        document["categories"].append({"id": birth.id, "name": birth.names.zh_hans, "name_hant": birth.names.zh_hant,
                                       "name_en": birth.names.en, "icon": birth.icon})
    document["bundles"].append(copy.deepcopy(NEWBORN_BUNDLE))
    document["version"] = version
    return document
