"""The clerk API: claim the oldest case, move it on with a note, read its history."""

from __future__ import annotations

from centre_support import CLERK, KIOSK, OTHER_CLERK, Api

from central.samples import sample_submission

CLAIM = "/api/v1/clerk/cases/claim"


def submit(client: Api, *sequences: int) -> None:
    for n in sequences:
        body = sample_submission(n).model_dump(mode="json")
        assert client.post("/api/v1/cases", json=body, headers=KIOSK).status_code == 201


def move(client: Api, case_number: str, status: str, note: str = "", headers: dict[str, str]
         = CLERK) -> int:
    answer = client.post(f"/api/v1/clerk/cases/{case_number}/transitions",
                         json={"status": status, "note": note}, headers=headers)
    return answer.status_code


def test_claims_come_oldest_first_and_each_once(client: Api) -> None:
    submit(client, 1, 2, 3)
    claimed = [client.post(CLAIM, headers=CLERK).json() for _ in range(3)]
    assert [c["case_number"] for c in claimed] == [
        "202611230010001", "202611230010002", "202611230010003"]
    assert claimed[0]["submission"]["applicant"]["name"] == "测试人"
    assert claimed[0]["claimed_by"] == "wang"
    assert client.post(CLAIM, headers=CLERK).status_code == 204


def test_a_case_moves_on_with_notes_and_keeps_its_history(client: Api) -> None:
    submit(client, 1)
    client.post(CLAIM, headers=CLERK)
    assert move(client, "202611230010001", "more_materials_needed", "请补充户口簿") == 200
    status = client.get("/api/v1/cases/202611230010001", headers=KIOSK).json()
    assert status["status"] == "more_materials_needed" and "note" not in status  # the clerk's alone
    assert move(client, "202611230010001", "accepted", "材料齐全") == 200
    assert move(client, "202611230010001", "completed", "已办结") == 200
    history = client.get("/api/v1/clerk/cases/202611230010001/history", headers=CLERK).json()
    assert [(e["status"], e["actor"]) for e in history["events"]] == [
        ("received", "T001"), ("claimed", "wang"), ("more_materials_needed", "wang"),
        ("accepted", "wang"), ("completed", "wang")]
    assert history["events"][-1]["note"] == "已办结"


def test_moves_that_do_not_fit_are_conflicts(client: Api) -> None:
    submit(client, 1, 2)
    assert move(client, "202611230010001", "accepted") == 409  # not claimed yet
    client.post(CLAIM, headers=CLERK)
    assert move(client, "202611230010001", "completed") == 409  # not accepted yet
    assert move(client, "202611230010001", "claimed") == 409
    assert move(client, "202611230010001", "rejected", "不符合条件") == 200
    assert move(client, "202611230010001", "accepted") == 409  # rejected is final


def test_only_the_claiming_clerk_moves_a_case(client: Api) -> None:
    submit(client, 1)
    client.post(CLAIM, headers=CLERK)
    assert move(client, "202611230010001", "accepted", headers=OTHER_CLERK) == 409


def test_unknown_cases_and_bad_input(client: Api) -> None:
    assert move(client, "202611230019999", "accepted") == 404
    assert client.get("/api/v1/clerk/cases/202611230019999/history",
                      headers=CLERK).status_code == 404
    assert move(client, "202611230010001", "teleported") == 422
    long_note = client.post("/api/v1/clerk/cases/202611230010001/transitions",
                            json={"status": "accepted", "note": "x" * 5000}, headers=CLERK)
    assert long_note.status_code == 422


def test_clerks_and_kiosks_have_separate_tokens(client: Api) -> None:
    assert client.post(CLAIM).status_code == 401
    assert client.post(CLAIM, headers=KIOSK).status_code == 401
    assert client.post("/api/v1/cases", json=sample_submission(1).model_dump(mode="json"),
                       headers=CLERK).status_code == 401
