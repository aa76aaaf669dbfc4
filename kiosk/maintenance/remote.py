"""Remote commands from the centre's console, run at the kiosk between residents.

A heartbeat's reply carries ``RemoteCommand``s; the heartbeat thread hands them to the
terminal's queue, and ``RemoteCommands.receive`` takes them on the terminal's thread. They
run only between residents (attract or out of service, no technician at the kiosk): one that
arrives mid-session waits for the session to end. Each runs at most once: the ids run are
kept in ``remote-commands.json`` (written before the command runs), and its
``CommandResult`` is reported in the following heartbeats until one of them is acknowledged.
A command offered again after its result went is answered with that result, not run again.

What each does (``RemoteCommandKind``): ``send_now`` wakes the outbox sender;
``out_of_service`` / ``back_in_service`` flip the service switch; ``restart_app`` asks the
app to exit cleanly (code 0: the service manager starts it again); ``upload_logs`` PUTs the
redacted logs (``kiosk.maintenance.logs``) and ``screenshot`` a PNG of the screen, both on a
thread of their own. Every command is audited with actor ``centre:<issued_by>``.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Protocol

from pydantic import ValidationError

from contract.fleet import (
    UPLOAD_MAX_BYTES,
    UPLOAD_MEDIA_TYPES,
    CommandOutcome,
    CommandResult,
    RemoteCommand,
    RemoteCommandKind,
)
from kiosk.errors import CentreError
from kiosk.maintenance.audit import AuditLog
from kiosk.maintenance.state_file import read_state, write_state

log = logging.getLogger(__name__)

REMOTE_FILE = "remote-commands.json"
REMEMBER_IDS = 1000
RESULTS_PER_BEAT = 50

Screenshot = Callable[[], bytes | None]  # a PNG of the screen as it is now, or None


class Uploads(Protocol):
    def upload(self, command_id: int, media_type: str, body: bytes) -> None: ...


class KioskHands(Protocol):
    """What a remote command may do to the kiosk (the terminal provides it)."""

    def send_now(self) -> object: ...
    def take_out_of_service(self, reason: str, actor: str) -> None: ...
    def put_back_in_service(self, actor: str) -> None: ...
    def restart_app(self, actor: str) -> bool: ...
    def take_screenshot(self) -> bytes | None: ...
    def export_logs(self) -> tuple[bytes, int]: ...
    def uploader(self) -> Uploads | None: ...


@dataclass(frozen=True)
class Ran:
    """What ``run_due`` did with one command (for tests and the log)."""

    command_id: int
    outcome: CommandOutcome | None  # None: still running on its own thread


class RemoteCommands:
    """The commands received, the ids run, the results to report. Safe to share between threads."""

    def __init__(self, data_dir: Path, audit: AuditLog, now: Callable[[], datetime]) -> None:
        self.path = Path(data_dir) / REMOTE_FILE
        self.audit = audit
        self.now = now
        self._lock = threading.Lock()
        self._waiting: list[RemoteCommand] = []
        self._ran: list[int] = []
        self._results: dict[int, CommandResult] = {}  # reported until a beat carrying it is acknowledged
        self._last_results: dict[int, CommandResult] = {}  # kept to answer a command offered again
        self.on_result: Callable[[], None] | None = None  # a result waits: beat soon to report it
        self._load()

    # --- the heartbeat's side (any thread) -----------------------------------------------

    def results_to_report(self) -> list[CommandResult]:
        with self._lock:
            return list(self._results.values())[:RESULTS_PER_BEAT]

    def reported(self, results: list[CommandResult]) -> None:
        """A beat carrying ``results`` was acknowledged: stop reporting them."""
        with self._lock:
            for result in results:
                if self._results.get(result.command_id) == result:
                    del self._results[result.command_id]
            self._save()

    # --- the terminal's side -----------------------------------------------------------

    def receive(self, commands: list[RemoteCommand]) -> None:
        """Take the commands of a heartbeat's reply; each waits until it may run."""
        with self._lock:
            waiting = {command.id for command in self._waiting}
            for command in commands:
                if command.id in self._ran:
                    again = self._last_results.get(command.id)
                    if again is not None and command.id not in self._results:
                        self._results[command.id] = again  # the centre missed it: say it again
                    continue
                if command.id not in waiting:
                    self._waiting.append(command)
                    waiting.add(command.id)

    @property
    def waiting(self) -> list[RemoteCommand]:
        with self._lock:
            return list(self._waiting)

    def run_due(self, hands: KioskHands, between_residents: bool) -> list[Ran]:
        """Run what waits, oldest first, if no resident is being served; never one twice.

        Mid-session the commands wait, but for a screenshot: it is refused at once (the
        screen shows a resident's data)."""
        ran: list[Ran] = []
        while True:
            with self._lock:
                due = [c for c in self._waiting if between_residents or c.kind is RemoteCommandKind.SCREENSHOT]
                if not due:
                    break
                command = due[0]
                self._waiting.remove(command)
                if command.id in self._ran:
                    continue
                self._ran.append(command.id)
                self._ran = self._ran[-REMEMBER_IDS:]
                self._save()  # at most once: the id is on disk before the command runs
            if between_residents:
                ran.append(Ran(command.id, self._run(command, hands)))
            else:
                actor = f"centre:{command.issued_by}"[:64]
                refused = self._finish(command, actor, CommandOutcome.REFUSED, "resident session in progress")
                ran.append(Ran(command.id, refused))
        return ran

    def _run(self, command: RemoteCommand, hands: KioskHands) -> CommandOutcome | None:
        actor = f"centre:{command.issued_by}"[:64]
        action = f"remote.{command.kind.value}"
        try:
            match command.kind:
                case RemoteCommandKind.SEND_NOW:
                    hands.send_now()
                    return self._finish(command, actor, CommandOutcome.DONE)
                case RemoteCommandKind.OUT_OF_SERVICE:
                    hands.take_out_of_service(command.reason, actor)
                    return self._finish(command, actor, CommandOutcome.DONE, command.reason)
                case RemoteCommandKind.BACK_IN_SERVICE:
                    hands.put_back_in_service(actor)
                    return self._finish(command, actor, CommandOutcome.DONE)
                case RemoteCommandKind.RESTART_APP:
                    # The result is on disk before the app goes, and reported after it comes back.
                    self._record(command, CommandOutcome.DONE, "restarting")
                    if not hands.restart_app(actor):
                        return self._finish(command, actor, CommandOutcome.FAILED, "no restart hook")
                    return self._finish(command, actor, CommandOutcome.DONE, "restarting")
                case RemoteCommandKind.SCREENSHOT:
                    image = hands.take_screenshot()
                    if image is None:
                        return self._finish(command, actor, CommandOutcome.FAILED, "no screenshot available")
                    return self._upload_later(command, actor, hands, lambda: (image, 1))
                case RemoteCommandKind.UPLOAD_LOGS:
                    return self._upload_later(command, actor, hands, hands.export_logs)
        except Exception as err:  # noqa: BLE001 - a failed command is reported, never fatal
            log.exception("remote command %d (%s) failed", command.id, command.kind.value)
            return self._finish(command, actor, CommandOutcome.FAILED, type(err).__name__)
        return self._finish(command, actor, CommandOutcome.REFUSED, f"unknown kind {action}")

    def _upload_later(self, command: RemoteCommand, actor: str, hands: KioskHands,
                      body: Callable[[], tuple[bytes, int]]) -> CommandOutcome | None:
        """Upload on a thread of its own (None: under way), or fail at once without a centre."""
        client = hands.uploader()
        if client is None:
            return self._finish(command, actor, CommandOutcome.FAILED, "not connected to the centre")

        def upload() -> None:
            try:
                data, count = body()
                if len(data) > UPLOAD_MAX_BYTES:
                    self._finish(command, actor, CommandOutcome.FAILED, f"too large: {len(data)} bytes")
                    return
                client.upload(command.id, UPLOAD_MEDIA_TYPES[command.kind.value], data)
            except CentreError as err:
                self._finish(command, actor, CommandOutcome.FAILED, err.detail or type(err).__name__)
            except Exception as err:  # noqa: BLE001 - reported, never fatal
                log.exception("remote command %d: upload failed", command.id)
                self._finish(command, actor, CommandOutcome.FAILED, type(err).__name__)
            else:
                what = "lines" if command.kind is RemoteCommandKind.UPLOAD_LOGS else "image"
                self._finish(command, actor, CommandOutcome.DONE, f"{len(data)} bytes, {count} {what}")

        threading.Thread(target=upload, name=f"upload-{command.id}", daemon=True).start()
        return None

    def _finish(self, command: RemoteCommand, actor: str, outcome: CommandOutcome, detail: str = "") -> CommandOutcome:
        """Audit the command's outcome and keep its result to report."""
        what = f"command {command.id} {detail}".strip()
        self.audit.append(actor, f"remote.{command.kind.value}", outcome.value, what)
        return self._record(command, outcome, detail)

    def _record(self, command: RemoteCommand, outcome: CommandOutcome, detail: str) -> CommandOutcome:
        result = CommandResult(command_id=command.id, outcome=outcome, detail=detail[:200], finished_at=self.now())
        with self._lock:
            self._results[command.id] = result
            self._last_results[command.id] = result
            for old in list(self._last_results)[:-REMEMBER_IDS]:
                del self._last_results[old]
            self._save()
        if self.on_result is not None:
            self.on_result()
        return outcome

    # --- on disk ---------------------------------------------------------------------

    def _load(self) -> None:
        state = read_state(self.path) or {}
        ran = state.get("ran", [])
        self._ran = [i for i in ran if isinstance(i, int)] if isinstance(ran, list) else []
        for raw in state.get("results", []) if isinstance(state.get("results"), list) else []:
            try:
                result = CommandResult.model_validate(raw)
            except ValidationError:
                continue
            self._results[result.command_id] = result
            self._last_results[result.command_id] = result

    def _save(self) -> None:
        write_state(self.path, {
            "ran": self._ran,
            "results": [result.model_dump(mode="json") for result in self._results.values()],
        })
