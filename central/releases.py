"""Signed update releases at the centre and their staged rollouts (issue 14, the centre's side).

A technician uploads a bundle in the console (``central.console.release_pages``). It is kept
only when a release key signed its manifest (``contract.update_bundles.verify_bundle``; the
keys are ``CENTRAL_RELEASE_KEYS``) and it is at most ``RELEASE_MAX_BYTES``. The bytes go to a
folder (``CENTRAL_RELEASE_DIR``, ``<version>.bundle``), not the database: a bundle is tens of
megabytes that a kiosk downloads as a stream, and in PostgreSQL it would swell every backup
and the WAL; the ``releases`` row says what the file is. Every process that serves the centre
needs the same folder (a shared volume, as for the database).

A rollout offers one release to named kiosks (a pilot), a site, or every kiosk::

    start ──▶ active ──pause──▶ paused ──resume──▶ active
                 └──────stop──────┴──────────────▶ stopped (for good)

A kiosk's beat reply carries an ``UpdateOffer`` when an active rollout targets it and it runs
an older version (the newest such release wins). ``RolloutBook`` keeps the active rollouts in
memory (refreshed every few seconds, and at once after a change here), so a beat never waits
for the database.
"""

from __future__ import annotations

import json
import logging
import os
import secrets
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy import Engine, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from central import console_audit
from central.auth import Clerk
from central.db import KioskRow, as_utc, utcnow
from central.fleet_rows import KioskAuditRow
from central.periodic import Periodic
from central.release_rows import ReleaseRow, RolloutRow
from contract.update_bundles import (
    UPDATES_PATH,
    VERSION,
    BundleInvalid,
    UpdateOffer,
    is_newer,
    sha256_file,
    verify_bundle,
)

log = logging.getLogger(__name__)

RELEASE_MAX_BYTES = 300 * 1024 * 1024
RELEASE_UPLOAD_PATH = "/console/releases/upload"  # the console's upload form posts here
CHUNK = 1 << 20
SCOPE_LABELS = {"kiosks": "指定终端（试点）", "site": "一个站点", "all": "全部终端"}
STATUS_LABELS = {"active": "推送中", "paused": "已暂停", "stopped": "已停止"}
ROLLBACK = "update.rollback"  # the kiosk's audit action when a version was rolled back (kiosk.updates.trial)


class ReleaseRefused(ValueError):
    """An upload or rollout that cannot be done as asked; the message says why, in plain words."""


@dataclass(frozen=True)
class Rollout:
    """A rollout, as the releases page lists it and a beat is matched against it."""

    id: int
    version: str
    scope: str
    targets: tuple[str, ...]
    status: str
    started_at: datetime
    started_by: str
    sha256: str = ""
    size: int = 0

    def targets_kiosk(self, terminal_id: str, site_id: str) -> bool:
        if self.scope == "all":
            return True
        if self.scope == "site":
            return site_id in self.targets
        return terminal_id in self.targets

    @property
    def scope_label(self) -> str:
        return SCOPE_LABELS[self.scope]

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]


@dataclass(frozen=True)
class ReleaseSummary:
    """One release: who uploaded it, how many kiosks run it, are offered it, rolled it back."""

    version: str
    sha256: str
    size: int
    uploaded_at: datetime
    uploaded_by: str
    running: int
    offered: int
    failed: int
    rollouts: tuple[Rollout, ...]


def bundle_path(folder: Path, version: str) -> Path:
    """Where the bundle of ``version`` is kept."""
    if not VERSION.fullmatch(version):
        raise ValueError(f"{version!r} is not a version")
    return folder / f"{version}.bundle"


