"""Assisted mode (帮办) through the real window: 工作人员帮办, the staff code, the applicant's
card, submit; the case at the centre records the staff number, the receipt says who helped,
and the next session knows nothing of it."""

from __future__ import annotations

from pathlib import Path

import pytest

from central.auth import Clerk, Role
from central.case_file import open_case
from kiosk.app import build_app, prepare_kivy
from kiosk.cli.embedded_centre import (
    IDENTITY_KEY_FILE,
    DevelopmentIdentityAuthority,
    EmbeddedCentreConnector,
    centre_connector,
)
from kiosk.session.outcome import PrintState
from kiosk.session.session import Step
from kiosk.terminal import Terminal
from tests.kiosk.kiosk_support import MakeConfig
from tests.ui.ui_support import exists, find, run_with_script, seek, tap, until

pytestmark = [pytest.mark.ui, pytest.mark.timeout(90)]


def test_a_member_of_staff_helps_a_resident_apply(kiosk_config: MakeConfig) -> None:
    config = kiosk_config()
    connector = centre_connector(config)
    assert isinstance(connector, EmbeddedCentreConnector)
    terminal = Terminal(config, centre=connector)
    prepare_kivy(config, "portrait")
    terminal.start()
    app = build_app(config, terminal, developer_panel=True)
    session = terminal.session
    staff = DevelopmentIdentityAuthority(Path(config.data_dir) / IDENTITY_KEY_FILE, config.site.code_audience)

    def screen() -> str:
        return str(app.root.manager.current)

    def script():  # type: ignore[no-untyped-def]
        root = app.root
        yield from until(lambda: screen() == "attract" and terminal.identification.parser is not None)
        tap(find(root, "start"))
        yield from until(lambda: screen() == "identify")
        tap(find(root, "assisted-toggle"))
        yield from until(lambda: "帮办码" in find(root, "identify-notice-text").text)
        assert find(root, "assisted-toggle").text == "取消帮办"

        tap(find(root, "dev-放卡：张*丰"))  # a card first: refused, staff code first
        yield from until(lambda: "先扫描本人的帮办码" in session.error)
        assert session.identity is None
        tap(find(root, "dev-取走卡片"))

        terminal.devices.qr.scan(staff.staff_code("0427"))  # type: ignore[attr-defined]
        yield from until(lambda: "工号0427" in find(root, "identify-assisted").text)
        assert not exists(root, "identify-error-text") or not session.error

        tap(find(root, "dev-放卡：张*丰"))  # now the applicant's card
        yield from until(lambda: screen() == "choose")
        tap(find(root, "item-residence-permit"))
        yield from until(lambda: screen() == "guide")
        tap(find(root, "start-form"))
        yield from until(lambda: screen() == "form")
        while session.step is Step.FORM:  # the form itself is the resident flow's test
            question = session.question
            session.answer(question.options[0] if question.kind == "choice" else "13812345678")
            yield 0.05
        yield from until(lambda: screen() == "review")
        yield from seek(root, "commitments")  # after the answers, on the list's last page
        tap(find(root, "commitments"))
        yield from until(lambda: all(session.commitments))
        tap(find(root, "submit"))
        yield from until(lambda: session.case is not None and session.case.print_state is PrintState.PRINTED)
        receipt = terminal.receipt
        assert receipt is not None and "帮办人员：工号 0427" in receipt.plain_text()
        case_number = session.case.case_number
        yield from until(lambda: session.case is not None and session.case.sent_to_centre)
        centre = connector.centre
        assert centre is not None
        found = open_case(centre.app.state.engine, case_number, clerk=Clerk("clerk", Role.SUPERVISOR),
                          cipher=centre.app.state.cipher)
        assert found.submission is not None and found.submission.assisted_by == "0427"

        tap(find(root, "home"))
        yield from until(lambda: screen() == "attract")
        assert not session.assistance.active
        tap(find(root, "start"))
        yield from until(lambda: screen() == "identify")
        assert find(root, "assisted-toggle").text == "工作人员帮办"

    try:
        run_with_script(app, script)
    finally:
        terminal.stop()
