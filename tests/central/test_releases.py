"""Releases and staged rollouts at the centre (``central.releases``): a bundle is kept only when
a release key signed it; a beat's reply offers a newer version only to the kiosks a rollout
targets; only those may download it; and a real kiosk ``Terminal`` fetches, checks and stages
the version it is offered (the switch itself is ``kiosk.updates``' and is not made here)."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from central import releases
from central.auth import Clerk, Role
from central.kiosk_audit import store
from central.server import ServerThread, serve_in_thread
from contract.fleet import AuditEntry
from contract.update_bundles import UPDATES_PATH
from kiosk.cli.embedded_centre import centre_connector
from kiosk.config.settings import Updates
from kiosk.delivery.outbox_format import SCHEMA_VERSION
from kiosk.terminal import Terminal
from kiosk.updates import state
from kiosk.updates.bundle import make_bundle
from kiosk.updates.slots import Slots
from tests.central.centre_support import KIOSK, KIOSK_TOKEN, OTHER_KIOSK, Api, build_app
from tests.kiosk.kiosk_support import MakeConfig
from tests.kiosk.updates_support import fake_wheel
from tests.support.waiting import wait_for

TECHNICIAN = Clerk(name="zhou", role=Role.TECHNICIAN)
RUNNING = "0.1.0"  # what this checkout's gov-kiosk reports in its beats
NEWER = "0.2.0"


def bundle(tmp_path: Path, key: Ed25519PrivateKey, version: str = NEWER) -> Path:
    """A signed bundle of a stand-in gov-kiosk ``version``."""
    wheel = fake_wheel(tmp_path / f"wheels-{version}", version)
    out = tmp_path / f"gov-kiosk-{version}.bundle"
    make_bundle([wheel], key, out, outbox_schema=SCHEMA_VERSION, now=datetime.now(UTC))
    return out


@pytest.fixture
def key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


@pytest.fixture
def centre(tmp_path: Path, key: Ed25519PrivateKey) -> Iterator[ServerThread]:
    app = build_app(f"sqlite:///{tmp_path / 'centre.db'}", release_keys=[key.public_key()],
                    release_dir=tmp_path / "releases")
    running = serve_in_thread(app)
    try:
        yield running
    finally:
        running.stop()


def upload(centre: ServerThread, path: Path) -> str:
    with path.open("rb") as source:
        return releases.store_release(centre.app.state.engine, centre.app.state.release_dir,
                                      centre.app.state.release_keys, source, TECHNICIAN)


def start(centre: ServerThread, scope: str, targets: str = "", version: str = NEWER) -> int:
    found = releases.start_rollout(centre.app.state.engine, version, scope, targets, TECHNICIAN)
    centre.app.state.rollouts.refresh()
    return found


def beat(api: Api, headers: dict[str, str], terminal: str, version: str = RUNNING,
         site: str = "demo-site") -> dict[str, object]:
    body = {"terminal_id": terminal, "site_id": site, "sent_at": datetime.now(UTC).isoformat(),
            "software_version": version, "outbox_depth": 0}
    answer = api.post("/api/v1/heartbeats", json=body, headers=headers)
    assert answer.status_code == 200, answer.text
    reply: dict[str, object] = answer.json()
    return reply


def test_a_bundle_no_release_key_signed_is_refused_and_not_kept(centre: ServerThread, tmp_path: Path) -> None:
    forged = bundle(tmp_path, Ed25519PrivateKey.generate())
    with pytest.raises(releases.ReleaseRefused, match="签名"):
        upload(centre, forged)
    not_a_bundle = tmp_path / "notes.txt"
    not_a_bundle.write_text("hello")
    with pytest.raises(releases.ReleaseRefused, match="签名"):
        upload(centre, not_a_bundle)
    assert releases.summaries(centre.app.state.engine) == []
    assert list((tmp_path / "releases").iterdir()) == []  # no half-kept upload either


def test_the_offer_goes_only_to_targeted_kiosks_on_older_versions(centre: ServerThread, tmp_path: Path,
                                                                   key: Ed25519PrivateKey) -> None:
    path = bundle(tmp_path, key)
    assert upload(centre, path) == NEWER
    api = Api(centre.base_url)
    assert beat(api, KIOSK, "T001")["update"] is None  # uploaded, not rolled out
    pilot = start(centre, "kiosks", "T001")

    offer = beat(api, KIOSK, "T001")["update"]
    assert offer == {"version": NEWER, "sha256": releases.sha256_file(path), "size": path.stat().st_size,
                     "path": f"{UPDATES_PATH}/{NEWER}"}
    assert beat(api, OTHER_KIOSK, "T002")["update"] is None  # not in the pilot
    assert beat(api, KIOSK, "T001", version=NEWER)["update"] is None  # runs it already
    assert beat(api, KIOSK, "T001", version="0.3.0")["update"] is None  # runs a newer one

    start(centre, "site", "demo-site")
    assert beat(api, OTHER_KIOSK, "T002")["update"] is not None
    releases.change_rollout(centre.app.state.engine, pilot, "paused", TECHNICIAN)
    centre.app.state.rollouts.refresh()
    assert beat(api, KIOSK, "T001", site="other-site")["update"] is None  # neither pilot nor site now

    centre.app.state.beats.flush()
    [summary] = releases.summaries(centre.app.state.engine)
    assert (summary.version, summary.running, summary.offered) == (NEWER, 0, 1)  # T002 at demo-site
    assert [r.status for r in summary.rollouts] == ["active", "paused"]


def test_only_a_targeted_kiosk_may_download(centre: ServerThread, tmp_path: Path,
                                            key: Ed25519PrivateKey) -> None:
    path = bundle(tmp_path, key)
    upload(centre, path)
    api = Api(centre.base_url)
    beat(api, KIOSK, "T001")
    beat(api, OTHER_KIOSK, "T002")
    centre.app.state.beats.flush()
    url = f"/api/v1{UPDATES_PATH}/{NEWER}"
    assert api.get(url, headers=KIOSK).status_code == 404  # no rollout yet
    start(centre, "kiosks", "T001")

    got = api.get(url, headers=KIOSK)
    assert got.status_code == 200 and got.content == path.read_bytes()
    assert api.get(url, headers=OTHER_KIOSK).status_code == 404  # not targeted: the same as none
    assert api.get(f"/api/v1{UPDATES_PATH}/9.9.9", headers=KIOSK).status_code == 404
    assert api.get(f"/api/v1{UPDATES_PATH}/..%2Fcentre.db", headers=KIOSK).status_code in (404, 422)
    assert api.get(url).status_code in (401, 403)  # no kiosk token


def test_a_rollback_reported_by_a_kiosk_is_counted(centre: ServerThread, tmp_path: Path,
                                                   key: Ed25519PrivateKey) -> None:
    upload(centre, bundle(tmp_path, key))
    store(centre.app.state.engine, "T001", [AuditEntry(
        seq=1, at=datetime.now(UTC), actor="watchdog", action="update.rollback", outcome="failed",
        detail=f"rolled back {NEWER} -> {RUNNING}: its health check failed")])
    [summary] = releases.summaries(centre.app.state.engine)
    assert summary.failed == 1


def run_kiosk_until_fetched(centre: ServerThread, tmp_path: Path, kiosk_config: MakeConfig,
                            trusted: Ed25519PrivateKey) -> Terminal:
    """A real terminal (T001, trusting ``trusted`` for updates) beating until its fetch ended."""
    config = dataclasses.replace(kiosk_config(centre_url=centre.base_url, centre_token=KIOSK_TOKEN),
                                 terminal_id="T001", terminal_number=1,
                                 updates=Updates(public_keys=(trusted.public_key(),), root=tmp_path / "opt"))
    terminal = Terminal(config, clock=time.monotonic, centre=centre_connector(config))
    terminal.heartbeat_interval = 1
    terminal.start()
    try:
        wait_for(lambda: terminal.beats.update_fetcher is not None and terminal.beats.update_fetcher.tried(NEWER), 20)
        assert terminal.beats.update_fetcher is not None
        terminal.beats.update_fetcher.wait(120)
    finally:
        terminal.stop()
    return terminal


def test_a_real_kiosk_fetches_checks_and_stages_its_offer(centre: ServerThread, tmp_path: Path,
                                                          key: Ed25519PrivateKey, kiosk_config: MakeConfig) -> None:
    upload(centre, bundle(tmp_path, key))
    start(centre, "kiosks", "T001")
    terminal = run_kiosk_until_fetched(centre, tmp_path, kiosk_config, key)
    root = tmp_path / "opt"
    assert (state.read(root).staged or {}).get("version") == NEWER  # AppUpdates switches at a quiet moment
    assert Slots(root).ready(NEWER) and Slots(root).current is None  # installed beside; nothing switched
    fetched = [e for e in terminal.audit.entries() if e.action == "update.fetch"]
    assert [(e.outcome, e.detail) for e in fetched] == [("ok", f"{NEWER} downloaded, checked and staged")]
    assert not (terminal.config.data_dir / "updates" / f"{NEWER}.bundle").exists()  # the download is not kept


def test_a_kiosk_that_does_not_trust_the_signer_stages_nothing_and_says_why(
        centre: ServerThread, tmp_path: Path, key: Ed25519PrivateKey, kiosk_config: MakeConfig) -> None:
    upload(centre, bundle(tmp_path, key))
    start(centre, "kiosks", "T001")
    terminal = run_kiosk_until_fetched(centre, tmp_path, kiosk_config, Ed25519PrivateKey.generate())
    root = tmp_path / "opt"
    assert state.read(root).staged is None and Slots(root).installed() == []
    [fetched] = [e for e in terminal.audit.entries() if e.action == "update.fetch"]
    assert fetched.outcome == "failed" and "signature" in fetched.detail


def test_a_technician_of_some_sites_rolls_out_only_there(centre: ServerThread, tmp_path: Path,
                                                         key: Ed25519PrivateKey) -> None:
    upload(centre, bundle(tmp_path, key))
    api = Api(centre.base_url)
    beat(api, KIOSK, "T001", site="north")
    beat(api, OTHER_KIOSK, "T002", site="south")
    centre.app.state.beats.flush()
    engine, north = centre.app.state.engine, Clerk(name="qian", role=Role.TECHNICIAN, sites=frozenset({"north"}))
    for scope, targets in (("all", ""), ("site", "south"), ("kiosks", "T001 T002"), ("kiosks", "T999")):
        with pytest.raises(releases.ReleaseRefused):
            releases.start_rollout(engine, NEWER, scope, targets, north)
    releases.start_rollout(engine, NEWER, "kiosks", "T001", north)
    releases.start_rollout(engine, NEWER, "site", "north", north)
    with pytest.raises(releases.ReleaseRefused, match="没有版本 9.9.9"):
        releases.start_rollout(engine, "9.9.9", "all", "", TECHNICIAN)
