"""No personal data where it does not belong, at the kiosk: a sentinel applicant goes through
the centre client's refusals, the sender's retries and failures, the outbox's quarantine and
the ratings queue against a real (embedded) centre, and is found in no log line, no
``last_error``, no unencrypted column and no readable file; every file is its user's alone.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import stat
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from central.samples import sample_submission
from central.server import EmbeddedCentre, start_embedded
from contract.redaction import install_log_redaction
from contract.wire import Applicant, CaseAck, CaseSubmission, IdType, Rating, RatingLevel
from kiosk.cli.embedded_centre import EmbeddedCentreConnector
from kiosk.delivery.case_numbers import CaseNumbers
from kiosk.delivery.centre_client import CentreClient, error_detail
from kiosk.delivery.outbox import Outbox, OutboxState
from kiosk.delivery.private_files import load_or_create_key
from kiosk.delivery.ratings import RatingQueue
from kiosk.delivery.sender import Backoff, Sender
from kiosk.errors import CardNotAccepted, CentreConflict, CentreRejected
from kiosk.messages import MessageId
from kiosk.session.identity import identity_from_login_code
from tests.kiosk.kiosk_support import UNREACHABLE_CENTRE

SENTINEL_NAME = "哨兵甲乙"
SENTINEL_ID = "11010519491231002X"  # valid checksum
SENTINEL_PHONE = "13912345678"
SENTINELS = (SENTINEL_NAME, SENTINEL_ID, SENTINEL_PHONE)
KEY = bytes(range(32))


def sentinel_case(sequence: int) -> CaseSubmission:
    return sample_submission(sequence).model_copy(update={
        "applicant": Applicant(id_type=IdType.RESIDENT, name=SENTINEL_NAME, id_number=SENTINEL_ID),
        "answers": {"phone": SENTINEL_PHONE, "address": f"{SENTINEL_NAME}的家"},
    })


def spoofing(submission: CaseSubmission) -> CaseSubmission:
    """The case with a name the wire refuses (built without validation, as a bug would)."""
    applicant = submission.applicant.model_copy(update={"name": SENTINEL_NAME + "\u202e"})
    return submission.model_copy(update={"applicant": applicant})


def leaks(text: str) -> list[str]:
    return [sentinel for sentinel in SENTINELS if sentinel in text]


def readable_cells(path: Path, *, except_columns: frozenset[str] = frozenset()) -> str:
    """Every cell of every table of a SQLite file, as text, but the encrypted columns."""
    with sqlite3.connect(path) as db:
        tables = [row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        cells = []
        for table in tables:
            cursor = db.execute(f"SELECT * FROM {table}")  # noqa: S608 - names from the file itself
            names = [column[0] for column in cursor.description]
            for row in cursor:
                cells += [str(value) for name, value in zip(names, row, strict=True)
                          if name not in except_columns and value is not None]
    return "\n".join(cells)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def log_everything(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.DEBUG)
    for name in ("uvicorn", "uvicorn.error", "sqlalchemy", "kiosk", "central"):
        caplog.set_level(logging.DEBUG, logger=name)
    return caplog


@pytest.fixture
def centre(tmp_path: Path) -> Iterator[EmbeddedCentre]:
    running = start_embedded(f"sqlite:///{tmp_path / 'centre' / 'central.sqlite3'}",
                             terminal_id="T001", terminal_number=1)
    yield running
    running.stop()


class Tampering:
    """The real client, but the applicant's name is one the centre refuses (a 422)."""

    def __init__(self, client: CentreClient) -> None:
        self.client = client

    def submit(self, submission: CaseSubmission) -> CaseAck:
        return self.client.submit(spoofing(submission))


def test_refusals_retries_quarantine_and_ratings_keep_the_sentinel_out(
    tmp_path: Path, centre: EmbeddedCentre, log_everything: pytest.LogCaptureFixture
) -> None:
    client = CentreClient(centre.base_url, centre.token)
    outbox = Outbox(tmp_path / "kiosk" / "outbox.sqlite3", KEY, min_free_bytes=0)
    try:
        # 422: the centre refuses the case; the row fails with the field's path only
        outbox.enqueue(sentinel_case(1))
        Sender(outbox, Tampering(client)).run_once()
        refused = {e.case_number: e for e in outbox.entries()}[sentinel_case(1).case_number]
        assert refused.state is OutboxState.FAILED
        assert refused.last_error == "HTTP 422 at applicant.name"

        # 409: the centre holds this key with another body
        held = sentinel_case(2)
        client.submit(held.model_copy(update={"answers": {"phone": SENTINEL_PHONE}}))
        outbox.enqueue(held)
        sender = Sender(outbox, client)
        sender.run_once()
        assert {e.case_number: e.last_error for e in outbox.entries()}[held.case_number] == "HTTP 409"
        assert isinstance(sender.last_error, CentreConflict)

        # retries: nobody answers
        outbox.enqueue(sentinel_case(3))
        Sender(outbox, CentreClient(UNREACHABLE_CENTRE, "t", connect_timeout=0.5),
               backoff=Backoff(base_s=0.01, cap_s=0.02)).run_once()
        retried = {e.case_number: e for e in outbox.entries()}[sentinel_case(3).case_number]
        assert retried.state is OutboxState.PENDING and retried.attempts == 1

        # quarantine: a row that no longer validates (the spoofing name) is set aside
        outbox.enqueue(spoofing(sentinel_case(4)))
        Sender(outbox, client).run_once()
        quarantined = {e.case_number: e for e in outbox.entries()}[sentinel_case(4).case_number]
        assert quarantined.state is OutboxState.QUARANTINED
        assert "applicant.name" in quarantined.last_error

        # delivered: the centre keeps it encrypted
        outbox.enqueue(sentinel_case(5))
        Sender(outbox, client).run_once()
        assert outbox.state_of(sentinel_case(5).case_number) == "sent"

        # ratings: one for a case the centre does not hold is refused; one for a held case sent
        ratings = RatingQueue(tmp_path / "kiosk" / "ratings.sqlite3", client, case_delivered=lambda _n: True)
        try:
            ratings.record("202611230019999", 2, ("设备故障",))
            ratings.record(sentinel_case(5).case_number, 1, ())
            ratings.deliver_due()
            assert ratings.state_of("202611230019999") == "failed"
            assert ratings.state_of(sentinel_case(5).case_number) == "sent"
        finally:
            ratings.stop()
        every_error = "\n".join(e.last_error for e in outbox.entries())
    finally:
        outbox.close()
        client.close()

    assert leaks(every_error) == []
    logged = log_everything.text + "\n".join(record.getMessage() for record in log_everything.records)
    assert "the centre refused case" in logged and leaks(logged) == []
    assert leaks(readable_cells(tmp_path / "kiosk" / "outbox.sqlite3", except_columns=frozenset({"payload"}))) == []
    assert leaks(readable_cells(tmp_path / "kiosk" / "ratings.sqlite3")) == []
    assert leaks(readable_cells(tmp_path / "centre" / "central.sqlite3", except_columns=frozenset())) == []
    for path in (tmp_path / "centre").iterdir():  # the database, its WAL and its key file
        assert leaks(path.read_bytes().decode("utf-8", "replace")) == [], path.name


