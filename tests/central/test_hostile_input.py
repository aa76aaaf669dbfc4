"""No body brings the centre down: every malformed body gets a 4xx that names fields only,
and the connection stays usable; numbers are strict; times compare as instants."""

from __future__ import annotations

import json
import socket
from datetime import UTC, datetime, timedelta, timezone
from typing import Any
from urllib.parse import urlsplit

import pytest
from centre_support import CLERK, KIOSK, Api
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from central.json_body import BodyFault, check_body
from central.samples import sample_submission
from contract.wire import ANSWER_MAX, COMMITMENT_MAX, MAP_KEY_MAX, QR_VALUE_MAX

SECRET = "Zhang-San-110101199003077777"  # stands for personal data: never echoed
CASE = "202611230010001"


def beat(**fields: Any) -> dict[str, Any]:
    return {"terminal_id": "T001", "site_id": "community-1", "sent_at": "2026-11-23T08:00:00Z",
            "software_version": "0.1.0", "outbox_depth": 0, **fields}


def case(**fields: Any) -> dict[str, Any]:
    body: dict[str, Any] = sample_submission(1).model_dump(mode="json")
    return {**body, **fields}


# Every POST endpoint, with a valid body a hostile value is spliced into.
ENDPOINTS: list[tuple[str, dict[str, str], dict[str, Any]]] = [
    ("/api/v1/cases", KIOSK, case()),
    ("/api/v1/heartbeats", KIOSK, beat()),
    (f"/api/v1/cases/{CASE}/rating", KIOSK, {"level": "satisfied", "comment": "ok"}),
    ("/api/v1/qr-codes", KIOSK, {"kind": "appointment", "data": {"name": "x"}}),
    ("/api/v1/clerk/cases/claim", CLERK, {"any": "thing"}),
    (f"/api/v1/clerk/cases/{CASE}/transitions", CLERK, {"status": "accepted", "note": "n"}),
]

# JSON texts Python's json module reads but a strict reader must refuse.
HOSTILE = ["NaN", "Infinity", "-Infinity", "1e400", "-1e400", '"\\ud800"', '"a\\udfffb"',
           "1" * 5000]


class Raw:
    """One keep-alive HTTP/1.1 connection, to show it survives what was sent on it."""

    def __init__(self, base_url: str) -> None:
        address = urlsplit(base_url)
        self.sock = socket.create_connection((address.hostname, address.port), timeout=10)
        self.buffer = b""

    def post(self, path: str, headers: dict[str, str], body: bytes) -> tuple[int, bytes]:
        head = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
        self.sock.sendall(
            f"POST {path} HTTP/1.1\r\nHost: centre\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n{head}\r\n".encode() + body)
        while b"\r\n\r\n" not in self.buffer:
            self.buffer += self._recv()
        head_bytes, _, self.buffer = self.buffer.partition(b"\r\n\r\n")
        lines = head_bytes.split(b"\r\n")
        length = next(int(line.split(b":", 1)[1]) for line in lines
                      if line.lower().startswith(b"content-length:"))
        while len(self.buffer) < length:
            self.buffer += self._recv()
        answer, self.buffer = self.buffer[:length], self.buffer[length:]
        return int(lines[0].split()[1]), answer

    def _recv(self) -> bytes:
        chunk = self.sock.recv(65536)
        if not chunk:
            raise ConnectionError("the centre closed the connection")
        return chunk

    def close(self) -> None:
        self.sock.close()


@pytest.fixture
def raw(client: Api) -> Any:
    connection = Raw(client.base_url)
    yield connection
    connection.close()


def assert_fields_only(status: int, answer: bytes, *secrets: str) -> None:
    assert 400 <= status < 500, (status, answer[:200])
    for secret in (SECRET, *secrets):
        assert secret.encode() not in answer
    detail = json.loads(answer)["detail"]
    assert isinstance(detail, list) and detail
    for error in detail:
        assert set(error) == {"loc", "msg", "type"}
        assert error["loc"][0] == "body"


def spliced(valid: dict[str, Any], hostile: str) -> bytes:
    """``valid`` as JSON with one more member whose value is the hostile text, and a secret."""
    text = json.dumps({**valid, "zz_secret": SECRET})
    return (text[:-1] + f', "zz_hostile": {hostile}}}').encode()


