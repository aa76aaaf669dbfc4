"""Console sessions and login throttling, without a browser."""

from __future__ import annotations

from central.console.access import safe_next
from central.console.login_throttle import LoginThrottle
from central.console.staff_sessions import SessionSigner

KEY = b"k" * 32


def test_a_cookie_names_its_digest_until_it_expires() -> None:
    signer = SessionSigner(KEY, max_age_s=60)
    cookie = signer.issue("ab" * 32, now=1000)
    session = signer.read(cookie, now=1059)
    assert session is not None and session.token_digest == "ab" * 32
    assert signer.read(cookie, now=1061) is None


def test_a_tampered_or_foreign_cookie_is_nobody() -> None:
    signer = SessionSigner(KEY)
    cookie = signer.issue("ab" * 32)
    payload, mac = cookie.split(".")
    assert signer.read(payload[:-2] + "AA." + mac) is None
    assert SessionSigner(b"o" * 32).read(cookie) is None
    for garbage in ("", ".", "a.b.c", "x" * 600, "%%%.%%%"):
        assert signer.read(garbage) is None


def test_csrf_tokens_belong_to_one_session() -> None:
    signer = SessionSigner(KEY)
    first = signer.read(signer.issue("ab" * 32))
    second = signer.read(signer.issue("ab" * 32))
    assert first is not None and second is not None
    assert signer.csrf_ok(first, signer.csrf_token(first))
    assert not signer.csrf_ok(first, signer.csrf_token(second))
    assert not signer.csrf_ok(first, None)


def test_failed_logins_block_an_address_for_the_window() -> None:
    throttle = LoginThrottle(max_failures=3, window_s=100)
    for moment in (0, 1, 2):
        assert throttle.retry_after("10.0.0.1", now=moment) == 0
        throttle.failed("10.0.0.1", now=moment)
    assert throttle.retry_after("10.0.0.1", now=3) == 97
    assert throttle.retry_after("10.0.0.2", now=3) == 0  # another address is not blocked
    assert throttle.retry_after("10.0.0.1", now=101) == 0  # the oldest failure has aged out


def test_after_login_the_browser_goes_only_to_console_pages() -> None:
    assert safe_next("/console/fleet?site=a") == "/console/fleet?site=a"
    for hostile in ("https://evil.example/", "//evil.example/console/", "/console\\..\\x",
                    "/api/v1/clerk/kiosks", "/console/\r\nSet-Cookie: x", None, ""):
        assert safe_next(hostile) == "/console/"
