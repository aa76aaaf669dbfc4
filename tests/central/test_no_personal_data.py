"""No personal data where it does not belong, at the centre: not in a log line, not in an
error reply, not in a readable column; names that could spoof what a clerk reads are refused.

A sentinel applicant (name, a valid-checksum ID number, a phone) goes through every error path
the centre has; the log (every logger at DEBUG), the replies and every column of every table
are then searched for it.
"""

from __future__ import annotations

import json
import logging
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from centre_support import CLERK, KIOSK, Api, build_app
from pydantic import ValidationError
from sqlalchemy import Engine, MetaData, insert, select, text, update
from sqlalchemy.exc import IntegrityError

from central.crypto import KeyFileMasterKey, PayloadCipher, PayloadKeyError
from central.db import CaseRow, make_engine, utcnow
from central.samples import sample_submission
from central.server import serve_in_thread
from contract.display_text import free_text_problem, name_problem
from contract.redaction import MASK, RedactingFilter, install_log_redaction, redact
from contract.wire import (
    Applicant,
    CaseState,
    CaseSubmission,
    IdType,
    QrCodeKind,
    QrCodeRequest,
    Transition,
)

SENTINEL_NAME = "哨兵甲乙"
SENTINEL_ID = "11010519491231002X"  # valid checksum
SENTINEL_PHONE = "13912345678"
SENTINELS = (SENTINEL_NAME, SENTINEL_ID, SENTINEL_PHONE)


def sentinel_case(sequence: int, *, name: str = SENTINEL_NAME) -> dict[str, object]:
    """A case whose applicant is the sentinel, as JSON (a name may be one the wire refuses)."""
    data = sample_submission(sequence).model_dump(mode="json")
    data["applicant"] = {"id_type": "resident", "name": name, "id_number": SENTINEL_ID}
    data["answers"] = {"phone": SENTINEL_PHONE, "address": f"{SENTINEL_NAME}的家"}
    return data


def leaks(text: str) -> list[str]:
    return [sentinel for sentinel in SENTINELS if sentinel in text]


def every_cell(engine: Engine) -> Iterator[tuple[str, str, str]]:
    """(table, column, value as text) for every cell of every table."""
    tables = MetaData()
    tables.reflect(engine)
    with engine.connect() as conn:
        for table in tables.sorted_tables:
            for row in conn.execute(select(table)).mappings():
                for column, value in row.items():
                    yield table.name, column, "" if value is None else str(value)


@pytest.fixture
def log_everything(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.DEBUG)
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access", "sqlalchemy", "sqlalchemy.engine",
                 "fastapi", "central"):
        caplog.set_level(logging.DEBUG, logger=name)
    return caplog


def test_every_error_path_keeps_the_sentinel_out_of_logs_replies_and_readable_columns(
    database_url: str, log_everything: pytest.LogCaptureFixture
) -> None:
    running = serve_in_thread(build_app(database_url))
    replies: list[str] = []
    try:
        with Api(running.base_url) as api:
            good = sentinel_case(1)
            created = api.post("/api/v1/cases", json=good, headers=KIOSK)
            assert created.status_code == 201
            replies.append(created.text)
            # the same key with another body: 409
            other = dict(good, answers={"phone": SENTINEL_PHONE, "address": "另一个"})
            conflict = api.post("/api/v1/cases", json=other, headers=KIOSK)
            assert conflict.status_code == 409
            replies.append(conflict.text)
            # a name that would reorder what the clerk reads: 422, naming the field only
            spoofing = sentinel_case(2, name=SENTINEL_NAME + "\u202e")
            refused = api.post("/api/v1/cases", json=spoofing, headers=KIOSK)
            assert refused.status_code == 422
            assert "applicant" in refused.text and "name" in refused.text
            replies.append(refused.text)
            # rejected ratings: an unknown case (404), then a second, different rating (409)
            unknown = api.post("/api/v1/cases/202611230019999/rating",
                               json={"level": "satisfied"}, headers=KIOSK)
            assert unknown.status_code == 404
            replies.append(unknown.text)
            first = api.post(f"/api/v1/cases/{good['case_number']}/rating",
                             json={"level": "satisfied"}, headers=KIOSK)
            assert first.status_code == 201
            second = api.post(f"/api/v1/cases/{good['case_number']}/rating",
                              json={"level": "dissatisfied"}, headers=KIOSK)
            assert second.status_code == 409
            replies.extend([first.text, second.text])
            # a clerk claims it: the one reply that carries the applicant, decrypted
            claimed = api.post("/api/v1/clerk/cases/claim", headers=CLERK)
            assert claimed.status_code == 200
            assert claimed.json()["submission"]["applicant"]["name"] == SENTINEL_NAME
            bad_move = api.post(f"/api/v1/clerk/cases/{good['case_number']}/transitions",
                                json={"status": "completed"}, headers=CLERK)
            assert bad_move.status_code == 409
            replies.append(bad_move.text)
            history = api.get(f"/api/v1/clerk/cases/{good['case_number']}/history", headers=CLERK)
            replies.append(history.text)
            replies.append(api.get(f"/api/v1/cases/{good['case_number']}", headers=KIOSK).text)
    finally:
        running.stop()

    # a database error whose statement carries the sentinel as a parameter
    engine = make_engine(database_url)
    try:
        with pytest.raises(IntegrityError) as caught, engine.begin() as conn:
            conn.execute(insert(CaseRow).values(
                case_number=good["case_number"], idempotency_key="f" * 32, body_sha256="0",
                kiosk_id="T001", site_id="s", terminal_id="T001", item_id="i",
                payload=json.dumps(good, ensure_ascii=False), status="received",
                note=SENTINEL_NAME, received_at=utcnow(), updated_at=utcnow()))
        assert leaks(str(caught.value)) == []
        logging.getLogger("central").exception("database error")

        readable = [(table, column) for table, column, value in every_cell(engine) if leaks(value)]
        assert readable == []
        payloads = [value for table, column, value in every_cell(engine)
                    if (table, column) == ("cases", "payload")]
        assert payloads and all(value.startswith("enc1:") for value in payloads)
    finally:
        engine.dispose()

    assert [reply for reply in replies if leaks(reply)] == []
    logged = log_everything.text + "\n".join(r.getMessage() for r in log_everything.records)
    assert leaks(logged) == []


