"""The test-only catalogue with one item asking every kind of question, and a kiosk offering it.

Used by ``test_form_kinds`` (real touches) and ``render_form_kinds`` (PNGs of every screen).
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from kiosk.catalog.loading import load_catalog
from kiosk.config.settings import KioskConfig

CATALOG = Path(__file__).resolve().parent / "form_kinds_catalog" / "catalog.toml"
ITEM = "form-kinds"
VALID_ID_NUMBER = "11010519491231002X"  # the GB 11643 standard's own example


def kinds_config(config: KioskConfig) -> KioskConfig:
    """``config`` offering only the every-kind item from the test catalogue."""
    site = dataclasses.replace(config.site, item_ids=(ITEM,), bundle_ids=())
    return dataclasses.replace(config, catalog=load_catalog(CATALOG), site=site)
