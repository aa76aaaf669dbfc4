"""After the power cuts: boot the kiosk once more on the last disk, deliver, and compare what
the printer promised with what the outbox holds and what the centre received."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from bench.power_cut import KEY_FILE, printed_cases, submission_for
from bench.power_disk import PowerDisk
from central.cases import body_digest
from central.db import CaseEventRow, CaseRow, make_engine
from central.server import EmbeddedCentre
from kiosk.delivery.centre_client import CentreClient
from kiosk.delivery.outbox import Outbox
from kiosk.delivery.sender import Sender


@dataclass(frozen=True)
class Verdict:
    printed: int  # receipts on paper
    stored: int  # cases in the outbox after the last boot
    at_centre: int  # cases the centre holds
    events: int  # times the centre took a case in
    unsent: int  # left in the outbox after draining
    recovered: int  # in-flight rows the last boot found
    lost_from_outbox: tuple[str, ...]  # printed, not in the outbox
    lost_at_centre: tuple[str, ...]  # printed, not at the centre (or a different case there)

    def __str__(self) -> str:
        return (f"{self.printed} receipts printed, {self.stored} cases stored, {self.at_centre} at the "
                f"centre ({self.events} receptions), {len(self.lost_from_outbox)} printed cases missing "
                f"from the outbox, {len(self.lost_at_centre)} missing or different at the centre")


def verdict(disk: PowerDisk, printer_lines: list[str], centre: EmbeddedCentre, centre_database: str) -> Verdict:
    """Mount the disk, drain its outbox into ``centre``, and judge; the disk is unmounted after."""
    promised = printed_cases(printer_lines)
    disk.mount()
    try:
        key = (disk.mount_point / KEY_FILE).read_bytes()
        outbox = Outbox(disk.mount_point / "outbox.db", key, min_free_bytes=0)
        try:
            sender = Sender(outbox, CentreClient(centre.base_url, centre.token))
            for _ in range(200):
                if not outbox.stats().unsent:
                    break
                sender.run_once()
            stored = {entry.case_number for entry in outbox.entries(limit=1_000_000)}
            unsent, recovered = outbox.stats().unsent, outbox.recovered
        finally:
            outbox.close()
    finally:
        disk.unmount()
    engine = make_engine(centre_database)
    try:
        with engine.connect() as conn:
            at_centre = dict(conn.execute(select(CaseRow.case_number, CaseRow.body_sha256)).all())
            events = conn.scalar(select(func.count()).select_from(CaseEventRow)) or 0
    finally:
        engine.dispose()
    missing_at_centre = tuple(sorted(
        number for number, salt in promised.items()
        if at_centre.get(number) != body_digest(submission_for(number, salt))))
    return Verdict(
        printed=len(promised), stored=len(stored), at_centre=len(at_centre), events=events,
        unsent=unsent, recovered=recovered,
        lost_from_outbox=tuple(sorted(set(promised) - stored)), lost_at_centre=missing_at_centre,
    )
