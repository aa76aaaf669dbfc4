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

from contract.fleet import CommandResult, DailyCounters, DeviceFault, ServiceState
from contract.machine_health import MachineHealth
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
    counters: list[DailyCounters] | None = None,
    faults: dict[str, DeviceFault] | None = None,
    service: ServiceState | None = None,
    paper_left_estimate: int | None = None,
    command_results: list[CommandResult] | None = None,
    machine: MachineHealth | None = None,
) -> Heartbeat:
    """One beat from the kiosk's state (the fleet fields are optional: ``contract.fleet``)."""
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
        counters=counters or [],
        faults=faults or {},
        service=service or ServiceState(),
        paper_left_estimate=paper_left_estimate,
        command_results=command_results or [],
        machine=machine,
    )


class Heartbeats:
    """Sends ``make_beat()`` every ``interval`` seconds on a thread of its own.

    ``on_ack(beat, ack)`` runs on that thread after each beat the centre took (the commands
    its reply carries, the audit log to send): never touch the resident session from it.
    ``between_beats()`` runs on that thread after every beat, delivered or not (the nightly
    housekeeping)."""

    def __init__(
        self,
        client: CentreClient,
        make_beat: Callable[[], Heartbeat],
        interval: float = HEARTBEAT_INTERVAL_S,
        on_ack: Callable[[Heartbeat, HeartbeatAck], None] | None = None,
        between_beats: Callable[[], object] | None = None,
    ) -> None:
        self.client = client
        self.make_beat = make_beat
        self.interval = interval
        self.on_ack = on_ack
        self.between_beats = between_beats
        self.last_ack: HeartbeatAck | None = None
        self._stop = threading.Event()
        self._soon = threading.Event()
        self._thread = threading.Thread(target=self._run, name="heartbeat", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        self._soon.set()
        if self._thread.is_alive():
            self._thread.join(timeout)

    def send_one(self) -> None:
        heartbeat = self.make_beat()
        try:
            ack = self.client.heartbeat(heartbeat)
        except CentreError as err:
            log.info("heartbeat not delivered: %s", type(err).__name__)
            return
        self.last_ack = ack
        if self.on_ack is not None:
            self.on_ack(heartbeat, ack)

    def beat_now(self) -> None:
        """Send the next beat now instead of at its time (e.g. after a command ran)."""
        self._soon.set()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.send_one()
                if self.between_beats is not None:
                    self.between_beats()
            except Exception:  # the next beat must still go out
                log.exception("heartbeat: unexpected error")
            self._soon.wait(self.interval)
            self._soon.clear()
