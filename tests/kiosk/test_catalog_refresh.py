"""The kiosk keeps its site's catalogue current from the real served test centre: a new version
is fetched, cached and switched in between sessions (never during one), a 304 keeps the one
held, a bad catalogue is refused with a technician's fault, and a restart uses the cache."""

from __future__ import annotations

import copy
import dataclasses
import json
import logging
import re
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from central.catalog import load_catalogs
from central.server import ServerThread, serve_in_thread
from drivers.idcard import samples
from drivers.simulated import SimulatedCardReader
from kiosk.catalog.export import site_document
from kiosk.config.settings import KioskConfig
from kiosk.delivery.catalog_refresh import CACHE_FILE, CatalogRefresh
from kiosk.session.session import Step
from kiosk.terminal import Terminal
from tests.central.centre_support import KIOSK_TOKEN, build_app
from tests.kiosk.catalog_documents import TEST_BUNDLE_ID, document_with_bundle
from tests.kiosk.kiosk_support import UNREACHABLE_CENTRE, MakeConfig
from tests.kiosk.terminal_support import pump_until

NEW_VERSION = "2026.12.90"


@pytest.fixture
def centre(tmp_path: Path, shipped_config: KioskConfig) -> Iterator[ServerThread]:
    """The test centre serving the kiosk's site its shipped offer."""
    shipped = site_document(shipped_config.catalog, shipped_config.site.item_ids, shipped_config.site.bundle_ids)
    running = serve_in_thread(build_app(f"sqlite:///{tmp_path / 'central.db'}",
                                        catalog={shipped_config.site.id: shipped}))
    yield running
    running.stop()


def _publish(centre: ServerThread, site_id: str, document: dict[str, Any]) -> None:
    """The centre's operator publishes a new catalogue for the site."""
    centre.app.state.catalogs = load_catalogs({site_id: document})


def _config(kiosk_config: MakeConfig, url: str) -> KioskConfig:
    """The shipped kiosk as the test centre's terminal T001 (number 1)."""
    return dataclasses.replace(kiosk_config(centre_url=url, centre_token=KIOSK_TOKEN),
                               terminal_id="T001", terminal_number=1)


@contextmanager
def _terminal(config: KioskConfig) -> Iterator[Terminal]:
    terminal = Terminal(config)
    terminal.heartbeat_interval = 3600  # beats are sent by hand below
    terminal.start()
    try:
        yield terminal
    finally:
        terminal.stop()


def _beat(terminal: Terminal) -> None:
    """One heartbeat to the centre, its ack handled (a fetch when it names another version)."""
    assert terminal.link is not None
    before = terminal.link.heartbeats.last_ack
    terminal.link.heartbeats.send_one()
    assert terminal.link.heartbeats.last_ack is not before, "the centre did not take the beat"


def _refresh(terminal: Terminal) -> CatalogRefresh:
    assert terminal.catalogs is not None
    return terminal.catalogs


def _reported_version(terminal: Terminal) -> str:
    assert terminal.link is not None
    return terminal.link.heartbeats.make_beat().catalog_version


def test_a_new_version_is_fetched_cached_and_used_from_the_next_session(
        kiosk_config: MakeConfig, centre: ServerThread, shipped_config: KioskConfig) -> None:
    config = _config(kiosk_config, centre.base_url)
    with _terminal(config) as terminal:
        shipped_version = shipped_config.catalog.version
        pump_until(terminal, lambda: _refresh(terminal).etag is not None)  # the start-up fetch
        reader = terminal.devices.id_card
        assert isinstance(reader, SimulatedCardReader)
        reader.place_card(samples.RESIDENT)
        pump_until(terminal, lambda: terminal.session.step is Step.CHOOSE)

        _publish(centre, config.site.id, document_with_bundle(config, NEW_VERSION))
        _beat(terminal)
        terminal.pump()
        cache = config.data_dir / CACHE_FILE
        assert json.loads(cache.read_text(encoding="utf-8"))["document"]["version"] == NEW_VERSION
        assert stat.S_IMODE(cache.stat().st_mode) == 0o600
        assert _refresh(terminal).version == NEW_VERSION
        # Mid-session the resident keeps the catalogue they started with, and so does the beat.
        assert terminal.session.step is Step.CHOOSE
        assert terminal.session.catalog.version == shipped_version
        assert not terminal.session.catalog.has_bundle(TEST_BUNDLE_ID)
        assert _reported_version(terminal) == shipped_version

        terminal.session.home()
        terminal.pump()
        assert terminal.session.step is Step.ATTRACT
        assert terminal.session.catalog.version == NEW_VERSION
        assert terminal.session.catalog.has_bundle(TEST_BUNDLE_ID)
        assert _reported_version(terminal) == NEW_VERSION


def test_an_unchanged_catalogue_answers_304_and_the_one_held_stays(
        kiosk_config: MakeConfig, centre: ServerThread) -> None:
    config = _config(kiosk_config, centre.base_url)
    with _terminal(config) as terminal:
        refresh = _refresh(terminal)
        pump_until(terminal, lambda: refresh.etag is not None)
        held = terminal.session.catalog
        cache = config.data_dir / CACHE_FILE
        written = cache.stat().st_mtime_ns
        assert terminal.link is not None
        assert terminal.link.client.catalog(config.site.id, refresh.etag).document is None  # the centre says 304
        assert refresh.fetch() is False
        _beat(terminal)
        terminal.pump()
        assert terminal.session.catalog is held and cache.stat().st_mtime_ns == written


