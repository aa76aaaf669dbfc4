"""Classifying scanned texts: receipts, signed codes, and everything a resident must be told."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from contract import qr_codes
from contract.clock import CLOCK_TOLERANCE
from kiosk.errors import CodeNotAccepted, KioskError
from kiosk.session.scanned_codes import (
    MESSAGES,
    IssuedCode,
    QrPayloadParser,
    ReceiptLookup,
    RejectReason,
    receipt_lookup_text,
)

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
FORGER = Ed25519PrivateKey.from_private_bytes(bytes(range(5, 37)))
IDENTITY = Ed25519PrivateKey.from_private_bytes(bytes(range(9, 41)))  # the identity authority
BASE = "https://zwfw.example.gov.cn/lookup"
TOKEN = "3q2-7wAAAAAAAAAAAAAAAA"
TRUST = qr_codes.CodeTrust.for_kiosk(
    qr_codes.KIOSK_AUDIENCE, centre_keys=[KEY.public_key()], identity_keys=[IDENTITY.public_key()]
)
PARSER = QrPayloadParser(trust=TRUST, lookup_url_base=BASE)
NO_KEYS = qr_codes.CodeTrust.for_kiosk(qr_codes.KIOSK_AUDIENCE, centre_keys=[], identity_keys=[])


def issue(key: Ed25519PrivateKey = KEY, kind: str = "appointment", minutes: int = 10,
          audience: str = qr_codes.KIOSK_AUDIENCE) -> str:
    return qr_codes.issue_code(
        key, kind=kind, code_id="A-0001", issued_at=NOW, audience=audience,
        expires_at=NOW + timedelta(minutes=minutes), data={"office": "玄武区政务服务中心"},
    )


def reason_of(text: str) -> str:
    with pytest.raises(CodeNotAccepted) as info:
        PARSER.parse(text, now=NOW)
    assert isinstance(info.value, KioskError)
    assert str(info.value) == MESSAGES[RejectReason(info.value.reason)]
    return info.value.reason


def test_receipt_lookup_round_trip() -> None:
    text = receipt_lookup_text("202611230010042", TOKEN, BASE)
    assert text == BASE + "?case=202611230010042&token=" + TOKEN
    assert PARSER.parse(text) == ReceiptLookup("202611230010042", TOKEN)
    with_query = receipt_lookup_text("202611230010042", TOKEN, "https://x.example/q?site=7")
    assert with_query == "https://x.example/q?site=7&case=202611230010042&token=" + TOKEN
    path_base = "https://zwfw.example.gov.cn/case/"
    path_text = receipt_lookup_text("202611230010042", TOKEN, path_base)
    assert path_text == path_base + "202611230010042?token=" + TOKEN
    parser = QrPayloadParser(trust=NO_KEYS, lookup_url_base=path_base)
    assert parser.parse(path_text) == ReceiptLookup("202611230010042", TOKEN)
    with pytest.raises(CodeNotAccepted):
        parser.parse(path_base + "202611230010042/../x")
    with pytest.raises(ValueError):
        receipt_lookup_text("202611230010042", TOKEN, "ftp://x.example/")
    with pytest.raises(CodeNotAccepted) as info:  # no keys configured: not called a forgery
        parser.parse(issue(), now=NOW)
    assert info.value.reason == "unsupported_kind"


@pytest.mark.parametrize("case", ["20261123001004", "202613230010042", "2026112300100a2", ""])
def test_receipt_lookup_refuses_bad_case_numbers(case: str) -> None:
    with pytest.raises(ValueError):
        receipt_lookup_text(case, TOKEN, BASE)
    assert reason_of(f"{BASE}?case={case}&token={TOKEN}") == "malformed"


def test_receipt_of_another_site_is_unknown_and_never_fetched() -> None:
    assert reason_of("https://evil.example/lookup?case=202611230010042") == "unknown"


def test_centre_code_is_verified() -> None:
    parsed = PARSER.parse(issue(), now=NOW)
    assert isinstance(parsed, IssuedCode) and parsed.kind == "appointment"
    assert parsed.code.data["office"] == "玄武区政务服务中心"


def test_forged_expired_and_unsupported() -> None:
    assert reason_of(issue(FORGER)) == "forged"
    with pytest.raises(CodeNotAccepted) as info:
        PARSER.parse(issue(minutes=1), now=NOW + timedelta(minutes=1) + CLOCK_TOLERANCE)
    assert info.value.reason == "expired" and "过期" in str(info.value)
    assert reason_of(issue(kind="parking")) == "unsupported_kind"


def test_oversized_empty_and_unknown() -> None:
    assert reason_of("x" * 100_000) == "oversized"
    assert reason_of("ZWQR2." + "A" * 2000) == "oversized"
    assert reason_of("  \r\n") == "empty"
    assert reason_of("javascript:alert(1)") == "unknown"
    assert reason_of("file:///etc/passwd") == "unknown"


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=300))
def test_any_text_parses_or_is_refused_with_a_message(text: str) -> None:
    try:
        PARSER.parse(text, now=NOW)
    except CodeNotAccepted as err:
        assert err.reason in {r.value for r in RejectReason}
        assert str(err)


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_any_corruption_of_a_valid_code_is_refused(data: st.DataObject) -> None:
    text = issue()
    pos = data.draw(st.integers(0, len(text) - 1))
    char = data.draw(st.characters(codec="ascii").filter(lambda c: c != text[pos]))
    corrupted = text[:pos] + char + text[pos + 1 :]
    with pytest.raises(CodeNotAccepted) as info:
        PARSER.parse(corrupted, now=NOW)
    assert info.value.reason in {"forged", "malformed", "unknown", "empty"}


@settings(max_examples=50, deadline=None)
@given(
    st.dictionaries(
        st.from_regex(r"[a-z][a-z0-9_]{0,8}", fullmatch=True), st.text(max_size=20), max_size=5
    ),
    st.integers(1, 10**6),
)
def test_any_issued_code_round_trips(data: dict[str, str], seconds: int) -> None:
    text = qr_codes.issue_code(
        IDENTITY, kind="login", code_id="L", issued_at=NOW, audience=qr_codes.KIOSK_AUDIENCE,
        expires_at=NOW + timedelta(seconds=seconds), data=data,
    )
    parsed = PARSER.parse(text, now=NOW)
    assert isinstance(parsed, IssuedCode) and dict(parsed.code.data) == data


def test_our_codes_are_byte_mode_utf8_with_eci_and_every_decoder_reads_them() -> None:
    import numpy as np
    import zxingcpp
    from pyzbar import pyzbar

    from kiosk.printing.qr_image import make_qr

    # zbar reads "营保回" as Shift-JIS mojibake unless the code carries ECI 26 (UTF-8)
    for text in ("营保回", receipt_lookup_text("202611230010042", TOKEN, BASE)):
        qr = make_qr(text)
        assert qr.mode == "byte"
        matrix = np.array(list(qr.matrix_iter(scale=4, border=4)), dtype=np.uint8)
        image = np.where(matrix > 0, 0, 255).astype(np.uint8)
        assert [d.data.decode("utf-8") for d in pyzbar.decode(image)] == [text]  # stock zbar
        assert [r.text for r in zxingcpp.read_barcodes(image)] == [text]
    with pytest.raises(ValueError):
        make_qr("字" * 400)


# --- who may sign what, and the receipt's token --------------------------------------------


def test_a_login_code_signed_by_the_centre_key_is_refused_as_forged() -> None:
    assert reason_of(issue(KEY, kind="login")) == "forged"  # the centre's key logs no one in
    parsed = PARSER.parse(issue(IDENTITY, kind="login"), now=NOW)
    assert isinstance(parsed, IssuedCode) and parsed.kind == "login"
    assert reason_of(issue(IDENTITY, kind="appointment")) == "forged"


def test_a_code_for_another_audience_is_refused() -> None:
    assert reason_of(issue(IDENTITY, kind="login", audience="another-region")) == "wrong_audience"


def test_a_receipt_code_without_its_token_looks_nothing_up() -> None:
    assert reason_of(f"{BASE}?case=202611230010042") == "malformed"
    assert reason_of(f"{BASE}?case=202611230010042&token=short") == "malformed"
    assert reason_of(f"{BASE}?case=202611230010042&token={TOKEN}x") == "malformed"


def test_lookup_tokens_are_fresh_128_bit_base64url() -> None:
    from kiosk.session.scanned_codes import lookup_token_digest, new_lookup_token

    tokens = {new_lookup_token() for _ in range(100)}
    assert len(tokens) == 100
    assert all(len(t) == 22 and receipt_lookup_text("202611230010042", t, BASE) for t in tokens)
    assert len(lookup_token_digest(TOKEN)) == 64
    assert TOKEN not in repr(ReceiptLookup("202611230010042", TOKEN))
