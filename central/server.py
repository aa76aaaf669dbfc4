"""The centre's application factory, its command-line server, and an embedded centre.

- ``create_app(database_url, kiosk_tokens, ...)`` builds the FastAPI app (migrating first).
- ``serve(host, port, database_url)`` runs it under uvicorn: ``kiosk central``. Settings come
  from the environment: ``CENTRAL_KIOSK_TOKENS`` and ``CENTRAL_CLERK_TOKENS`` name JSON files
  (token -> ``{"terminal_id", "terminal_number"}`` or ``{"name", "role", "department",
  "sites"}``, see ``central.auth``). Without kiosk tokens the centre refuses to start (exit 2)
  unless told it is for development (``--dev`` or ``CENTRAL_DEV=1``): then it makes and
  prints a one-off token for any terminal. ``CENTRAL_CLAIM_MINUTES`` is how long a clerk's
  claim lasts (30 by default), ``CENTRAL_CATALOG_DIR`` a folder of
  ``<site id>.json`` catalogues, ``CENTRAL_QR_KEY_FILE`` the code-signing key (created when
  missing; without it codes are signed with a key that lasts as long as the process),
  ``CENTRAL_DATA_KEY_FILE`` the master key that wraps each case's data key (created when
  missing, mode 0600; without it ``central-data.key`` beside a SQLite database, or
  ``var/central-data.key`` for PostgreSQL: every process sharing a database needs the same),
  ``CENTRAL_HOLIDAYS_FILE`` the public holidays (and make-up working days) that follow-up
  deadlines skip (``central.work_calendar``; without it Monday to Friday all count),
  ``CENTRAL_COUNTER_HOURS_FILE`` the sites' counter hours for appointments
  (``central.counter_hours``), ``CENTRAL_RELEASE_KEYS`` the public keys that sign update
  bundles (base64, comma separated) and ``CENTRAL_RELEASE_DIR`` where uploaded bundles are kept (``central.releases``),
  ``CENTRAL_CONSOLE_KEY_FILE`` the key that signs the web console's sessions (the same rules;
  ``console-session.key`` beside the data key by default), ``CENTRAL_ALERT_WEBHOOK`` the URL
  fleet alerts are POSTed to (``central.notifiers``; without it they go to the log),
  ``CENTRAL_SMS_WEBHOOK`` the URL receipt SMSes go to (``central.sms_notifiers``: the SMS
  gateway's adapter; without it they are only logged, masked, and not sent).
  ``CENTRAL_PUBLIC_URL`` the centre's public address, which certificates' verification QR
  carries (``central.routes_certificates``; without it the address the kiosk called).
  Files it creates are private to its user (umask 077).
- Every log record passes through ``contract.redaction`` (installed by ``create_app``), and
  the database engine hides statement parameters: no names, ID numbers or phones in the log.
- ``start_embedded(database_url, terminal_id=..., terminal_number=...)`` runs the centre on
  127.0.0.1 in a daemon thread, on a free port, for development and tests, with one kiosk
  token for that terminal: the kiosk needs no setup.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import secrets
import socket
import sys
import threading
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import uvicorn
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from fastapi import FastAPI
from sqlalchemy import make_url

from central import (
    qr_issue,
    routes_appointments,
    routes_case_pages,
    routes_clerk,
    routes_face_checks,
    routes_fleet,
    routes_kiosk,
    routes_lookup,
)
from central.alerts import AlertWatch
from central.auth import (
    ANY_TERMINAL,
    Caller,
    Clerk,
    Role,
    TokenBook,
    TokenFileError,
    clerk_identities,
    kiosk_identities,
)
from central.catalog import load_catalogs
from central.certificate_records import CertificateSource, DemoRecords
from central.claims import DEFAULT_CLAIM_MINUTES
from central.console.mount import install_console
from central.counter_hours import CounterHours, CounterHoursError, counter_hours, load_counter_hours
from central.crypto import (
    KeyFileMasterKey,
    MasterKey,
    PayloadCipher,
    default_key_file,
    load_or_create_key_file,
)
from central.database_errors import install_database_error_handlers
from central.db import make_engine, migrate
from central.face_checks import ClerkEyeCheck, FaceVerifier
from central.fleet import BeatBuffer
from central.json_body import StrictJsonBody, install_error_handlers
from central.limits import DEFAULT_MAX_BODY_BYTES, BodyLimit
from central.lookup_limits import LookupLimits
from central.notifiers import LogNotifier, Notifier, notifier_from_env
from central.releases import RELEASE_MAX_BYTES, RELEASE_UPLOAD_PATH, RolloutBook
from central.remote_commands import OpenCommands
from central.routes_callbacks import install_callbacks
from central.routes_certificates import router as certificate_routes
from central.routes_receipt_sms import install_receipt_sms
from central.routes_status import install_status_lookup
from central.slow_clients import ClientLimits
from central.sms_notifiers import LogSmsNotifier, SmsNotifier, sms_notifier_from_env
from central.work_calendar import CalendarFileError, WorkCalendar, load_calendar
from contract.captured_pages import PAGE_MAX_BODY_BYTES, PAGES_PATH
from contract.face_checks import FACE_CHECK_MAX_BODY_BYTES, FACE_CHECKS_PATH
from contract.fleet import UPLOAD_MAX_BYTES, UPLOADS_PATH
from contract.redaction import install_log_redaction
from contract.wire import API_PREFIX

TITLE = "Government kiosk centre"
CONSOLE_KEY_FILE_NAME = "console-session.key"


def create_app(
    database_url: str,
    kiosk_tokens: Mapping[str, object],
    *,
    clerk_tokens: Mapping[str, object] | None = None,
    claim_minutes: float = DEFAULT_CLAIM_MINUTES,
    catalog: Mapping[str, Any] | Path | None = None,
    qr_key: Ed25519PrivateKey | None = None,
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
    migrate_database: bool = True,
    master_key: MasterKey | None = None,
    lookup_limits: LookupLimits | None = None,
    work_calendar: WorkCalendar | None = None,
    notifier: Notifier | None = None,
    alert_every_s: float = 15.0,
    console_key: bytes | None = None,
    release_keys: Sequence[Ed25519PublicKey] = (),
    release_dir: Path | None = None,
    certificate_source: CertificateSource | None = None,
    public_url: str | None = None,
    counter_hours: CounterHours | None = None,
    face_verifier: FaceVerifier | None = None,
    sms_notifier: SmsNotifier | None = None,
) -> FastAPI:
    """Build the centre's app on ``database_url``; tokens map to terminals / clerks
    (``central.auth.kiosk_identities``, ``clerk_identities``: a ``TokenFileError`` if not);
    ``master_key`` wraps the cases' data keys (by default a key file, see ``default_master_key``);
    ``console_key`` signs the console's session cookies (by default ``console-session.key``
    beside the data key file: every process serving the console needs the same);
    ``release_keys`` verify uploaded update bundles, kept in ``release_dir`` (by default
    ``releases/`` beside the data key file; ``central.releases``); ``counter_hours`` the
    sites' counter hours for appointments (``central.counter_hours``; none: no slots);
    ``face_verifier`` decides face checks (``central.face_checks``; by default a clerk looks);
    ``sms_notifier`` sends receipts by SMS (``central.receipt_sms``; by default only logged)."""
    install_log_redaction()
    kiosks = kiosk_identities(kiosk_tokens)
    clerks = clerk_identities(clerk_tokens or {})
    cipher = PayloadCipher(master_key or default_master_key(database_url))
    engine = make_engine(database_url)
    if migrate_database:
        migrate(engine)
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        shut_down(app)

    app = FastAPI(
        lifespan=lifespan,
        title=TITLE, version="1", openapi_url="/openapi.json", docs_url=None, redoc_url=None,
        responses={400: {"description": "the body cannot be read (not UTF-8 or JSON)"},
                   413: {"description": f"the body is larger than {max_body_bytes} bytes"}},
    )
    app.state.engine = engine
    app.state.cipher = cipher
    app.state.face_verifier = face_verifier or ClerkEyeCheck()
    app.state.kiosk_tokens = TokenBook(kiosks, realm="kiosk")
    app.state.clerk_tokens = TokenBook(clerks, realm="clerk")
    app.state.clerks_by_name = {clerk.name: clerk for clerk in clerks.values()}
    app.state.claim_minutes = claim_minutes
    # Working days for the deadlines of low ratings' follow-ups (holidays: CENTRAL_HOLIDAYS_FILE).
    app.state.work_calendar = work_calendar or WorkCalendar()
    app.state.counter_hours = counter_hours or CounterHours()  # appointments' slots, per site
    app.state.beats = BeatBuffer(engine)
    app.state.beats.start()
    app.state.open_commands = OpenCommands(engine)  # which kiosks a beat must answer with commands
    app.state.open_commands.start()
    app.state.alerts = AlertWatch(engine, notifier or LogNotifier(), every_s=alert_every_s)
    app.state.alerts.start()
    app.state.catalogs = load_catalogs(catalog)
    app.state.release_keys = list(release_keys)
    app.state.release_dir = release_dir or _default_key_path(database_url).with_name("releases")
    app.state.rollouts = RolloutBook(engine)  # which kiosks a beat must offer an update
    app.state.rollouts.start()
    # Without a configured key, codes are signed with a key that lives as long as the app.
    app.state.qr_key = qr_key or Ed25519PrivateKey.generate()
    app.add_middleware(StrictJsonBody)  # inside BodyLimit: reads only bounded bodies
    app.add_middleware(BodyLimit, max_bytes=max_body_bytes,
                       larger={f"{API_PREFIX}{UPLOADS_PATH}/": UPLOAD_MAX_BYTES,
                               RELEASE_UPLOAD_PATH: RELEASE_MAX_BYTES + 64 * 1024,
                               f"{API_PREFIX}{FACE_CHECKS_PATH}/": FACE_CHECK_MAX_BODY_BYTES,
                               f"{API_PREFIX}/cases/*{PAGES_PATH}/": PAGE_MAX_BODY_BYTES})
    install_error_handlers(app)  # 422s name fields, never echo values
    install_database_error_handlers(app)  # a database restart is a 503 pause, not a 500
    app.state.lookup_limits = lookup_limits or LookupLimits()  # per process: see SCALING.md
    app.state.verify_limits = LookupLimits()  # certificate verification: per code, per address
    # Certificates' facts: the departments' systems; DemoRecords (sample data, marked so) else.
    app.state.certificate_source = certificate_source or DemoRecords()
    app.state.public_url = public_url  # printed in certificates' QR (CENTRAL_PUBLIC_URL)
    app.include_router(routes_kiosk.router)
    app.include_router(routes_appointments.router)  # counter appointments (预约取号)
    install_callbacks(app)  # 回电: help outside staffed hours; done requests purged after retention
    install_receipt_sms(app, sms_notifier or LogSmsNotifier())  # 短信回执: receipts a kiosk could not print
    app.include_router(routes_fleet.router)  # the kiosk's audit log and uploads
    app.include_router(routes_lookup.router)  # anonymous: the receipt's token is the credential
    install_status_lookup(app, _default_key_path(database_url).parent)  # 办件查询 by number or card
    app.include_router(certificate_routes)  # 即时打印: kiosks get certificates; /verify is public
    app.include_router(routes_clerk.router)
    app.include_router(routes_face_checks.router)  # 人证比对: the kiosk's capture and the card photo
    app.include_router(routes_case_pages.router)  # 高拍仪: a case's pages, after the case
    install_console(app, console_key or load_or_create_key_file(default_console_key_file(database_url)))
    return app


def shut_down(app: FastAPI) -> None:
    """Write buffered heartbeats and close the database pool (idempotent)."""
    app.state.alerts.stop()
    app.state.callback_purge.stop()
    app.state.receipt_sms.stop()
    app.state.rollouts.stop()
    app.state.open_commands.stop()
    app.state.beats.stop()
    app.state.engine.dispose()


def default_master_key(database_url: str) -> KeyFileMasterKey:
    """The key file beside a SQLite database, or ``var/central-data.key`` for a server database."""
    return KeyFileMasterKey(_default_key_path(database_url))


def default_console_key_file(database_url: str) -> Path:
    """Where the console's session key lives when none is configured: beside the data key."""
    return _default_key_path(database_url).with_name(CONSOLE_KEY_FILE_NAME)


