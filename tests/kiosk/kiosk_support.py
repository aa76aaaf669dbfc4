"""Shared helpers for kiosk tests: a config written into a temporary folder, a fake clock."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from kiosk.config.settings import SOURCE_CONFIG, KioskConfig, load_config

CONFIG_DIR = SOURCE_CONFIG.parent


IN_PROCESS_DEVICES = 'id_card = "sim://"\nqr = "sim://"\nprinter = "sim://?width=576"\n'


def write_config(
    tmp_path: Path,
    *,
    replace: dict[str, str] | None = None,
    site: str = "sites/community.toml",
    wire_simulators: bool = False,
) -> Path:
    """Copy the shipped configuration into ``tmp_path``; ``replace`` edits lines of kiosk.toml.

    Devices are the in-process simulators (synchronous, fast) unless ``wire_simulators``
    keeps the shipped ``simwire://`` drivers.
    """
    folder = tmp_path / "config"
    shutil.copytree(CONFIG_DIR, folder, dirs_exist_ok=True)
    text = (folder / "kiosk.toml").read_text()
    if not wire_simulators:
        text = re.sub(r"(?m)^id_card = .*\n^qr = .*\n^printer = .*\n", IN_PROCESS_DEVICES, text)
        assert IN_PROCESS_DEVICES in text
    text = text.replace('data_dir = "var"', f'data_dir = "{tmp_path / "data"}"')
    text = text.replace('site = "sites/community.toml"', f'site = "{site}"')
    for old, new in (replace or {}).items():
        assert old in text, f"{old!r} is not in kiosk.toml"
        text = text.replace(old, new)
    (folder / "kiosk.toml").write_text(text)
    return folder / "kiosk.toml"


def load_test_config(tmp_path: Path, **kwargs: object) -> KioskConfig:
    return load_config(write_config(tmp_path, **kwargs))  # type: ignore[arg-type]


class FakeClock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds
