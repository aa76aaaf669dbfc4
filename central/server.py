"""The centre's application factory, its command-line server, and an embedded centre.

- ``create_app(database_url, kiosk_tokens, ...)`` builds the FastAPI app (migrating first).
- ``serve(host, port, database_url)`` runs it under uvicorn: ``kiosk central``. Settings come
  from the environment: ``CENTRAL_KIOSK_TOKENS`` and ``CENTRAL_CLERK_TOKENS`` name JSON files
  (each a mapping of token to terminal id or clerk name; without kiosk tokens a one-off
  development token is made and printed), ``CENTRAL_CATALOG_DIR`` a folder of
  ``<site id>.json`` catalogues, ``CENTRAL_QR_KEY_FILE`` the code-signing key (created when
  missing; without it codes are signed with a key that lasts as long as the process),
  ``CENTRAL_DATA_KEY_FILE`` the master key that wraps each case's data key (created when
  missing, mode 0600; without it ``central-data.key`` beside a SQLite database, or
  ``var/central-data.key`` for PostgreSQL: every process sharing a database needs the same).
  Files it creates are private to its user (umask 077).
- Every log record passes through ``contract.redaction`` (installed by ``create_app``), and
  the database engine hides statement parameters: no names, ID numbers or phones in the log.
- ``start_embedded(database_url)`` runs the centre on 127.0.0.1 in a daemon thread, on a free
  port, for development and tests: the kiosk needs no setup.
"""

from __future__ import annotations

import json
import os
import secrets
import socket
import sys
import threading
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import uvicorn
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fastapi import FastAPI
from sqlalchemy import make_url

from central import qr_issue, routes_clerk, routes_kiosk, routes_lookup
from central.auth import ANY_TERMINAL, TokenBook
from central.catalog import load_catalogs
from central.crypto import KeyFileMasterKey, MasterKey, PayloadCipher, default_key_file
from central.db import make_engine, migrate
from central.fleet import BeatBuffer
from central.json_body import StrictJsonBody, install_error_handlers
from central.limits import DEFAULT_MAX_BODY_BYTES, BodyLimit
from central.lookup_limits import LookupLimits
from central.slow_clients import ClientLimits
from contract.redaction import install_log_redaction

TITLE = "Government kiosk centre"


def create_app(
    database_url: str,
    kiosk_tokens: Mapping[str, str],
    *,
    clerk_tokens: Mapping[str, str] | None = None,
    catalog: Mapping[str, Any] | Path | None = None,
    qr_key: Ed25519PrivateKey | None = None,
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
    migrate_database: bool = True,
    master_key: MasterKey | None = None,
    lookup_limits: LookupLimits | None = None,
) -> FastAPI:
    """Build the centre's app on ``database_url``; tokens map to terminal ids / clerk names;
    ``master_key`` wraps the cases' data keys (by default a key file, see ``default_master_key``)."""
    install_log_redaction()
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
    app.state.kiosk_tokens = TokenBook(kiosk_tokens, realm="kiosk")
    app.state.clerk_tokens = TokenBook(clerk_tokens or {}, realm="clerk")
    app.state.beats = BeatBuffer(engine)
    app.state.beats.start()
    app.state.catalogs = load_catalogs(catalog)
    # Without a configured key, codes are signed with a key that lives as long as the app.
    app.state.qr_key = qr_key or Ed25519PrivateKey.generate()
    app.add_middleware(StrictJsonBody)  # inside BodyLimit: reads only bounded bodies
    app.add_middleware(BodyLimit, max_bytes=max_body_bytes)
    install_error_handlers(app)  # 422s name fields, never echo values
    app.state.lookup_limits = lookup_limits or LookupLimits()  # per process: see SCALING.md
    app.include_router(routes_kiosk.router)
    app.include_router(routes_lookup.router)  # anonymous: the receipt's token is the credential
    app.include_router(routes_clerk.router)
    return app


def shut_down(app: FastAPI) -> None:
    """Write buffered heartbeats and close the database pool (idempotent)."""
    app.state.beats.stop()
    app.state.engine.dispose()


def default_master_key(database_url: str) -> KeyFileMasterKey:
    """The key file beside a SQLite database, or ``var/central-data.key`` for a server database."""
    url = make_url(database_url)
    sqlite_file = url.database if url.get_backend_name() == "sqlite" else None
    return KeyFileMasterKey(default_key_file(sqlite_file))


def _tokens_from_env(variable: str) -> dict[str, str] | None:
    path = os.environ.get(variable)
    if not path:
        return None
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in data.items()
    ):
        raise SystemExit(f"{variable}={path}: expected a JSON object of token -> name")
    return data


def serve(host: str, port: int, database_url: str, limits: ClientLimits | None = None
          ) -> None:
    """Migrate the database and serve the centre until interrupted; ``limits`` bound
    slow clients and connections (``central.slow_clients``)."""
    os.umask(0o077)  # every file the centre makes (database, WAL, keys) is its user's alone
    install_log_redaction()
    kiosk_tokens = _tokens_from_env("CENTRAL_KIOSK_TOKENS")
    clerk_tokens = _tokens_from_env("CENTRAL_CLERK_TOKENS")
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
    master_key = KeyFileMasterKey(Path(data_key_file)) if data_key_file else None
    if master_key is None:
        print(f"central: no CENTRAL_DATA_KEY_FILE; cases are encrypted under "
              f"{default_master_key(database_url).path}", file=sys.stderr)
    app = create_app(
        database_url, kiosk_tokens, clerk_tokens=clerk_tokens,
        catalog=Path(catalog_dir) if catalog_dir else None,
        qr_key=qr_issue.load_or_create_signing_key(Path(qr_key_file)) if qr_key_file else None,
        master_key=master_key,
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


def start_embedded(database_url: str, **app_options: Any) -> EmbeddedCentre:
    """Start the centre on 127.0.0.1 on a free port in a daemon thread; return when it serves."""
    token = secrets.token_urlsafe(24)
    clerk_token = secrets.token_urlsafe(24)
    app = create_app(database_url, {token: ANY_TERMINAL},
                     clerk_tokens={clerk_token: "clerk"}, **app_options)
    running = serve_in_thread(app)
    return EmbeddedCentre(running.base_url, token, clerk_token, app, running)
