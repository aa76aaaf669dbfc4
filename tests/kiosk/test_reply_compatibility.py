"""A newer centre's replies, with fields this kiosk does not know, still read: the fleet is
never updated all at once."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from pydantic import ValidationError

from contract.fleet import AuditAck, RemoteCommand
from contract.wire import CaseAck, Heartbeat, HeartbeatAck, ResidentCaseView

NOW = datetime(2026, 12, 2, 8, 0, tzinfo=UTC).isoformat()


@pytest.mark.parametrize(("model", "reply"), [
    (HeartbeatAck, {"received_at": NOW, "catalog_version": "v1", "update_offer": {"v": "2"}}),
    (ResidentCaseView, {"case_number": "202612020010001", "item_id": "x", "status": "received",
                        "message": "m", "next_step": "n", "updated_at": NOW, "eta_days": 3}),
    (AuditAck, {"stored_through": 4, "kept_days": 90}),
    (CaseAck, {"case_number": "202612020010001", "status": "received", "received_at": NOW,
               "queue_position": 3}),
    (RemoteCommand, {"id": 1, "kind": "send_now", "issued_at": NOW, "issued_by": "zhou",
                     "priority": "high"}),
])
def test_a_reply_with_a_newer_field_still_reads(model: type, reply: dict[str, object]) -> None:
    parsed = model.model_validate(reply)
    assert not hasattr(parsed, list(reply)[-1])  # the unknown field is dropped, not kept


def test_what_a_kiosk_sends_stays_strict() -> None:
    with pytest.raises(ValidationError, match="extra"):
        Heartbeat.model_validate({"terminal_id": "T1", "site_id": "s", "sent_at": NOW,
                                  "software_version": "1", "outbox_depth": 0, "typo_field": 1})