def test_rows_stored_before_encryption_are_still_read(sqlite_url: str) -> None:
    app = build_app(sqlite_url)
    running = serve_in_thread(app)
    try:
        plain = sample_submission(7)
        with Api(running.base_url) as api:  # stored through the API, then as it was before
            assert api.post("/api/v1/cases", json=plain.model_dump(mode="json"), headers=KIOSK).status_code == 201
        with app.state.engine.begin() as conn:
            conn.execute(update(CaseRow).where(CaseRow.case_number == plain.case_number)
                         .values(payload=plain.model_dump_json()))
        with Api(running.base_url) as api:
            claimed = api.post("/api/v1/clerk/cases/claim", headers=CLERK)
        assert claimed.status_code == 200
        assert CaseSubmission.model_validate(claimed.json()["submission"]) == plain
    finally:
        running.stop()


def test_a_payload_opens_only_with_its_master_key_and_its_own_row(tmp_path: Path) -> None:
    cipher = PayloadCipher(KeyFileMasterKey(tmp_path / "keys" / "data.key"))
    sealed = cipher.seal('{"name": "x"}', case_number="202611230010001", idempotency_key="a" * 32)
    assert sealed.startswith("enc1:") and "name" not in sealed
    assert cipher.open(sealed, case_number="202611230010001", idempotency_key="a" * 32) == '{"name": "x"}'
    with pytest.raises(PayloadKeyError):  # moved to another row
        cipher.open(sealed, case_number="202611230010002", idempotency_key="a" * 32)
    other = PayloadCipher(KeyFileMasterKey(tmp_path / "other.key"))
    with pytest.raises(PayloadKeyError):
        other.open(sealed, case_number="202611230010001", idempotency_key="a" * 32)
    assert stat.S_IMODE(os.stat(tmp_path / "keys" / "data.key").st_mode) == 0o600
    assert stat.S_IMODE(os.stat(tmp_path / "keys").st_mode) == 0o700


def test_the_centres_sqlite_files_and_key_are_private(tmp_path: Path) -> None:
    folder = tmp_path / "centre"
    running = serve_in_thread(build_app(f"sqlite:///{folder / 'central.db'}"))
    try:
        with Api(running.base_url) as api:
            assert api.post("/api/v1/cases", json=sentinel_case(1), headers=KIOSK).status_code == 201
        files = sorted(path.name for path in folder.iterdir())
        assert {"central.db", "central.db-wal", "central.db-shm", "central-data.key"} <= set(files)
        for path in folder.iterdir():
            assert stat.S_IMODE(path.stat().st_mode) == 0o600, path.name
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    finally:
        running.stop()


def test_an_older_readable_database_file_is_made_private(tmp_path: Path) -> None:
    database = tmp_path / "central.db"
    database.touch(mode=0o644)
    os.chmod(database, 0o644)
    make_engine(f"sqlite:///{database}").dispose()
    assert stat.S_IMODE(database.stat().st_mode) == 0o600


