"""Clone printers that never answer the ``GS r`` job fence: jobs end by ``DLE EOT`` status.

The wire simulator's clone mode (``simwire://?clone=1``) swallows ``GS r``. The driver finds
that out at connect and then counts a job printed when, after its wire time, the printer is
online with paper and no error; only a fault or silence fails it. How long that takes is
measured in ``python -m bench printer``, not here.
"""

from __future__ import annotations

import pytest
from printer_support import wait_for
from test_driver import RECEIPT

from drivers.device import DeviceState, PaperStatus
from drivers.errors import CoverOpen, CutterError, DeviceNotFound, PaperOut
from drivers.printer.backends import BACKENDS
from drivers.printer.simwire import SimWirePrinter


def test_the_url_selects_a_clone(tmp_path) -> None:
    printer = BACKENDS.build("simwire://?profile=80mm&clone=1", "printer", output_dir=tmp_path, font_path=None)
    assert isinstance(printer, SimWirePrinter) and printer.simulator.clone
    plain = BACKENDS.build("simwire://?profile=80mm", "printer", output_dir=tmp_path, font_path=None)
    assert isinstance(plain, SimWirePrinter) and not plain.simulator.clone


def test_connect_learns_whether_the_printer_answers_the_fence(make_wire_printer) -> None:
    clone, _ = make_wire_printer(clone=True)
    genuine, _ = make_wire_printer()
    assert clone.answers_fence is False
    assert genuine.answers_fence is True


@pytest.mark.parametrize("link", ["pty", "tcp"])
def test_a_receipt_on_a_clone_is_reported_printed(make_wire_printer, link: str) -> None:
    printer, events = make_wire_printer(clone=True, link=link)
    printer.print_document(RECEIPT)  # the old driver raised DeviceTimeout here
    assert len(printer.printed) == 1 and not printer.failed
    assert "2026 1122 001 0001" in printer.simulator.lines and "咨询电话：12345" in printer.simulator.lines
    assert printer.status.state is DeviceState.ONLINE
    printer.print_document(RECEIPT)  # and the next one too
    assert len(printer.printed) == 2


def test_paper_out_mid_job_on_a_clone_fails_it_and_the_reprint_is_whole(make_wire_printer) -> None:
    printer, _ = make_wire_printer(clone=True)
    printer.set_paper_rows(200)  # runs out a few lines into the receipt
    with pytest.raises(PaperOut):
        printer.print_document(RECEIPT)
    assert printer.status.paper is PaperStatus.OUT
    assert printer.failed and not printer.printed
    half = list(printer.simulator.lines)
    assert 0 < len(half) < 10
    printer.set_paper(20)
    wait_for(lambda: printer.status.paper is PaperStatus.FULL)
    assert printer.simulator.lines == half  # the rest of the failed job did not resume
    printer.print_document(RECEIPT)
    reprint = printer.simulator.lines[len(half) :]
    assert reprint[0] == "受理回执" and "咨询电话：12345" in reprint
    assert len(printer.printed) == 1


def test_paper_out_mid_job_on_a_clone_without_asb_fails_it(make_wire_printer) -> None:
    printer, _ = make_wire_printer(clone=True, profile="58mm-basic")  # polling alone sees it
    printer.set_paper_rows(200)
    with pytest.raises(PaperOut):
        printer.print_document(RECEIPT)
    assert printer.failed and not printer.printed


def test_cutter_error_on_a_clone(make_wire_printer) -> None:
    printer, _ = make_wire_printer(clone=True)
    printer.inject_cutter_error()
    with pytest.raises(CutterError):
        printer.print_document(RECEIPT)
    assert "咨询电话：12345" in printer.simulator.lines  # printed, only not cut


def test_cover_open_mid_job_on_a_clone_fails_it(make_wire_printer) -> None:
    printer, _ = make_wire_printer(clone=True)

    def open_cover_when_busy(event: object) -> None:
        if printer.status.state is DeviceState.BUSY and not printer.simulator.state.cover_open:
            printer.set_cover_open(True)

    printer.subscribe(open_cover_when_busy)
    with pytest.raises(CoverOpen):
        printer.print_document(RECEIPT)
    assert not printer.printed


def test_a_clone_that_falls_silent_mid_job_fails_it(make_wire_printer) -> None:
    printer, _ = make_wire_printer(clone=True)

    def unplug_when_busy(event: object) -> None:
        if printer.status.state is DeviceState.BUSY and printer.simulator.powered:
            printer.unplug()

    printer.subscribe(unplug_when_busy)
    with pytest.raises(DeviceNotFound):
        printer.print_document(RECEIPT)
    assert not printer.printed
    assert wait_for(lambda: printer.status.state is DeviceState.NO_DEVICE)


def test_a_printer_that_answers_nothing_fails_the_job(make_wire_printer) -> None:
    printer, _ = make_wire_printer(clone=True, powered=False)
    assert printer.status.state is DeviceState.NO_DEVICE
    with pytest.raises(DeviceNotFound):
        printer.print_document(RECEIPT)
    assert not printer.printed and printer.simulator.lines == []


def test_a_clone_found_out_of_paper_at_connect_is_probed_by_its_first_job(make_wire_printer) -> None:
    printer, _ = make_wire_printer(clone=True, paper=0)
    assert printer.answers_fence is None  # an offline printer's silence says nothing
    printer.set_paper(20)
    wait_for(lambda: printer.status.paper is PaperStatus.FULL)
    printer.print_document(RECEIPT)
    assert printer.answers_fence is False and len(printer.printed) == 1


def test_reconnecting_probes_again(make_wire_printer) -> None:
    printer, _ = make_wire_printer(clone=True)
    printer.unplug()
    wait_for(lambda: printer.status.state is DeviceState.NO_DEVICE)
    assert printer.answers_fence is None
    printer.plug_in()
    wait_for(lambda: printer.status.state is DeviceState.ONLINE, timeout=3.0)
    wait_for(lambda: printer.answers_fence is False)
    printer.print_document(RECEIPT)
    assert len(printer.printed) == 1
