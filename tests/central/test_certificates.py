"""Instant printing (即时打印): a kiosk gets a one-page A4 certificate as a PDF, whose text
carries the name, the masked ID number and the e-copy line, and whose QR (decoded from the
rendered page) opens the centre's verification page. On SQLite and PostgreSQL."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest
from centre_support import CLERK, KIOSK, OTHER_KIOSK, ServedCentre, served_centre
from sqlalchemy import text

from central.certificate_rows import CertificateRow
from central.certificates import china_today
from contract.certificates import CERTIFICATE_CODE_PATTERN, CERTIFICATES_PATH
from tests.support.pdf_pages import page_count, page_size_mm, pdf_text, qr_texts

NAME = "张三丰"
ID_NUMBER = "320102199001011234"
CASE_NUMBER = "202612020010007"  # terminal 001: the KIOSK token's


def request_body(item_id: str = "social-insurance-certificate", case_number: str = CASE_NUMBER
                 ) -> dict[str, object]:
    return {"item_id": item_id, "case_number": case_number,
            "applicant": {"id_type": "resident", "name": NAME, "id_number": ID_NUMBER},
            "answers": {"purpose": "购房贷款", "period": "近12个月"}}


@pytest.fixture
def centre(database_url: str) -> Iterator[ServedCentre]:
    yield from served_centre(database_url)


def test_a_kiosk_gets_a_certificate_whose_qr_verifies_it(centre: ServedCentre) -> None:
    answer = centre.api.post(CERTIFICATES_PATH, json=request_body(), headers=KIOSK)
    assert answer.status_code == 200, answer.text
    assert answer.headers["Content-Type"] == "application/pdf"
    code = answer.headers["X-Certificate-Code"]
    assert re.fullmatch(CERTIFICATE_CODE_PATTERN, code)
    valid_until = date.fromisoformat(answer.headers["X-Valid-Until"])
    assert valid_until == china_today() + timedelta(days=90)
    pdf = answer.content
    assert page_count(pdf) == 1
    assert [round(side) for side in page_size_mm(pdf)] == [210, 297]

    words = pdf_text(pdf)
    assert "《社会保险参保缴费证明》" in words
    assert f"此件由区人力资源和社会保障局提供，仅供办理政务服务事项时使用，有效期至{valid_until.isoformat()}" in words
    assert NAME in words and "320102********1234" in words and ID_NUMBER not in words
    assert "演示数据" in words  # DemoRecords' records say what they are
    assert code in words and CASE_NUMBER in words

    [url] = qr_texts(pdf)
    assert url == f"{centre.api.base_url}/verify/{code}"
    page = centre.api.get(url.removeprefix(centre.api.base_url))
    assert page.status_code == 200
    assert "真实有效" in page.text and "张*丰" in page.text and valid_until.isoformat() in page.text
    assert NAME not in page.text and ID_NUMBER not in page.text


def test_the_centre_keeps_the_pdfs_digest_and_no_id_number(centre: ServedCentre) -> None:
    answer = centre.api.post(CERTIFICATES_PATH, json=request_body(), headers=KIOSK)
    with centre.engine.connect() as conn:
        rows = conn.execute(text("SELECT * FROM certificates")).mappings().all()
    assert len(rows) == 1
    row = rows[0]
    assert row["code"] == answer.headers["X-Certificate-Code"]
    assert row["pdf_sha256"] == hashlib.sha256(answer.content).hexdigest()
    assert row["masked_name"] == "张*丰" and row["case_number"] == CASE_NUMBER
    assert row["item_id"] == "social-insurance-certificate"
    assert not any(NAME in str(value) or ID_NUMBER in str(value) for value in row.values())


@pytest.mark.parametrize(("item_id", "title", "days"), [
    ("housing-fund-certificate", "《住房公积金缴存证明》", 30),
    ("medical-insurance-certificate", "《医疗保险参保证明》", 90),
])
def test_each_kind_has_its_title_and_validity(centre: ServedCentre, item_id: str, title: str,
                                              days: int) -> None:
    answer = centre.api.post(CERTIFICATES_PATH, json=request_body(item_id), headers=KIOSK)
    assert answer.status_code == 200, answer.text
    words = pdf_text(answer.content)
    assert title in words
    assert f"有效期至{(china_today() + timedelta(days=days)).isoformat()}" in words


def test_the_same_applicant_gets_the_same_facts_and_a_new_code(centre: ServedCentre) -> None:
    first = centre.api.post(CERTIFICATES_PATH, json=request_body(), headers=KIOSK)
    second = centre.api.post(CERTIFICATES_PATH, json=request_body(), headers=KIOSK)
    assert first.headers["X-Certificate-Code"] != second.headers["X-Certificate-Code"]
    facts = [pdf_text(answer.content).split("兹证明")[1].split("特此证明")[0] for answer in (first, second)]
    assert facts[0] == facts[1]


def test_only_a_kiosk_for_its_own_case_numbers_gets_certificates(centre: ServedCentre) -> None:
    assert centre.api.post(CERTIFICATES_PATH, json=request_body()).status_code == 401
    assert centre.api.post(CERTIFICATES_PATH, json=request_body(), headers=CLERK).status_code == 401
    assert centre.api.post(CERTIFICATES_PATH, json=request_body(), headers=OTHER_KIOSK).status_code == 403
    unknown = centre.api.post(CERTIFICATES_PATH, json=request_body("birth-certificate"), headers=KIOSK)
    assert unknown.status_code == 404
    assert unknown.json() == {"detail": "no certificate is issued for this item"}
    bad = request_body()
    bad["answers"] = {"purpose": "长" * 201}
    refused = centre.api.post(CERTIFICATES_PATH, json=bad, headers=KIOSK)
    assert refused.status_code == 422 and "长" not in refused.text
    with centre.engine.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM certificates")).scalar() == 0


def test_an_unknown_or_malformed_code_is_not_found(centre: ServedCentre) -> None:
    for code in ("A" * 24, "a" * 24, "ABC", "A" * 23 + "1", "A" * 25):
        page = centre.api.get(f"/verify/{code}")
        assert page.status_code == 404, code
        assert "未找到" in page.text and page.headers["Content-Type"].startswith("text/html")
    assert centre.api.get(f"/verify/{'A' * 65}").status_code == 422  # not even looked at


def test_an_expired_certificate_says_so(centre: ServedCentre) -> None:
    from sqlalchemy.orm import Session

    with Session(centre.engine) as session, session.begin():
        session.add(CertificateRow(code="B" * 24, item_id="housing-fund-certificate",
                                   case_number=CASE_NUMBER, issued_at=datetime(2025, 1, 2, tzinfo=UTC),
                                   valid_until=date(2025, 2, 1), pdf_sha256="0" * 64, masked_name="李*"))
    page = centre.api.get(f"/verify/{'B' * 24}")
    assert page.status_code == 200
    assert "已超过有效期" in page.text and "2025-02-01" in page.text and "《住房公积金缴存证明》" in page.text


def test_verifying_one_code_again_and_again_is_slowed_down(centre: ServedCentre) -> None:
    answers = [centre.api.get(f"/verify/{'C' * 24}") for _ in range(7)]
    assert [a.status_code for a in answers[:5]] == [404] * 5
    assert answers[-1].status_code == 429 and int(answers[-1].headers["Retry-After"]) >= 1
