"""The signed code format: round trip, signature, trust per kind, audience, expiry, size, shape."""

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
CENTRE = Ed25519PrivateKey.from_private_bytes(bytes(range(2, 34)))
AUDIENCE = q.KIOSK_AUDIENCE


def trust(*identity: Ed25519PrivateKey, centre: tuple[Ed25519PrivateKey, ...] = (CENTRE,),
          audience: str = AUDIENCE) -> q.CodeTrust:
    """A kiosk's trust: login codes from ``identity`` keys (KEY by default), the rest from ``centre``."""
    return q.CodeTrust.for_kiosk(
        audience, centre_keys=[k.public_key() for k in centre],
        identity_keys=[k.public_key() for k in identity or (KEY,)],
    )


def v1_code(key: Ed25519PrivateKey, kind: str) -> str:
    """A version 1 code as the centre issued them before version 2 (no audience, no key id)."""
    body = json.dumps({"t": kind, "i": "old", "s": int(NOW.timestamp()),
                       "e": int(NOW.timestamp()) + 600, "d": {}}).encode()
    signed = "ZWQR1." + base64.urlsafe_b64encode(body).rstrip(b"=").decode()
    sig = base64.urlsafe_b64encode(key.sign(signed.encode())).rstrip(b"=").decode()
    return f"{signed}.{sig}"


def issue(**kw: object) -> str:
    args: dict[str, object] = dict(
        kind="login", code_id="c-1", expires_at=NOW + timedelta(minutes=5),
        data={"name": "张*丰"}, issued_at=NOW, audience=AUDIENCE,
    )
    args.update(kw)
    return q.issue_code(KEY, **args)  # type: ignore[arg-type]


def test_round_trip_keeps_every_field_and_is_ascii() -> None:
    text = issue()
    assert text.startswith("ZWQR2.") and text.isascii()
    code = q.verify_code(text, trust(), now=NOW)
    assert code.kind == "login" and code.code_id == "c-1"
    assert code.data == {"name": "张*丰"}
    assert code.issued_at == NOW and code.expires_at == NOW + timedelta(minutes=5)
    assert code.audience == AUDIENCE and code.key_id == q.key_id(KEY.public_key())


def test_key_rotation_any_configured_key_verifies() -> None:
    text = issue()
    assert q.verify_code(text, trust(OTHER, KEY), now=NOW).code_id == "c-1"
    with pytest.raises(q.ForgedCode):
        q.verify_code(text, trust(OTHER), now=NOW)


def test_expiry_is_exclusive_and_future_issue_is_refused() -> None:
    # Both allow the clock tolerance (contract.clock): a kiosk up to CLOCK_SKEW fast refuses nothing valid.
    text = issue()
    skew = timedelta(seconds=q.CLOCK_SKEW)
    q.verify_code(text, trust(), now=NOW + timedelta(minutes=5) + skew - timedelta(seconds=1))
    with pytest.raises(q.ExpiredCode):
        q.verify_code(text, trust(), now=NOW + timedelta(minutes=5) + skew)
    q.verify_code(text, trust(), now=NOW - skew)
    with pytest.raises(q.NotYetValidCode):
        q.verify_code(text, trust(), now=NOW - timedelta(seconds=q.CLOCK_SKEW + 1))


def test_a_tampered_payload_is_forged() -> None:
    text = issue()
    prefix, payload, sig = text.split(".")
    body = json.loads(base64.urlsafe_b64decode(payload + "=="))
    body["e"] += 86400
    forged = base64.urlsafe_b64encode(json.dumps(body).encode()).rstrip(b"=").decode()
    with pytest.raises(q.ForgedCode):
        q.verify_code(f"{prefix}.{forged}.{sig}", trust(), now=NOW)


def test_a_signed_but_malformed_body_is_malformed() -> None:
    payload = base64.urlsafe_b64encode(b'{"t":"login"}').rstrip(b"=").decode()
    signed = "ZWQR2." + payload
    sig = base64.urlsafe_b64encode(KEY.sign(signed.encode())).rstrip(b"=").decode()
    with pytest.raises(q.MalformedCode):
        q.verify_code(f"{signed}.{sig}", trust(), now=NOW)


