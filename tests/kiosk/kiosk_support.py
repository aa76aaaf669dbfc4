"""Shared helpers for kiosk tests: a configuration under a temporary folder, a fake clock.

Most tests take the shipped configuration (loaded once per session, the ``shipped_config``
fixture) and change it as objects with ``dataclasses.replace`` (``config_under``, behind the
``kiosk_config`` fixture). Only tests of the loader itself write files (``write_config``).
"""

from __future__ import annotations

import dataclasses
import shutil
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Literal

from kiosk.config.settings import SOURCE_CONFIG, Devices, KioskConfig
from tests.support import edit_toml

CONFIG_DIR = SOURCE_CONFIG.parent

# The in-process simulators: synchronous and fast. "wire" keeps the shipped simwire:// drivers.
IN_PROCESS_DEVICES = Devices(id_card="sim://", qr="sim://", printer="sim://?width=576")
UNREACHABLE_CENTRE = "http://127.0.0.1:9"  # the discard port: nothing answers


def config_under(
    shipped: KioskConfig,
    tmp_path: Path,
    *,
    devices: Literal["in-process", "wire"] = "in-process",
    printer: str | None = None,
    centre_url: str | None = None,
    centre_token: str = "t",
) -> KioskConfig:
    """The shipped configuration with its data (outbox, key, prints) under ``tmp_path / "data"``.

    ``printer`` replaces the printer URL alone; ``centre_url`` points the kiosk at a centre
    other than the embedded one, with ``centre_token``.
    """
    data_dir = tmp_path / "data"
    chosen = IN_PROCESS_DEVICES if devices == "in-process" else shipped.devices
    if printer is not None:
        chosen = dataclasses.replace(chosen, printer=printer)
    centre = shipped.centre
    if centre_url is not None:
        centre = dataclasses.replace(centre, url=centre_url, token=centre_token)
    return dataclasses.replace(
        shipped,
        data_dir=data_dir,
        outbox_key_file=data_dir / shipped.outbox_key_file.name,
        devices=chosen,
        centre=centre,
    )


def write_config(tmp_path: Path, changes: Mapping[str, object] | None = None) -> Path:
    """Copy the shipped configuration folder into ``tmp_path`` and change keys of its kiosk.toml.

    ``changes`` maps dotted keys (``"timeouts.warning"``) to new values or ``DELETE``; the
    data folder is always under ``tmp_path``. For tests of the loader, which reads files.
    """
    folder = tmp_path / "config"
    shutil.copytree(CONFIG_DIR, folder, dirs_exist_ok=True)
    return edit_toml(folder / "kiosk.toml", {"data_dir": str(tmp_path / "data"), **(changes or {})})


class FakeClock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


MakeConfig = Callable[..., KioskConfig]  # the ``kiosk_config`` fixture: ``config_under`` bound to a test
