"""Who may read what of a case: the kiosk that took it, or whoever holds its receipt's token,
and only what the receipt's holder may see; login codes come from no kiosk token."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import Any

import pytest
from centre_support import CLERK, KIOSK, OTHER_KIOSK, Api, build_app

from central.lookup_limits import LookupLimits, Rate
from central.samples import sample_submission
from central.server import serve_in_thread
from contract.resident_status import RESIDENT_WORDS
from contract.vocabulary import CaseState

TOKEN = "3q2-7wAAAAAAAAAAAAAAAA"
OTHER_TOKEN = "AAAAAAAAAAAAAAAAAAAAAA"
NOTE = "请补充户口簿；联系人王五 13900000000"
RESIDENT_FIELDS = {"case_number", "item_id", "status", "message", "next_step", "updated_at"}


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def submit(client: Api, sequence: int, token: str | None = TOKEN) -> str:
    case = sample_submission(sequence).model_copy(
        update={"lookup_token_sha256": digest(token) if token else None})
    answer = client.post("/api/v1/cases", data=case.model_dump_json().encode(),
                         headers={**KIOSK, "Content-Type": "application/json"})
    assert answer.status_code == 201, answer.text
    return case.case_number


def lookup(client: Api, case_number: str, token: str, **headers: str) -> Any:
    return client.get(f"/api/v1/lookup/{case_number}", headers={"Lookup-Token": token, **headers})


def note_from_clerk(client: Api, case_number: str) -> None:
    assert client.post("/api/v1/clerk/cases/claim", headers=CLERK).status_code == 200
    answer = client.post(f"/api/v1/clerk/cases/{case_number}/transitions", headers=CLERK,
                         json={"status": "more_materials_needed", "note": NOTE})
    assert answer.status_code == 200


def test_a_kiosk_reads_its_case_as_the_resident_sees_it_never_the_note(client: Api) -> None:
    number = submit(client, 1)
    note_from_clerk(client, number)
    answer = client.get(f"/api/v1/cases/{number}", headers=KIOSK)
    assert answer.status_code == 200
    view = answer.json()
    assert set(view) == RESIDENT_FIELDS
    message, next_step = RESIDENT_WORDS[CaseState.MORE_MATERIALS_NEEDED]
    assert (view["status"], view["message"], view["next_step"]) == (
        "more_materials_needed", message, next_step)
    assert NOTE not in answer.text and "测试人" not in answer.text and "13900000000" not in answer.text


def test_another_kiosks_case_looks_exactly_like_no_case(client: Api) -> None:
    number = submit(client, 1)
    theirs = client.get(f"/api/v1/cases/{number}", headers=OTHER_KIOSK)
    nothing = client.get("/api/v1/cases/202611230029999", headers=OTHER_KIOSK)
    assert theirs.status_code == nothing.status_code == 404
    assert theirs.content == nothing.content


def test_the_receipts_token_looks_a_case_up_without_any_account(client: Api) -> None:
    number = submit(client, 1)
    note_from_clerk(client, number)
    answer = lookup(client, number, TOKEN)  # no Authorization header at all
    assert answer.status_code == 200
    assert set(answer.json()) == RESIDENT_FIELDS and answer.json()["status"] == "more_materials_needed"
    assert NOTE not in answer.text and "测试人" not in answer.text
    assert answer.headers["Cache-Control"] == "no-store"


def test_wrong_token_unknown_case_and_tokenless_case_are_indistinguishable(client: Api) -> None:
    number = submit(client, 1)
    tokenless = submit(client, 2, token=None)  # a case from a kiosk that printed no token
    answers = [
        lookup(client, number, OTHER_TOKEN),
        lookup(client, "202611230019999", TOKEN),
        lookup(client, tokenless, TOKEN),
        lookup(client, tokenless, ""),
        lookup(client, number, "not a token"),
    ]
    assert {a.status_code for a in answers} == {404}
    assert len({a.content for a in answers}) == 1
    assert client.get(f"/api/v1/lookup/{number}").status_code in (404, 422)  # no token at all


def test_the_centre_never_issues_login_codes_to_a_kiosk(client: Api) -> None:
    login = client.post("/api/v1/qr-codes", json={"kind": "login", "data": {"name": "李四"}},
                        headers=KIOSK)
    assert login.status_code == 403
    appointment = client.post("/api/v1/qr-codes", json={"kind": "appointment"}, headers=KIOSK)
    assert appointment.status_code == 201


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def limited(sqlite_url: str) -> Iterator[tuple[Api, Clock]]:
    clock = Clock()
    limits = LookupLimits(per_token=Rate(burst=3, per_minute=6),
                          per_address=Rate(burst=8, per_minute=60), clock=clock)
    running = serve_in_thread(build_app(sqlite_url, lookup_limits=limits))
    with Api(running.base_url) as api:
        yield api, clock
    running.stop()


def test_lookups_are_limited_per_token(limited: tuple[Api, Clock]) -> None:
    client, clock = limited
    number = submit(client, 1)
    assert [lookup(client, number, TOKEN).status_code for _ in range(3)] == [200] * 3
    refused = lookup(client, number, TOKEN)
    assert refused.status_code == 429 and refused.headers["Retry-After"] == "10"
    assert lookup(client, number, OTHER_TOKEN).status_code == 404  # another token's budget
    clock.now += 10
    assert lookup(client, number, TOKEN).status_code == 200


def test_lookups_are_limited_per_address_whatever_the_token(limited: tuple[Api, Clock]) -> None:
    client, clock = limited
    tokens = [f"{n:022d}" for n in range(9)]  # guesses, each a fresh token
    codes = [lookup(client, "202611230010001", t).status_code for t in tokens]
    assert codes == [404] * 8 + [429]
    clock.now += 1
    assert lookup(client, "202611230010001", tokens[0]).status_code == 404
