"""A bundle's cases (一件事) arrive at the centre linked, on SQLite and PostgreSQL: each case
keeps its bundle, and a reader's case file links the other cases of it that reader may see,
and only counts the rest."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from centre_support import DEPARTMENT, KIOSK, OTHER_KIOSK, Api, build_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from central.case_file import open_case
from central.cases import CaseNotFound
from central.db import CaseRow
from central.samples import sample_submission
from central.server import ServerThread, serve_in_thread
from contract.wire import CaseSubmission

URL = "/api/v1/cases"
OTHER_DEPARTMENT = "区医疗保障局"
CATALOG = {"demo-site": {
    "items": [{"id": "sample-item", "department": DEPARTMENT}, {"id": "other-item", "department": OTHER_DEPARTMENT}],
    "bundles": [{"id": "newborn", "name": "新生儿出生一件事"}],
}}


@pytest.fixture
def centre(database_url: str) -> Iterator[ServerThread]:
    running = serve_in_thread(build_app(database_url, catalog=CATALOG))
    yield running
    running.stop()


@pytest.fixture
def api(centre: ServerThread) -> Iterator[Api]:
    with Api(centre.base_url) as client:
        yield client


def bundle_of(*items: str, first: int = 1, terminal: int = 1) -> list[CaseSubmission]:
    """The cases a kiosk submits for one bundle: one per item, each naming all of them."""
    cases = [sample_submission(first + n, item_id=item, terminal=terminal) for n, item in enumerate(items)]
    numbers = [case.case_number for case in cases]
    return [CaseSubmission.model_validate({**case.model_dump(), "bundle_id": "newborn", "bundle_cases": numbers})
            for case in cases]


def post(api: Api, case: CaseSubmission, headers: dict[str, str] = KIOSK, **changes: Any) -> int:
    return api.post(URL, json={**case.model_dump(mode="json"), **changes}, headers=headers).status_code


def _clerk(centre: ServerThread, name: str) -> Any:
    return centre.app.state.clerks_by_name[name]


def test_a_bundles_cases_arrive_linked_and_each_reader_sees_only_their_own(
        centre: ServerThread, api: Api) -> None:
    welfare, insurance, welfare_too = bundle_of("sample-item", "other-item", "sample-item")
    for case in (welfare, insurance, welfare_too):
        assert post(api, case) == 201
    assert post(api, insurance) == 200  # a repeat is the same case
    engine, cipher = centre.app.state.engine, centre.app.state.cipher
    with Session(engine) as session:
        rows = session.scalars(select(CaseRow).order_by(CaseRow.case_number)).all()
        assert [(r.bundle_id, r.bundle_cases, r.department) for r in rows] == [
            ("newborn", " ".join(welfare.bundle_cases), DEPARTMENT),
            ("newborn", " ".join(welfare.bundle_cases), OTHER_DEPARTMENT),
            ("newborn", " ".join(welfare.bundle_cases), DEPARTMENT),
        ]

    supervisor = open_case(engine, welfare.case_number, clerk=_clerk(centre, "zhao"), cipher=cipher)
    assert supervisor.bundle is not None and supervisor.bundle.bundle_id == "newborn"
    assert supervisor.bundle.total == 3 and supervisor.bundle.not_shown == 0
    assert supervisor.bundle.visible == (insurance.case_number, welfare_too.case_number)
    assert supervisor.submission is not None and supervisor.submission.bundle_cases == welfare.bundle_cases

    wang = open_case(engine, welfare_too.case_number, clerk=_clerk(centre, "wang"), cipher=cipher)
    assert wang.bundle is not None and wang.bundle.visible == (welfare.case_number,)
    assert wang.bundle.not_shown == 1  # the insurance case: counted, never named

    sun = open_case(engine, insurance.case_number, clerk=_clerk(centre, "sun"), cipher=cipher)
    assert sun.bundle is not None and sun.bundle.visible == () and sun.bundle.not_shown == 2
    with pytest.raises(CaseNotFound):
        open_case(engine, welfare.case_number, clerk=_clerk(centre, "sun"), cipher=cipher)


def test_a_case_alone_has_no_bundle_and_a_sibling_not_yet_arrived_is_only_counted(
        centre: ServerThread, api: Api) -> None:
    alone = sample_submission(9)
    assert post(api, alone) == 201
    first, second = bundle_of("sample-item", "sample-item", first=5)
    assert post(api, first) == 201  # the second is still in the kiosk's outbox
    engine, cipher = centre.app.state.engine, centre.app.state.cipher
    supervisor = _clerk(centre, "zhao")
    assert open_case(engine, alone.case_number, clerk=supervisor, cipher=cipher).bundle is None
    waiting = open_case(engine, first.case_number, clerk=supervisor, cipher=cipher).bundle
    assert waiting is not None and waiting.visible == () and waiting.not_shown == 1
    assert post(api, second) == 201
    arrived = open_case(engine, first.case_number, clerk=supervisor, cipher=cipher).bundle
    assert arrived is not None and arrived.visible == (second.case_number,)


def test_a_bundle_must_fit_and_may_link_only_the_kiosks_own_cases(api: Api) -> None:
    first, second = bundle_of("sample-item", "other-item")
    assert post(api, first, bundle_cases=[first.case_number, "202611230020001"]) == 403  # terminal 2's number
    assert post(api, first, bundle_id=None) == 422
    assert post(api, first, bundle_cases=[second.case_number, "202611230010099"]) == 422  # not itself
    assert post(api, first, bundle_cases=[first.case_number]) == 422
    assert post(api, first, bundle_id="Not An Id") == 422
    others = bundle_of("sample-item", "other-item", terminal=2)
    assert post(api, others[0], headers=OTHER_KIOSK) == 201
    assert post(api, first) == 201