def _default_key_path(database_url: str) -> Path:
    url = make_url(database_url)
    return default_key_file(url.database if url.get_backend_name() == "sqlite" else None)


def _refuse_start(message: str) -> SystemExit:
    """Say why the centre will not start; the caller raises the answer (exit status 2)."""
    print(f"central: {message}", file=sys.stderr)
    return SystemExit(2)


def _tokens_from_env(variable: str, read: Any) -> dict[str, Any] | None:
    """Read the token file ``variable`` names with ``read`` (``kiosk_identities`` or
    ``clerk_identities``); refuse to start on an unreadable file or entry."""
    path = os.environ.get(variable)
    if not path:
        return None
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise _refuse_start(f"{variable}={path}: cannot read it: {err}") from err
    if not isinstance(data, dict):
        raise _refuse_start(f"{variable}={path}: expected a JSON object of token -> identity")
    try:
        found: dict[str, Any] = read(data, source=f"{variable}={path}")
    except TokenFileError as err:
        raise _refuse_start(str(err)) from err
    return found


def _release_keys_from_env() -> list[Ed25519PublicKey]:
    """``CENTRAL_RELEASE_KEYS``: the release keys' public halves, base64 (32 bytes each),
    separated by commas or spaces; none: every upload is refused."""
    value = os.environ.get("CENTRAL_RELEASE_KEYS", "")
    keys = []
    for text in value.replace(",", " ").split():
        try:
            keys.append(Ed25519PublicKey.from_public_bytes(base64.b64decode(text, validate=True)))
        except (binascii.Error, ValueError) as err:
            raise _refuse_start(f"CENTRAL_RELEASE_KEYS: {text[:12]}… is not a base64 Ed25519 public key") from err
    if not keys:
        print("central: no CENTRAL_RELEASE_KEYS; update bundles cannot be uploaded", file=sys.stderr)
    return keys


