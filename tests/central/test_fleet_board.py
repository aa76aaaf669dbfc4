"""The fleet page's paging, colour by colour in SQL, gives exactly what sorting the whole
fleet by colour (``central.fleet``) would: every page, every filter, on both databases."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, insert

from central.db import KioskRow, make_engine, migrate
from central.fleet import fleet
from central.fleet_board import ORDER, fleet_page
from contract.wire import KioskColour

NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    migrate(engine)
    rows = [{
        "terminal_id": f"K{n:03d}", "site_id": f"s{n % 3}",
        "received_at": NOW - timedelta(minutes=10 if n % 7 == 0 else 0),
        "software_version": "1", "catalog_version": "", "outbox_depth": 0,
        "oldest_unsent_age_s": None, "paper": "low" if n % 5 == 0 else "ok",
        "devices": json.dumps({"printer": "online"}), "faults": "{}", "in_service": True,
        "service_reason": "", "paper_left_estimate": None, "degraded": n % 5 == 0,
        "sampled_at": None} for n in range(61)]
    with engine.begin() as conn:
        conn.execute(insert(KioskRow), rows)
    yield engine
    engine.dispose()


@pytest.mark.parametrize("site", [None, "s1"])
@pytest.mark.parametrize("colour", [None, *ORDER])
def test_pages_follow_the_colour_order(engine: Engine, site: str | None,
                                       colour: KioskColour | None) -> None:
    rank = {c: i for i, c in enumerate(ORDER)}
    expected = [(v.terminal_id, v.colour) for v in sorted(
        (v for v in fleet(engine, now=NOW) if site in (None, v.site_id)
         and colour in (None, v.colour)), key=lambda v: (rank[v.colour], v.terminal_id))]
    shown: list[tuple[str, KioskColour]] = []
    first = fleet_page(engine, NOW, site=site, colour=colour, page_size=7)
    for number in range(1, first.pages + 1):
        page = fleet_page(engine, NOW, site=site, colour=colour, page=number, page_size=7)
        assert page.total == len(expected)
        shown += [(tile.terminal_id, tile.colour) for tile in page.tiles]
    assert shown == expected
    assert sum(first.counts.values()) == len([v for v in fleet(engine, now=NOW)
                                               if site in (None, v.site_id)])


def test_a_page_past_the_end_is_the_last_and_sites_are_listed(engine: Engine) -> None:
    page = fleet_page(engine, NOW, page=99, page_size=10)
    assert (page.page, page.pages, len(page.tiles)) == (7, 7, 1)
    assert page.sites == ["s0", "s1", "s2"]
    assert fleet_page(engine, NOW, sites={"s2"}).sites == ["s2"]
    assert {t.site_id for t in fleet_page(engine, NOW, sites={"s2"}, site="s1").tiles} == set()
