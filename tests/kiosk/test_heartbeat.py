"""The kiosk beats to the centre; the centre's fleet view shows it, coloured by its state."""

from __future__ import annotations

import shutil

import requests

from kiosk.cli.embedded_centre import EmbeddedCentreConnector, centre_connector
from kiosk.machine_health import read_temperature
from kiosk.terminal import Terminal
from tests.kiosk.kiosk_support import MakeConfig
from tests.kiosk.terminal_support import pump_until


def fleet(terminal: Terminal) -> list[dict[str, object]]:
    assert isinstance(terminal.centre, EmbeddedCentreConnector) and terminal.centre.centre is not None
    centre = terminal.centre.centre
    reply = requests.get(
        f"{centre.base_url}/api/v1/clerk/kiosks", headers={"Authorization": f"Bearer {centre.clerk_token}"}, timeout=5
    )
    reply.raise_for_status()
    return list(reply.json())


def test_heartbeats_show_the_kiosk_and_its_paper_in_the_fleet(kiosk_config: MakeConfig) -> None:
    config = kiosk_config()
    terminal = Terminal(config, centre=centre_connector(config))
    terminal.heartbeat_interval = 0.2
    terminal.start()
    try:
        pump_until(terminal, lambda: terminal.link.heartbeats.last_ack is not None)  # type: ignore[union-attr]
        (kiosk,) = fleet(terminal)
        assert kiosk["terminal_id"] == terminal.config.terminal_id and kiosk["online"]
        assert kiosk["colour"] == "green" and kiosk["paper"] == "ok"
        assert set(kiosk["devices"]) == {"idcard", "qr", "printer"}  # type: ignore[arg-type]
        terminal.devices.printer.set_paper(0)  # type: ignore[attr-defined]
        pump_until(terminal, lambda: fleet(terminal)[0]["paper"] == "out")
        assert fleet(terminal)[0]["colour"] == "yellow"
    finally:
        terminal.stop()


def test_the_beat_carries_the_machine_s_health_to_the_fleet(kiosk_config: MakeConfig) -> None:
    config = kiosk_config()
    terminal = Terminal(config, centre=centre_connector(config))
    terminal.heartbeat_interval = 0.2
    terminal.start()
    try:
        pump_until(terminal, lambda: terminal.link.heartbeats.last_ack is not None)  # type: ignore[union-attr]
        machine = fleet(terminal)[0]["machine"]
        assert isinstance(machine, dict)
        disk = shutil.disk_usage(config.data_dir)
        assert machine["disk_total_bytes"] == disk.total and 0 < machine["disk_free_bytes"] <= disk.total
        assert machine["rss_bytes"] > 0 and machine["memory_total_bytes"] > machine["memory_available_bytes"] > 0
        assert machine["load_1m"] is not None and machine["temperature_c"] == read_temperature()
    finally:
        terminal.stop()
