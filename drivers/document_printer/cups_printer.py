"""The A4 printer through CUPS, spoken to in IPP (``drivers.document_printer.ipp``).

URL: ``cups:///QUEUE`` (the local CUPS, through its socket ``/run/cups/cups.sock``, saying
with ``PeerCred`` which user the kiosk runs as, as libcups does, so that CUPS's default
policy (only a job's owner may cancel it) lets the kiosk cancel its own jobs;
``?socket=PATH`` names another socket) or ``cups://HOST:PORT/QUEUE`` (TCP, no
authentication: that server's policy decides whether the kiosk may cancel); ``?poll=250`` is
how often a job's state is asked for, in milliseconds. A cancel that is refused is logged.

A job goes: check the printer (a stopped, rejecting or paper-less printer is not given the
job at all: it would print later, for nobody), Print-Job, then Get-Job-Attributes until
``completed``. ``canceled`` or ``aborted`` is a failure; so is a job that stops or is held
while the printer reports an error, and a job still not done at the timeout: those are
cancelled first. What goes wrong becomes a ``PrintJobOutcome``:

=========================================  =============
what happened                              reason
=========================================  =============
no such queue                              NO_PRINTER
CUPS unreachable; printer stopped/offline  OFFLINE
media-empty / media-needed reasons         PAPER_OUT
not accepting jobs; job aborted/refused    REJECTED
not completed within the timeout           TIMEOUT
=========================================  =============
"""

from __future__ import annotations

import logging
import re
import time

from contract.redaction import redact
from drivers.document_printer import ipp
from drivers.document_printer.printer import (
    DocumentPrinter,
    DocumentPrinterStatus,
    FailureReason,
    PrinterState,
    PrintJobOutcome,
)

log = logging.getLogger(__name__)

PAPER_REASONS = ("media-empty", "media-needed")
OFFLINE_REASONS = ("offline", "shutdown", "paused", "connecting-to-device", "door-open", "cover-open",
                   "media-jam")
_PRINTER_ATTRIBUTES = ["printer-state", "printer-state-reasons", "printer-is-accepting-jobs"]
_SAFE_TITLE = re.compile(r"[^A-Za-z0-9 ._:-]")


def _reason_matches(reasons: tuple[str, ...], prefixes: tuple[str, ...]) -> bool:
    """Whether a reason keyword (possibly with -error/-warning/-report) starts with a prefix."""
    return any(reason.startswith(prefix) for reason in reasons for prefix in prefixes)