def _claim_minutes_from_env() -> float:
    value = os.environ.get("CENTRAL_CLAIM_MINUTES", "")
    if not value:
        return DEFAULT_CLAIM_MINUTES
    try:
        minutes = float(value)
    except ValueError:
        minutes = 0.0
    if not 0 < minutes <= 7 * 24 * 60:
        raise _refuse_start(f"CENTRAL_CLAIM_MINUTES={value!r}: expected minutes, "
                           "more than 0 and at most a week")
    return minutes


def _calendar_from_env() -> WorkCalendar:
    """Monday to Friday, less the holidays in ``CENTRAL_HOLIDAYS_FILE`` (``central.work_calendar``)."""
    path = os.environ.get("CENTRAL_HOLIDAYS_FILE")
    if not path:
        print("central: no CENTRAL_HOLIDAYS_FILE; follow-up deadlines count Monday to Friday "
              "with no public holidays", file=sys.stderr)
        return WorkCalendar()
    try:
        return load_calendar(Path(path))
    except CalendarFileError as err:
        raise _refuse_start(f"CENTRAL_HOLIDAYS_FILE={path}: {err}") from err


def _counter_hours_from_env() -> CounterHours:
    """``CENTRAL_COUNTER_HOURS_FILE``: each site's counter hours (``central.counter_hours``)."""
    path = os.environ.get("CENTRAL_COUNTER_HOURS_FILE")
    if not path:
        print("central: no CENTRAL_COUNTER_HOURS_FILE; kiosks are offered no counter appointments",
              file=sys.stderr)
        return CounterHours()
    try:
        return load_counter_hours(Path(path))
    except CounterHoursError as err:
        raise _refuse_start(f"CENTRAL_COUNTER_HOURS_FILE={path}: {err}") from err