@pytest.mark.parametrize("hostile", HOSTILE)
def test_unreadable_values_get_a_4xx_naming_the_field_and_the_connection_lives(
        raw: Raw, hostile: str) -> None:
    for path, headers, valid in ENDPOINTS:
        status, answer = raw.post(path, headers, spliced(valid, hostile))
        assert_fields_only(status, answer)
        # An undeclared key is a value the sender chose: its place is given as "*".
        assert json.loads(answer)["detail"][0]["loc"] == ["body", "*"], path
        assert raw.post("/api/v1/heartbeats", KIOSK, json.dumps(beat()).encode())[0] == 200
    text = json.dumps(beat()).replace('"outbox_depth": 0', f'"outbox_depth": {hostile}')
    status, answer = raw.post("/api/v1/heartbeats", KIOSK, text.encode())
    assert_fields_only(status, answer)
    assert json.loads(answer)["detail"][0]["loc"] == ["body", "outbox_depth"]


@pytest.mark.parametrize("body", [
    b'{"level": "satisfied", "level": "satisfied"}',  # a key twice
    b"[" * 5000 + b"]" * 5000,  # deeper than any parser's stack
    b'{"comment": "\xff\xfe"}',  # not UTF-8
    '{"comment": "ok"}'.encode("utf-16"),  # not UTF-8 either
    b'{"comment": ',  # not JSON
    b'{"reasons": ["ok", "\\ud800"]}',
    b'{"\\ud800": 1}',  # a lone surrogate as a key
])
def test_malformed_bodies_get_a_4xx_and_the_connection_lives(raw: Raw, body: bytes) -> None:
    for path, headers, _valid in ENDPOINTS:
        assert_fields_only(*raw.post(path, headers, body))
        assert raw.post("/api/v1/heartbeats", KIOSK, json.dumps(beat()).encode())[0] == 200


def test_validation_errors_never_echo_what_was_sent(raw: Raw) -> None:
    applicant = {"id_type": "resident_id", "name": SECRET, "id_number": SECRET * 3}
    bodies: list[tuple[str, dict[str, str], dict[str, Any]]] = [
        ("/api/v1/cases", KIOSK, case(applicant=applicant)),
        ("/api/v1/cases", KIOSK, case(case_number=SECRET)),
        ("/api/v1/cases", KIOSK, case(answers={"phone": SECRET * 100})),
        ("/api/v1/heartbeats", KIOSK, beat(outbox_depth=SECRET)),
        (f"/api/v1/cases/{CASE}/rating", KIOSK, {"level": SECRET}),
        ("/api/v1/qr-codes", KIOSK, {"kind": "appointment", "data": {SECRET: "x"}}),
        (f"/api/v1/clerk/cases/{CASE}/transitions", CLERK, {"status": SECRET}),
    ]
    for path, headers, body in bodies:
        status, answer = raw.post(path, headers, json.dumps(body).encode())
        assert status == 422, (path, answer)
        assert_fields_only(status, answer, SECRET[:8])


def test_a_body_that_is_not_json_by_content_type_is_refused_without_echo(client: Api) -> None:
    answer = client.post("/api/v1/heartbeats", data=SECRET.encode(),
                         headers={**KIOSK, "Content-Type": "text/plain"})
    assert_fields_only(answer.status_code, answer.content)


# --- strict numbers, bounded texts ---------------------------------------------------------

@pytest.mark.parametrize(("fields", "status"), [
    ({"outbox_depth": 5}, 200),
    ({"outbox_depth": "5"}, 422),
    ({"outbox_depth": True}, 422),
    ({"outbox_depth": 5.0}, 422),
    ({"outbox_depth": None}, 422),
    ({"oldest_unsent_age_s": 1.5}, 200),
    ({"oldest_unsent_age_s": 2}, 200),
    ({"oldest_unsent_age_s": None}, 200),
    ({"oldest_unsent_age_s": "1.5"}, 422),
    ({"oldest_unsent_age_s": False}, 422),
    ({"devices": {"printer": "online"}}, 200),
    ({"devices": {"p" * (MAP_KEY_MAX + 1): "online"}}, 422),
    ({"devices": {"": "online"}}, 422),
    # a command id beyond the databases' 64-bit integers is refused, not a 500 (schemathesis)
    ({"command_results": [{"command_id": 2**62, "outcome": "done",
                           "finished_at": "2026-12-02T08:00:00Z"}]}, 200),
    ({"command_results": [{"command_id": 2**62 + 1, "outcome": "done",
                           "finished_at": "2026-12-02T08:00:00Z"}]}, 422),
    ({"command_results": [{"command_id": 2**130, "outcome": "done",
                           "finished_at": "2026-12-02T08:00:00Z"}]}, 422),
    ({"sent_at": "0001-01-01T00:00:00+03:04"}, 422),
])
def test_heartbeat_numbers_are_strict_and_keys_bounded(client: Api, fields: dict[str, Any],
                                                       status: int) -> None:
    assert client.post("/api/v1/heartbeats", json=beat(**fields), headers=KIOSK
                       ).status_code == status