def store_release(engine: Engine, folder: Path, keys: list[Ed25519PublicKey], source: BinaryIO,
                  by: Clerk) -> str:
    """Check and keep an uploaded bundle; return its version. ``ReleaseRefused`` says why not."""
    if not keys:
        raise ReleaseRefused("中心未配置发布公钥（CENTRAL_RELEASE_KEYS），无法验证更新包。")
    folder.mkdir(parents=True, exist_ok=True)
    draft = folder / f".upload-{secrets.token_hex(8)}.part"
    try:
        size = _copy_bounded(source, draft)
        if size == 0:
            raise ReleaseRefused("请选择一个更新包文件。")
        try:
            manifest = json.loads(verify_bundle(draft, keys))
        except BundleInvalid as err:
            raise ReleaseRefused(f"更新包未通过签名验证，未保存（{err}）。") from err
        except ValueError as err:
            raise ReleaseRefused("更新包的清单无法读取，未保存。") from err
        version = manifest.get("version") if isinstance(manifest, dict) else None
        if not isinstance(version, str) or not VERSION.fullmatch(version):
            raise ReleaseRefused("更新包的清单没有有效的版本号，未保存。")
        with Session(engine) as session, session.begin():
            if session.get(ReleaseRow, version) is not None:
                raise ReleaseRefused(f"版本 {version} 已上传过，未重复保存。")
            session.add(ReleaseRow(version=version, sha256=sha256_file(draft), size=size,
                                   uploaded_at=utcnow(), uploaded_by=by.name))
            console_audit.record(session, by, "release.upload", detail=f"{version} ({size} bytes)")
            os.replace(draft, bundle_path(folder, version))  # inside the transaction: row and file together
    finally:
        draft.unlink(missing_ok=True)
    return version


def _copy_bounded(source: BinaryIO, target: Path) -> int:
    size = 0
    with target.open("xb") as out:
        while chunk := source.read(CHUNK):
            size += len(chunk)
            if size > RELEASE_MAX_BYTES:
                raise ReleaseRefused(f"更新包超过 {RELEASE_MAX_BYTES // (1024 * 1024)} MB，未保存。")
            out.write(chunk)
    return size


def start_rollout(engine: Engine, version: str, scope: str, targets_text: str, by: Clerk) -> int:
    """Offer ``version`` to named kiosks, a site or all; return the rollout's id."""
    targets = tuple(dict.fromkeys(t for t in targets_text.replace(",", " ").replace("，", " ").split() if t))
    if scope not in SCOPE_LABELS:
        raise ReleaseRefused("请选择推送范围：指定终端、一个站点或全部终端。")
    if scope == "all":
        targets = ()
        if by.sites:
            raise ReleaseRefused("您只负责部分站点，不能向全部终端推送。")
    elif not targets:
        raise ReleaseRefused("请填写终端编号（试点）或站点编号。")
    elif scope == "site" and len(targets) != 1:
        raise ReleaseRefused("一次只能选择一个站点。")
    if any(len(t) > 64 for t in targets) or len(targets) > 200:
        raise ReleaseRefused("终端编号过长或过多（最多 200 台）。")
    now = utcnow()
    with Session(engine) as session, session.begin():
        if session.get(ReleaseRow, version) is None:
            raise ReleaseRefused(f"没有版本 {version} 的更新包。")
        if by.sites:
            sites = set(targets) if scope == "site" else set(session.scalars(
                select(KioskRow.site_id).where(KioskRow.terminal_id.in_(targets))))
            if not sites or not sites <= by.sites:
                raise ReleaseRefused("只能向您负责站点的终端推送。")
        row = RolloutRow(version=version, scope=scope, targets="\n".join(targets), status="active",
                         started_at=now, started_by=by.name, changed_at=now, changed_by=by.name)
        session.add(row)
        session.flush()
        console_audit.record(session, by, "rollout.start",
                             detail=f"#{row.id} {version} {scope} {' '.join(targets)}"[:200])
        return row.id


def change_rollout(engine: Engine, rollout_id: int, status: str, by: Clerk) -> None:
    """Pause, resume (``active``) or stop a rollout; a stopped one stays stopped."""
    if status not in STATUS_LABELS:
        raise ReleaseRefused("未知的操作。")
    with Session(engine) as session, session.begin():
        row = session.get(RolloutRow, rollout_id)
        if row is None:
            raise ReleaseRefused("没有这次推送。")
        if row.status == "stopped":
            raise ReleaseRefused("这次推送已停止，不能再更改；如需继续请重新开始推送。")
        row.status, row.changed_at, row.changed_by = status, utcnow(), by.name
        console_audit.record(session, by, f"rollout.{status}", detail=f"#{row.id} {row.version}")


