"""Counter appointments at the centre: slots from the counter's hours and the holidays,
booking once per key, the capacity under concurrent kiosks (SQLite and PostgreSQL), each
kiosk at its own site only, kiosk credentials only, and hostile input refused without echo."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest
import requests
from sqlalchemy import func, select

from central import appointments
from central.appointment_rows import AppointmentRow, AppointmentSlotRow
from central.auth import Caller, TokenFileError, kiosk_identities
from central.counter_hours import CounterHoursError, counter_hours
from central.crypto import KeyFileMasterKey, PayloadCipher
from central.db import make_engine, migrate
from central.server import ServerThread, serve_in_thread
from central.work_calendar import CENTRE_ZONE, WorkCalendar
from contract.appointments import APPOINTMENTS_PATH, SLOTS_PATH, BookingRefusal
from tests.central.appointment_support import (
    ID_NUMBER,
    ITEM,
    NAME,
    OTHER_SITE,
    OTHER_SITE_KIOSK_TOKEN,
    PHONE,
    SITE,
    SITE_KIOSK_TOKEN,
    UNBOUND_KIOSK_TOKEN,
    WEEKDAYS,
    all_day_hours,
    appointment_app,
    bearer,
    booking,
)
from tests.central.centre_support import CLERK_TOKEN, SUPERVISOR_TOKEN, TECHNICIAN_TOKEN, Api

KIOSK, OTHER = bearer(SITE_KIOSK_TOKEN), bearer(OTHER_SITE_KIOSK_TOKEN)
MONDAY = date(2026, 12, 7)  # a Monday


@pytest.fixture
def running(database_url: str) -> Iterator[ServerThread]:
    server = serve_in_thread(appointment_app(database_url))
    yield server
    server.stop()


@pytest.fixture
def api(running: ServerThread) -> Iterator[Api]:
    with Api(running.base_url) as client:
        yield client


def offered(api: Api, headers: dict[str, str] = KIOSK) -> list[datetime]:
    answer = api.get(SLOTS_PATH, params={"item_id": ITEM, "days": "2"}, headers=headers)
    assert answer.status_code == 200, answer.text
    return [datetime.fromisoformat(slot["start"]) for slot in answer.json()["slots"]]


def first_slot(api: Api, headers: dict[str, str] = KIOSK) -> datetime:
    return offered(api, headers)[0]


def post(api: Api, body: object, headers: dict[str, str] = KIOSK) -> requests.Response:
    if not isinstance(body, dict):
        body = json.loads(body.model_dump_json())  # type: ignore[attr-defined]
    return api.post(APPOINTMENTS_PATH, json=body, headers=headers)


# --- slots from hours and holidays (no server) ----------------------------------------------

def test_weekly_hours_make_half_hour_slots_and_holidays_close_the_counter() -> None:
    hours = counter_hours({"sites": {SITE: {"hours": WEEKDAYS}}}).of(SITE)
    assert hours is not None and (hours.slot_minutes, hours.capacity) == (30, 3)
    calendar = WorkCalendar(holidays=frozenset({MONDAY + timedelta(days=1)}),
                            workdays=frozenset({MONDAY + timedelta(days=6)}))
    monday = [(s.time(), e.time()) for s, e in hours.slots_on(MONDAY, calendar)]
    assert monday[0] == (time(9, 0), time(9, 30)) and monday[5] == (time(11, 30), time(12, 0))
    assert monday[6] == (time(13, 30), time(14, 0)) and monday[-1] == (time(16, 30), time(17, 0))
    assert len(monday) == 13
    assert list(hours.slots_on(MONDAY + timedelta(days=1), calendar)) == []  # a holiday Tuesday
    assert len(list(hours.slots_on(MONDAY + timedelta(days=5), calendar))) == 6  # Saturday morning
    sunday_worked = list(hours.slots_on(MONDAY + timedelta(days=6), calendar))  # 调休: Monday's hours
    assert len(sunday_worked) == 13
    assert all(s.tzinfo is CENTRE_ZONE for s, _ in sunday_worked)
    assert hours.slot_at(datetime(2026, 12, 7, 1, 30, tzinfo=UTC), calendar) is not None  # 09:30 local
    assert hours.slot_at(datetime(2026, 12, 7, 9, 45, tzinfo=CENTRE_ZONE), calendar) is None


@pytest.mark.parametrize("data, names", [
    ({"sites": {SITE: {"hours": {"mon-sun": ["09:00-08:00"]}}}}, "forwards"),
    ({"sites": {SITE: {"hours": {"fri-mon": ["09:00-12:00"]}}}}, "backwards"),
    ({"sites": {SITE: {"hours": {"monday": ["09:00-12:00"]}}}}, "'monday'"),
    ({"sites": {SITE: {"hours": {"mon": ["9am-noon"]}}}}, "HH:MM-HH:MM"),
    ({"capacity": 0, "sites": {}}, "capacity"),
    ({"sites": {SITE: {"hours": {}, "colour": "red"}}}, "site 'demo-site'"),
    ({"sites": {SITE: {"hours": {}, "place_in": {"fr": "Guichet 3"}}}}, "place_in must map en or zh-Hant"),
    ({"sites": {SITE: {"hours": {}, "place_in": {"en": ""}}}}, "place_in"),
])
def test_a_bad_schedule_names_what_is_wrong(data: dict[str, object], names: str) -> None:
    with pytest.raises(CounterHoursError, match=names):
        counter_hours(data)


def test_slots_leave_out_started_ones_and_count_places_left(sqlite_url: str, tmp_path: Path) -> None:
    engine = make_engine(sqlite_url)
    migrate(engine)
    hours = counter_hours({"capacity": 2, "sites": {SITE: {"hours": WEEKDAYS}}}).of(SITE)
    calendar = WorkCalendar(holidays=frozenset({MONDAY + timedelta(days=1)}))
    now = datetime(2026, 12, 7, 10, 5, tzinfo=CENTRE_ZONE)  # Monday 10:05
    cipher = PayloadCipher(KeyFileMasterKey(tmp_path / "data.key"))
    listed = appointments.slots(engine, site_id=SITE, item_id=ITEM, hours=hours,
                                calendar=calendar, days=3, now=now)
    starts = [s.start for s in listed.slots]
    assert starts[0] == datetime(2026, 12, 7, 10, 30, tzinfo=CENTRE_ZONE)  # 10:00 has begun
    assert {s.date() for s in starts} == {MONDAY, MONDAY + timedelta(days=2)}  # Tuesday: holiday
    for _ in range(2):
        appointments.book(engine, booking(starts[0]), site_id=SITE, terminal_id="T001", hours=hours,
                          calendar=calendar, cipher=cipher, known_item=True, now=now)
    again = appointments.slots(engine, site_id=SITE, item_id=ITEM, hours=hours, calendar=calendar,
                               days=3, now=now)
    assert [s.free for s in again.slots[:2]] == [0, 2] and again.after(starts[0]) == again.slots[1]
    with pytest.raises(appointments.Refused) as full:
        appointments.book(engine, booking(starts[0]), site_id=SITE, terminal_id="T001", hours=hours,
                          calendar=calendar, cipher=cipher, known_item=True, now=now)
    assert full.value.code is BookingRefusal.SLOT_FULL
    refusals = {
        BookingRefusal.SLOT_PAST: datetime(2026, 12, 7, 9, 30, tzinfo=CENTRE_ZONE),
        BookingRefusal.CLOSED: datetime(2026, 12, 8, 9, 30, tzinfo=CENTRE_ZONE),  # the holiday
    }
    for code, start in refusals.items():
        with pytest.raises(appointments.Refused) as refused:
            appointments.book(engine, booking(start), site_id=SITE, terminal_id="T001", hours=hours,
                              calendar=calendar, cipher=cipher, known_item=True, now=now)
        assert refused.value.code is code
    engine.dispose()


# --- booking over HTTP ------------------------------------------------------------------------

def test_a_booking_is_numbered_placed_and_stored_sealed(api: Api, running: ServerThread,
                                                       caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    start = first_slot(api)
    answer = post(api, booking(start))
    assert answer.status_code == 201, answer.text
    confirmation = answer.json()
    local_day = start.astimezone(CENTRE_ZONE).strftime("%Y%m%d")
    assert confirmation["appointment_number"] == f"Y{local_day}-0001"
    assert datetime.fromisoformat(confirmation["slot_start"]) == start
    assert datetime.fromisoformat(confirmation["slot_end"]) - start == timedelta(minutes=30)
    assert confirmation["place"] == "一楼综合受理区 3-5号窗口" and confirmation["item_id"] == ITEM
    assert confirmation["place_in"] == {"en": "Service area, 1st floor, counters 3-5",
                                        "zh-Hant": "一樓綜合受理區 3-5號窗口"}  # for the kiosk's other languages
    assert post(api, booking(start)).json()["appointment_number"] == f"Y{local_day}-0002"
    with running.app.state.engine.connect() as conn:
        rows = conn.execute(select(AppointmentRow)).mappings().all()
    stored = json.dumps([{k: str(v) for k, v in row.items()} for row in rows], ensure_ascii=False)
    for secret in (NAME, ID_NUMBER, PHONE):
        assert secret not in stored and secret not in caplog.text
    assert {row["masked_name"] for row in rows} == {"欧**丰"}
    assert all(row["applicant"].startswith("enc1:") for row in rows)


def test_a_retry_gets_the_same_answer_and_another_body_under_the_key_is_refused(api: Api) -> None:
    start = first_slot(api)
    request = booking(start)
    first, again = post(api, request), post(api, request)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json() == again.json() and again.json()["place_in"]["en"].startswith("Service area")
    changed = post(api, booking(start, key=request.idempotency_key, name="张三"))
    assert changed.status_code == 409
    assert changed.json()["detail"]["code"] == BookingRefusal.KEY_CONFLICT


def test_a_full_slot_is_409_slot_full_and_the_next_one_is_offered(api: Api) -> None:
    start = first_slot(api, OTHER)  # other-site: one place a slot
    assert post(api, booking(start), OTHER).status_code == 201
    full = post(api, booking(start), OTHER)
    assert full.status_code == 409 and full.json()["detail"]["code"] == "slot_full"
    listed = api.get(SLOTS_PATH, params={"item_id": ITEM}, headers=OTHER).json()
    assert listed["slots"][0]["free"] == 0 and listed["slots"][1]["free"] == 1


def test_past_closed_and_unknown_are_refused_with_their_codes(api: Api) -> None:
    start = first_slot(api)
    cases = {
        "slot_past": (422, booking(start - timedelta(days=1))),
        "closed": (422, booking(start + timedelta(minutes=15))),
        "unknown_item": (404, booking(start, item_id="not-an-item")),
    }
    far = start + timedelta(days=20)
    cases["closed_far"] = (422, booking(far))
    for name, (status, request) in cases.items():
        answer = post(api, request)
        assert answer.status_code == status, name
        assert answer.json()["detail"]["code"] == name.removesuffix("_far")
    answer = api.get(SLOTS_PATH, params={"item_id": "not-an-item"}, headers=KIOSK)
    assert answer.status_code == 404 and answer.json()["detail"]["code"] == "unknown_item"


def test_a_kiosk_sees_and_books_its_own_site_only(api: Api, running: ServerThread) -> None:
    asked_for_other = api.get(SLOTS_PATH, params={"item_id": ITEM, "site_id": OTHER_SITE}, headers=KIOSK)
    assert asked_for_other.json()["site_id"] == SITE  # a query cannot name another site
    start = first_slot(api)
    body = json.loads(booking(start).model_dump_json()) | {"site_id": OTHER_SITE}
    assert post(api, body).status_code == 422  # nor can the body
    assert post(api, booking(start)).status_code == 201
    other = api.get(SLOTS_PATH, params={"item_id": ITEM}, headers=OTHER).json()
    assert other["site_id"] == OTHER_SITE
    assert next(s for s in other["slots"] if datetime.fromisoformat(s["start"]) == start)["free"] == 1
    with running.app.state.engine.connect() as conn:
        sites = conn.execute(select(AppointmentSlotRow.site_id, AppointmentSlotRow.booked)).all()
    assert sites == [(SITE, 1)]


def test_a_kiosk_without_a_site_in_its_token_books_at_the_site_it_beats_from(
        api: Api, running: ServerThread) -> None:
    unbound = bearer(UNBOUND_KIOSK_TOKEN)
    before = api.get(SLOTS_PATH, params={"item_id": ITEM}, headers=unbound)
    assert before.status_code == 409 and before.json()["detail"]["code"] == "no_site"
    beat = {"terminal_id": "T003", "site_id": OTHER_SITE, "sent_at": datetime.now(UTC).isoformat(),
            "software_version": "0.1.0", "outbox_depth": 0}
    assert api.post("/api/v1/heartbeats", json=beat, headers=unbound).status_code == 200
    running.app.state.beats.flush()
    assert api.get(SLOTS_PATH, params={"item_id": ITEM}, headers=unbound).json()["site_id"] == OTHER_SITE


@pytest.mark.parametrize("token", [None, CLERK_TOKEN, SUPERVISOR_TOKEN, TECHNICIAN_TOKEN,
                                   "kiosk-token-unknown-0123456789"])
def test_only_a_kiosk_credential_may_ask_or_book(api: Api, token: str | None) -> None:
    headers = bearer(token) if token else {}
    start = datetime.now(CENTRE_ZONE).replace(minute=0, second=0, microsecond=0) + timedelta(hours=2)
    assert api.get(SLOTS_PATH, params={"item_id": ITEM}, headers=headers).status_code == 401
    assert post(api, booking(start), headers).status_code == 401


# --- concurrency --------------------------------------------------------------------------------

def test_many_kiosks_at_once_never_exceed_a_slots_capacity(database_url: str) -> None:
    first = serve_in_thread(appointment_app(database_url, counter_hours=all_day_hours(capacity=3)))
    second = serve_in_thread(appointment_app(database_url, counter_hours=all_day_hours(capacity=3)))
    try:
        with Api(first.base_url) as api:
            start, following = offered(api)[:2]
        bodies = [json.loads(booking(start).model_dump_json()) for _ in range(30)]
        urls = [first.base_url, second.base_url]

        def send(n: int) -> requests.Response:
            return requests.post(f"{urls[n % 2]}{APPOINTMENTS_PATH}", json=bodies[n], headers=KIOSK,
                                 timeout=60)
        with ThreadPoolExecutor(15) as pool:
            answers = list(pool.map(send, range(30)))
        with ThreadPoolExecutor(10) as pool:  # and one key sent ten times at once
            retries = list(pool.map(lambda _: requests.post(
                f"{urls[_ % 2]}{APPOINTMENTS_PATH}", json=json.loads(booking(
                    following, key="ab" * 16).model_dump_json()),
                headers=KIOSK, timeout=60), range(10)))
        engine = first.app.state.engine
        with engine.connect() as conn:
            stored = conn.scalar(select(func.count()).select_from(AppointmentRow))
            booked = conn.execute(select(AppointmentSlotRow.booked)
                                  .order_by(AppointmentSlotRow.slot_start)).scalars().all()
            numbers = conn.execute(select(AppointmentRow.appointment_number)).scalars().all()
    finally:
        first.stop()
        second.stop()
    codes = sorted(a.status_code for a in answers)
    assert codes == [201] * 3 + [409] * 27
    assert {a.json()["detail"]["code"] for a in answers if a.status_code == 409} == {"slot_full"}
    assert sorted(r.status_code for r in retries) == [200] * 9 + [201]
    assert len({r.json()["appointment_number"] for r in retries}) == 1
    assert stored == 4 and booked == [3, 1] and len(set(numbers)) == 4


# --- hostile input ------------------------------------------------------------------------------

@pytest.mark.parametrize("params", [
    {"item_id": "../x"}, {"item_id": "x" * 65}, {"item_id": ITEM, "days": 0},
    {"item_id": ITEM, "days": 15}, {"item_id": ITEM, "days": "seven"}, {},
])
def test_hostile_slot_queries_are_422(api: Api, params: dict[str, str | int]) -> None:
    assert api.get(SLOTS_PATH, params=params, headers=KIOSK).status_code == 422


@pytest.mark.parametrize("change", [
    {"slot_start": "2026-12-07T09:00:00"},  # no zone
    {"slot_start": "0001-01-01T00:00:00+14:00"},
    {"slot_start": 1733547600},
    {"idempotency_key": "not-hex"},
    {"phone": "1381234567x"},
    {"applicant": {"id_type": "resident", "name": "张\u202e三", "id_number": ID_NUMBER}},
    {"applicant": {"id_type": "resident", "name": "张三\x00", "id_number": ID_NUMBER}},
    {"item_id": "<script>"},
    {"extra": True},
])
def test_hostile_bookings_are_422_and_echo_nothing(api: Api, change: dict[str, object]) -> None:
    start = datetime.now(CENTRE_ZONE) + timedelta(hours=1)
    body = json.loads(booking(start).model_dump_json()) | change
    answer = post(api, body)
    assert answer.status_code == 422
    for secret in (NAME, ID_NUMBER, PHONE, "1381234567x"):
        assert secret not in answer.text


def test_an_oversized_booking_is_413(api: Api) -> None:
    start = datetime.now(CENTRE_ZONE) + timedelta(hours=1)
    body = json.loads(booking(start).model_dump_json()) | {"pad": "x" * 2_000_000}
    assert post(api, body).status_code == 413


def test_a_kiosk_token_may_name_its_site_and_a_bad_one_is_refused_with_its_entry() -> None:
    found = kiosk_identities({"t" * 16: {"terminal_id": "T9", "terminal_number": 9, "site_id": SITE}})
    assert found["t" * 16] == Caller("T9", 9, SITE)
    for bad in ({"terminal_id": "T9", "terminal_number": 9, "site_id": ""},
                {"terminal_id": "T9", "terminal_number": 9, "site": SITE}):
        with pytest.raises(TokenFileError, match="the entry for token tttt"):
            kiosk_identities({"t" * 16: bad})
