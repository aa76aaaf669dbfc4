"""Draw the receipt screen when the receipt could not be printed and went by SMS (短信回执):
sent, still being asked, and not possible (the photograph words again).

``python -m tests.ui.render_receipt_sms OUT portrait|landscape``: each screen in standard then
elder mode, the printer out of paper, against the embedded centre (its SMS go to the log).
Look at every PNG. ``test_receipt_sms_ui`` checks the same words through the window.
"""

from __future__ import annotations

import sys
from pathlib import Path

from kiosk.session.outcome import SmsState
from kiosk.session.session import Step
from kiosk.terminal import Terminal
from tests.kiosk.kiosk_support import write_config
from tests.ui.render_support import RenderStep, render

ITEM = "residence-permit"


def _apply_when_chosen(terminal: Terminal) -> None:
    """Once the card is read: the printer out, the item applied for, answered and submitted."""
    session = terminal.session
    if session.step is not Step.CHOOSE:
        return
    terminal.devices.printer.set_paper(0)  # type: ignore[attr-defined]
    terminal.refresh_availability()
    session.choose(ITEM)
    session.start_form()
    while session.step is Step.FORM:
        question = session.question
        session.answer(question.options[0] if question.kind == "choice" else "13812345678")
    for index in range(len(session.commitments)):
        session.set_commitment(index, True)
    terminal.submit()


def _sent(terminal: Terminal) -> bool:
    _apply_when_chosen(terminal)
    case = terminal.session.case
    return case is not None and case.sms is SmsState.SENT


def _state(state: SmsState):  # type: ignore[no-untyped-def]
    def action(terminal: Terminal, _app: object) -> None:
        case = terminal.session.case
        assert case is not None
        terminal.session.receipt_sms(case.case_number, state)
    return action


STEPS: list[RenderStep] = [
    RenderStep("receipt-sms-sent", lambda _t, _a: None, _sent),
    RenderStep("receipt-sms-sending", _state(SmsState.ASKING)),
    RenderStep("receipt-sms-not-possible", _state(SmsState.NOT_POSSIBLE)),
]


if __name__ == "__main__":
    import tempfile

    from kiosk.config.settings import load_config

    config = load_config(write_config(Path(tempfile.mkdtemp()), {}))
    sys.exit(render(config, sys.argv[2], Path(sys.argv[1]), STEPS))
