"""A PostgreSQL restart is a pause: the centre answers 503 with Retry-After, then serves again."""

from __future__ import annotations

import logging
import threading

import pytest
from centre_support import KIOSK, Api, build_app

from central.samples import sample_submission
from central.server import serve_in_thread
from central.throwaway_pg import ClusterUnavailable, ThrowawayCluster


def test_the_centre_answers_503_while_postgresql_restarts(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    try:
        cluster = ThrowawayCluster.start()
    except ClusterUnavailable as err:
        pytest.skip(f"PostgreSQL cannot be started here: {err}")
    with cluster:
        running = serve_in_thread(build_app(cluster.create_database("restart")))
        try:
            with Api(running.base_url) as api:
                first = sample_submission(1).model_dump(mode="json")
                assert api.post("/api/v1/cases", json=first, headers=KIOSK).status_code == 201
                answers: list[int] = []
                down = threading.Event()

                def while_down() -> None:
                    down.wait(10)
                    second = sample_submission(2).model_dump(mode="json")
                    reply = api.post("/api/v1/cases", json=second, headers=KIOSK)
                    answers.append(reply.status_code)
                    answers.append(int(reply.headers.get("Retry-After", "0")))

                asker = threading.Thread(target=while_down)
                asker.start()
                cluster.stop_server()
                down.set()
                asker.join(30)
                cluster.start_server()
                assert answers[0] == 503 and answers[1] > 0
                again = sample_submission(2).model_dump(mode="json")
                assert api.post("/api/v1/cases", json=again, headers=KIOSK).status_code == 201
        finally:
            running.stop()
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR and r.name.startswith(("uvicorn", "central"))]