def test_engines_hide_statement_parameters(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        assert engine.hide_parameters
        with pytest.raises(Exception) as caught, engine.connect() as conn:
            conn.execute(text("SELECT CAST(:v AS INTEGER) FROM no_such_table"), {"v": SENTINEL_ID})
        assert SENTINEL_ID not in str(caught.value)
    finally:
        engine.dispose()


# -- the redaction ---------------------------------------------------------------------------

@pytest.mark.parametrize("line", [
    f"applicant {SENTINEL_ID} called",
    "old card 110105491231002 seen",
    f"phone {SENTINEL_PHONE}, +86 139-1234-5678",
    f'{{"name": "{SENTINEL_NAME}", "id_number": "X"}}',
    f"Applicant(name='{SENTINEL_NAME}')",
    f"[type=value_error, input_value='{SENTINEL_NAME}', input_type=str]",
    f"GET /x?name={SENTINEL_NAME}&a=1",
    f"姓名：{SENTINEL_NAME}，住址：某地",
])
def test_redact_masks_numbers_and_recognisable_names(line: str) -> None:
    redacted = redact(line)
    assert MASK in redacted
    for secret in (*SENTINELS, "110105491231002", "139-1234-5678"):
        assert secret not in redacted


def test_redact_keeps_what_technicians_need() -> None:
    line = "case 202611230010001 failed: HTTP 422 at applicant.name (key 0123456789abcdef0123456789abcdef)"
    assert redact(line) == line


def test_the_filter_redacts_message_args_and_exception_text(
    log_everything: pytest.LogCaptureFixture,
) -> None:
    logger = logging.getLogger("central.test_redaction")
    install_log_redaction()
    install_log_redaction()  # idempotent
    try:
        raise ValueError(f"bad applicant {SENTINEL_NAME!r} {SENTINEL_ID}")
    except ValueError:
        logger.exception("refused %s with %s", {"name": SENTINEL_NAME}, SENTINEL_PHONE)
    assert SENTINEL_ID not in log_everything.text and SENTINEL_PHONE not in log_everything.text
    assert "'name': '***'" in log_everything.text
    record = log_everything.records[-1]
    assert record.exc_text is not None and SENTINEL_ID not in record.exc_text


def test_the_filter_alone_redacts_a_record() -> None:
    record = logging.LogRecord("x", logging.ERROR, __file__, 1, "id %s", (SENTINEL_ID,), None)
    assert RedactingFilter().filter(record) and record.getMessage() == f"id {MASK}"


# -- names that spoof ------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["王䶮", "𠀾先生", "阿依古丽·买买提", "热合曼•托合提", "José", "Nguyễn"])
def test_rare_characters_and_minority_names_are_names(name: str) -> None:
    assert name_problem(name) is None
    assert Applicant(id_type=IdType.RESIDENT, name=name, id_number=SENTINEL_ID).name == name


@pytest.mark.parametrize("name", [
    "张\u202e三", "张\u2066三", "张\u200b三", "张\u200d三", "张\ufeff三", "张\x07三", "张\x85三",
    "张\n三", "a" + "\u0301" * 5,
])
def test_names_that_hide_or_reorder_what_is_shown_are_refused(name: str) -> None:
    assert name_problem(name) is not None
    with pytest.raises(ValidationError) as refused:
        Applicant(id_type=IdType.RESIDENT, name=name, id_number=SENTINEL_ID)
    assert name not in str(refused.value).split("input_value=")[0]


def test_free_text_keeps_line_breaks_but_not_overrides() -> None:
    assert free_text_problem("第一行\n第二行\t👨\u200d👩") is None
    assert Transition(status=CaseState.ACCEPTED, note="一\n二").note == "一\n二"
    with pytest.raises(ValidationError):
        Transition(status=CaseState.ACCEPTED, note="付款\u202e000,1")
    with pytest.raises(ValidationError):
        QrCodeRequest(kind=QrCodeKind.LOGIN, data={"name": "张\u200b三"})


def test_redaction_keeps_log_arguments_formatters_unpack() -> None:
    """uvicorn's access formatter unpacks its record's arguments: redaction must keep their shape."""
    import logging as stdlib_logging

    from uvicorn.logging import AccessFormatter

    from contract.redaction import redact_record

    record = stdlib_logging.LogRecord(
        "uvicorn.access", stdlib_logging.INFO, __file__, 1, '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:5000", "GET", "/api/v1/cases?phone=13812345678", "1.1", 200), None,
    )
    line = AccessFormatter('%(client_addr)s - "%(request_line)s" %(status_code)s').format(redact_record(record))
    assert "200" in line and "GET /api/v1/cases" in line and "13812345678" not in line
