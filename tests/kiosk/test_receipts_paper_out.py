"""The whole kiosk on the real ESC/POS driver (``simwire://``): paper running out mid-job.

The job fails, the resident is told, the case stays in the outbox with its number and QR on
screen, and once paper is loaded the receipt is reprinted whole.
"""

from __future__ import annotations

from drivers.device import PaperStatus
from drivers.printer.simwire import SimWirePrinter
from kiosk.session.outcome import PrintState
from tests.kiosk.kiosk_support import MakeConfig
from tests.kiosk.terminal_support import pump_until, running_terminal, walk_to_review

SIMWIRE_PRINTER = "simwire://?profile=80mm"  # the real ESC/POS driver; the other devices in-process


def test_paper_out_mid_job_then_reprint(kiosk_config: MakeConfig) -> None:
    with running_terminal(kiosk_config(printer=SIMWIRE_PRINTER)) as terminal:
        printer = terminal.devices.printer
        assert isinstance(printer, SimWirePrinter)
        printer.set_paper_rows(120)  # enough to start the receipt, not to reach the number
        walk_to_review(terminal)
        assert terminal.submit()
        case = terminal.session.case
        assert case is not None
        pump_until(terminal, lambda: case.print_state is PrintState.FAILED)
        assert "缺纸" in case.print_message
        assert case.case_number and case.lookup_text  # still shown on screen
        assert terminal.link.outbox.state_of(case.case_number) is not None  # type: ignore[union-attr]
        assert printer.status.paper is PaperStatus.OUT and len(printer.failed) == 1
        pump_until(terminal, lambda: terminal.availability is not None and not terminal.availability.printer)
        printer.set_paper(20)
        pump_until(terminal, lambda: terminal.availability is not None and terminal.availability.printer)
        terminal.print_receipt()
        pump_until(terminal, lambda: case.print_state is PrintState.PRINTED)
        assert len(printer.printed) == 1
        lines = printer.simulator.lines
        grouped = " ".join((case.case_number[:4], case.case_number[4:8], case.case_number[8:11], case.case_number[11:]))
        assert lines.count(grouped) == 1  # only the reprint got as far as the number
