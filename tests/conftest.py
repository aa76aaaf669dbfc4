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


# --- Opt-in tests against real devices ------------------------------------------------------
# Declared here at the root so the options exist however pytest is started (a folder's
# conftest registers its options only when pytest starts inside that folder). Each option
# falls back to its environment variable; without either, the device's tests skip.

_HARDWARE = {  # fixture: (option, environment variable, metavar, the device)
    "hw_idcard_port": ("--hw-idcard", "KIOSK_HW_IDCARD", "PORT", "a real ID-card reader"),
    "hw_printer_url": ("--hw-printer", "KIOSK_HW_PRINTER", "URL", "a real receipt printer"),
    "hw_qr_url": ("--hw-qr", "KIOSK_HW_QR", "URL", "a real serial QR scanner"),
}


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("hardware", "opt-in tests against real devices (marked hw)")
    for option, env, metavar, device in _HARDWARE.values():
        group.addoption(
            option,
            default=os.environ.get(env) or None,
            metavar=metavar,
            help=f"run the tests of {device} at {metavar}, a device path or URL (default: ${env})",
        )


def _hardware(request: pytest.FixtureRequest) -> str:
    option, env, metavar, device = _HARDWARE[request.fixturename]
    value = request.config.getoption(option)
    if not value:
        pytest.skip(f"needs {option}={metavar} (or {env}) naming {device}")
    return str(value)


@pytest.fixture
def hw_idcard_port(request: pytest.FixtureRequest) -> str:
    """The ID-card reader's port or pyserial URL (``--hw-idcard``), else skip."""
    return _hardware(request)


@pytest.fixture
def hw_printer_url(request: pytest.FixtureRequest) -> str:
    """The receipt printer's URL, e.g. ``serial:///dev/ttyUSB0?baudrate=9600&profile=80mm``, else skip."""
    return _hardware(request)


@pytest.fixture
def hw_qr_url(request: pytest.FixtureRequest) -> str:
    """The serial QR scanner's URL, e.g. ``/dev/ttyACM0?suffix=cr`` (``--hw-qr``), else skip."""
    return _hardware(request)


# --- The longest files first ----------------------------------------------------------------
# ``make test`` gives each of three workers a file at a time (``--dist loadfile``) in the order
# collected, where the window tests come last: the longest of them then ran alone at the end
# while the other workers sat idle. Started first, they overlap the many short files instead.
# Keep this list to the files that take a minute or more (``--durations`` shows them).
LONGEST_FIRST = (  # the ones drawing in subprocesses apart, so few windows draw at once
    "tests/ui/test_layout_audit.py",
    "tests/ui/test_maintenance_ui.py",
    "tests/packaging/test_installs.py",
    "tests/kiosk/test_catalog_walk.py",
    "tests/central/test_hostile_input.py",
    "tests/ui/test_form_kinds.py",
    "tests/ui/test_languages_ui.py",
    "tests/central/test_schemathesis.py",
    "tests/ui/test_pinyin_keyboard.py",
    "tests/central/test_delivery_faults.py",
    "tests/central/test_appointments.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    rank = {path: index for index, path in enumerate(LONGEST_FIRST)}
    root = Path(__file__).resolve().parent.parent

    def order(item: pytest.Item) -> int:
        return rank.get(item.path.relative_to(root).as_posix(), len(rank))

    items.sort(key=order)  # stable: within a file, and among the rest, the collected order stays
