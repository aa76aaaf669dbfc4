"""A case's moves carry their details: what is missing (shown to the resident), a rejection's
reason, the delivery of the result; a named case can be claimed; older clients still work."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from centre_support import CLERK, ELSEWHERE_CLERK, KIOSK, OTHER_CLERK, SUPERVISOR, TECHNICIAN, Api
from pydantic import ValidationError

from central.samples import sample_submission
from contract.materials import MATERIAL_LABELS, Material, missing_line_problem
from contract.wire import CaseState, Transition

TOKEN = "3q2-7wAAAAAAAAAAAAAAAA"
NUMBER = "202611230010001"


def submit(client: Api, *sequences: int) -> None:
    for n in sequences:
        case = sample_submission(n).model_copy(update={
            "lookup_token_sha256": hashlib.sha256(TOKEN.encode()).hexdigest()})
        answer = client.post("/api/v1/cases", data=case.model_dump_json().encode(),
                             headers={**KIOSK, "Content-Type": "application/json"})
        assert answer.status_code == 201, answer.text


def move(client: Api, body: dict[str, Any], number: str = NUMBER,
         headers: dict[str, str] = CLERK) -> Any:
    return client.post(f"/api/v1/clerk/cases/{number}/transitions", json=body, headers=headers)


def history(client: Api, number: str = NUMBER) -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = client.get(f"/api/v1/clerk/cases/{number}/history",
                                              headers=CLERK).json()["events"]
    return events


def test_more_materials_names_what_is_missing_and_the_resident_reads_it(client: Api) -> None:
    submit(client, 1)
    assert client.post(f"/api/v1/clerk/cases/{NUMBER}/claim", headers=CLERK).status_code == 200
    answer = move(client, {"status": "more_materials_needed", "note": "缺户口簿，已电话告知",
                           "missing": ["household_register", "photo"],
                           "missing_other": ["社区出具的居住证明（盖章）"]})
    assert answer.status_code == 200, answer.text
    expected = [MATERIAL_LABELS[Material.HOUSEHOLD_REGISTER], MATERIAL_LABELS[Material.PHOTO],
                "社区出具的居住证明（盖章）"]
    for view in (client.get(f"/api/v1/cases/{NUMBER}", headers=KIOSK).json(),
                 client.get(f"/api/v1/lookup/{NUMBER}", headers={"Lookup-Token": TOKEN}).json()):
        assert view["status"] == "more_materials_needed"
        assert view["missing"] == expected
        assert "缺户口簿" not in str(view)  # the note stays the clerk's
    step = history(client)[-1]
    assert step["missing"] == ["household_register", "photo"]
    assert step["missing_other"] == ["社区出具的居住证明（盖章）"]

    # Accepted: nothing to bring any more, and the view reads exactly as before the field.
    assert move(client, {"status": "accepted"}).status_code == 200
    view = client.get(f"/api/v1/lookup/{NUMBER}", headers={"Lookup-Token": TOKEN}).json()
    assert "missing" not in view
    assert "missing" not in client.get(f"/api/v1/cases/{NUMBER}", headers=KIOSK).json()


def test_completed_says_how_the_result_is_delivered(client: Api) -> None:
    submit(client, 1)
    client.post("/api/v1/clerk/cases/claim", headers=CLERK)
    assert move(client, {"status": "accepted"}).status_code == 200
    assert move(client, {"status": "completed", "delivery": "express"}).status_code == 200
    assert history(client)[-1]["delivery"] == "express"


def test_a_rejection_needs_a_reason_and_keeps_it(client: Api) -> None:
    submit(client, 1, 2)
    client.post("/api/v1/clerk/cases/claim", headers=CLERK)
    client.post("/api/v1/clerk/cases/claim", headers=CLERK)
    assert move(client, {"status": "rejected"}).status_code == 422
    assert move(client, {"status": "rejected", "reason": "  "}).status_code == 422
    assert move(client, {"status": "rejected", "reason": "不属于本区户籍"}).status_code == 200
    assert history(client)[-1]["reason"] == "不属于本区户籍"
    # A client from before the field writes the reason in the note: it is kept as the reason.
    assert move(client, {"status": "rejected", "note": "材料不实"}, "202611230010002").status_code == 200
    assert history(client, "202611230010002")[-1]["reason"] == "材料不实"


@pytest.mark.parametrize("body", [
    {"status": "accepted", "missing": ["photo"]},
    {"status": "accepted", "reason": "x"},
    {"status": "more_materials_needed", "delivery": "pickup"},
    {"status": "more_materials_needed"},  # nothing said about what is missing
    {"status": "more_materials_needed", "missing": ["a_unicorn"]},
    {"status": "more_materials_needed", "missing_other": ["联系 13900000000"]},
    {"status": "more_materials_needed", "missing_other": ["两行\n文字"]},
    {"status": "more_materials_needed", "missing_other": ["x" * 101]},
    {"status": "completed", "delivery": "by_pigeon"},
])
def test_details_that_do_not_fit_are_refused(client: Api, body: dict[str, Any]) -> None:
    submit(client, 1)
    client.post("/api/v1/clerk/cases/claim", headers=CLERK)
    answer = move(client, body)
    assert answer.status_code == 422, answer.text
    assert "13900000000" not in answer.text  # errors name fields, never echo values


def test_a_named_case_is_claimed_once_and_only_by_who_may_see_it(client: Api) -> None:
    submit(client, 1, 2)
    second = "202611230010002"
    assert client.post(f"/api/v1/clerk/cases/{second}/claim", headers=ELSEWHERE_CLERK).status_code == 404
    assert client.post(f"/api/v1/clerk/cases/{second}/claim", headers=TECHNICIAN).status_code == 404
    answer = client.post(f"/api/v1/clerk/cases/{second}/claim", headers=CLERK)
    assert answer.status_code == 200 and answer.json()["status"] == "claimed"
    assert client.post(f"/api/v1/clerk/cases/{second}/claim", headers=OTHER_CLERK).status_code == 409
    # The queue's next claim skips it and takes the first.
    assert client.post("/api/v1/clerk/cases/claim", headers=OTHER_CLERK).json()["case_number"] == NUMBER
    assert client.post("/api/v1/clerk/cases/claim", headers=TECHNICIAN).status_code == 204
    reads = client.get(f"/api/v1/clerk/cases/{second}/reads", headers=SUPERVISOR).json()["reads"]
    assert reads == []  # claiming by number reads nothing


def test_the_contract_checks_details_without_a_server() -> None:
    moved = Transition(status=CaseState.MORE_MATERIALS_NEEDED, missing=[Material.PHOTO])
    assert moved.details().missing == [Material.PHOTO]
    assert Transition(status=CaseState.REJECTED, note="旧客户端").details().reason == "旧客户端"
    with pytest.raises(ValidationError):
        Transition(status=CaseState.ACCEPTED, delivery="pickup")  # type: ignore[arg-type]
    assert missing_line_problem("2025年表3") is None
    assert missing_line_problem("身份证 110101 19000101 1237") is not None
    assert missing_line_problem("  ") is not None
