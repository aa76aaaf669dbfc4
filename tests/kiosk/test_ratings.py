"""Ratings reach the centre once per case, after their case, whatever the network did."""

from __future__ import annotations

from pathlib import Path

import pytest

from contract.wire import Rating, RatingAck, RatingLevel
from kiosk.delivery.ratings import RatingQueue
from kiosk.errors import CentreConflict, CentreUnreachable
from kiosk.session.session import Step
from tests.kiosk.kiosk_support import UNREACHABLE_CENTRE, MakeConfig
from tests.kiosk.terminal_support import pump_until, running_terminal, walk_to_review


def rate_a_case(terminal, level: int, reasons: tuple[str, ...] = ()) -> str:  # type: ignore[no-untyped-def]
    walk_to_review(terminal)
    assert terminal.submit()
    case_number = terminal.session.case.case_number
    pump_until(terminal, lambda: terminal.session.case.print_state.value in ("printed", "failed"))
    terminal.session.to_rating()
    terminal.rate(level, reasons)
    assert terminal.session.step is Step.FAREWELL
    return str(case_number)


def test_a_rating_follows_its_case_to_the_centre(kiosk_config: MakeConfig) -> None:
    with running_terminal(kiosk_config()) as terminal:
        case_number = rate_a_case(terminal, 5, ("设备故障",))
        link = terminal.link
        pump_until(terminal, lambda: link.ratings.state_of(case_number) == "sent")  # type: ignore[union-attr]
        # The centre holds exactly this rating: the same again is fine, another one is refused.
        same = Rating(level=RatingLevel.VERY_DISSATISFIED, reasons=["设备故障"])
        link.client.rate(case_number, same)  # type: ignore[union-attr]
        with pytest.raises(CentreConflict):
            link.client.rate(case_number, Rating(level=RatingLevel.SATISFIED))  # type: ignore[union-attr]


def test_a_rating_given_while_the_centre_is_down_is_delivered_after_a_restart(kiosk_config: MakeConfig) -> None:
    with running_terminal(kiosk_config(centre_url=UNREACHABLE_CENTRE)) as terminal:
        case_number = rate_a_case(terminal, 2)
        assert terminal.link.ratings.state_of(case_number) == "pending"  # type: ignore[union-attr]
    with running_terminal(kiosk_config()) as terminal:  # the network is back
        pump_until(terminal, lambda: terminal.link.ratings.state_of(case_number) == "sent", timeout=20)  # type: ignore[union-attr]


class FakeClient:
    def __init__(self) -> None:
        self.sent: list[tuple[str, Rating]] = []
        self.down = False

    def rate(self, case_number: str, rating: Rating) -> RatingAck:
        if self.down:
            raise CentreUnreachable(detail="down")
        self.sent.append((case_number, rating))
        ack = {"case_number": case_number, "level": rating.level, "rated_at": "2026-01-01T00:00:00Z"}
        return RatingAck.model_validate(ack)


def test_a_rating_waits_for_its_case_and_is_kept_once(tmp_path: Path) -> None:
    client = FakeClient()
    delivered: set[str] = set()
    now = [1_800_000_000.0]
    queue = RatingQueue(
        tmp_path / "r.sqlite3", client, case_delivered=delivered.__contains__, clock=lambda: now[0]  # type: ignore[arg-type]
    )
    try:
        queue.record("202611230010001", 1, ())
        queue.record("202611230010001", 5, ("其他",))  # one rating per case: the first stands
        queue.deliver_due()
        assert client.sent == [] and queue.state_of("202611230010001") == "pending"
        delivered.add("202611230010001")
        client.down = True
        now[0] += 60  # the wait for the case has passed: due now
        assert queue.deliver_due() > 0 and queue.state_of("202611230010001") == "pending"
        client.down = False
        now[0] += 3600  # past any back-off
        queue.deliver_due()
        assert queue.state_of("202611230010001") == "sent"
        assert [(n, r.level) for n, r in client.sent] == [("202611230010001", RatingLevel.VERY_SATISFIED)]
    finally:
        queue.stop()
