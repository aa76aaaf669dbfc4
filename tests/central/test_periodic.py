"""``Periodic``: a failed round never ends the work; the database out of reach is a warning
(a restart is an expected pause), anything else an error with its traceback."""

from __future__ import annotations

import logging
import threading

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from central.periodic import Periodic


def unreachable_database() -> None:
    """A real driver error: a query against a database file that cannot be opened."""
    with create_engine("sqlite:////nonexistent-folder/centre.db").connect() as connection:
        connection.execute(text("SELECT 1"))


@pytest.mark.parametrize(("failure", "level"), [(unreachable_database, logging.WARNING),
                                                 (lambda: 1 / 0, logging.ERROR)])
def test_a_failed_round_is_logged_by_its_kind_and_the_next_one_runs(
        failure: object, level: int, caplog: pytest.LogCaptureFixture) -> None:
    rounds: list[int] = []
    done = threading.Event()

    def work() -> None:
        rounds.append(len(rounds))
        if len(rounds) == 1:
            failure()  # type: ignore[operator]
        else:
            done.set()

    periodic = Periodic("test-round", 0.01, work)
    with caplog.at_level(logging.WARNING, logger="central.periodic"):
        periodic.start()
        try:
            assert done.wait(5), "the round after the failure did not run"
        finally:
            periodic.stop()
    [record] = [r for r in caplog.records if r.name == "central.periodic"]
    assert record.levelno == level


def test_the_unreachable_database_really_raises_operational_error() -> None:
    with pytest.raises(OperationalError):
        unreachable_database()
