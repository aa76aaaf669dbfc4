"""The machine's health in the heartbeat, over real HTTP on SQLite and PostgreSQL: stored on the
kiosk's row, shown by the fleet API and the console's board, yellow with a reason when the
disk is nearly full; a kiosk of an older version still beats without it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from centre_support import CLERK, KIOSK, Api, build_app
from fastapi import FastAPI
from sqlalchemy import Engine

from central import fleet_board
from central.fleet import DISK_LOW_BYTES, disk_low, size
from central.server import serve_in_thread

GB = 1024**3
HEALTHY = {"disk_free_bytes": 20 * GB, "disk_total_bytes": 32 * GB, "rss_bytes": 180 * 1024**2,
           "memory_available_bytes": 2 * GB, "memory_total_bytes": 4 * GB,
           "load_1m": 0.5, "load_5m": 0.4, "load_15m": 0.3, "temperature_c": 52.5}


@pytest.fixture
def centre(database_url: str) -> Iterator[tuple[Api, FastAPI]]:
    running = serve_in_thread(build_app(database_url))
    with Api(running.base_url) as api:
        yield api, running.app
    running.stop()


def beat(api: Api, app: FastAPI, **changes: object) -> int:
    body: dict[str, object] = {
        "terminal_id": "T001", "site_id": "demo-site", "sent_at": datetime.now(UTC).isoformat(),
        "software_version": "1.5.0", "devices": {"printer": "online"}, "paper": "ok", "outbox_depth": 0,
    }
    body.update(changes)
    answer = api.post("/api/v1/heartbeats", json=body, headers=KIOSK)
    if answer.status_code == 200:
        app.state.beats.flush()
    return answer.status_code


def kiosks(api: Api) -> list[dict[str, Any]]:
    answer = api.get("/api/v1/clerk/kiosks", headers=CLERK)
    assert answer.status_code == 200, answer.text
    found: list[dict[str, Any]] = answer.json()
    return found


def engine_of(app: FastAPI) -> Engine:
    engine: Engine = app.state.engine
    return engine


def test_a_beat_s_machine_health_is_stored_and_shown(centre: tuple[Api, FastAPI]) -> None:
    api, app = centre
    assert beat(api, app, machine=HEALTHY) == 200
    [kiosk] = kiosks(api)
    assert kiosk["machine"] == HEALTHY and kiosk["colour"] == "green"
    tile = fleet_board.kiosk(engine_of(app), "T001", datetime.now(UTC))
    assert tile is not None and not tile.reasons and not tile.disk_low
    assert dict(tile.machine_facts) == {
        "磁盘": "剩 20.0 GB / 共 32.0 GB", "内存": "可用 2.0 GB / 共 4.0 GB", "程序占用内存": "180 MB",
        "负载": "0.50 / 0.40 / 0.30", "温度": "52.5 °C"}


def test_a_nearly_full_disk_turns_the_kiosk_yellow_and_says_why(centre: tuple[Api, FastAPI]) -> None:
    api, app = centre
    assert beat(api, app, machine={**HEALTHY, "disk_free_bytes": 300 * 1024**2}) == 200
    [kiosk] = kiosks(api)
    assert kiosk["colour"] == "yellow"
    tile = fleet_board.kiosk(engine_of(app), "T001", datetime.now(UTC))
    assert tile is not None and tile.disk_low
    assert tile.reasons == ["磁盘空间不足：剩 300 MB（共 32.0 GB）"]
    page = fleet_board.fleet_page(engine_of(app), datetime.now(UTC))
    assert [t.reasons for t in page.tiles] == [tile.reasons]
    assert beat(api, app, machine=HEALTHY) == 200  # cleared up: green again
    assert kiosks(api)[0]["colour"] == "green"


def test_a_kiosk_without_machine_health_still_beats_green(centre: tuple[Api, FastAPI]) -> None:
    api, app = centre
    assert beat(api, app) == 200
    [kiosk] = kiosks(api)
    assert kiosk["machine"] is None and kiosk["colour"] == "green"
    assert beat(api, app, machine={"temperature_c": None, "disk_free_bytes": 10 * GB}) == 200
    assert kiosks(api)[0]["machine"]["disk_free_bytes"] == 10 * GB
    tile = fleet_board.kiosk(engine_of(app), "T001", datetime.now(UTC))
    assert tile is not None and dict(tile.machine_facts) == {"磁盘": "剩 10.0 GB", "温度": "主板未报告"}


@pytest.mark.parametrize("machine", [
    {"disk_free_bytes": -1}, {"temperature_c": 151}, {"temperature_c": -51},
    {"disk_free_bytes": 2 * GB, "disk_total_bytes": GB}, {"load_1m": "high"},
])
def test_impossible_figures_are_refused(centre: tuple[Api, FastAPI], machine: dict[str, object]) -> None:
    api, app = centre
    assert beat(api, app, machine=machine) == 422
    assert kiosks(api) == []


def test_low_means_under_five_percent_or_under_500_mb() -> None:
    assert disk_low(DISK_LOW_BYTES - 1, 10**15)
    assert not disk_low(DISK_LOW_BYTES, 9 * GB)  # 5.4 %
    assert disk_low(int(0.049 * 100 * GB), 100 * GB) and not disk_low(5 * GB, 100 * GB)
    assert not disk_low(None, None) and disk_low(0, None)
    assert (size(300 * 1024**2), size(int(1.5 * GB))) == ("300 MB", "1.5 GB")
