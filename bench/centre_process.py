"""Run the centre as ``kiosk central`` processes on 127.0.0.1 for benchmarks.

``with CentreProcess(url, processes=2) as centre:`` starts that many stateless service
processes on one database, each on its own free port (``centre.base_urls``), with one kiosk
token for any terminal (``centre.token``) and one clerk token, and stops them afterwards.
"""

from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import TracebackType

import requests

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class CentreProcess:
    def __init__(self, database_url: str, processes: int = 1) -> None:
        self.database_url = database_url
        self.token = secrets.token_urlsafe(24)
        self.clerk_token = secrets.token_urlsafe(24)
        self._folder = tempfile.TemporaryDirectory(prefix="bench-centre-")
        tokens = Path(self._folder.name) / "kiosk-tokens.json"
        tokens.write_text(json.dumps({self.token: "*"}), encoding="utf-8")
        clerks = Path(self._folder.name) / "clerk-tokens.json"
        clerks.write_text(json.dumps({self.clerk_token: "clerk"}), encoding="utf-8")
        self._env = {**os.environ, "CENTRAL_KIOSK_TOKENS": str(tokens),
                     "CENTRAL_CLERK_TOKENS": str(clerks)}
        self.ports = [free_port() for _ in range(processes)]
        self._processes: list[subprocess.Popen[bytes]] = []

    @property
    def base_url(self) -> str:
        return self.base_urls[0]

    @property
    def base_urls(self) -> list[str]:
        return [f"http://127.0.0.1:{port}" for port in self.ports]

    def __enter__(self) -> CentreProcess:
        for port in self.ports:
            self._processes.append(subprocess.Popen(
                [sys.executable, "-m", "kiosk", "central", "--host", "127.0.0.1",
                 "--port", str(port), "--database", self.database_url],
                cwd=ROOT, env=self._env, stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            ))
        for url, process in zip(self.base_urls, self._processes, strict=True):
            deadline = time.monotonic() + 60
            while True:
                if process.poll() is not None:
                    raise RuntimeError(f"kiosk central exited with {process.returncode}")
                try:
                    requests.get(f"{url}/openapi.json", timeout=2)
                    break
                except requests.ConnectionError:
                    if time.monotonic() > deadline:
                        raise RuntimeError(f"kiosk central did not serve {url}") from None
                    time.sleep(0.1)
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        for process in self._processes:
            process.terminate()
        for process in self._processes:
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(10)
        self._folder.cleanup()
