"""The interface every A4 document printer implements, and what a print job comes to.

``print_pdf`` blocks until the job is finished (CUPS says ``completed``: the pages went to
the printer) or has failed, and never raises: every failure is a ``PrintJobOutcome`` with a
``FailureReason``. A job that did not finish in time is cancelled, so it never comes out
later for nobody to collect. ``status`` says whether a job could print now, with the
printer's own ``printer-state-reasons`` (IPP keywords such as ``media-empty-error``).
Job titles reach the print system's logs: they must not carry personal data.
"""

from __future__ import annotations

import abc
import enum
from dataclasses import dataclass


class PrinterState(enum.StrEnum):
    READY = "ready"
    NO_PRINTER = "no_printer"  # none configured, or the queue does not exist
    PAPER_OUT = "paper_out"
    OFFLINE = "offline"  # stopped, not accepting jobs, unreachable, or reporting itself offline


class FailureReason(enum.StrEnum):
    NO_PRINTER = "no_printer"
    OFFLINE = "offline"
    PAPER_OUT = "paper_out"
    REJECTED = "rejected"  # the print system refused or aborted the job
    TIMEOUT = "timeout"  # not finished in time; the job was cancelled


@dataclass(frozen=True)
class DocumentPrinterStatus:
    state: PrinterState
    reasons: tuple[str, ...] = ()  # CUPS's printer-state-reasons, "none" left out

    @property
    def ready(self) -> bool:
        return self.state is PrinterState.READY


@dataclass(frozen=True)
class PrintJobOutcome:
    """How a job ended: ``finished``, or the ``reason`` it failed; ``detail`` is for technicians."""

    finished: bool
    reason: FailureReason | None = None
    job_id: int | None = None
    detail: str = ""

    @classmethod
    def done(cls, job_id: int | None = None) -> PrintJobOutcome:
        return cls(True, None, job_id)

    @classmethod
    def failed(cls, reason: FailureReason, detail: str = "", job_id: int | None = None) -> PrintJobOutcome:
        return cls(False, reason, job_id, detail)


class DocumentPrinter(abc.ABC):
    """An A4 printer for PDF documents."""

    name: str = "document_printer"

    @abc.abstractmethod
    def print_pdf(self, pdf: bytes, title: str, timeout: float) -> PrintJobOutcome:
        """Print ``pdf`` as job ``title`` (no personal data); wait at most ``timeout`` seconds
        for it to finish."""

    @abc.abstractmethod
    def status(self) -> DocumentPrinterStatus:
        """Whether a job could print now, and the printer's state reasons."""


class NoDocumentPrinter(DocumentPrinter):
    """The site has no A4 printer (``none:``): nothing ever prints."""

    def __init__(self, name: str = "document_printer") -> None:
        self.name = name

    def print_pdf(self, pdf: bytes, title: str, timeout: float) -> PrintJobOutcome:
        return PrintJobOutcome.failed(FailureReason.NO_PRINTER, "this kiosk has no A4 printer")

    def status(self) -> DocumentPrinterStatus:
        return DocumentPrinterStatus(PrinterState.NO_PRINTER)
