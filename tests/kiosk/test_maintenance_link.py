"""The technician's link test against a centre over real TLS: the handshake and the
certificate's expiry, the token, the round trip; an untrusted certificate is named as such."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from pathlib import Path

from central.auth import Caller
from central.server import create_app, serve_in_thread
from kiosk.delivery.endpoint import ConfiguredCentre
from kiosk.terminal import Terminal
from tests.kiosk.kiosk_support import MakeConfig
from tests.kiosk.terminal_support import pump_until
from tests.kiosk.test_centre_client import _self_signed

TOKEN = "tls-link-test-token-0123456789"
PIN = "274816"


def link_report_over_tls(kiosk_config: MakeConfig, tmp_path: Path,
                         trust_the_certificate: bool) -> dict[str, tuple[bool, str]]:
    certfile, keyfile = _self_signed(tmp_path)
    shipped = kiosk_config()
    caller = Caller(shipped.terminal_id, shipped.terminal_number)
    app = create_app(f"sqlite:///{tmp_path / 'centre.db'}", {TOKEN: caller})
    running = serve_in_thread(app, certfile=certfile, keyfile=keyfile)
    try:
        config = kiosk_config(centre_url=running.base_url, centre_token=TOKEN)
        config = dataclasses.replace(config, centre=dataclasses.replace(
            config.centre, ca_file=certfile if trust_the_certificate else None))
        terminal = Terminal(config, centre=ConfiguredCentre(config.centre))
        terminal.start()
        try:
            pump_until(terminal, lambda: terminal.link is not None)
            terminal.records.pins.set_pin(PIN)
            assert terminal.open_maintenance_with_pin(PIN).ok
            report = terminal.desk.test_link()  # type: ignore[union-attr]
            return {step.name: (step.ok, step.detail) for step in report.steps}
        finally:
            terminal.stop()
    finally:
        running.stop()


def test_link_test_over_tls_shows_the_certificate_expiry(kiosk_config: MakeConfig, tmp_path: Path) -> None:
    steps = link_report_over_tls(kiosk_config, tmp_path, trust_the_certificate=True)
    assert list(steps) == ["dns", "tls", "auth", "round_trip"]
    assert all(ok for ok, _ in steps.values()), steps
    expires = (datetime.now(UTC) + timedelta(days=1)).astimezone()
    shown = {f"证书有效至 {day:%Y-%m-%d}" for day in (expires, expires - timedelta(days=1))}
    assert steps["tls"][1] in shown


def test_link_test_names_an_untrusted_certificate(kiosk_config: MakeConfig, tmp_path: Path) -> None:
    steps = link_report_over_tls(kiosk_config, tmp_path, trust_the_certificate=False)
    assert steps["tls"][0] is False and "证书无效" in steps["tls"][1]
    assert steps["auth"][0] is False and "网络不可达" in steps["auth"][1]
