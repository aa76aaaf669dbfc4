"""The kiosk's status lookups (办件查询): by typed case number with the phone's last 4 digits,
and by ID card; the kiosk role only, rate-limited, the same 404 for every miss."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from centre_support import CLERK, KIOSK, OTHER_KIOSK, SUPERVISOR, Api, build_app
from sqlalchemy import update

from central.db import CaseRow, utcnow
from central.lookup_limits import Rate
from central.samples import sample_submission
from central.server import serve_in_thread
from central.status_lookups import StatusLimits
from contract.resident_status import RESIDENT_WORDS
from contract.status_lookup import STATUS_BY_CARD_PATH, STATUS_BY_NUMBER_PATH
from contract.vocabulary import CaseState, IdType
from contract.wire import Applicant

ID_NUMBER = "110101190001011237"  # central.samples' applicant
PHONE = "13800000000"  # central.samples' answers
CARD = {"id_type": "resident", "id_number": ID_NUMBER}


@pytest.fixture
def centre(database_url: str) -> Iterator[tuple[Api, Any]]:
    """The real app over HTTP, on SQLite and on PostgreSQL."""
    running = serve_in_thread(build_app(database_url))
    with Api(running.base_url) as api:
        yield api, running.app
    running.stop()


def submit(api: Api, sequence: int, **changes: Any) -> str:
    case = sample_submission(sequence).model_copy(update=changes)
    answer = api.post("/api/v1/cases", data=case.model_dump_json().encode(),
                      headers={**KIOSK, "Content-Type": "application/json"})
    assert answer.status_code == 201, answer.text
    return case.case_number


def by_number(api: Api, case_number: str, tail: str, headers: dict[str, str] = KIOSK) -> Any:
    return api.post(STATUS_BY_NUMBER_PATH, json={"case_number": case_number, "phone_tail": tail}, headers=headers)


def test_a_typed_number_with_the_phones_last_digits_reads_the_fixed_words(centre: tuple[Api, Any]) -> None:
    api, _app = centre
    number = submit(api, 1)
    answer = by_number(api, number, PHONE[-4:], headers=OTHER_KIOSK)  # any kiosk: residents move about
    assert answer.status_code == 200, answer.text
    view = answer.json()
    message, next_step = RESIDENT_WORDS[CaseState.RECEIVED]
    assert (view["case_number"], view["item_id"], view["message"], view["next_step"]) == (
        number, "sample-item", message, next_step)
    assert "测试人" not in answer.text and ID_NUMBER not in answer.text and PHONE not in answer.text
    assert answer.headers["Cache-Control"] == "no-store"


def test_wrong_digits_unknown_number_and_a_case_without_a_phone_are_one_404(centre: tuple[Api, Any]) -> None:
    api, _app = centre
    number = submit(api, 1)
    phoneless = submit(api, 2, answers={"reason": "样例"})
    misses = [by_number(api, number, "0001"), by_number(api, "202611230019999", PHONE[-4:]),
              by_number(api, phoneless, PHONE[-4:]), by_number(api, phoneless, "0000")]
    assert {answer.status_code for answer in misses} == {404}
    assert len({answer.content for answer in misses}) == 1


def test_the_card_lists_its_own_cases_of_90_days_newest_first(centre: tuple[Api, Any]) -> None:
    api, app = centre
    numbers = [submit(api, sequence) for sequence in range(1, 4)]
    someone_else = Applicant(id_type=IdType.RESIDENT, name="别人", id_number="11010119000101124X")
    numbers.append(submit(api, 4, applicant=someone_else))
    with app.state.engine.begin() as db:  # the first is from 91 days ago
        db.execute(update(CaseRow).where(CaseRow.case_number == numbers[0])
                   .values(received_at=utcnow() - timedelta(days=91)))
    answer = api.post(STATUS_BY_CARD_PATH, json=CARD, headers=KIOSK)
    assert answer.status_code == 200, answer.text
    assert [case["case_number"] for case in answer.json()["cases"]] == [numbers[2], numbers[1]]
    assert ID_NUMBER not in answer.text and "测试人" not in answer.text
    lower_x = api.post(STATUS_BY_CARD_PATH, json={"id_type": "resident", "id_number": "11010119000101124x"},
                       headers=KIOSK)
    assert [case["case_number"] for case in lower_x.json()["cases"]] == [numbers[3]]  # X as typed or read
    nobody = api.post(STATUS_BY_CARD_PATH, json={"id_type": "hmt_residence_permit", "id_number": ID_NUMBER},
                      headers=KIOSK)
    assert nobody.status_code == 200 and nobody.json()["cases"] == []


def test_at_most_ten_cases_come_back(centre: tuple[Api, Any]) -> None:
    api, _app = centre
    for sequence in range(1, 13):
        submit(api, sequence)
    answer = api.post(STATUS_BY_CARD_PATH, json=CARD, headers=KIOSK)
    assert len(answer.json()["cases"]) == 10


def test_only_a_kiosk_may_look_up(centre: tuple[Api, Any]) -> None:
    api, _app = centre
    number = submit(api, 1)
    for headers in ({}, CLERK, SUPERVISOR, {"Authorization": "Bearer not-a-token-0123456789"}):
        assert by_number(api, number, PHONE[-4:], headers=headers).status_code == 401
        assert api.post(STATUS_BY_CARD_PATH, json=CARD, headers=headers).status_code == 401
    with Api(api.base_url) as console:  # a logged-in console session is not a kiosk either
        login = console.post("/console/login", data={"token": "clerk-token-zhao-0123456789", "next": "/console/"},
                             allow_redirects=False)
        assert login.status_code in (302, 303) and console.cookies
        assert console.post(STATUS_BY_CARD_PATH, json=CARD).status_code == 401
        assert by_number(console, number, PHONE[-4:], headers={}).status_code == 401


def test_a_kiosk_trying_digits_is_stopped_and_so_is_a_case_tried_from_many(centre: tuple[Api, Any]) -> None:
    api, app = centre
    number = submit(api, 1)
    app.state.status_limits = StatusLimits(number_per_kiosk=Rate(burst=3, per_minute=0.001),
                                           number_per_case=Rate(burst=5, per_minute=0.001),
                                           card_per_kiosk=Rate(burst=2, per_minute=0.001))
    tries = [by_number(api, number, f"{tail:04d}") for tail in range(1, 5)]
    assert [answer.status_code for answer in tries] == [404, 404, 404, 429]
    assert int(tries[-1].headers["Retry-After"]) >= 1
    assert by_number(api, number, PHONE[-4:]).status_code == 429  # even the right digits, for now
    others = [by_number(api, number, f"{tail:04d}", headers=OTHER_KIOSK).status_code for tail in range(10, 13)]
    assert others == [404, 404, 429]  # the case's own budget (5) is spent across both kiosks
    cards = [api.post(STATUS_BY_CARD_PATH, json=CARD, headers=KIOSK).status_code for _ in range(3)]
    assert cards == [200, 200, 429]


def test_the_id_number_and_digits_never_reach_the_log(centre: tuple[Api, Any],
                                                      caplog: pytest.LogCaptureFixture) -> None:
    api, _app = centre
    number = submit(api, 1)
    with caplog.at_level("DEBUG"):
        by_number(api, number, "9876")
        api.post(STATUS_BY_CARD_PATH, json=CARD, headers=KIOSK)
        api.post(STATUS_BY_CARD_PATH, json={"id_type": "resident", "id_number": ""}, headers=KIOSK)  # a 422
    assert ID_NUMBER not in caplog.text and "9876" not in caplog.text