@pytest.mark.parametrize(("status", "body", "detail"), [
    (422, json.dumps({"detail": [
        {"loc": ["body", "applicant", "name"], "msg": "bad", "input": SENTINEL_NAME},
        {"loc": ["body", "answers", "哨"], "input": SENTINEL_PHONE},
    ]}, ensure_ascii=False).encode(), "HTTP 422 at applicant.name, answers.?"),
    (409, '{"detail": "哨兵甲乙 13912345678"}'.encode(), "HTTP 409"),
    (400, b"\xe5\x93\xa8\xe5\x85\xb5 not json", "HTTP 400"),
    (503, b'{"detail": [{"loc": "not a list"}]}', "HTTP 503"),
])
def test_an_error_reply_leaves_only_its_status_and_field_paths(status: int, body: bytes, detail: str) -> None:
    assert error_detail(status, body) == detail


def test_a_4xx_from_the_real_client_carries_status_and_paths_only(centre: EmbeddedCentre) -> None:
    client = CentreClient(centre.base_url, centre.token)
    try:
        with pytest.raises(CentreRejected) as refused:
            client.submit(spoofing(sentinel_case(1)))
    finally:
        client.close()
    assert refused.value.detail == "HTTP 422 at applicant.name"


def test_every_file_the_kiosk_and_its_embedded_centre_make_is_private(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    key = load_or_create_key(data_dir / "outbox.key")
    outbox = Outbox(data_dir / "outbox.sqlite3", key, min_free_bytes=0)
    outbox.enqueue(sentinel_case(1))
    ratings = RatingQueue(data_dir / "ratings.sqlite3", CentreClient(UNREACHABLE_CENTRE, "t"),
                          case_delivered=lambda _n: False)
    ratings.record(sentinel_case(1).case_number, 1, ())
    CaseNumbers(data_dir / "case-sequence", 1).next(date(2026, 11, 23))
    connector = EmbeddedCentreConnector(data_dir, terminal_id="T001", terminal_number=1)
    endpoint = connector.open()
    client = CentreClient(endpoint.base_url, endpoint.token)
    try:
        client.submit(sentinel_case(1))
        made = sorted(path.name for path in data_dir.iterdir())  # while open: with -wal and -shm
        modes = {name: oct(mode(data_dir / name)) for name in made}
    finally:
        client.close()
        connector.close()
        ratings.stop()
        outbox.close()
    for name in ("outbox.key", "outbox.sqlite3", "outbox.sqlite3-wal", "ratings.sqlite3", "ratings.sqlite3-wal",
                 "case-sequence", "central.sqlite3", "central.sqlite3-wal", "central-data.key"):
        assert name in made
    assert modes == {name: oct(0o600) for name in made}
    assert mode(data_dir) == 0o700
    # the embedded centre keeps the applicant encrypted
    assert leaks(readable_cells(data_dir / "central.sqlite3")) == []


def test_a_login_code_name_that_could_spoof_is_refused_with_its_own_words() -> None:
    for name in ("王䶮", "𠀾", "阿依古丽·买买提"):
        assert identity_from_login_code({"name": name, "id_number": SENTINEL_ID}).name == name
    for name in ("张\u202e三", "张\u200b三", "张\x1b[31m三", "a" + "\u0301" * 6):
        with pytest.raises(CardNotAccepted) as refused:
            identity_from_login_code({"name": name, "id_number": SENTINEL_ID})
        assert refused.value.message.id is MessageId.LOGIN_CODE_NAME_REFUSED


def test_the_command_line_starts_private_with_log_redaction(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kiosk.cli import main

    previous = os.umask(0o022)
    try:
        main._private_process()
        assert os.umask(0o077) == 0o077
    finally:
        os.umask(previous)
    install_log_redaction()
    logging.getLogger("kiosk.test").error("case for %s, %s", SENTINEL_ID, SENTINEL_PHONE)
    assert leaks(caplog.text) == []
    assert Rating(level=RatingLevel.SATISFIED).comment == ""
