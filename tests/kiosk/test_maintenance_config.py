"""``[maintenance]`` in kiosk.toml: optional, defaults, and errors that name the file and key;
and the heartbeat's fleet fields accepted by the real centre."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from contract import qr_codes
from kiosk.config.settings import Maintenance, load_config
from kiosk.errors import ConfigError
from tests.kiosk.kiosk_support import MakeConfig, write_config
from tests.kiosk.terminal_support import pump_until, running_terminal
from tests.support import DELETE


def test_the_table_is_optional_and_every_key_has_a_default(tmp_path: Path) -> None:
    config = load_config(_written(tmp_path, {"maintenance": DELETE}))
    assert config.maintenance == Maintenance()


def test_the_keys_are_read(tmp_path: Path) -> None:
    key = Ed25519PrivateKey.generate().public_key()
    config = load_config(_written(tmp_path, {
        "maintenance.receipts_per_roll": 300, "maintenance.paper_low_at": 40, "maintenance.idle_exit_s": 300,
        "maintenance.technician_public_keys": [qr_codes.public_key_text(key)],
        "maintenance.usb_roots": ["/mnt/usb"], "maintenance.log_dir": "/var/log/gov-kiosk",
    }))
    maintenance = config.maintenance
    assert (maintenance.receipts_per_roll, maintenance.paper_low_at, maintenance.idle_exit_s) == (300, 40, 300)
    assert qr_codes.key_id(maintenance.technician_public_keys[0]) == qr_codes.key_id(key)
    assert maintenance.usb_roots == (Path("/mnt/usb"),) and maintenance.log_dir == Path("/var/log/gov-kiosk")


@pytest.mark.parametrize(("key", "value", "expected"), [
    ("maintenance.idle_exit_s", 5, "[maintenance] idle_exit_s: 5 is out of range"),
    ("maintenance.receipts_per_roll", "many", "[maintenance] receipts_per_roll: must be a whole number"),
    ("maintenance.technician_public_keys", [base64.b64encode(b"short").decode()],
     "[maintenance] technician_public_keys: 'c2hvcnQ=' is not a base64 Ed25519 public key"),
    ("maintenance.pin", "123456", "[maintenance] pin: unknown key"),
])
def test_a_bad_key_names_the_file_and_the_key(tmp_path: Path, key: str, value: object, expected: str) -> None:
    path = _written(tmp_path, {key: value})
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert str(path) in str(caught.value) and expected in str(caught.value)


def test_the_real_centre_takes_a_beat_with_the_fleet_fields(kiosk_config: MakeConfig) -> None:
    with running_terminal(kiosk_config()) as terminal:
        pump_until(terminal, lambda: terminal.link is not None and terminal.availability is not None)
        link = terminal.link
        assert link is not None
        terminal.counters.session_started()
        terminal.take_out_of_service("更换打印机", "test")
        beat = terminal.beats.make(link.stats())
        assert beat.counters and beat.counters[0].sessions_started == 1
        assert not beat.service.in_service and beat.paper_left_estimate is not None
        link.heartbeats.last_ack = None
        link.heartbeats.send_one()
        assert link.heartbeats.last_ack is not None


def _written(tmp_path: Path, changes: dict[str, object]) -> Path:
    return write_config(tmp_path, changes)
