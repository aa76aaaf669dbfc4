"""The kiosk's heartbeat: every 30 s, how it is (devices, paper, unsent cases), never who used it.

The centre shows a kiosk online if it beat within two minutes and colours it green, yellow
(degraded) or red (silent). A beat that fails is simply the next one's job; nothing queues.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime
from importlib.metadata import PackageNotFoundError, version

from contract.vocabulary import HEARTBEAT_INTERVAL_S
from contract.wire import DeviceStatus, Heartbeat, HeartbeatAck, PaperLevel
from drivers.device import DeviceState, PaperStatus
from drivers.device import DeviceStatus as DriverStatus
from kiosk.delivery.centre_client import CentreClient
from kiosk.errors import CentreError

log = logging.getLogger(__name__)

STATES = {
    DeviceState.ONLINE: DeviceStatus.ONLINE,
    DeviceState.BUSY: DeviceStatus.BUSY,
    DeviceState.HARDWARE_ERROR: DeviceStatus.HARDWARE_ERROR,
    DeviceState.USER_ERROR: DeviceStatus.HARDWARE_ERROR,  # e.g. the printer's cover is open
    DeviceState.OFFLINE: DeviceStatus.OFFLINE,
    DeviceState.NO_DEVICE: DeviceStatus.OFFLINE,
}
PAPER = {PaperStatus.FULL: PaperLevel.OK, PaperStatus.LOW: PaperLevel.LOW, PaperStatus.OUT: PaperLevel.OUT}


def software_version() -> str:
    try:
        return version("gov-kiosk")
    except PackageNotFoundError:
        return "unknown"


def beat(
    *,
    terminal_id: str,
    site_id: str,
    catalog_version: str,
    devices: dict[str, DriverStatus],
    paper: PaperStatus,
    outbox_depth: int,
    oldest_unsent_age_s: float | None,
    now: datetime,
) -> Heartbeat:
    """One beat from the kiosk's state."""
    return Heartbeat(
        terminal_id=terminal_id,
        site_id=site_id,
        sent_at=now,
        software_version=software_version(),
        catalog_version=catalog_version,
        devices={name: STATES[status.state] for name, status in devices.items()},
        paper=PAPER.get(paper, PaperLevel.UNKNOWN),
        outbox_depth=outbox_depth,
        oldest_unsent_age_s=oldest_unsent_age_s,
    )


class Heartbeats:
    """Sends ``make_beat()`` every ``interval`` seconds on a thread of its own."""

    def __init__(
        self, client: CentreClient, make_beat: Callable[[], Heartbeat], interval: float = HEARTBEAT_INTERVAL_S
    ) -> None:
        self.client = client
        self.make_beat = make_beat
        self.interval = interval
        self.last_ack: HeartbeatAck | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="heartbeat", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout)

    def send_one(self) -> None:
        try:
            self.last_ack = self.client.heartbeat(self.make_beat())
        except CentreError as err:
            log.info("heartbeat not delivered: %s", type(err).__name__)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.send_one()
            except Exception:  # the next beat must still go out
                log.exception("heartbeat: unexpected error")
            self._stop.wait(self.interval)
