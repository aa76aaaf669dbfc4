"""The centre's signed code format: round trip, signature, expiry, size, shape."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from contract import qr_codes as q

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
OTHER = Ed25519PrivateKey.from_private_bytes(bytes(range(1, 33)))


def issue(**kw: object) -> str:
    args: dict[str, object] = dict(
        kind="login", code_id="c-1", expires_at=NOW + timedelta(minutes=5),
        data={"name": "张*丰"}, issued_at=NOW,
    )
    args.update(kw)
    return q.issue_code(KEY, **args)  # type: ignore[arg-type]


def test_round_trip_keeps_every_field_and_is_ascii() -> None:
    text = issue()
    assert text.startswith("ZWQR1.") and text.isascii()
    code = q.verify_code(text, KEY.public_key(), now=NOW)
    assert code.kind == "login" and code.code_id == "c-1"
    assert code.data == {"name": "张*丰"}
    assert code.issued_at == NOW and code.expires_at == NOW + timedelta(minutes=5)


def test_key_rotation_any_configured_key_verifies() -> None:
    text = issue()
    assert q.verify_code(text, [OTHER.public_key(), KEY.public_key()], now=NOW).code_id == "c-1"
    with pytest.raises(q.ForgedCode):
        q.verify_code(text, [OTHER.public_key()], now=NOW)


def test_expiry_is_exclusive_and_future_issue_is_refused() -> None:
    text = issue()
    q.verify_code(text, KEY.public_key(), now=NOW + timedelta(minutes=5) - timedelta(seconds=1))
    with pytest.raises(q.ExpiredCode):
        q.verify_code(text, KEY.public_key(), now=NOW + timedelta(minutes=5))
    with pytest.raises(q.NotYetValidCode):
        q.verify_code(text, KEY.public_key(), now=NOW - timedelta(seconds=q.CLOCK_SKEW + 1))


def test_a_tampered_payload_is_forged() -> None:
    text = issue()
    prefix, payload, sig = text.split(".")
    body = json.loads(base64.urlsafe_b64decode(payload + "=="))
    body["e"] += 86400
    forged = base64.urlsafe_b64encode(json.dumps(body).encode()).rstrip(b"=").decode()
    with pytest.raises(q.ForgedCode):
        q.verify_code(f"{prefix}.{forged}.{sig}", KEY.public_key(), now=NOW)


def test_a_signed_but_malformed_body_is_malformed() -> None:
    payload = base64.urlsafe_b64encode(b'{"t":"login"}').rstrip(b"=").decode()
    signed = "ZWQR1." + payload
    sig = base64.urlsafe_b64encode(KEY.sign(signed.encode())).rstrip(b"=").decode()
    with pytest.raises(q.MalformedCode):
        q.verify_code(f"{signed}.{sig}", KEY.public_key(), now=NOW)


@pytest.mark.parametrize(
    "text, error",
    [
        ("hello", q.NotACentreCode),
        ("ZWQR1.", q.MalformedCode),
        ("ZWQR1.abc", q.MalformedCode),
        ("ZWQR1.a+c." + "A" * 86, q.MalformedCode),
        ("ZWQR1." + "A" * 2000, q.OversizedCode),
    ],
)
def test_bad_shapes(text: str, error: type[Exception]) -> None:
    with pytest.raises(error):
        q.verify_code(text, KEY.public_key(), now=NOW)


def test_issuing_refuses_what_the_format_cannot_carry() -> None:
    with pytest.raises(ValueError):
        issue(kind="Login")
    with pytest.raises(ValueError):
        issue(data={"x": "字" * 257})
    with pytest.raises(ValueError):
        issue(expires_at=NOW)
    with pytest.raises(ValueError):
        issue(data={f"k{i}": "字" * 40 for i in range(16)})  # payload over the byte limit


def test_public_key_text_round_trip() -> None:
    text = q.public_key_text(KEY.public_key())
    key = q.load_public_key(text)
    assert q.verify_code(issue(), key, now=NOW).kind == "login"
    with pytest.raises(ValueError):
        q.load_public_key("not a key")
