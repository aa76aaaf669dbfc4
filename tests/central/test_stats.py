"""Statistics count cases per local day and month per site and item, ratings per level, and
the kiosks' unsent cases; on SQLite and PostgreSQL alike.

Cases and ratings go in through the API; the tests then move their times to the days under
test (the centre stamps them with the time they arrive, which a test cannot choose).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from centre_support import KIOSK, OTHER_KIOSK, ServedCentre, served_centre
from sqlalchemy import update
from sqlalchemy.orm import Session

from central import stats
from central.auth import Clerk, Role
from central.db import CaseRow, RatingRow
from central.samples import sample_submission
from contract.wire import RatingLevel

BEIJING = ZoneInfo("Asia/Shanghai")
SUPERVISOR = Clerk("zhao", Role.SUPERVISOR)
DEMO_ONLY = Clerk("qian", Role.SUPERVISOR, sites=frozenset({"demo-site"}))


@pytest.fixture
def centre(database_url: str) -> Iterator[ServedCentre]:
    yield from served_centre(database_url)


def case_at(centre: ServedCentre, sequence: int, received_at: datetime, *, terminal: int = 1,
            site: str = "demo-site", item: str = "sample-item",
            rating: RatingLevel | None = None) -> None:
    body = sample_submission(sequence, terminal=terminal, site_id=site, item_id=item)
    headers = KIOSK if terminal == 1 else OTHER_KIOSK
    answer = centre.api.post("/api/v1/cases", json=body.model_dump(mode="json"), headers=headers)
    assert answer.status_code == 201, answer.text
    if rating is not None:
        assert centre.api.post(f"/api/v1/cases/{body.case_number}/rating", headers=headers,
                               json={"level": rating.value}).status_code == 201
    with Session(centre.engine) as session, session.begin():
        session.execute(update(CaseRow).where(CaseRow.case_number == body.case_number)
                        .values(received_at=received_at))
        case_id = session.query(CaseRow.id).filter(CaseRow.case_number == body.case_number).scalar()
        session.execute(update(RatingRow).where(RatingRow.case_id == case_id)
                        .values(rated_at=received_at))


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_cases_per_local_day_and_month_per_site_and_item(centre: ServedCentre) -> None:
    case_at(centre, 1, utc(2026, 11, 30, 15, 59))  # 23:59 on 30 Nov in Beijing
    case_at(centre, 2, utc(2026, 11, 30, 16, 0))  # 00:00 on 1 Dec in Beijing
    case_at(centre, 3, utc(2026, 12, 1, 3, 0))
    case_at(centre, 4, utc(2026, 12, 1, 4, 0), item="other-item")
    case_at(centre, 1, utc(2026, 12, 2, 4, 0), terminal=2, site="east-site")
    case_at(centre, 5, utc(2026, 10, 31, 12, 0))  # outside the range
    period = stats.DateRange(date(2026, 11, 30), date(2026, 12, 2))
    daily = stats.case_counts(centre.engine, SUPERVISOR, period, BEIJING)
    assert [(c.period, c.site_id, c.item_id, c.cases) for c in daily] == [
        ("2026-11-30", "demo-site", "sample-item", 1),
        ("2026-12-01", "demo-site", "other-item", 1),
        ("2026-12-01", "demo-site", "sample-item", 2),
        ("2026-12-02", "east-site", "sample-item", 1),
    ]
    assert stats.totals_by(daily, "period") == {"2026-11-30": 1, "2026-12-01": 3, "2026-12-02": 1}
    assert stats.totals_by(daily, "site_id") == {"demo-site": 4, "east-site": 1}
    monthly = stats.case_counts(centre.engine, SUPERVISOR, period, BEIJING, monthly=True)
    assert [(c.period, c.site_id, c.item_id, c.cases) for c in monthly] == [
        ("2026-11", "demo-site", "sample-item", 1),
        ("2026-12", "demo-site", "other-item", 1),
        ("2026-12", "demo-site", "sample-item", 2),
        ("2026-12", "east-site", "sample-item", 1),
    ]
    mine = stats.case_counts(centre.engine, DEMO_ONLY, period, BEIJING)
    assert {c.site_id for c in mine} == {"demo-site"}


def test_ratings_per_level_every_level_listed(centre: ServedCentre) -> None:
    case_at(centre, 1, utc(2026, 12, 1, 2), rating=RatingLevel.VERY_SATISFIED)
    case_at(centre, 2, utc(2026, 12, 1, 3), rating=RatingLevel.VERY_SATISFIED)
    case_at(centre, 3, utc(2026, 12, 1, 4), rating=RatingLevel.DISSATISFIED)
    case_at(centre, 1, utc(2026, 12, 1, 5), terminal=2, site="east-site", rating=RatingLevel.SATISFIED)
    case_at(centre, 4, utc(2026, 12, 9, 5), rating=RatingLevel.SATISFIED)  # after the range
    period = stats.DateRange(date(2026, 12, 1), date(2026, 12, 7))
    counts = stats.rating_counts(centre.engine, SUPERVISOR, period, BEIJING)
    assert [(c.site_id, c.level, c.ratings) for c in counts] == [
        ("demo-site", RatingLevel.VERY_SATISFIED, 2), ("demo-site", RatingLevel.DISSATISFIED, 1),
        ("east-site", RatingLevel.SATISFIED, 1)]
    totals = stats.level_totals(counts)
    assert list(totals) == list(RatingLevel)
    assert totals[RatingLevel.VERY_SATISFIED] == 2 and totals[RatingLevel.VERY_DISSATISFIED] == 0


def test_unsent_cases_per_kiosk_oldest_first(centre: ServedCentre) -> None:
    for terminal, headers, depth, age in (("T001", KIOSK, 3, 7200.0), ("T002", OTHER_KIOSK, 0, None)):
        beat = {"terminal_id": terminal, "site_id": "demo-site", "software_version": "1",
                "sent_at": datetime.now(UTC).isoformat(), "outbox_depth": depth,
                "oldest_unsent_age_s": age}
        assert centre.api.post("/api/v1/heartbeats", json=beat, headers=headers).status_code == 200
    centre.api.get("/api/v1/clerk/kiosks", headers={"Authorization": "Bearer clerk-token-zhao-0123456789"})
    unsent = stats.unsent_cases(centre.engine, SUPERVISOR)
    assert [(u.terminal_id, u.outbox_depth) for u in unsent] == [("T001", 3)]
    assert unsent[0].oldest_unsent_now_s is not None and unsent[0].oldest_unsent_now_s >= 7200


def test_ranges_are_checked() -> None:
    with pytest.raises(stats.BadRange, match="早于"):
        stats.DateRange(date(2026, 12, 2), date(2026, 12, 1))
    with pytest.raises(stats.BadRange, match="最长"):
        stats.DateRange(date(2025, 1, 1), date(2026, 12, 1))
    assert stats.DateRange(date(2026, 11, 30), date(2026, 12, 1)).months == ["2026-11", "2026-12"]