def serve(host: str, port: int, database_url: str, limits: ClientLimits | None = None,
          *, dev: bool = False) -> None:
    """Migrate the database and serve the centre until interrupted; ``limits`` bound
    slow clients and connections (``central.slow_clients``). Without kiosk tokens only a
    development centre (``dev`` or ``CENTRAL_DEV=1``) starts, with a token for any terminal."""
    os.umask(0o077)  # every file the centre makes (database, WAL, keys) is its user's alone
    install_log_redaction()
    dev = dev or os.environ.get("CENTRAL_DEV") == "1"
    kiosk_tokens = _tokens_from_env("CENTRAL_KIOSK_TOKENS", kiosk_identities)
    clerk_tokens = _tokens_from_env("CENTRAL_CLERK_TOKENS", clerk_identities)
    claim_minutes = _claim_minutes_from_env()
    if kiosk_tokens is None and not dev:
        raise _refuse_start(
            "no CENTRAL_KIOSK_TOKENS: name a JSON file of token -> {\"terminal_id\": ..., "
            "\"terminal_number\": ...}, or pass --dev (CENTRAL_DEV=1) for a development "
            "centre that accepts a one-off token for any terminal")
    if kiosk_tokens is None:
        token = secrets.token_urlsafe(24)
        kiosk_tokens = {token: ANY_TERMINAL}
        print(f"central: no CENTRAL_KIOSK_TOKENS; development kiosk token: {token}",
              file=sys.stderr)
    if clerk_tokens is None:
        print("central: no CENTRAL_CLERK_TOKENS; the clerk API accepts no one", file=sys.stderr)
    catalog_dir = os.environ.get("CENTRAL_CATALOG_DIR")
    qr_key_file = os.environ.get("CENTRAL_QR_KEY_FILE")
    data_key_file = os.environ.get("CENTRAL_DATA_KEY_FILE")
    work_calendar = _calendar_from_env()
    master_key = KeyFileMasterKey(Path(data_key_file)) if data_key_file else None
    console_key_file = os.environ.get("CENTRAL_CONSOLE_KEY_FILE")
    try:
        notifier = notifier_from_env()
    except ValueError as err:
        raise _refuse_start(str(err)) from err
    if isinstance(notifier, LogNotifier):
        print("central: no CENTRAL_ALERT_WEBHOOK; fleet alerts go to the log", file=sys.stderr)
    try:
        sms_notifier = sms_notifier_from_env()
    except ValueError as err:
        raise _refuse_start(str(err)) from err
    if isinstance(sms_notifier, LogSmsNotifier):
        print("central: no CENTRAL_SMS_WEBHOOK; receipt SMSes are logged (masked), not sent", file=sys.stderr)
    if master_key is None:
        print(f"central: no CENTRAL_DATA_KEY_FILE; cases are encrypted under "
              f"{default_master_key(database_url).path}", file=sys.stderr)
    app = create_app(
        database_url, kiosk_tokens, clerk_tokens=clerk_tokens, claim_minutes=claim_minutes,
        catalog=Path(catalog_dir) if catalog_dir else None,
        qr_key=qr_issue.load_or_create_signing_key(Path(qr_key_file)) if qr_key_file else None,
        master_key=master_key, work_calendar=work_calendar, counter_hours=_counter_hours_from_env(),
        console_key=load_or_create_key_file(Path(console_key_file)) if console_key_file else None,
        notifier=notifier, sms_notifier=sms_notifier, release_keys=_release_keys_from_env(),
        public_url=os.environ.get("CENTRAL_PUBLIC_URL") or None,
        release_dir=Path(release_dir) if (release_dir := os.environ.get("CENTRAL_RELEASE_DIR")) else None,
    )
    uvicorn.run(app, host=host, port=port, log_level="info", proxy_headers=False,
                **(limits or ClientLimits()).uvicorn_options())


