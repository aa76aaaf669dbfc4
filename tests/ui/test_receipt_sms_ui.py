"""A receipt by SMS through the real window: the printer out of paper, a resident applies;
the receipt screen says the case number and lookup link went by SMS to the phone they gave,
masked, instead of asking them to photograph the QR. An item that asks no phone keeps the
photograph words."""

from __future__ import annotations

import pytest

from drivers.idcard import samples
from kiosk.app import build_app, prepare_kivy
from kiosk.cli.embedded_centre import centre_connector
from kiosk.session.outcome import PrintState, SmsState
from kiosk.session.session import Step
from kiosk.terminal import Terminal
from tests.kiosk.kiosk_support import MakeConfig
from tests.ui.ui_support import find, run_with_script, seek, tap, until

pytestmark = [pytest.mark.ui, pytest.mark.timeout(120)]


def test_an_unprinted_receipt_says_where_the_sms_went(kiosk_config: MakeConfig) -> None:
    config = kiosk_config()
    terminal = Terminal(config, centre=centre_connector(config))  # the embedded centre: its SMS go to the log
    prepare_kivy(config, "portrait")
    terminal.start()
    app = build_app(config, terminal, developer_panel=False)
    session = terminal.session

    def screen() -> str:
        return str(app.root.manager.current)

    def apply_for(item: str):  # type: ignore[no-untyped-def]
        root = app.root
        yield from until(lambda: screen() == "attract" and terminal.availability is not None)
        terminal.devices.printer.set_paper(0)  # type: ignore[attr-defined]
        yield from until(lambda: terminal.availability is not None and not terminal.availability.printer)
        tap(find(root, "start"))
        yield from until(lambda: screen() == "identify")
        terminal.devices.id_card.place_card(samples.RESIDENT)  # type: ignore[attr-defined]
        yield from until(lambda: screen() == "choose")
        terminal.devices.id_card.remove_card()  # type: ignore[attr-defined]
        yield from seek(root, f"item-{item}")
        tap(find(root, f"item-{item}"))
        yield from until(lambda: screen() == "guide")
        tap(find(root, "start-form"))
        yield from until(lambda: screen() == "form")
        while session.step is Step.FORM:  # the form itself is the resident flow's test
            question = session.question
            session.answer(question.options[0] if question.kind == "choice" else "13812345678")
            yield 0.05
        yield from until(lambda: screen() == "review")
        if session.commitments:
            yield from seek(root, "commitments")
            tap(find(root, "commitments"))
            yield from until(lambda: all(session.commitments))
        tap(find(root, "submit"))
        yield from until(lambda: screen() == "receipt" and session.case is not None
                         and session.case.print_state is PrintState.FAILED)

    def script():  # type: ignore[no-untyped-def]
        root = app.root
        yield from apply_for("residence-permit")
        yield from until(lambda: session.case is not None and session.case.sms is SmsState.SENT, timeout=30)
        yield 0.2
        assert find(root, "qr-hint").text == "受理编号和查询方式已通过短信发送到 138****5678"
        assert "未能打印回执" in find(root, "print-status").heading

        tap(find(root, "home"))
        yield from until(lambda: screen() == "attract")
        yield from apply_for("social-insurance-certificate")  # asks no phone
        yield 0.5
        assert session.case is not None and session.case.sms is None
        assert find(root, "qr-hint").text == "请用手机拍下受理编号和二维码"

    try:
        run_with_script(app, script)
    finally:
        terminal.stop()
