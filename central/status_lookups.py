"""A resident's status lookups at a kiosk (``contract.status_lookup``): the queries and their limits.

Limits (token buckets, ``central.lookup_limits.Buckets``, in this process's memory like the
receipt lookup's; see ``central/SCALING.md``):

- per kiosk, by case number: ``NUMBER_PER_KIOSK``. A resident mistyping twice is fine; a kiosk
  (or a stolen kiosk token) trying 4-digit endings at speed is not.
- per case number, from any kiosk: ``NUMBER_PER_CASE``, so that many kiosks' tokens together
  cannot try the 10,000 endings of one case either (about 5 tries per 10 minutes: weeks).
- per kiosk, by card: ``CARD_PER_KIOSK``. Each needs a card on the reader, so it is a
  bound on a faulty or stolen kiosk, not on residents.

A refused lookup is ``429`` with ``Retry-After``; nothing is counted against a case for a kiosk
that was itself refused.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from datetime import timedelta

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from central import cases
from central.case_keys import CaseKeys, matches
from central.db import CaseRow, utcnow
from central.lookup_limits import Buckets, Rate
from contract.status_lookup import RECENT_DAYS, RECENT_LIMIT, CardLookup, NumberLookup
from contract.wire import ResidentCaseView

NUMBER_PER_KIOSK = Rate(burst=10, per_minute=6)
NUMBER_PER_CASE = Rate(burst=5, per_minute=0.5)
CARD_PER_KIOSK = Rate(burst=10, per_minute=10)


class StatusLimits:
    """The per-kiosk and per-case limits of status lookups."""

    def __init__(self, number_per_kiosk: Rate = NUMBER_PER_KIOSK, number_per_case: Rate = NUMBER_PER_CASE,
                 card_per_kiosk: Rate = CARD_PER_KIOSK, clock: Callable[[], float] = time.monotonic,
                 max_keys: int = 100_000) -> None:
        self.number_kiosks = Buckets(number_per_kiosk, clock, max_keys)
        self.number_cases = Buckets(number_per_case, clock, max_keys)
        self.card_kiosks = Buckets(card_per_kiosk, clock, max_keys)

    def number(self, kiosk: str, case_number: str) -> int:
        """Count a lookup by number; 0 when it may go ahead, else whole seconds to wait."""
        wait = self.number_kiosks.take(kiosk) or self.number_cases.take(case_number)
        return max(1, math.ceil(wait)) if wait else 0

    def card(self, kiosk: str) -> int:
        """Count a lookup by card; 0 when it may go ahead, else whole seconds to wait."""
        wait = self.card_kiosks.take(kiosk)
        return max(1, math.ceil(wait)) if wait else 0


def by_number(engine: Engine, keys: CaseKeys, lookup: NumberLookup) -> ResidentCaseView:
    """The case when the digits are its mobile number's last four; else ``CaseNotFound`` (no
    case, no mobile number on it, other digits: alike)."""
    presented = keys.phone_tail(lookup.case_number, lookup.phone_tail)
    with Session(engine.execution_options(readonly=True)) as session:
        row = session.scalars(select(CaseRow).where(CaseRow.case_number == lookup.case_number)).first()
        if not matches(presented, row.phone_tail_key if row is not None else None) or row is None:
            raise cases.CaseNotFound(lookup.case_number)
        return cases.resident_view(session, row)


def by_card(engine: Engine, keys: CaseKeys, lookup: CardLookup) -> list[ResidentCaseView]:
    """The card holder's cases received in the last ``RECENT_DAYS`` days, newest first, at most
    ``RECENT_LIMIT`` (none: an empty list, never an error)."""
    since = utcnow() - timedelta(days=RECENT_DAYS)
    key = keys.applicant(lookup.id_type, lookup.id_number)
    with Session(engine.execution_options(readonly=True)) as session:
        rows = session.scalars(
            select(CaseRow).where(CaseRow.applicant_key == key, CaseRow.received_at >= since)
            .order_by(CaseRow.received_at.desc(), CaseRow.id.desc()).limit(RECENT_LIMIT)).all()
        return [cases.resident_view(session, row) for row in rows]
