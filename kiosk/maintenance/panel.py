"""``MaintenancePanel``: what the maintenance screens show during one visit, and their buttons.

It keeps which section is open and what each section's last action came to, asks the
``MaintenanceDesk`` for reports, and turns them into a ``Sheet`` (``kiosk.maintenance.sheets``).
Slow desk calls (self-tests, sending, the link test, the export, the restart) run one at a
time on a worker thread; ``post`` hands their results back to the UI thread (the Kivy clock,
or a test calling at once), and listeners hear of every change there.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.errors import KioskError
from kiosk.maintenance import sheets
from kiosk.maintenance.sheet import Section, Sheet
from kiosk.maintenance.wording import Tech, tech

if TYPE_CHECKING:
    from contract.fleet import ServiceState
    from kiosk.maintenance.desk import MaintenanceDesk
    from kiosk.maintenance.reports import LinkReport, QueueReport, SelfTestResult

log = logging.getLogger(__name__)

Post = Callable[[Callable[[], None]], None]
Listener = Callable[[], None]


class MaintenancePanel:
    """The state of the maintenance screens for one technician's visit."""

    def __init__(self, terminal_id: str, site: str, software: str, service: Callable[[], ServiceState],
                 post: Post) -> None:
        self.terminal_id = terminal_id
        self.site = site
        self.software = software
        self.service = service
        self.post = post
        self._listeners: list[Listener] = []
        self._desk: MaintenanceDesk | None = None
        self._reset()

    def _reset(self) -> None:
        self.section = Section.MENU
        self.running: str | None = None  # the slow call under way: "test:card", "queue:send", …
        self._test_result: SelfTestResult | None = None
        self._link_report: LinkReport | None = None
        self._reports: dict[Section, object] = {}
        self._failures: dict[Section, str] = {}
        self._sent = False
        self._just_replaced = False
        self._mounts: list[Path] = []
        self._stick: int | None = None
        self._export: tuple[str, bool] | None = None  # (message, ok)
        self._reason: int | None = None
        self._service_outcome = ""
        self._asking_restart = False

    # --- the visit ---------------------------------------------------------------------

    def subscribe(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def begin(self, desk: MaintenanceDesk) -> None:
        """A technician came in: start at the menu with nothing remembered from a last visit."""
        self._desk = desk
        self._reset()

    def end(self) -> None:
        self._desk = None
        self._reset()

    @property
    def desk(self) -> MaintenanceDesk:
        if self._desk is None:
            raise RuntimeError("no maintenance visit is under way")
        return self._desk

    def open(self, section: Section) -> None:
        self.section = section
        self._load(section)
        self._changed()

    def back(self) -> None:
        """Back to the menu (the footer's Back)."""
        self._asking_restart = False
        self.open(Section.MENU)

    # --- what the open section shows -----------------------------------------------------

    def sheet(self) -> Sheet:
        """The open section as it stands (reports are read on opening and on Refresh, not per frame:
        each read is an audit entry)."""
        running, report = self.running, self._reports.get(self.section)
        failure = self._failures.get(self.section, "")
        match self.section:
            case Section.MENU:
                return sheets.menu_sheet(self.terminal_id, self.site, self.software)
            case Section.DEVICES:
                return sheets.devices_sheet(report or [])  # type: ignore[arg-type]
            case Section.SELF_TEST:
                test = running.partition(":")[2] if running and running.startswith("test:") else None
                return sheets.self_test_sheet(test, self._test_result, failure)
            case Section.PAPER:
                return sheets.paper_sheet(report, self._just_replaced)  # type: ignore[arg-type]
            case Section.QUEUE:
                return sheets.queue_sheet(report, running == "queue:send", self._sent, failure)  # type: ignore[arg-type]
            case Section.LINK:
                return sheets.link_sheet(self._link_report, running == "link:run", failure)
            case Section.VERSIONS:
                return sheets.versions_sheet(report)  # type: ignore[arg-type]
            case Section.COUNTERS:
                return sheets.counters_sheet(report)  # type: ignore[arg-type]
            case Section.EXPORT:
                message, ok = self._export or (failure, False)
                return sheets.export_sheet(self._mounts, self._stick, running == "export:run", message, ok)
            case Section.SERVICE:
                state = self.service()
                return sheets.service_sheet(state.in_service, state.reason, self._reason, self._service_outcome)
            case Section.RESTART:
                return sheets.restart_sheet(self._asking_restart, running == "restart")

    def _load(self, section: Section) -> None:
        """Read the quick report a section shows."""
        desk = self.desk
        readers: dict[Section, Callable[[], object]] = {
            Section.DEVICES: desk.devices,
            Section.PAPER: desk.paper,
            Section.QUEUE: desk.queue,
            Section.VERSIONS: desk.versions,
            Section.COUNTERS: desk.counters,
        }
        if section in readers:
            self._reports[section] = readers[section]()
        if section is Section.EXPORT:
            self._refresh_mounts()

    def devices_changed(self) -> None:
        """A device's state changed: redraw the status section if it is open."""
        if self._desk is not None and self.section is Section.DEVICES:
            self._load(Section.DEVICES)
            self._changed()

    # --- the buttons ---------------------------------------------------------------------

    def act(self, action: str) -> None:
        """Do what the button ``action`` (an ``Action.id`` of the open sheet) asks."""
        verb, _, argument = action.partition(":")
        desk = self.desk
        match verb, argument:
            case "open", section:
                self.open(Section(section))
                return
            case "refresh", _:
                self._load(self.section)
            case "test", test:
                self._test_result = None
                self._failures.pop(Section.SELF_TEST, None)
                calls: dict[str, Callable[[], SelfTestResult]] = {
                    "card": desk.test_card, "qr": desk.test_qr, "print": desk.test_print, "camera": desk.test_camera,
                }
                self._start(action, Section.SELF_TEST, calls[test], self._tested)
            case "paper", "replaced":
                self._reports[Section.PAPER] = desk.paper_replaced()
                self._just_replaced = True
            case "queue", "send":
                self._sent = False
                self._start(action, Section.QUEUE, desk.send_now, self._queue_sent)
            case "link", "run":
                self._link_report = None
                self._start(action, Section.LINK, desk.test_link, self._linked)
            case "export", "refresh":
                self._export = None
                self._refresh_mounts()
            case "export", "run" if self._stick is not None:
                mount = self._mounts[self._stick]
                self._export = None
                self._start(action, Section.EXPORT, lambda: desk.export_logs(mount),
                            lambda report: setattr(self, "_export", (report.message, report.ok)))
            case "export", choice if choice.startswith("stick:"):
                self._stick = int(choice.partition(":")[2])
                self._export = None
            case "service", choice if choice.startswith("reason:"):
                self._reason = int(choice.partition(":")[2])
                self._service_outcome = ""
            case "service", "out" if self._reason is not None:
                reason = tech(sheets.OUT_OF_SERVICE_REASONS[self._reason])
                desk.take_out_of_service(reason)
                self._reason = None
                self._service_outcome = tech(Tech.SERVICE_TAKEN_OUT, reason=reason)
            case "service", "back":
                desk.put_back_in_service()
                self._service_outcome = tech(Tech.SERVICE_PUT_BACK_DONE)
            case "restart", "ask":
                self._asking_restart = True
            case "restart", "cancel":
                self._asking_restart = False
            case "restart", "confirm":
                self._asking_restart = False
                self._start("restart", Section.RESTART, desk.restart_app, lambda _none: None)
            case "leave", _:
                desk.leave()
                return
            case _:
                log.warning("maintenance: no such action %r here", action)
                return
        self._changed()

    def _queue_sent(self, report: QueueReport) -> None:
        self._reports[Section.QUEUE] = report
        self._sent = True

    def _tested(self, result: SelfTestResult) -> None:
        self._test_result = result

    def _linked(self, report: LinkReport) -> None:
        self._link_report = report

    def _refresh_mounts(self) -> None:
        self._mounts = list(self.desk.usb_mounts())
        if self._stick is not None and self._stick >= len(self._mounts):
            self._stick = None
        if self._stick is None and len(self._mounts) == 1:
            self._stick = 0  # one stick: nothing to choose

    # --- slow calls ----------------------------------------------------------------------

    def _start(self, name: str, section: Section, call: Callable[[], object],
               done: Callable[..., None]) -> None:
        """Run ``call`` on a worker thread; hand its result to ``done`` on the UI thread."""
        if self.running is not None:
            self._failures[section] = tech(Tech.BUSY_ELSEWHERE)
            return
        self.running = name
        self._failures.pop(section, None)
        desk = self._desk

        def work() -> None:
            try:
                result = call()
            except Exception as err:  # noqa: BLE001 - any failure is the technician's to see
                log.warning("maintenance: %s failed: %s", name, type(err).__name__)
                failure = tech(Tech.TASK_FAILED, error=describe(err))
                self.post(lambda: self._finished(desk, section, None, failure, done))
                return
            self.post(lambda: self._finished(desk, section, result, "", done))

        threading.Thread(target=work, name=f"maintenance-{name}", daemon=True).start()

    def _finished(self, desk: MaintenanceDesk | None, section: Section, result: object, failure: str,
                  done: Callable[..., None]) -> None:
        if desk is not self._desk:
            return  # the visit ended while the call ran
        self.running = None
        self._failures.pop(section, None)
        if failure:
            self._failures[section] = failure
        else:
            done(result)
        self._changed()

    def _changed(self) -> None:
        for listener in list(self._listeners):
            listener()


def describe(err: BaseException) -> str:
    """A failure in a technician's words: the error's kind and its technical detail, never ``str()``
    of a foreign exception (which could quote anything)."""
    if isinstance(err, KioskError) and err.detail:
        return f"{type(err).__name__}（{err.detail}）"
    return type(err).__name__
