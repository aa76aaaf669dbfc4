"""Sample cases for tests, benchmarks and demonstrations: fictional applicants only."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

from contract.wire import Applicant, CaseSubmission, Delivery, IdType


def sample_submission(
    sequence: int,
    *,
    terminal: int = 1,
    site_id: str = "demo-site",
    item_id: str = "sample-item",
    day: str = "20261123",
    salt: str = "",
) -> CaseSubmission:
    """Return case number ``day + terminal + sequence`` with a key derived from it."""
    case_number = f"{day}{terminal:03d}{sequence:04d}"
    key = hashlib.sha256(f"{case_number}/{salt}".encode()).hexdigest()[:32]
    return CaseSubmission(
        idempotency_key=key,
        case_number=case_number,
        site_id=site_id,
        terminal_id=f"T{terminal:03d}",
        item_id=item_id,
        catalog_version="1",
        submitted_at=datetime(2026, 11, 23, 9, 30, tzinfo=UTC),
        applicant=Applicant(id_type=IdType.RESIDENT, name="测试人", id_number="110101190001011237"),
        answers={"reason": "样例", "phone": "13800000000"},
        commitments=["truthful"],
        delivery=Delivery.PICKUP,
    )
