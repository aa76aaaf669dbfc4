"""Many callers at once: one case per key, one clerk per case, several service processes."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests
from centre_support import (
    CLERK,
    CLERK_TOKEN,
    DEPARTMENT,
    KIOSK,
    KIOSK_TOKEN,
    OTHER_CLERK,
    Api,
    build_app,
)
from sqlalchemy import func, select

from central.db import CaseEventRow, CaseRow, make_engine
from central.samples import sample_submission
from central.server import serve_in_thread
from tests.support import wait_for

ROOT = Path(__file__).resolve().parents[2]


def count_cases(database_url: str) -> tuple[int, int]:
    engine = make_engine(database_url)
    try:
        with engine.connect() as conn:
            cases = conn.scalar(select(func.count()).select_from(CaseRow))
            events = conn.scalar(select(func.count()).select_from(CaseEventRow))
        return int(cases or 0), int(events or 0)
    finally:
        engine.dispose()


def post_case(base_url: str, n: int) -> int:
    body = sample_submission(n).model_dump(mode="json")
    answer = requests.post(f"{base_url}/api/v1/cases", json=body, headers=KIOSK, timeout=60)
    return answer.status_code


def test_the_same_case_from_many_threads_is_stored_once(database_url: str) -> None:
    running = serve_in_thread(build_app(database_url))
    try:
        with ThreadPoolExecutor(24) as pool:
            codes = list(pool.map(lambda _: post_case(running.base_url, 1), range(48)))
    finally:
        running.stop()
    assert sorted(set(codes)) == [200, 201] and codes.count(201) == 1
    assert count_cases(database_url) == (1, 1)


def test_two_service_instances_on_one_database_store_each_case_once(database_url: str) -> None:
    first = serve_in_thread(build_app(database_url))
    second = serve_in_thread(build_app(database_url))
    try:
        jobs = [(url, n) for n in range(1, 41) for url in (first.base_url, second.base_url)]
        with ThreadPoolExecutor(16) as pool:
            codes = list(pool.map(lambda job: post_case(*job), jobs))
    finally:
        first.stop()
        second.stop()
    assert codes.count(201) == 40 and codes.count(200) == 40
    assert count_cases(database_url) == (40, 40)


def test_clerks_claiming_at_once_never_share_a_case(database_url: str) -> None:
    running = serve_in_thread(build_app(database_url))
    try:
        for n in range(1, 31):
            assert post_case(running.base_url, n) == 201

        def claim_all(headers: dict[str, str]) -> list[str]:
            got = []
            with Api(running.base_url) as api:
                while (answer := api.post("/api/v1/clerk/cases/claim", headers=headers)
                       ).status_code == 200:
                    got.append(answer.json()["case_number"])
            return got

        with ThreadPoolExecutor(6) as pool:
            claims = [c for got in pool.map(claim_all, [CLERK, OTHER_CLERK] * 3) for c in got]
    finally:
        running.stop()
    assert len(claims) == 30 and len(set(claims)) == 30


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_kiosk_central_processes_start_together_and_share_the_database(
    database_url: str, tmp_path: Path
) -> None:
    tokens = tmp_path / "kiosk-tokens.json"
    tokens.write_text(json.dumps({KIOSK_TOKEN: {"terminal_id": "T001", "terminal_number": 1}}),
                      encoding="utf-8")
    clerks = tmp_path / "clerk-tokens.json"
    clerks.write_text(json.dumps({CLERK_TOKEN: {"name": "wang", "department": DEPARTMENT}}),
                      encoding="utf-8")
    env = {**os.environ, "CENTRAL_KIOSK_TOKENS": str(tokens),
           "CENTRAL_CLERK_TOKENS": str(clerks)}
    ports = [_free_port(), _free_port()]
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "kiosk", "central", "--host", "127.0.0.1", "--port",
             str(port), "--database", database_url],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )
        for port in ports
    ]
    urls = [f"http://127.0.0.1:{port}" for port in ports]
    try:
        for url, process in zip(urls, processes, strict=True):
            _wait_until_serving(url, process)
        with ThreadPoolExecutor(8) as pool:
            codes = list(pool.map(lambda job: post_case(*job),
                                  [(url, n) for n in range(1, 21) for url in urls]))
        assert codes.count(201) == 20 and codes.count(200) == 20
        assert requests.get(f"{urls[0]}/openapi.json", timeout=10).status_code == 200
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(30)
            assert process.stderr is not None
            process.stderr.close()
    assert count_cases(database_url) == (20, 20)


def _wait_until_serving(url: str, process: subprocess.Popen[bytes]) -> None:
    def serving() -> bool:
        if process.poll() is not None:
            assert process.stderr is not None
            raise AssertionError(f"kiosk central exited: {process.stderr.read().decode()}")
        try:
            requests.get(f"{url}/openapi.json", timeout=5)
        except (requests.ConnectionError, requests.Timeout):
            return False  # not listening yet, or still building its first answer under load
        return True

    wait_for(serving, timeout=60, step=0.1, describe=f"kiosk central to serve {url}")
