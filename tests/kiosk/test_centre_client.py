"""The centre client against a real embedded centre, and its errors against a scripted one."""

from __future__ import annotations

import http.server
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from central.samples import sample_submission
from central.server import EmbeddedCentre, start_embedded
from central.wire import CaseState
from kiosk.centre_client import CentreClient
from kiosk.errors import (
    CentreConflict,
    CentreError,
    CentreRejected,
    CentreUnavailable,
    CentreUnreachable,
    KioskError,
)


@pytest.fixture
def centre(tmp_path: Path) -> Iterator[EmbeddedCentre]:
    running = start_embedded(f"sqlite:///{tmp_path / 'central.db'}")
    yield running
    running.stop()


def test_submit_and_look_up_a_case(centre: EmbeddedCentre) -> None:
    client = CentreClient(centre.base_url, centre.token)
    ack = client.submit(sample_submission(1))
    assert ack.case_number == "202611230010001" and ack.status is CaseState.RECEIVED
    assert client.submit(sample_submission(1)) == ack
    view = client.case_status("202611230010001")
    assert view.status is CaseState.RECEIVED


def test_a_changed_body_under_the_same_key_is_a_conflict(centre: EmbeddedCentre) -> None:
    client = CentreClient(centre.base_url, centre.token)
    client.submit(sample_submission(1))
    changed = sample_submission(1).model_copy(update={"item_id": "other"})
    with pytest.raises(CentreConflict) as caught:
        client.submit(changed)
    assert not caught.value.retryable


def test_a_wrong_token_is_rejected_for_good(centre: EmbeddedCentre) -> None:
    client = CentreClient(centre.base_url, "not-the-token-at-all")
    with pytest.raises(CentreRejected) as caught:
        client.submit(sample_submission(1))
    assert caught.value.status_code == 401 and not caught.value.retryable
    assert isinstance(caught.value, KioskError)


def test_an_unknown_case_is_rejected(centre: EmbeddedCentre) -> None:
    with pytest.raises(CentreRejected):
        CentreClient(centre.base_url, centre.token).case_status("202611230019999")


def test_nobody_listening_is_unreachable() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    client = CentreClient(f"http://127.0.0.1:{port}", "t" * 20, connect_timeout=1)
    with pytest.raises(CentreUnreachable) as caught:
        client.submit(sample_submission(1))
    assert caught.value.retryable
    assert "服务中心" in str(caught.value)


class Scripted(http.server.BaseHTTPRequestHandler):
    status = 503
    body = b'{"detail": "busy"}'
    delay = 0.0

    def do_POST(self) -> None:  # noqa: N802 - the http.server API
        self.rfile.read(int(self.headers["Content-Length"]))
        if self.delay:
            threading.Event().wait(self.delay)
        self.send_response(self.status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def scripted() -> Iterator[tuple[str, type[Scripted]]]:
    handler = type("Handler", (Scripted,), {})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", handler
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize(
    ("status", "body", "error"),
    [
        (500, b"{}", CentreUnavailable),
        (503, b"{}", CentreUnavailable),
        (429, b"{}", CentreUnavailable),
        (422, b'{"detail": []}', CentreRejected),
        (413, b"{}", CentreRejected),
        (409, b"{}", CentreConflict),
        (201, b"<html>proxy page</html>", CentreUnavailable),
        (200, b'{"case_number": "1"}', CentreUnavailable),
    ],
)
def test_answers_become_kiosk_errors(
    scripted: tuple[str, type[Scripted]], status: int, body: bytes, error: type[CentreError]
) -> None:
    url, handler = scripted
    handler.status, handler.body = status, body
    with pytest.raises(error):
        CentreClient(url, "t" * 20).submit(sample_submission(1))


def test_a_slow_answer_times_out_as_unreachable(scripted: tuple[str, type[Scripted]]) -> None:
    url, handler = scripted
    handler.delay = 2.0
    with pytest.raises(CentreUnreachable):
        CentreClient(url, "t" * 20, read_timeout=0.3).submit(sample_submission(1))
