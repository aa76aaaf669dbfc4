"""An assisted case (帮办) at the centre: the staff number travels in ``assisted_by`` and the
case page says who helped, to those who may read the case."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from centre_support import KIOSK, SUPERVISOR_TOKEN, TECHNICIAN_TOKEN, Api, ServedCentre, served_centre

from central.samples import sample_submission


@pytest.fixture
def centre(sqlite_url: str) -> Iterator[ServedCentre]:
    yield from served_centre(sqlite_url)


def console(centre: ServedCentre, token: str) -> Api:
    session = Api(centre.api.base_url)
    answer = session.post("/console/login", data={"token": token, "next": "/console/"}, allow_redirects=False)
    assert answer.status_code == 303, answer.text
    return session


def test_the_case_page_names_the_helping_staff_member(centre: ServedCentre) -> None:
    helped = sample_submission(1).model_copy(update={"assisted_by": "0427"})
    alone = sample_submission(2)
    for case in (helped, alone):
        answer = centre.api.post("/api/v1/cases", json=case.model_dump(mode="json"), headers=KIOSK)
        assert answer.status_code == 201, answer.text
    supervisor = console(centre, SUPERVISOR_TOKEN)
    page = supervisor.get(f"/console/cases/{helped.case_number}")
    assert page.status_code == 200 and "帮办人员" in page.text and "工号 0427" in page.text
    assert "帮办人员" not in supervisor.get(f"/console/cases/{alone.case_number}").text
    assert console(centre, TECHNICIAN_TOKEN).get(f"/console/cases/{helped.case_number}").status_code == 403