def _missing_guide(config: KioskConfig) -> dict[str, Any]:
    document = document_with_bundle(config, "2026.12.91")
    del document["items"][1]["guide"]
    return document


def _no_items(config: KioskConfig) -> dict[str, Any]:
    return {"version": "2026.12.92", "categories": [], "items": []}


def _bad_id(config: KioskConfig) -> dict[str, Any]:
    document = copy.deepcopy(document_with_bundle(config, "2026.12.93"))
    document["items"][0]["id"] = "Bad Id!"
    return document


@pytest.mark.parametrize(("bad", "words"), [
    (_missing_guide, r"\] guide: missing"),
    (_no_items, "items: the catalogue has no items"),
    (_bad_id, "id: 'Bad Id!' does not match"),
    (lambda config: {}, "version: missing"),
])
def test_a_bad_catalogue_is_refused_the_old_one_kept_and_the_technician_told(
        kiosk_config: MakeConfig, centre: ServerThread, bad: Any, words: str) -> None:
    config = _config(kiosk_config, centre.base_url)
    with _terminal(config) as terminal:
        refresh = _refresh(terminal)
        pump_until(terminal, lambda: refresh.etag is not None)
        held, cached = terminal.session.catalog, (config.data_dir / CACHE_FILE).read_bytes()
        document = bad(config)
        _publish(centre, config.site.id, document)
        _beat(terminal)
        terminal.pump()
        assert terminal.session.catalog is held and refresh.version == held.version
        assert (config.data_dir / CACHE_FILE).read_bytes() == cached
        fault = terminal.faults.current({}, terminal.now())["catalog"]
        assert fault.code == "catalog_refused" and f"仍用 {held.version}" in fault.message
        assert re.search(words, fault.message) and _served_version(centre, config) in fault.message, fault.message
        beat = terminal.link.heartbeats.make_beat() if terminal.link else None
        assert beat is not None and beat.faults["catalog"].code == "catalog_refused"
        desk_line = [line for line in _desk_lines(terminal) if line.name == "catalog"]
        assert desk_line and not desk_line[0].healthy and desk_line[0].label == "事项目录"
        # The same refused version is not fetched again at every beat; a good one clears the fault.
        assert refresh.refused_version is not None
        _publish(centre, config.site.id, document_with_bundle(config, NEW_VERSION))
        _beat(terminal)
        terminal.pump()
        assert terminal.session.catalog.version == NEW_VERSION
        assert "catalog" not in terminal.faults.current({}, terminal.now())


def _served_version(centre: ServerThread, config: KioskConfig) -> str:
    return str(centre.app.state.catalogs[config.site.id].document.version)


def _desk_lines(terminal: Terminal) -> list[Any]:
    from kiosk.maintenance.desk import MaintenanceDesk

    return MaintenanceDesk(terminal, "pin").devices()


def test_a_restart_without_the_network_uses_the_cached_catalogue(
        kiosk_config: MakeConfig, centre: ServerThread) -> None:
    config = _config(kiosk_config, centre.base_url)
    _publish(centre, config.site.id, document_with_bundle(config, NEW_VERSION))
    with _terminal(config) as terminal:
        pump_until(terminal, lambda: terminal.session.catalog.version == NEW_VERSION)
    offline = dataclasses.replace(config, centre=dataclasses.replace(config.centre, url=UNREACHABLE_CENTRE))
    with _terminal(offline) as terminal:
        pump_until(terminal, lambda: terminal.session.catalog.version == NEW_VERSION)
        assert terminal.session.catalog.has_bundle(TEST_BUNDLE_ID)
        assert _reported_version(terminal) == NEW_VERSION


@pytest.mark.parametrize("damage", [
    b'{"site_id": "jbxq-puzhu-community", "etag": "\\"x\\"", "document": {"ver',  # cut off mid-write
    b'{"site_id": "jbxq-puzhu-community", "etag": "\\"x\\"", "document": {"version": "9", "items": []}}',
    b'{"site_id": "some-other-site", "etag": "\\"x\\"", "document": {}}',
])
def test_a_damaged_cache_is_ignored_with_a_warning(
        kiosk_config: MakeConfig, shipped_config: KioskConfig, caplog: pytest.LogCaptureFixture, damage: bytes) -> None:
    config = kiosk_config(centre_url=UNREACHABLE_CENTRE)
    config.data_dir.mkdir(parents=True)
    (config.data_dir / CACHE_FILE).write_bytes(damage)
    with caplog.at_level(logging.WARNING, logger="kiosk.delivery.catalog_refresh"), _terminal(config) as terminal:
        terminal.pump()
        assert terminal.session.catalog.version == shipped_config.catalog.version
        assert terminal.session.catalog.ids() == list(config.site.item_ids)
    assert any(f"catalogue cache {CACHE_FILE} ignored" in r.getMessage() for r in caplog.records)