def rollouts(engine: Engine, *, active_only: bool = False) -> list[Rollout]:
    """Rollouts, newest first, with their release's hash and size."""
    query = select(RolloutRow, ReleaseRow).join(ReleaseRow, ReleaseRow.version == RolloutRow.version) \
        .order_by(RolloutRow.id.desc())
    if active_only:
        query = query.where(RolloutRow.status == "active")
    with Session(engine) as session:
        return [Rollout(id=r.id, version=r.version, scope=r.scope,
                        targets=tuple(t for t in r.targets.split("\n") if t), status=r.status,
                        started_at=as_utc(r.started_at), started_by=r.started_by,
                        sha256=release.sha256, size=release.size)
                for r, release in session.execute(query).all()]


def offer_among(active: list[Rollout], terminal_id: str, site_id: str, running: str) -> UpdateOffer | None:
    """The newest release an active rollout offers this kiosk, newer than what it runs."""
    chosen: Rollout | None = None
    for rollout in active:
        if rollout.status == "active" and rollout.targets_kiosk(terminal_id, site_id) \
                and is_newer(rollout.version, running) \
                and (chosen is None or is_newer(rollout.version, chosen.version)):
            chosen = rollout
    if chosen is None:
        return None
    return UpdateOffer(version=chosen.version, sha256=chosen.sha256, size=chosen.size,
                       path=f"{UPDATES_PATH}/{chosen.version}")


def may_download(engine: Engine, terminal_id: str, version: str) -> bool:
    """True when an active rollout of ``version`` targets this kiosk (by its last beat's site)."""
    with Session(engine) as session:
        site = session.scalar(select(KioskRow.site_id).where(KioskRow.terminal_id == terminal_id))
    return any(r.version == version and r.targets_kiosk(terminal_id, site or "")
               for r in rollouts(engine, active_only=True))


def summaries(engine: Engine) -> list[ReleaseSummary]:
    """Every release, newest first, with its counts and rollouts."""
    every = rollouts(engine)
    active = [r for r in every if r.status == "active"]
    with Session(engine) as session:
        releases = list(session.scalars(select(ReleaseRow)))
        kiosks = session.execute(select(KioskRow.terminal_id, KioskRow.site_id, KioskRow.software_version)).all()
        rolled_back = session.execute(select(KioskAuditRow.terminal_id, KioskAuditRow.detail)
                                      .where(KioskAuditRow.action == ROLLBACK)).all()
    running = Counter(version for _, _, version in kiosks)
    offered: Counter[str] = Counter()
    for terminal_id, site_id, version in kiosks:
        offer = offer_among(active, terminal_id, site_id, version)
        if offer is not None:
            offered[offer.version] += 1
    failed = {release.version: len({terminal for terminal, detail in rolled_back
                                     if detail.startswith(f"rolled back {release.version} ->")})
              for release in releases}
    ordered = sorted(releases, key=lambda r: tuple(int(p) for p in r.version.split(".")), reverse=True)
    return [ReleaseSummary(version=r.version, sha256=r.sha256, size=r.size, uploaded_at=as_utc(r.uploaded_at),
                           uploaded_by=r.uploaded_by, running=running[r.version], offered=offered[r.version],
                           failed=failed[r.version], rollouts=tuple(x for x in every if x.version == r.version))
            for r in ordered]


class RolloutBook:
    """The active rollouts, in memory, refreshed from the database every ``every_s``."""

    def __init__(self, engine: Engine, every_s: float = 5.0) -> None:
        self.engine = engine
        self._active: list[Rollout] = []
        self._rounds = Periodic("rollouts", every_s, self.refresh)

    def refresh(self) -> None:
        self._active = rollouts(self.engine, active_only=True)

    def offer(self, terminal_id: str, site_id: str, running: str) -> UpdateOffer | None:
        """What a beat's reply offers this kiosk, if anything."""
        return offer_among(self._active, terminal_id, site_id, running) if self._active else None

    def start(self) -> None:
        try:  # at once, so the first beats are answered; a database not ready is retried each round
            self.refresh()
        except SQLAlchemyError:
            log.warning("rollouts: not read at start; retrying every %s s", self._rounds.every_s)
        self._rounds.start()

    def stop(self) -> None:
        self._rounds.stop(10)
