"""Cases for the status lookup's UI test and renders, put into the kiosk's embedded centre
through its real API: three of the sample resident's cases (one asked for more materials by a
clerk), each with a receipt token, and a source that holds its answer until released."""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass
from datetime import UTC, datetime

import requests

from contract.vocabulary import Delivery
from contract.wire import Applicant, CaseSubmission, IdType
from drivers.idcard import samples
from kiosk.session.scanned_codes import new_lookup_token, receipt_lookup_text
from kiosk.session.status_lookup import StatusSource
from kiosk.terminal import Terminal

PHONE = "13812345678"
ITEMS = ("residence-permit", "senior-citizen-card", "residence-permit")


@dataclass(frozen=True)
class SeededCase:
    case_number: str
    token: str
    receipt_text: str  # what the receipt's QR holds


def seed_cases(terminal: Terminal) -> list[SeededCase]:
    """Submit the sample resident's cases (newest last) and ask for materials on the first."""
    link = terminal.link
    assert link is not None, "the terminal is not connected"
    day = datetime.now().astimezone().strftime("%Y%m%d")
    seeded = []
    for n, item_id in enumerate(ITEMS, start=1):
        case_number = f"{day}{terminal.config.terminal_number:03d}{9000 + n:04d}"
        token = new_lookup_token()
        link.client.submit(CaseSubmission(
            idempotency_key=hashlib.sha256(case_number.encode()).hexdigest()[:32], case_number=case_number,
            site_id=terminal.config.site.id, terminal_id=terminal.config.terminal_id, item_id=item_id,
            catalog_version="1", submitted_at=datetime.now(UTC),
            applicant=Applicant(id_type=IdType.RESIDENT, name=samples.RESIDENT.name,
                                id_number=samples.RESIDENT.id_number),
            answers={"phone": PHONE}, delivery=Delivery.PICKUP,
            lookup_token_sha256=hashlib.sha256(token.encode()).hexdigest()))
        seeded.append(SeededCase(case_number, token,
                                 receipt_lookup_text(case_number, token, terminal.config.centre.lookup_url)))
    _ask_for_materials(terminal, seeded[0].case_number)
    return seeded


def _ask_for_materials(terminal: Terminal, case_number: str) -> None:
    centre = terminal.centre.centre  # type: ignore[attr-defined]  # the embedded centre
    headers = {"Authorization": f"Bearer {centre.clerk_token}"}
    with requests.Session() as clerk:
        clerk.trust_env = False
        url = f"{centre.base_url}/api/v1/clerk/cases"
        while True:  # claim until this case is the clerk's (the oldest first)
            claimed = clerk.post(f"{url}/claim", headers=headers, timeout=10)
            claimed.raise_for_status()
            if claimed.json()["case_number"] == case_number:
                break
        moved = clerk.post(f"{url}/{case_number}/transitions", headers=headers, timeout=10,
                           json={"status": "more_materials_needed", "missing": ["household_register"],
                                 "missing_other": ["社区出具的居住证明原件"]})
        moved.raise_for_status()


class HeldSource:
    """The centre, with each answer held until ``release`` (to show the waiting screen)."""

    def __init__(self, source: StatusSource) -> None:
        self.source = source
        self.gate = threading.Event()

    def release(self) -> None:
        self.gate.set()

    def lookup(self, case_number: str, token: str):  # type: ignore[no-untyped-def]
        self.gate.wait(30)
        return self.source.lookup(case_number, token)

    def status_by_number(self, case_number: str, phone_tail: str):  # type: ignore[no-untyped-def]
        self.gate.wait(30)
        return self.source.status_by_number(case_number, phone_tail)

    def status_by_card(self, id_type: IdType, id_number: str):  # type: ignore[no-untyped-def]
        self.gate.wait(30)
        return self.source.status_by_card(id_type, id_number)
