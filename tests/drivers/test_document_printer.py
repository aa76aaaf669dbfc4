"""The A4 document printer against a real, private CUPS (``tests.support.cups_server``): a
certificate PDF goes through ``cups://`` to a file device and the job is seen ``completed``;
stopped, rejecting, missing, paper-less and unreachable printers, and a job that never
finishes, each come back as the outcome that says so, never as an exception."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import date

import pytest

from central.certificate_pdf import CertificateContent, draw_certificate
from central.certificate_records import DemoRecords, kind_of
from contract.vocabulary import IdType
from contract.wire import Applicant
from drivers.document_printer import ipp
from drivers.document_printer.backends import BACKENDS
from drivers.document_printer.printer import FailureReason, PrinterState
from drivers.errors import UnsupportedBackend
from tests.support.cups_server import PrivateCups, running_cups
from tests.support.pdf_pages import page_size_mm, pdf_text

_queues = itertools.count(1)


@pytest.fixture(scope="module")
def cups() -> Iterator[PrivateCups]:
    yield from running_cups()
TITLE = "certificate social-insurance-certificate 202612020010007"


@pytest.fixture(scope="module")
def certificate_pdf() -> bytes:
    kind = kind_of("social-insurance-certificate")
    applicant = Applicant(id_type=IdType.RESIDENT, name="张三丰", id_number="320102199001011234")
    day = date(2026, 12, 2)
    return draw_certificate(CertificateContent(
        kind=kind, name=applicant.name, id_type_label="居民身份证", masked_id_number="320102********1234",
        case_number="202612020010007", purpose="购房", facts=DemoRecords().facts(kind, applicant, {}, day),
        issued_on=day, valid_until=date(2027, 3, 2), code="A" * 24, verify_url="http://127.0.0.1/verify/" + "A" * 24))


def new_queue(cups: PrivateCups, **options: str) -> tuple[str, object]:
    queue = f"A4_{next(_queues)}"
    return queue, cups.add_queue(queue, **options)  # type: ignore[arg-type]


def test_a_certificate_prints_and_its_job_completes(cups: PrivateCups, certificate_pdf: bytes) -> None:
    queue, output = new_queue(cups)
    printer = BACKENDS.build(cups.url(queue), "document_printer")
    assert printer.status().state is PrinterState.READY
    outcome = printer.print_pdf(certificate_pdf, TITLE, timeout=60)
    assert outcome.finished, outcome
    assert f"{queue}-{outcome.job_id} " in cups.jobs("completed")
    printed = output.read_bytes()  # type: ignore[attr-defined]
    assert printed.startswith(b"%PDF-")
    assert "有效期至2027-03-02" in pdf_text(printed)
    assert [round(side) for side in page_size_mm(printed)] == [210, 297]


def test_the_job_title_carries_nothing_personal(cups: PrivateCups, certificate_pdf: bytes) -> None:
    queue, _ = new_queue(cups)
    printer = BACKENDS.build(cups.url(queue), "document_printer")
    outcome = printer.print_pdf(certificate_pdf, "证明 张三丰 320102199001011234", timeout=60)
    assert outcome.finished
    answer = ipp.IppClient("127.0.0.1", cups.port).request(f"/printers/{queue}", ipp.GET_JOB_ATTRIBUTES, [
        (ipp.URI, "job-uri", f"ipp://127.0.0.1:{cups.port}/jobs/{outcome.job_id}"),
        (ipp.NAME, "requesting-user-name", "kiosk")])
    name = str(answer.first("job-name"))
    assert "张" not in name and "320102199001011234" not in name


def test_a_stopped_queue_is_offline_and_gets_no_job(cups: PrivateCups, certificate_pdf: bytes) -> None:
    queue, _ = new_queue(cups)
    cups.admin("cupsdisable", queue)
    printer = BACKENDS.build(cups.url(queue), "document_printer")
    status = printer.status()
    assert status.state is PrinterState.OFFLINE and "paused" in status.reasons
    outcome = printer.print_pdf(certificate_pdf, TITLE, timeout=10)
    assert (outcome.finished, outcome.reason, outcome.job_id) == (False, FailureReason.OFFLINE, None)
    assert queue not in cups.jobs("all")


def test_a_queue_that_rejects_jobs_is_rejected(cups: PrivateCups, certificate_pdf: bytes) -> None:
    queue, _ = new_queue(cups)
    cups.admin("cupsreject", queue)
    printer = BACKENDS.build(cups.url(queue), "document_printer")
    assert printer.status().state is PrinterState.OFFLINE
    assert printer.print_pdf(certificate_pdf, TITLE, timeout=10).reason is FailureReason.REJECTED
    assert queue not in cups.jobs("all")


def test_a_missing_queue_is_no_printer(cups: PrivateCups, certificate_pdf: bytes) -> None:
    printer = BACKENDS.build(cups.url("NoSuchQueue"), "document_printer")
    assert printer.status().state is PrinterState.NO_PRINTER
    assert printer.print_pdf(certificate_pdf, TITLE, timeout=10).reason is FailureReason.NO_PRINTER


def test_a_job_not_done_in_time_is_cancelled(cups: PrivateCups, certificate_pdf: bytes) -> None:
    queue, output = new_queue(cups, options=("job-hold-until-default=indefinite",))
    printer = BACKENDS.build(cups.url(queue), "document_printer")
    outcome = printer.print_pdf(certificate_pdf, TITLE, timeout=1.0)
    assert (outcome.finished, outcome.reason) == (False, FailureReason.TIMEOUT)
    assert outcome.job_id is not None
    assert f"{queue}-{outcome.job_id} " not in cups.jobs("not-completed")  # it will never print
    assert output.read_bytes() == b""  # type: ignore[attr-defined]


def test_the_queue_over_tcp_prints_too(cups: PrivateCups, certificate_pdf: bytes) -> None:
    queue, output = new_queue(cups)
    outcome = BACKENDS.build(cups.tcp_url(queue), "document_printer").print_pdf(certificate_pdf, TITLE, timeout=60)
    assert outcome.finished and output.read_bytes().startswith(b"%PDF-")  # type: ignore[attr-defined]


def test_a_printer_out_of_paper_fails_the_job_at_once(cups: PrivateCups, certificate_pdf: bytes) -> None:
    queue, _ = new_queue(cups, device="paperout:/")
    printer = BACKENDS.build(cups.url(queue), "document_printer")
    outcome = printer.print_pdf(certificate_pdf, TITLE, timeout=30)
    assert (outcome.finished, outcome.reason) == (False, FailureReason.PAPER_OUT), outcome
    assert f"{queue}-{outcome.job_id} " not in cups.jobs("not-completed")


def test_an_unreachable_cups_is_offline(certificate_pdf: bytes) -> None:
    import socket

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    printer = BACKENDS.build(f"cups://127.0.0.1:{port}/A4", "document_printer")
    assert printer.status().state is PrinterState.OFFLINE
    assert printer.print_pdf(certificate_pdf, TITLE, timeout=5).reason is FailureReason.OFFLINE


def test_a_site_without_an_a4_printer(certificate_pdf: bytes) -> None:
    printer = BACKENDS.build("none:", "document_printer")
    assert printer.status().state is PrinterState.NO_PRINTER
    assert printer.print_pdf(certificate_pdf, TITLE, timeout=5).reason is FailureReason.NO_PRINTER


@pytest.mark.parametrize("url", ["cups://", "cups:///", "cups://localhost:x/A4", "cups:///a/b", "lpd://host/A4"])
def test_bad_urls_are_refused_when_built(url: str) -> None:
    with pytest.raises(UnsupportedBackend):
        BACKENDS.build(url, "document_printer")
