"""A private CUPS for tests: its own cupsd on a free loopback port, every file in a temporary
folder, nothing read from or written to /etc/cups or the system's spool, stopped at the end.

Queues print to a ``file:`` device (``FileDevice Yes``) through a small A4 PPD whose only
filter is ``pdftopdf``, so the output file is the PDF the printer would get. cups-pdf is not
used: its backend reads its settings (and the folder it writes to) from /etc/cups alone, so
its output cannot be kept private to a test. The scheduler opens a ``file:`` device without
creating it: ``add_queue`` makes the (empty) file first.

It listens on a loopback port and on its own Unix socket (the driver's way to the local CUPS,
``PeerCred``); like CUPS's default policy, its own requires a job's owner to cancel it.
``ServerBin`` is a private folder too: links to the system's filters and backends, plus a
``paperout`` backend that reports ``media-empty-error`` and waits, as a printer whose paper
ran out does. Runs as root (the tests do); the filters run as CUPS's ``lp`` user, so the
folder is world-readable (no personal data is printed in tests).
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

SYSTEM_SERVERBIN = Path("/usr/lib/cups")
PPD = """*PPD-Adobe: "4.3"
*FormatVersion: "4.3"
*FileVersion: "1.0"
*LanguageVersion: English
*LanguageEncoding: ISOLatin1
*PCFileName: "KIOSKA4.PPD"
*Manufacturer: "Test"
*Product: "(Kiosk A4 PDF file)"
*ModelName: "Kiosk A4 PDF file"
*ShortNickName: "Kiosk A4 PDF file"
*NickName: "Kiosk A4 PDF file"
*PSVersion: "(3010.000) 0"
*LanguageLevel: "3"
*ColorDevice: False
*DefaultColorSpace: Gray
*FileSystem: False
*Throughput: "1"
*LandscapeOrientation: Plus90
*TTRasterizer: Type42
*cupsVersion: 2.4
*cupsFilter2: "application/vnd.cups-pdf application/pdf 0 -"
*OpenUI *PageSize/Media Size: PickOne
*OrderDependency: 10 AnySetup *PageSize
*DefaultPageSize: A4
*PageSize A4/A4: "<</PageSize[595 842]>>setpagedevice"
*CloseUI: *PageSize
*OpenUI *PageRegion/Media Size: PickOne
*OrderDependency: 10 AnySetup *PageRegion
*DefaultPageRegion: A4
*PageRegion A4/A4: "<</PageSize[595 842]>>setpagedevice"
*CloseUI: *PageRegion
*DefaultImageableArea: A4
*ImageableArea A4/A4: "18 18 577 824"
*DefaultPaperDimension: A4
*PaperDimension A4/A4: "595 842"
"""
PAPER_OUT_BACKEND = """#!/bin/sh
# A printer whose paper ran out: say so, and wait (as a real backend does) until cancelled.
if [ $# -eq 0 ]; then echo 'direct paperout "Unknown" "Test printer out of paper"'; exit 0; fi
echo "STATE: +media-empty-error" >&2
cat > /dev/null
exec sleep 600
"""


class CupsUnavailable(RuntimeError):
    """cupsd or the CUPS client commands are not installed, or cupsd did not start."""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class PrivateCups:
    """A running private cupsd; ``url(queue)`` is the document printer URL of a queue."""

    root: Path
    port: int
    process: subprocess.Popen[bytes]
    _queues: list[str] = field(default_factory=list)

    @classmethod
    def start(cls) -> PrivateCups:
        if not shutil.which("cupsd") or not shutil.which("lpadmin"):
            raise CupsUnavailable("cupsd or lpadmin is missing (Debian: cups, cups-client)")
        root = Path(tempfile.mkdtemp(prefix="kiosk-cups-"))
        root.chmod(0o755)
        for part in ("conf/ppd", "spool/tmp", "cache", "state", "log", "out", "serverbin/backend"):
            (root / part).mkdir(parents=True)
        (root / "out").chmod(0o777)
        _private_serverbin(root / "serverbin")
        port = _free_port()
        (root / "conf/cupsd.conf").write_text(
            f"Listen 127.0.0.1:{port}\nListen {root}/cups.sock\nLogLevel info\nBrowsing No\n"
            "WebInterface No\nDefaultAuthType Basic\nDefaultPolicy kiosk\nMaxJobs 0\nPreserveJobHistory Yes\n"
            "<Location />\n  Order allow,deny\n  Allow from 127.0.0.1\n  Allow from @LOCAL\n</Location>\n"
            # Administration is open (the tests set queues up over TCP); cancelling a job needs
            # its owner, as in CUPS's default policy: the driver authenticates over the socket.
            "<Policy kiosk>\n  JobPrivateAccess all\n  JobPrivateValues none\n"
            "  SubscriptionPrivateAccess all\n  SubscriptionPrivateValues none\n"
            "  <Limit Cancel-Job CUPS-Authenticate-Job>\n    Require user @OWNER @SYSTEM\n"
            "    Order deny,allow\n  </Limit>\n"
            "  <Limit All>\n    Order deny,allow\n  </Limit>\n</Policy>\n")
        (root / "conf/cups-files.conf").write_text(
            f"ServerRoot {root}/conf\nRequestRoot {root}/spool\nTempDir {root}/spool/tmp\n"
            f"CacheDir {root}/cache\nStateDir {root}/state\nServerBin {root}/serverbin\n"
            f"AccessLog {root}/log/access_log\nErrorLog {root}/log/error_log\n"
            f"PageLog {root}/log/page_log\nPrintcap {root}/state/printcap\n"
            "FileDevice Yes\nSystemGroup root\n")
        (root / "kiosk-a4.ppd").write_text(PPD)
        process = subprocess.Popen(
            ["cupsd", "-f", "-c", str(root / "conf/cupsd.conf"), "-s", str(root / "conf/cups-files.conf")],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        server = cls(root, port, process)
        try:
            server._wait_until_listening()
        except CupsUnavailable:
            server.stop()
            raise
        return server

    def _wait_until_listening(self, timeout: float = 15.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise CupsUnavailable(f"cupsd exited with {self.process.returncode}: {self.error_log()[-500:]}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                time.sleep(0.05)
        raise CupsUnavailable(f"cupsd did not listen on port {self.port} in {timeout} s")

    @property
    def server(self) -> str:
        return f"127.0.0.1:{self.port}"

    def url(self, queue: str) -> str:
        """The queue through the server's socket (as ``cups:///QUEUE`` reaches the local CUPS)."""
        return f"cups:///{queue}?socket={self.root}/cups.sock&poll=50"

    def tcp_url(self, queue: str) -> str:
        """The queue over TCP, unauthenticated."""
        return f"cups://{self.server}/{queue}?poll=50"

    def admin(self, *args: str) -> str:
        """Run a CUPS client command (``lpadmin``, ``cupsdisable``, ...) against this server."""
        env = {**os.environ, "CUPS_SERVERROOT": str(self.root / "conf"), "CUPS_SERVER": self.server}
        done = subprocess.run([args[0], "-h", self.server, *args[1:]], env=env, capture_output=True,
                              text=True, timeout=30)
        if done.returncode != 0:
            raise RuntimeError(f"{args[0]} failed ({done.returncode}): {done.stderr.strip()}")
        return done.stdout

    def add_queue(self, queue: str, *, device: str | None = None, options: tuple[str, ...] = ()) -> Path:
        """Add an enabled, accepting A4 queue printing to ``out/<queue>.pdf``; return that path."""
        output = self.root / "out" / f"{queue}.pdf"
        output.touch()
        output.chmod(0o666)
        extra = [arg for option in options for arg in ("-o", option)]
        self.admin("lpadmin", "-p", queue, "-E", "-v", device or f"file://{output}",
                   "-P", str(self.root / "kiosk-a4.ppd"), *extra)
        self._queues.append(queue)
        return output

    def jobs(self, which: str = "all") -> str:
        """``lpstat -W which -o``: the server's jobs (``completed``, ``not-completed``, ``all``)."""
        return self.admin("lpstat", "-W", which, "-o")

    def error_log(self) -> str:
        try:
            return (self.root / "log/error_log").read_text(errors="replace")
        except OSError:
            return ""

    def stop(self) -> None:
        """Stop cupsd (and every filter and backend it started) and remove its folder."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(10)
        try:
            os.killpg(self.process.pid, signal.SIGKILL)  # a backend left behind (the paperout sleeper)
        except ProcessLookupError:
            pass
        shutil.rmtree(self.root, ignore_errors=True)


def _private_serverbin(serverbin: Path) -> None:
    """The system's CUPS programs by link, and the test backends, in a folder of our own."""
    for entry in SYSTEM_SERVERBIN.iterdir():
        if entry.name != "backend":
            (serverbin / entry.name).symlink_to(entry)
    for backend in (SYSTEM_SERVERBIN / "backend").iterdir():
        (serverbin / "backend" / backend.name).symlink_to(backend)
    paperout = serverbin / "backend" / "paperout"
    paperout.write_text(PAPER_OUT_BACKEND)
    paperout.chmod(0o700)  # 0700: CUPS runs it as root, like the system's own direct backends
    for folder in (serverbin, serverbin / "backend"):
        folder.chmod(0o755)


def running_cups() -> Iterator[PrivateCups]:
    """A private cupsd until the generator is closed (a fixture's body); the test is skipped,
    saying why, where CUPS is missing, unless ``KIOSK_REQUIRE_CUPS=1`` makes that a failure."""
    try:
        server = PrivateCups.start()
    except CupsUnavailable as err:
        if os.environ.get("KIOSK_REQUIRE_CUPS") == "1":
            pytest.fail(f"CUPS is required but cannot start: {err}")
        pytest.skip(f"CUPS cannot be started here: {err}")
    try:
        yield server
    finally:
        server.stop()
