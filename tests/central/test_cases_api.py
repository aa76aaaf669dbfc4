"""The kiosk API's case intake and status: idempotent, authenticated, validated."""

from __future__ import annotations

from collections.abc import Iterator

from centre_support import KIOSK, OTHER_KIOSK, Api

from central.samples import sample_submission

URL = "/api/v1/cases"


def body(sequence: int = 1, **changes: object) -> dict[str, object]:
    data = sample_submission(sequence).model_dump(mode="json")
    data.update(changes)
    return data


def test_a_new_case_is_created_once_and_repeats_get_the_same_ack(client: Api) -> None:
    first = client.post(URL, json=body(), headers=KIOSK)
    assert first.status_code == 201
    assert first.json()["status"] == "received"
    again = client.post(URL, json=body(), headers=KIOSK)
    assert again.status_code == 200
    assert again.json() == first.json()


def test_the_same_key_with_another_body_is_a_conflict(client: Api) -> None:
    assert client.post(URL, json=body(), headers=KIOSK).status_code == 201
    changed = client.post(URL, json=body(item_id="other-item"), headers=KIOSK)
    assert changed.status_code == 409


def test_a_case_number_taken_under_another_key_is_a_conflict(client: Api) -> None:
    assert client.post(URL, json=body(), headers=KIOSK).status_code == 201
    other_key = client.post(URL, json=body(idempotency_key="f" * 32), headers=KIOSK)
    assert other_key.status_code == 409


def test_status_is_public_data_only(client: Api) -> None:
    client.post(URL, json=body(), headers=KIOSK)
    answer = client.get(f"{URL}/202611230010001", headers=KIOSK)
    assert answer.status_code == 200
    view = answer.json()
    assert view["status"] == "received" and view["item_id"] == "sample-item"
    assert "测试人" not in answer.text and "110101" not in answer.text


def test_unknown_and_malformed_case_numbers(client: Api) -> None:
    assert client.get(f"{URL}/202611230019999", headers=KIOSK).status_code == 404
    assert client.get(f"{URL}/not-a-number", headers=KIOSK).status_code == 422


def test_a_kiosk_needs_its_token(client: Api) -> None:
    assert client.post(URL, json=body()).status_code == 401
    bad = {"Authorization": "Bearer nope-nope-nope-nope-nope"}
    assert client.post(URL, json=body(), headers=bad).status_code == 401
    assert client.get(f"{URL}/202611230010001").status_code == 401


def test_a_kiosk_may_submit_only_its_own_cases(client: Api) -> None:
    # The sample case comes from terminal T001; the other token belongs to T002.
    assert client.post(URL, json=body(), headers=OTHER_KIOSK).status_code == 403


def test_invalid_bodies_are_422(client: Api) -> None:
    assert client.post(URL, json=body(case_number="12"), headers=KIOSK).status_code == 422
    assert client.post(URL, json=body(surprise=1), headers=KIOSK).status_code == 422
    assert client.post(URL, data=b"{not json", headers={
        **KIOSK, "Content-Type": "application/json"}).status_code == 422


def test_oversized_bodies_are_413(client: Api) -> None:
    huge = body(answers={"x": "y" * 100_000})
    assert client.post(URL, json=huge, headers=KIOSK).status_code == 413


def test_the_openapi_document_is_served(client: Api) -> None:
    doc = client.get("/openapi.json").json()
    assert "/api/v1/cases" in doc["paths"]
    assert "/api/v1/cases/{case_number}" in doc["paths"]


def test_oversized_streamed_bodies_are_413(client: Api) -> None:
    def chunks() -> Iterator[bytes]:  # no Content-Length: counted as it arrives
        yield b'{"answers": {"x": "'
        for _ in range(100):
            yield b"y" * 1000
        yield b'"}}'

    answer = client.post(URL, data=chunks(), headers={**KIOSK, "Content-Type": "application/json"})
    assert answer.status_code == 413
