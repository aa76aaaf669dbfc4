"""Instant printing end to end: the kiosk's centre client asks a real embedded centre for the
certificate, the document printer prints it through a private CUPS, and the resident is told
how it went; a printer that cannot print means no certificate is issued at all."""

from __future__ import annotations

import itertools
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from sqlalchemy import text

from central.server import EmbeddedCentre, start_embedded
from contract.certificates import CertificateRequest, read_certificate_reply
from contract.vocabulary import IdType
from contract.wire import Applicant
from drivers.document_printer.backends import BACKENDS
from drivers.document_printer.printer import FailureReason
from kiosk.delivery.centre_client import CentreClient
from kiosk.errors import CentreRejected
from kiosk.messages import MessageId
from kiosk.printing.certificate_printing import print_certificate
from tests.support.cups_server import PrivateCups, running_cups
from tests.support.pdf_pages import pdf_text

NAME = "欧阳娜娜"
ID_NUMBER = "110105198808081234"
_queues = itertools.count(1)


@pytest.fixture(scope="module")
def cups() -> Iterator[PrivateCups]:
    yield from running_cups()


@pytest.fixture
def centre(tmp_path: Path) -> Iterator[EmbeddedCentre]:
    running = start_embedded(f"sqlite:///{tmp_path / 'central.db'}", terminal_id="T001", terminal_number=1)
    yield running
    running.stop()


def request(item_id: str = "housing-fund-certificate") -> CertificateRequest:
    return CertificateRequest(item_id=item_id, case_number="202612020010012",
                              applicant=Applicant(id_type=IdType.RESIDENT, name=NAME, id_number=ID_NUMBER),
                              answers={"purpose": "购房", "period": "最近12个月"})


def issued(centre: EmbeddedCentre) -> int:
    with centre.app.state.engine.connect() as conn:
        return int(conn.execute(text("SELECT COUNT(*) FROM certificates")).scalar_one())


def test_a_certificate_is_drawn_printed_and_verifiable(centre: EmbeddedCentre, cups: PrivateCups,
                                                      caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    queue = f"Cert_{next(_queues)}"
    output = cups.add_queue(queue)
    printer = BACKENDS.build(cups.url(queue), "document_printer")
    outcome = print_certificate(CentreClient(centre.base_url, centre.token), printer, request(), timeout=60)
    assert outcome.printed and outcome.produced, outcome
    assert outcome.message.id is MessageId.CERTIFICATE_PRINTED and outcome.code
    words = pdf_text(output.read_bytes())
    assert "《住房公积金缴存证明》" in words and NAME in words and ID_NUMBER not in words
    assert f"有效期至{outcome.valid_until}" in words
    page = requests.get(f"{centre.base_url}/verify/{outcome.code}", timeout=10)
    assert page.status_code == 200 and "欧**娜" in page.text
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "202612020010012" in logged  # the case number is what a technician follows
    assert NAME not in logged and ID_NUMBER not in logged


def test_without_a_printer_no_certificate_is_issued(centre: EmbeddedCentre) -> None:
    outcome = print_certificate(CentreClient(centre.base_url, centre.token), BACKENDS.build("none:", "p"), request())
    assert (outcome.printed, outcome.produced, outcome.failure) == (False, False, FailureReason.NO_PRINTER)
    assert outcome.message.id is MessageId.CERTIFICATE_NO_PRINTER
    assert issued(centre) == 0


def test_paper_running_out_mid_job_is_said_and_the_certificate_kept(centre: EmbeddedCentre,
                                                                     cups: PrivateCups) -> None:
    queue = f"Cert_{next(_queues)}"
    cups.add_queue(queue, device="paperout:/")
    printer = BACKENDS.build(cups.url(queue), "document_printer")
    outcome = print_certificate(CentreClient(centre.base_url, centre.token), printer, request(), timeout=30)
    assert (outcome.printed, outcome.produced, outcome.failure) == (False, True, FailureReason.PAPER_OUT)
    assert outcome.message.id is MessageId.CERTIFICATE_PAPER_OUT and outcome.code
    assert issued(centre) == 1


def test_centre_refusals_and_silence_are_told_apart(centre: EmbeddedCentre, cups: PrivateCups) -> None:
    queue = f"Cert_{next(_queues)}"
    cups.add_queue(queue)
    printer = BACKENDS.build(cups.url(queue), "document_printer")
    client = CentreClient(centre.base_url, centre.token)
    with pytest.raises(CentreRejected):
        client.certificate(request("birth-certificate"))
    refused = print_certificate(client, printer, request("birth-certificate"))
    assert (refused.printed, refused.produced) == (False, False)
    assert refused.message.id is MessageId.CERTIFICATE_NOT_ISSUED and refused.detail == "HTTP 404"
    wrong_token = print_certificate(CentreClient(centre.base_url, "not-a-token"), printer, request())
    assert wrong_token.message.id is MessageId.CERTIFICATE_NOT_ISSUED
    centre.stop()
    silent = print_certificate(CentreClient(centre.base_url, centre.token, connect_timeout=1), printer, request())
    assert silent.message.id is MessageId.CERTIFICATE_CENTRE_UNREACHABLE and not silent.produced
    assert cups.jobs("all").count(f"{queue}-") == 0  # nothing was sent to the printer


@pytest.mark.parametrize(("headers", "body"), [
    ({"Content-Type": "application/json", "X-Certificate-Code": "A" * 24, "X-Valid-Until": "2027-01-01"}, b"{}"),
    ({"Content-Type": "application/pdf", "X-Valid-Until": "2027-01-01"}, b"%PDF-1.4"),
    ({"Content-Type": "application/pdf", "X-Certificate-Code": "A" * 24, "X-Valid-Until": "soon"}, b"%PDF-1.4"),
    ({"Content-Type": "application/pdf", "X-Certificate-Code": "A" * 24, "X-Valid-Until": "2027-01-01"}, b"<html>"),
])
def test_a_reply_that_is_no_certificate_is_refused(headers: dict[str, str], body: bytes) -> None:
    with pytest.raises(ValueError):
        read_certificate_reply(headers, body)
