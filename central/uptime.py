"""Device uptime per kiosk (设备在线率), from the sampled heartbeat history (``kiosk_beats``).

A kiosk beats every 30 s; ``central.beat_history`` keeps a sample whenever its state changes,
when it comes back after a silence, and otherwise every ``SAMPLE_EVERY_S``. So a sample at
``t`` says the kiosk was beating from ``t`` until the next sample, or for at most
``SAMPLE_EVERY_S`` plus one beat when no sample follows that soon (it fell silent somewhere in
that stretch: an outage is under-counted by at most that much). The newest sample's stretch
ends at the kiosk's last beat.

- online: beating; in service: beating and not taken out of service by a technician.
- Each kiosk is observed from the start of the range, or from its first sample when it came
  later, to the end of the range or now. The history is pruned after
  ``beat_history.KEEP_DAYS``: a range reaching further back is counted from what is kept.

One page of kiosks at a time (by terminal id): the samples are read per kiosk page, never the
whole fleet's history at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from central.auth import Clerk
from central.beat_history import SAMPLE_EVERY_S
from central.db import KioskRow, as_utc, utcnow
from central.fleet_rows import KioskBeatRow
from central.stats import DateRange
from contract.vocabulary import HEARTBEAT_INTERVAL_S

PER_PAGE = 50
_COVER = timedelta(seconds=SAMPLE_EVERY_S + HEARTBEAT_INTERVAL_S)  # one sample's longest stretch


@dataclass(frozen=True)
class KioskUptime:
    terminal_id: str
    site_id: str
    observed_s: float  # the part of the range the kiosk was known for
    online_s: float
    in_service_s: float

    @property
    def online_ratio(self) -> float | None:
        return self.online_s / self.observed_s if self.observed_s > 0 else None

    @property
    def in_service_ratio(self) -> float | None:
        return self.in_service_s / self.observed_s if self.observed_s > 0 else None


@dataclass(frozen=True)
class UptimePage:
    rows: list[KioskUptime]
    total: int  # kiosks
    page: int
    per_page: int = PER_PAGE

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def _seconds(start: datetime, end: datetime) -> float:
    return max(0.0, (end - start).total_seconds())


def _measure(samples: list[tuple[datetime, bool]], last_beat: datetime, start: datetime,
             end: datetime) -> tuple[float, float, float]:
    """(observed, online, in service) seconds in [start, end) from time-ordered samples (read
    up to ``_COVER`` past ``end``, so each sample's successor is known)."""
    inside = [at for at, _ in samples if at < end]
    if not inside:
        return 0.0, 0.0, 0.0
    observed = _seconds(max(start, inside[0]), end)
    online = in_service = 0.0
    for i, (at, serving) in enumerate(samples):
        if at >= end:
            break
        if i + 1 < len(samples):
            stretch_end = min(samples[i + 1][0], at + _COVER)
        elif last_beat <= at + _COVER:  # the newest sample: the kiosk beat on until its last beat
            stretch_end = max(at, last_beat) + timedelta(seconds=HEARTBEAT_INTERVAL_S)
        else:
            stretch_end = at + _COVER
        covered = _seconds(max(at, start), min(stretch_end, end))
        online += covered
        in_service += covered if serving else 0.0
    return observed, online, in_service


def uptime(engine: Engine, supervisor: Clerk, period: DateRange, zone: tzinfo, *, site: str | None = None,
           page: int = 1, per_page: int = PER_PAGE, now: datetime | None = None) -> UptimePage:
    """Uptime in ``period`` of one page of the kiosks ``supervisor`` may see (at ``site``)."""
    now = now or utcnow()
    start, end = period.bounds(zone)
    end = min(end, now)
    kiosks = select(KioskRow.terminal_id, KioskRow.site_id, KioskRow.received_at)
    if supervisor.sites:
        kiosks = kiosks.where(KioskRow.site_id.in_(sorted(supervisor.sites)))
    if site:
        kiosks = kiosks.where(KioskRow.site_id == site)
    page = max(1, page)
    with Session(engine.execution_options(readonly=True)) as session:
        total = session.scalar(select(func.count()).select_from(kiosks.subquery())) or 0
        listed = session.execute(kiosks.order_by(KioskRow.terminal_id)
                                 .offset((page - 1) * per_page).limit(per_page)).all()
        ids = [k.terminal_id for k in listed]
        found: dict[str, list[tuple[datetime, bool]]] = {terminal: [] for terminal in ids}
        if ids and end > start:
            for terminal, at, serving in session.execute(
                    select(KioskBeatRow.terminal_id, KioskBeatRow.at, KioskBeatRow.in_service)
                    .where(KioskBeatRow.terminal_id.in_(ids), KioskBeatRow.at >= start - _COVER,
                           KioskBeatRow.at < end + _COVER)
                    .order_by(KioskBeatRow.terminal_id, KioskBeatRow.at)):
                found[terminal].append((as_utc(at), bool(serving)))
    rows = []
    for kiosk in listed:
        observed, online, in_service = _measure(found[kiosk.terminal_id],
                                                as_utc(kiosk.received_at), start, end)
        rows.append(KioskUptime(kiosk.terminal_id, kiosk.site_id, observed, online, in_service))
    return UptimePage(rows, total, page, per_page)
