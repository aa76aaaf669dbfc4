"""A test centre that takes counter appointments: two sites with counter hours, kiosk tokens
bound to them, and a request builder. Shared by the centre's and the kiosk's tests."""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any

from fastapi import FastAPI

from central.counter_hours import CounterHours, counter_hours
from central.server import create_app
from contract.appointments import AppointmentRequest
from contract.wire import Applicant, IdType
from tests.central.centre_support import CLERK_TOKEN, DEPARTMENT, SUPERVISOR_TOKEN, TECHNICIAN_TOKEN

SITE, OTHER_SITE = "demo-site", "other-site"
ITEM = "counter-item"  # a counter-only item of both sites
SITE_KIOSK_TOKEN = "kiosk-token-A001-0123456789"  # T001 at demo-site (bound by its token)
OTHER_SITE_KIOSK_TOKEN = "kiosk-token-A002-0123456789"  # T002 at other-site
UNBOUND_KIOSK_TOKEN = "kiosk-token-A003-0123456789"  # T003: its site is its heartbeat's
NAME, ID_NUMBER, PHONE = "欧阳𠀀丰", "32010219900101123X", "13812345678"

CATALOG = {SITE: {"items": [{"id": ITEM, "department": DEPARTMENT}, {"id": "sample-item"}]},
           OTHER_SITE: {"items": [{"id": ITEM, "department": DEPARTMENT}]}}
WEEKDAYS = {"mon-fri": ["09:00-12:00", "13:30-17:00"], "sat": ["09:00-12:00"]}
ALL_DAY = {"mon-sun": ["00:00-23:30"]}  # so that a booking test finds a slot whatever the hour


def all_day_hours(capacity: int = 3) -> CounterHours:
    return counter_hours({"capacity": capacity, "sites": {
        SITE: {"place": "一楼综合受理区 3-5号窗口", "hours": ALL_DAY,
               "place_in": {"en": "Service area, 1st floor, counters 3-5", "zh-Hant": "一樓綜合受理區 3-5號窗口"}},
        OTHER_SITE: {"place": "二楼 8号窗口", "hours": ALL_DAY, "capacity": 1}}})


def appointment_app(database_url: str, **options: Any) -> FastAPI:
    options.setdefault("counter_hours", all_day_hours())
    return create_app(
        database_url,
        {SITE_KIOSK_TOKEN: {"terminal_id": "T001", "terminal_number": 1, "site_id": SITE},
         OTHER_SITE_KIOSK_TOKEN: {"terminal_id": "T002", "terminal_number": 2, "site_id": OTHER_SITE},
         UNBOUND_KIOSK_TOKEN: {"terminal_id": "T003", "terminal_number": 3}},
        clerk_tokens={CLERK_TOKEN: {"name": "wang", "department": DEPARTMENT},
                      SUPERVISOR_TOKEN: {"name": "zhao", "role": "supervisor"},
                      TECHNICIAN_TOKEN: {"name": "zhou", "role": "technician"}},
        catalog=CATALOG, **options)


def booking(slot_start: datetime, *, key: str | None = None, item_id: str = ITEM,
            name: str = NAME) -> AppointmentRequest:
    return AppointmentRequest(
        idempotency_key=key or secrets.token_hex(16), item_id=item_id, slot_start=slot_start,
        applicant=Applicant(id_type=IdType.RESIDENT, name=name, id_number=ID_NUMBER), phone=PHONE)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
