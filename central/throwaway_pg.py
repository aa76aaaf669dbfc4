"""A throwaway PostgreSQL cluster on loopback, for tests, benchmarks and trying the centre out.

``with ThrowawayCluster.start() as pg: url = pg.create_database("t1")`` runs ``initdb`` and
``postgres`` from the system's PostgreSQL (``/usr/lib/postgresql/<version>/bin`` on Debian, or
whatever ``pg_config --bindir`` names) in a fresh temporary folder, listening only on
127.0.0.1 on a free port, with durability switched off unless asked for. PostgreSQL refuses
to run as root, so as root ``initdb`` and ``postgres`` run as the ``postgres`` system user
(the child process drops to it before exec, like ``runuser`` would, with no process between).
``find_binaries()`` returns None when no PostgreSQL is installed; ``start`` raises
``ClusterUnavailable`` with the reason when it cannot start one.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

SERVICE_USER = "postgres"


class ClusterUnavailable(RuntimeError):
    """No PostgreSQL cluster can be started here; the message says why."""


def find_binaries() -> Path | None:
    """Return the folder holding ``initdb`` and ``postgres``, newest version first."""
    candidates = sorted(
        glob.glob("/usr/lib/postgresql/*/bin"),
        key=lambda p: int(Path(p).parent.name) if Path(p).parent.name.isdigit() else 0,
        reverse=True,
    )
    pg_config = shutil.which("pg_config")
    if pg_config:
        try:
            candidates.append(
                subprocess.run([pg_config, "--bindir"], capture_output=True, text=True,
                               check=True, timeout=10).stdout.strip()
            )
        except (OSError, subprocess.SubprocessError):
            pass
    initdb = shutil.which("initdb")
    if initdb:
        candidates.append(str(Path(initdb).parent))
    for folder in candidates:
        if (Path(folder) / "initdb").is_file() and (Path(folder) / "postgres").is_file():
            return Path(folder)
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class ThrowawayCluster:
    """A running cluster; ``stop()`` (or leaving the ``with``) ends it and deletes its files."""

    port: int
    folder: Path
    process: subprocess.Popen[bytes]
    user: str = "postgres"
    _databases: list[str] = field(default_factory=list)
    _command: list[str] = field(default_factory=list)  # how the server was started, for restart()
    _run_as: dict[str, object] = field(default_factory=dict)

    @classmethod
    def start(cls, timeout: float = 60.0, *, durable: bool = False) -> ThrowawayCluster:
        """Create and start a cluster, or raise ``ClusterUnavailable``.

        ``durable=False`` (tests) switches fsync off; benchmarks ask for ``durable=True``,
        PostgreSQL's production defaults, to compare fairly with SQLite's ``synchronous=FULL``.
        Tries three times, in case another process takes the free port first.
        """
        for attempt in range(3):
            try:
                return cls._start_once(timeout, durable)
            except ClusterUnavailable:
                if attempt == 2 or find_binaries() is None:
                    raise
        raise AssertionError("unreachable")  # pragma: no cover

    @classmethod
    def _start_once(cls, timeout: float, durable: bool) -> ThrowawayCluster:
        durability = [] if durable else [
            "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"]
        binaries = find_binaries()
        if binaries is None:
            raise ClusterUnavailable("PostgreSQL is not installed (no initdb/postgres found)")
        as_user: dict[str, object] = {}
        # As root, under /tmp itself: a TMPDIR below /root would be closed to the postgres user.
        base = "/tmp" if os.geteuid() == 0 and os.path.isdir("/tmp") else None
        folder = Path(tempfile.mkdtemp(prefix="kiosk-pg-", dir=base))
        if os.geteuid() == 0:
            try:
                account = pwd.getpwnam(SERVICE_USER)
            except KeyError as err:
                shutil.rmtree(folder, ignore_errors=True)
                raise ClusterUnavailable(f"running as root and there is no "
                                         f"{SERVICE_USER!r} user to run PostgreSQL") from err
            as_user = {"user": account.pw_uid, "group": account.pw_gid, "extra_groups": [],
                       "env": {"PATH": os.environ.get("PATH", "/usr/bin:/bin"),
                               "HOME": str(folder), "LC_ALL": "C"}}
            os.chown(folder, account.pw_uid, account.pw_gid)
        data = folder / "data"
        port = _free_port()
        try:
            init = subprocess.run(
                [str(binaries / "initdb"), "-D", str(data), "-U", "postgres",
                 "-A", "trust", "-E", "UTF8", "--no-sync", "--locale=C"],
                capture_output=True, text=True, timeout=timeout, cwd=folder,
                **as_user,  # type: ignore[call-overload]
            )
            if init.returncode != 0:
                raise ClusterUnavailable(f"initdb failed: {init.stderr.strip()[-500:]}")
            log = open(folder / "server.log", "wb")  # noqa: SIM115 - closed by stop()
            command = [str(binaries / "postgres"), "-D", str(data), "-p", str(port),
                       "-k", str(folder), "-c", "listen_addresses=127.0.0.1", *durability,
                       "-c", "max_connections=300", "-c", "shared_buffers=128MB"]
            process = subprocess.Popen(
                command,
                stdout=subprocess.DEVNULL, stderr=log, cwd=folder,
                **as_user,  # type: ignore[call-overload]
            )
            log.close()  # the server holds its own copy of the descriptor
        except (OSError, subprocess.SubprocessError) as err:
            shutil.rmtree(folder, ignore_errors=True)
            raise ClusterUnavailable(f"could not run PostgreSQL: {err}") from err
        except ClusterUnavailable:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        cluster = cls(port, folder, process, _command=command, _run_as=as_user)
        cluster._wait_ready(timeout)
        return cluster

    def restart(self, down_for: float = 1.0, *, crash: bool = False, timeout: float = 60.0) -> None:
        """Stop the server, stay down ``down_for`` seconds, and start it again (same data, same port)."""
        self.stop_server(crash=crash)
        time.sleep(down_for)
        self.start_server(timeout)

    def stop_server(self, *, crash: bool = False) -> None:
        """Stop the server but keep its files: a fast shutdown, or SIGKILL when ``crash``."""
        self.process.send_signal(signal.SIGKILL if crash else signal.SIGINT)
        self.process.wait(30)

    def start_server(self, timeout: float = 60.0) -> None:
        """Start the server again on the same data and port after ``stop_server``."""
        log = open(self.folder / "server.log", "ab")  # noqa: SIM115 - the server keeps its own copy
        self.process = subprocess.Popen(
            self._command, stdout=subprocess.DEVNULL, stderr=log, cwd=self.folder,
            **self._run_as,  # type: ignore[call-overload]
        )
        log.close()
        self._wait_ready(timeout)

    def _wait_ready(self, timeout: float) -> None:
        import psycopg

        deadline = time.monotonic() + timeout
        while True:
            if self.process.poll() is not None:
                log = (self.folder / "server.log").read_text(errors="replace")[-500:]
                self.stop()
                raise ClusterUnavailable(f"postgres exited at start: {log}")
            try:
                psycopg.connect(self._dsn("postgres"), connect_timeout=2).close()
                return
            except psycopg.OperationalError:
                if time.monotonic() > deadline:
                    self.stop()
                    raise ClusterUnavailable("postgres did not accept connections") from None
                time.sleep(0.1)

    def _dsn(self, database: str) -> str:
        return f"postgresql://{self.user}@127.0.0.1:{self.port}/{database}"

    def url(self, database: str) -> str:
        """The SQLAlchemy URL of ``database`` on this cluster."""
        return f"postgresql+psycopg://{self.user}@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        """Create an empty database and return its SQLAlchemy URL."""
        import psycopg

        with psycopg.connect(self._dsn("postgres"), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        self._databases.append(name)
        return self.url(name)

    def stop(self) -> None:
        """Stop the server (fast shutdown) and delete the cluster's folder."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)  # "fast" shutdown: clients are cut off
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
        shutil.rmtree(self.folder, ignore_errors=True)

    def __enter__(self) -> ThrowawayCluster:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()
