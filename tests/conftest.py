"""Test settings shared by every suite: headless Kivy, no stray arguments; the configuration.

The kiosk's configuration is loaded once per session, when a test first asks for it (never at
import, so a suite that needs none, such as the centre's, loads none).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from kiosk.config.settings import KioskConfig

os.environ.setdefault("SDL_VIDEODRIVER", "offscreen")
os.environ.setdefault("KIVY_NO_ARGS", "1")
os.environ.setdefault("KIVY_NO_CONSOLELOG", "1")
os.environ.setdefault("KIVY_NO_FILELOG", "1")


@pytest.fixture(scope="session")
def shipped_config() -> KioskConfig:
    """The shipped configuration (``config/kiosk.toml``), read only."""
    from kiosk.config.settings import load_config

    return load_config()


@pytest.fixture
def kiosk_config(shipped_config: KioskConfig, tmp_path: Path) -> Callable[..., KioskConfig]:
    """Make a configuration from the shipped one, its data under ``tmp_path`` (see ``config_under``)."""
    from tests.kiosk.kiosk_support import config_under

    return partial(config_under, shipped_config, tmp_path)