@dataclass
class ServerThread:
    """An app served by uvicorn on 127.0.0.1 in a daemon thread."""

    base_url: str
    app: FastAPI
    _server: uvicorn.Server = field(repr=False)
    _thread: threading.Thread = field(repr=False)

    def stop(self, timeout: float = 10.0) -> None:
        """Stop serving, wait for the thread to end, and close the app's database pool."""
        self._server.should_exit = True
        self._thread.join(timeout)
        shut_down(self.app)


def serve_in_thread(app: FastAPI, port: int = 0, *, certfile: Path | None = None,
                    keyfile: Path | None = None, limits: ClientLimits | None = None
                    ) -> ServerThread:
    """Serve ``app`` on 127.0.0.1 (a free port unless given) in a daemon thread, over TLS when
    given a certificate and key, with ``limits`` on slow clients; return when it accepts
    connections."""
    # IPPROTO_TCP named explicitly: asyncio sets TCP_NODELAY on accepted connections only
    # when the listening socket says it is TCP; without it every answer waits ~40 ms for a
    # delayed ACK (Nagle).
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", port))
    bound = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(
        app, log_level="warning", access_log=False, lifespan="off",
        timeout_graceful_shutdown=5, ssl_certfile=str(certfile) if certfile else None,
        ssl_keyfile=str(keyfile) if keyfile else None,
        **(limits or ClientLimits()).uvicorn_options(),
    ))
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [sock]}, name="centre-server", daemon=True
    )
    thread.start()
    while not server.started:
        if not thread.is_alive():
            sock.close()
            raise RuntimeError("the centre's server failed to start")
        thread.join(0.01)
    scheme = "https" if certfile else "http"
    return ServerThread(f"{scheme}://127.0.0.1:{bound}", app, server, thread)


