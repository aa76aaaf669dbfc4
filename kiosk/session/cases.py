"""From a reviewed session to the cases it submits: one per item, a bundle's linked.

Pure: numbers come from a callable, the time and the lookup digest are given. The terminal
stores what this returns in the outbox in one transaction (``CentreLink.store_all``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from contract.wire import Applicant
from kiosk.errors import SessionError
from kiosk.messages import MessageId
from kiosk.session.outcome import CaseLine
from kiosk.session.session import Session


def cases_of(session: Session, next_number: Callable[[], str], now: datetime,
             lookup_digest: str) -> list[dict[str, Any]]:
    """The keyword sets of ``CentreLink.new_case`` for what the session applies for."""
    application, identity = session.item, session.identity
    if application is None or identity is None:
        raise SessionError(MessageId.STEP_EXPIRED)
    numbers = [next_number() for _ in application.items]
    applicant = Applicant(id_type=identity.id_type, name=identity.name, id_number=identity.id_number)
    answers = session.submitted_answers()
    bundle = application.bundle
    return [
        {
            "case_number": number,
            "item_id": item.id,
            "applicant": applicant,
            "answers": application.answers_for(item, answers),
            "commitments": list(application.commitments),
            "delivery": session.delivery,
            "submitted_at": now,
            "lookup_token_sha256": lookup_digest,
            "catalog_version": session.catalog.version,
            "bundle_id": bundle.id if bundle else None,
            "bundle_cases": tuple(numbers) if bundle else (),
            "assisted_by": session.assistance.staff_no,
        }
        for number, item in zip(numbers, application.items, strict=True)
    ]


def case_lines(cases: list[dict[str, Any]], session: Session) -> tuple[CaseLine, ...]:
    """What the receipt lists: each case's number and item name."""
    assert session.item is not None
    names = {item.id: item.name for item in session.item.items}
    return tuple(CaseLine(case["case_number"], names[case["item_id"]]) for case in cases)
