"""``kiosk provision --pin``: the only way a PIN comes to be; refused when trivial; audited."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.cli.main import main
from kiosk.maintenance.audit import AuditLog
from kiosk.maintenance.pin import PinStore
from tests.kiosk.kiosk_support import write_config


def test_provision_sets_the_pin_from_stdin_and_audits_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = write_config(tmp_path)
    monkeypatch.setattr(sys, "stdin", io.StringIO("274816\n"))
    assert main(["provision", "--config", str(config), "--pin-stdin"]) == 0
    data_dir = tmp_path / "data"
    assert PinStore(data_dir).verify("274816").ok
    entries = AuditLog(data_dir, lambda: None).entries()  # type: ignore[arg-type, return-value]
    assert [(e.actor, e.action, e.detail) for e in entries] == [("provision", "pin.set", "first set")]
    assert "274816" not in (data_dir / "audit.jsonl").read_text()


def test_provision_refuses_a_trivial_pin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    config = write_config(tmp_path)
    monkeypatch.setattr(sys, "stdin", io.StringIO("123456\n"))
    assert main(["provision", "--config", str(config), "--pin-stdin"]) == 2
    assert "连续数字" in capsys.readouterr().err
    assert not PinStore(tmp_path / "data").is_set


def test_provision_asks_twice_on_a_terminal(tmp_path: Path) -> None:
    config = write_config(tmp_path)
    # getpass reads from /dev/tty when it can; without one it falls back to stdin (with a warning).
    done = subprocess.run(
        [sys.executable, "-W", "ignore", "-m", "kiosk", "provision", "--config", str(config), "--pin"],
        input="274816\n274817\n", capture_output=True, text=True, timeout=60,
        start_new_session=True,  # no controlling terminal: the PIN comes from stdin
    )
    assert done.returncode == 2 and "不一致" in done.stderr
    assert not PinStore(tmp_path / "data").is_set