@pytest.mark.parametrize(
    "text, error",
    [
        ("hello", q.NotACentreCode),
        ("ZWQR2.", q.MalformedCode),
        ("ZWQR2.abc", q.MalformedCode),
        ("ZWQR2.a+c." + "A" * 86, q.MalformedCode),
        ("ZWQR2." + "A" * 2000, q.OversizedCode),
        ("ZWQR1.abc", q.MalformedCode),
    ],
)
def test_bad_shapes(text: str, error: type[Exception]) -> None:
    with pytest.raises(error):
        q.verify_code(text, trust(), now=NOW)


def test_issuing_refuses_what_the_format_cannot_carry() -> None:
    with pytest.raises(ValueError):
        issue(kind="Login")
    with pytest.raises(ValueError):
        issue(data={"x": "字" * 257})
    with pytest.raises(ValueError):
        issue(expires_at=NOW)
    with pytest.raises(ValueError):
        issue(audience="every kiosk")
    with pytest.raises(ValueError):
        issue(data={f"k{i}": "字" * 40 for i in range(16)})  # payload over the byte limit


def test_public_key_text_round_trip() -> None:
    text = q.public_key_text(KEY.public_key())
    key = q.load_public_key(text)
    reloaded = q.CodeTrust.for_kiosk(AUDIENCE, centre_keys=[], identity_keys=[key])
    assert q.verify_code(issue(), reloaded, now=NOW).kind == "login"
    with pytest.raises(ValueError):
        q.load_public_key("not a key")


# --- trust per kind: a stolen centre credential must not log anyone in -----------------------


def test_a_login_code_signed_by_the_centre_key_is_refused() -> None:
    centre_signed = q.issue_code(CENTRE, kind="login", code_id="c-2", audience=AUDIENCE,
                                 expires_at=NOW + timedelta(minutes=5), issued_at=NOW)
    with pytest.raises(q.UntrustedSigner):
        q.verify_code(centre_signed, trust(), now=NOW)


def test_an_appointment_code_signed_by_the_identity_authority_is_refused() -> None:
    with pytest.raises(q.UntrustedSigner):
        q.verify_code(issue(kind="appointment"), trust(), now=NOW)
    centre_signed = q.issue_code(CENTRE, kind="appointment", code_id="a-1", audience=AUDIENCE,
                                 expires_at=NOW + timedelta(minutes=5), issued_at=NOW)
    assert q.verify_code(centre_signed, trust(), now=NOW).kind == "appointment"


def test_a_code_for_another_audience_is_refused() -> None:
    with pytest.raises(q.WrongAudience):
        q.verify_code(issue(audience="site-elsewhere"), trust(), now=NOW)
    assert q.verify_code(issue(audience="site-7"), trust(audience="site-7"), now=NOW)


def test_a_kind_no_key_is_trusted_for_is_unsupported() -> None:
    with pytest.raises(q.UnsupportedKind):
        q.verify_code(issue(kind="parking"), trust(), now=NOW)


def test_the_key_id_must_name_the_signing_key() -> None:
    body = json.dumps({"t": "login", "i": "x", "s": int(NOW.timestamp()), "a": AUDIENCE,
                       "e": int(NOW.timestamp()) + 60, "k": q.key_id(OTHER.public_key()),
                       "d": {}}).encode()
    signed = "ZWQR2." + base64.urlsafe_b64encode(body).rstrip(b"=").decode()
    sig = base64.urlsafe_b64encode(KEY.sign(signed.encode())).rstrip(b"=").decode()
    with pytest.raises(q.MalformedCode):
        q.verify_code(f"{signed}.{sig}", trust(), now=NOW)


def test_version_1_is_verified_for_centre_kinds_but_never_for_login() -> None:
    assert q.verify_code(v1_code(CENTRE, "appointment"), trust(), now=NOW).version == 1
    for signer in (CENTRE, KEY):  # whoever signed it, a version 1 login code logs no one in
        with pytest.raises(q.UntrustedSigner):
            q.verify_code(v1_code(signer, "login"), trust(), now=NOW)
    with pytest.raises(ValueError):
        q.CodeTrust(AUDIENCE, {"login": (KEY.public_key(),)}, v1_kinds=frozenset({"login"}))