class CupsDocumentPrinter(DocumentPrinter):
    """One CUPS queue, reached over IPP at ``host:port``."""

    def __init__(self, queue: str, host: str = "localhost", port: int = 631, *,
                 name: str = "document_printer", poll_interval: float = 0.25,
                 request_timeout: float = 5.0, unix_socket: str | None = None) -> None:
        self.name = name
        self.queue = queue
        self.poll_interval = poll_interval
        self._ipp = ipp.IppClient(host, port, request_timeout, unix_socket)
        self._resource = f"/printers/{queue}"
        self._printer_uri = self._ipp.uri(self._resource)

    def status(self) -> DocumentPrinterStatus:
        return self._inspect()[0]

    def _inspect(self) -> tuple[DocumentPrinterStatus, bool]:
        """The printer's status, and whether it accepts jobs."""
        try:
            answer = self._ask_printer()
        except ipp.IppError as err:
            log.warning("document printer %s: %s", self.queue, err)
            return DocumentPrinterStatus(PrinterState.OFFLINE, ("cups-unreachable",)), False
        if answer.status == ipp.NOT_FOUND:
            return DocumentPrinterStatus(PrinterState.NO_PRINTER), False
        reasons = tuple(str(r) for r in answer.values("printer-state-reasons") if r != "none")
        accepting = answer.first("printer-is-accepting-jobs") is not False
        if not answer.ok:
            return DocumentPrinterStatus(PrinterState.OFFLINE, reasons), accepting
        if _reason_matches(reasons, PAPER_REASONS):
            return DocumentPrinterStatus(PrinterState.PAPER_OUT, reasons), accepting
        stopped = answer.first("printer-state") == ipp.PRINTER_STOPPED
        if stopped or not accepting or _reason_matches(reasons, OFFLINE_REASONS):
            return DocumentPrinterStatus(PrinterState.OFFLINE, reasons), accepting
        return DocumentPrinterStatus(PrinterState.READY, reasons), accepting

    def print_pdf(self, pdf: bytes, title: str, timeout: float) -> PrintJobOutcome:
        deadline = time.monotonic() + timeout
        before, accepting = self._inspect()
        if not before.ready:
            reason = FailureReason.REJECTED if before.state is PrinterState.OFFLINE and not accepting \
                and "cups-unreachable" not in before.reasons else _failure_for(before)
            reasons = ", ".join(before.reasons) or "no reasons"
            return PrintJobOutcome.failed(reason, f"printer {before.state}: {reasons}")
        try:
            answer = self._ipp.request(self._resource, ipp.PRINT_JOB, [
                (ipp.URI, "printer-uri", self._printer_uri),
                (ipp.NAME, "requesting-user-name", self._ipp.user),
                (ipp.NAME, "job-name", job_name(title)),
                (ipp.MIME, "document-format", "application/pdf"),
            ], pdf)
        except ipp.IppError as err:
            return PrintJobOutcome.failed(FailureReason.OFFLINE, str(err))
        if answer.status == ipp.NOT_FOUND:
            return PrintJobOutcome.failed(FailureReason.NO_PRINTER, f"no queue {self.queue}")
        job_id = answer.first("job-id")
        if not answer.ok or not isinstance(job_id, int):
            return PrintJobOutcome.failed(FailureReason.REJECTED, f"Print-Job: IPP status 0x{answer.status:04x}")
        log.info("document printer %s: job %d queued", self.queue, job_id)
        return self._wait(job_id, deadline)

    def _wait(self, job_id: int, deadline: float) -> PrintJobOutcome:
        job_uri = self._ipp.uri(f"/jobs/{job_id}")
        while True:
            try:
                answer = self._ipp.request(self._resource, ipp.GET_JOB_ATTRIBUTES, [
                    (ipp.URI, "job-uri", job_uri), (ipp.NAME, "requesting-user-name", self._ipp.user),
                    (ipp.KEYWORD, "requested-attributes", ["job-state", "job-state-reasons"]),
                ])
                state = answer.first("job-state")
            except ipp.IppError as err:
                state, answer = None, None
                log.warning("document printer %s: job %d: %s", self.queue, job_id, err)
            if state == ipp.JOB_COMPLETED:
                log.info("document printer %s: job %d completed", self.queue, job_id)
                return PrintJobOutcome.done(job_id)
            if state in (ipp.JOB_CANCELED, ipp.JOB_ABORTED):
                printer = self.status()
                reason = FailureReason.REJECTED if printer.ready else _failure_for(printer)
                return PrintJobOutcome.failed(reason, f"job {state_name(state)}", job_id)
            if state in (ipp.JOB_STOPPED, ipp.JOB_HELD, ipp.JOB_PENDING, ipp.JOB_PROCESSING):
                printer = self.status()
                # Out of paper fails at once, even mid-job; a stopped or offline printer fails a job
                # that waits for it (one being sent may just be connecting: the timeout bounds it).
                if printer.state is PrinterState.PAPER_OUT or (
                        printer.state is PrinterState.OFFLINE and state != ipp.JOB_PROCESSING):
                    self._cancel(job_id)
                    return PrintJobOutcome.failed(_failure_for(printer), f"job {state_name(state)}; printer "
                                                  f"{', '.join(printer.reasons)}", job_id)
            if time.monotonic() >= deadline:
                self._cancel(job_id)
                return PrintJobOutcome.failed(FailureReason.TIMEOUT, f"job {state_name(state)} at the timeout",
                                              job_id)
            time.sleep(min(self.poll_interval, max(0.0, deadline - time.monotonic())))

    def _cancel(self, job_id: int) -> None:
        """Cancel the job so that it never prints later; a failure is only logged."""
        try:
            answer = self._ipp.request(self._resource, ipp.CANCEL_JOB, [
                (ipp.URI, "job-uri", self._ipp.uri(f"/jobs/{job_id}")),
                (ipp.NAME, "requesting-user-name", self._ipp.user),
            ])
            if not answer.ok:
                log.warning("document printer %s: cancelling job %d: IPP status 0x%04x",
                            self.queue, job_id, answer.status)
        except ipp.IppError as err:
            log.warning("document printer %s: cancelling job %d: %s", self.queue, job_id, err)

    def _ask_printer(self) -> ipp.IppResponse:
        return self._ipp.request(self._resource, ipp.GET_PRINTER_ATTRIBUTES, [
            (ipp.URI, "printer-uri", self._printer_uri),
            (ipp.NAME, "requesting-user-name", self._ipp.user),
            (ipp.KEYWORD, "requested-attributes", list(_PRINTER_ATTRIBUTES)),
        ])


def job_name(title: str) -> str:
    """The title as CUPS logs it: ID and phone numbers masked, then ASCII letters, digits and
    ``._:-`` only (so no name in any script), at most 64 characters."""
    return _SAFE_TITLE.sub("_", redact(title))[:64] or "document"


def _failure_for(status: DocumentPrinterStatus) -> FailureReason:
    """Why a job cannot print on a printer in ``status`` (which is not ready)."""
    if status.state is PrinterState.NO_PRINTER:
        return FailureReason.NO_PRINTER
    if status.state is PrinterState.PAPER_OUT:
        return FailureReason.PAPER_OUT
    return FailureReason.OFFLINE


def state_name(state: object) -> str:
    names = {3: "pending", 4: "held", 5: "processing", 6: "stopped", 7: "canceled", 8: "aborted", 9: "completed"}
    return names.get(state, "unknown") if isinstance(state, int) else "unknown"