@dataclass
class EmbeddedCentre:
    """A centre running in this process: its URL, a kiosk token and a clerk token it accepts."""

    base_url: str
    token: str
    clerk_token: str
    app: FastAPI
    _running: ServerThread = field(repr=False)

    def stop(self, timeout: float = 10.0) -> None:
        """Stop serving and wait for the server thread to end."""
        self._running.stop(timeout)


def start_embedded(database_url: str, *, terminal_id: str, terminal_number: int, site_id: str | None = None,
                   counter: Mapping[str, Any] | None = None, **app_options: Any) -> EmbeddedCentre:
    """Start the centre on 127.0.0.1 on a free port in a daemon thread; return when it serves.

    Its kiosk token is for terminal ``terminal_id`` with ``terminal_number`` alone; its clerk
    token is a supervisor's (every department)."""
    token = secrets.token_urlsafe(24)
    clerk_token = secrets.token_urlsafe(24)
    if counter is not None and site_id is not None:  # the site's counter, for appointments
        app_options["counter_hours"] = counter_hours({"sites": {site_id: counter}})
    app = create_app(database_url, {token: Caller(terminal_id, terminal_number, site_id)},
                     clerk_tokens={clerk_token: Clerk("clerk", Role.SUPERVISOR)},
                     **app_options)
    running = serve_in_thread(app)
    return EmbeddedCentre(running.base_url, token, clerk_token, app, running)