@pytest.mark.parametrize(("fields", "status"), [
    ({"valid_for_s": 600}, 201),
    ({"valid_for_s": "600"}, 422),
    ({"valid_for_s": True}, 422),
    ({"valid_for_s": 600.0}, 422),
    ({"data": {"name": "x" * QR_VALUE_MAX}}, 201),
    ({"data": {"name": "x" * (QR_VALUE_MAX + 1)}}, 422),
    ({"data": {"Name": "x"}}, 422),
    ({"data": {"name": 5}}, 422),
])
def test_code_requests_are_strict(client: Api, fields: dict[str, Any], status: int) -> None:
    body = {"kind": "appointment", **fields}
    assert client.post("/api/v1/qr-codes", json=body, headers=KIOSK).status_code == status


@pytest.mark.parametrize(("fields", "status"), [
    ({"answers": {"k" * MAP_KEY_MAX: "v" * ANSWER_MAX}}, 201),
    ({"answers": {"k" * (MAP_KEY_MAX + 1): "v"}}, 422),
    ({"answers": {"": "v"}}, 422),
    ({"answers": {"k": "v" * (ANSWER_MAX + 1)}}, 422),
    ({"answers": {"k": 5}}, 422),
    ({"commitments": ["c" * COMMITMENT_MAX]}, 201),
    ({"commitments": ["c" * (COMMITMENT_MAX + 1)]}, 422),
    ({"commitments": [True]}, 422),
    # a time no clock gives is refused, not a 500 when it is turned to UTC (schemathesis)
    ({"submitted_at": "0001-01-01T00:00:00+03:04"}, 422),
    ({"submitted_at": "1970-01-01T00:00:00Z"}, 422),
    ({"submitted_at": "2026-12-02T08:00:00+08:00"}, 201),
])
def test_case_texts_are_bounded(client: Api, fields: dict[str, Any], status: int) -> None:
    assert client.post("/api/v1/cases", json=case(**fields), headers=KIOSK
                       ).status_code == status


@pytest.mark.parametrize(("reasons", "status"), [
    (["r" * 64], 201), (["r" * 65], 422), ([5], 422),
])
def test_rating_reasons_are_bounded(client: Api, reasons: list[Any], status: int) -> None:
    assert client.post("/api/v1/cases", json=case(), headers=KIOSK).status_code == 201
    answer = client.post(f"/api/v1/cases/{CASE}/rating", json={"level": "satisfied",
                                                               "reasons": reasons}, headers=KIOSK)
    assert answer.status_code == status


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(st.characters(codec=None, exclude_categories=())),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner,
                                                               max_size=3),
    max_leaves=8,
)


@given(field=st.sampled_from(sorted(beat())), value=json_values)
@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_value_in_any_heartbeat_field_gets_an_answer_not_an_error(
        client: Api, field: str, value: Any) -> None:
    body = json.dumps(beat(**{field: value}), ensure_ascii=True, allow_nan=True).encode()
    answer = client.post("/api/v1/heartbeats", data=body,
                         headers={**KIOSK, "Content-Type": "application/json"})
    assert 200 <= answer.status_code < 500, answer.content[:200]
    if answer.status_code == 422:
        assert all(set(e) == {"loc", "msg", "type"} for e in answer.json()["detail"])


@given(value=json_values)
@settings(max_examples=200)
def test_the_strict_reader_refuses_exactly_what_is_not_strict_json(value: Any) -> None:
    text = json.dumps({"v": value}, ensure_ascii=True, allow_nan=True)
    strict = True
    try:
        json.dumps({"v": value}, allow_nan=False, ensure_ascii=False).encode("utf-8")
    except (ValueError, UnicodeEncodeError):
        strict = False
    try:
        check_body(text.encode())
    except BodyFault as fault:
        assert not strict, fault.kind
        assert fault.loc[0] == "v"
    else:
        assert strict


# --- times compare as instants -------------------------------------------------------------

def test_the_same_instant_in_another_offset_is_the_same_case(client: Api) -> None:
    at_utc = datetime(2026, 11, 23, 1, 30, 15, 250000, tzinfo=UTC)
    in_beijing = at_utc.astimezone(timezone(timedelta(hours=8)))
    first = client.post("/api/v1/cases", json=case(submitted_at=in_beijing.isoformat()),
                        headers=KIOSK)
    assert first.status_code == 201
    again = client.post("/api/v1/cases", json=case(submitted_at=at_utc.isoformat()),
                        headers=KIOSK)
    assert again.status_code == 200
    assert again.json() == first.json()
    as_z = client.post("/api/v1/cases", json=case(
        submitted_at=at_utc.isoformat().replace("+00:00", "Z")), headers=KIOSK)
    assert as_z.status_code == 200
    later = client.post("/api/v1/cases", json=case(
        submitted_at=(at_utc + timedelta(seconds=1)).isoformat()), headers=KIOSK)
    assert later.status_code == 409
