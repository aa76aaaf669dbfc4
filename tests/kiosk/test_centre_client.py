"""The centre client against a real embedded centre, and its errors against a scripted one."""

from __future__ import annotations

import http.server
import ipaddress
import socket
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from central.samples import sample_submission
from central.server import EmbeddedCentre, create_app, serve_in_thread, start_embedded
from contract import qr_codes
from contract.wire import (
    CaseState,
    Heartbeat,
    PaperLevel,
    QrCodeKind,
    QrCodeRequest,
    Rating,
    RatingLevel,
)
from kiosk.delivery.centre_client import CentreClient
from kiosk.errors import (
    CentreConflict,
    CentreError,
    CentreRejected,
    CentreUnavailable,
    CentreUnreachable,
    KioskError,
)
from tests.support import wait_for


@pytest.fixture
def centre(tmp_path: Path) -> Iterator[EmbeddedCentre]:
    running = start_embedded(f"sqlite:///{tmp_path / 'central.db'}", terminal_id="T001",
                             terminal_number=1)
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


def test_heartbeat_rating_catalogue_and_codes(tmp_path: Path) -> None:
    centre = start_embedded(f"sqlite:///{tmp_path / 'c.db'}", terminal_id="T001", terminal_number=1,
                            catalog={"demo-site": {"version": "3", "items": []}})
    try:
        client = CentreClient(centre.base_url, centre.token)
        ack = client.heartbeat(Heartbeat(
            terminal_id="T001", site_id="demo-site", sent_at=datetime.now(UTC),
            software_version="0.1.0", paper=PaperLevel.LOW, outbox_depth=2))
        assert ack.catalog_version == "3"
        client.submit(sample_submission(1))
        rated = client.rate("202611230010001", Rating(level=RatingLevel.SATISFIED))
        assert client.rate("202611230010001", Rating(level=RatingLevel.SATISFIED)) == rated
        with pytest.raises(CentreConflict):
            client.rate("202611230010001", Rating(level=RatingLevel.DISSATISFIED))
        fetched = client.catalog("demo-site")
        assert fetched.document is not None and fetched.document.version == "3"
        assert client.catalog("demo-site", etag=fetched.etag).document is None
        with pytest.raises(CentreRejected):
            client.catalog("no-such-site")
        issued = client.issue_qr_code(QrCodeRequest(kind=QrCodeKind.APPOINTMENT, data={"n": "张*丰"}))
        keys = [qr_codes.load_public_key(k) for k in client.qr_keys().keys]
        trust = qr_codes.CodeTrust.for_kiosk(qr_codes.KIOSK_AUDIENCE, centre_keys=keys, identity_keys=[])
        assert qr_codes.verify_code(issued.code, trust).data == {"n": "张*丰"}
        with pytest.raises(CentreRejected) as refused:  # login codes: the identity authority's alone
            client.issue_qr_code(QrCodeRequest(kind=QrCodeKind.LOGIN, data={"n": "张*丰"}))
        assert refused.value.status_code == 403
    finally:
        centre.stop()


def test_one_client_serves_several_threads(centre: EmbeddedCentre) -> None:
    client = CentreClient(centre.base_url, centre.token)
    with ThreadPoolExecutor(4) as pool:
        acks = list(pool.map(client.submit, [sample_submission(n) for n in range(1, 21)]))
    assert len({ack.case_number for ack in acks}) == 20
    client.close()


def _self_signed(folder: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name)
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=1)).not_valid_after(now + timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address(
            "127.0.0.1"))]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    certfile, keyfile = folder / "centre.pem", folder / "centre.key"
    certfile.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    keyfile.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                          serialization.PrivateFormat.PKCS8,
                                          serialization.NoEncryption()))
    return certfile, keyfile


def test_tls_is_verified(tmp_path: Path) -> None:
    certfile, keyfile = _self_signed(tmp_path)
    token = "tls-test-token-0123456789"
    app = create_app(f"sqlite:///{tmp_path / 'c.db'}", {token: "*"})
    running = serve_in_thread(app, certfile=certfile, keyfile=keyfile)
    try:
        assert running.base_url.startswith("https://")
        with pytest.raises(CentreUnreachable) as caught:  # an unknown CA: refused
            CentreClient(running.base_url, token).submit(sample_submission(1))
        assert "TLS" in caught.value.detail
        trusting = CentreClient(running.base_url, token, verify=str(certfile))
        assert trusting.submit(sample_submission(1)).case_number == "202611230010001"
        trusting.close()
    finally:
        running.stop()


def _connections_to(port: int) -> int:
    """Established TCP connections on this machine whose far end is 127.0.0.1:``port``."""
    count = 0
    with open("/proc/net/tcp") as table:
        for row in table.readlines()[1:]:
            fields = row.split()
            if fields[2].endswith(f":{port:04X}") and fields[3] == "01":
                count += 1
    return count


def test_a_worker_thread_takes_its_connection_with_it(centre: EmbeddedCentre) -> None:
    """Slot fetches, bookings and lookups each run on a thread of their own: when one ends,
    its session and socket go too, or a kiosk leaks a descriptor per resident (the soak's find)."""
    client = CentreClient(centre.base_url, centre.token)
    port = int(centre.base_url.rsplit(":", 1)[1])
    for _ in range(20):
        worker = threading.Thread(target=client.last_case_number, args=("20261123",))
        worker.start()
        worker.join()
    wait_for(lambda: _connections_to(port) == 0, 5)
    client.last_case_number("20261123")  # a long-lived thread keeps its one connection
    assert _connections_to(port) == 1
    client.close()
