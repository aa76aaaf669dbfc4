"""Start-up fails closed: a wrong setting stops `kiosk run` with exit 2 and one line naming the key."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.config.settings import is_loopback
from tests.kiosk.kiosk_support import write_config


def kiosk_run(config: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, SDL_VIDEODRIVER="offscreen", KIVY_NO_ARGS="1")
    return subprocess.run(
        [sys.executable, "-m", "kiosk", "run", "--config", str(config)],
        capture_output=True, text=True, timeout=60, env=env,
    )


@pytest.mark.parametrize(
    ("changes", "named"),
    [
        ({"devices.id_card": "carrier-pigeon://x"}, "[devices] id_card"),
        ({"site": "sites/nowhere.toml"}, "site: 'sites/nowhere.toml': no such file"),
        ({"outbox.key_file": "/etc/passwd"}, "[outbox] key_file"),
        ({"centre.url": "http://centre.example.gov.cn"}, "[centre] url"),
        ({"centre.url": "https://centre.example.gov.cn"}, "[centre] token"),
    ],
)
def test_a_wrong_setting_stops_the_kiosk_naming_the_key(tmp_path: Path, changes: dict[str, object], named: str) -> None:
    run = kiosk_run(write_config(tmp_path, changes))
    assert run.returncode == 2, run.stderr
    assert named in run.stderr
    assert "Traceback" not in run.stderr and len(run.stderr.strip().splitlines()) == 1


def test_an_unwritable_data_dir_stops_the_kiosk_naming_the_key(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    config = write_config(tmp_path, {"data_dir": str(blocker / "data")})
    run = kiosk_run(config)
    assert run.returncode == 2, run.stderr
    assert "data_dir" in run.stderr and "cannot be written" in run.stderr and "Traceback" not in run.stderr


def test_only_loopback_may_be_plain_http() -> None:
    assert is_loopback("http://127.0.0.1:8700") and is_loopback("http://localhost/") and is_loopback("http://[::1]:80")
    assert not is_loopback("http://10.0.0.5:8700") and not is_loopback("http://127.example.com")
