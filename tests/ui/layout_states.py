"""The resident's screens the layout audit draws, in the order a session reaches them: the
happy path of the demo's item and the unhappy states beside it (a card that cannot be read, a
wrong phone number, submitting without the commitments, the printer out, out of service).

The form's every keyboard and the counter and certificate channels have their own step lists
(``render_form_kinds``, ``render_channels``); ``layout_audit`` draws all three.
"""

from __future__ import annotations

from collections.abc import Callable

from kivy.clock import Clock

from drivers.simulated import SimulatedCardReader, SimulatedPrinter
from kiosk.catalog.fields import FieldKind
from kiosk.cli.demo import DEMO_ITEM
from kiosk.session.outcome import PrintState, SmsState
from kiosk.session.session import Step
from kiosk.terminal import Terminal
from tests.kiosk.catalog_answers import answer_for
from tests.ui.render_support import RenderStep, place_card

Ready = Callable[[Terminal], bool]
CARD_GONE_S = 1.0


def at(step: Step) -> Ready:
    return lambda terminal: terminal.session.step is step


def _answer_until_phone(terminal: Terminal, _app: object) -> None:
    """Answer the form's questions until its phone number (or its end)."""
    session = terminal.session
    session.start_form()
    assert session.item is not None
    while session.step is Step.FORM and session.question.kind is not FieldKind.PHONE:
        session.answer(answer_for(session.question, session.item.asked_fields))


def _wrong_phone(terminal: Terminal, _app: object) -> None:
    terminal.session.answer("1381234")


def _finish_form(terminal: Terminal, _app: object) -> None:
    session = terminal.session
    assert session.item is not None
    while session.step is Step.FORM:
        session.answer(answer_for(session.question, session.item.asked_fields))


def _submit_unticked(terminal: Terminal, _app: object) -> None:
    terminal.submit()


def _submit(terminal: Terminal, _app: object) -> None:
    terminal.session.accept_commitments(True)
    terminal.submit()


def _printed(terminal: Terminal) -> bool:
    case = terminal.session.case
    return case is not None and case.print_state is PrintState.PRINTED


def _print_failed(terminal: Terminal) -> bool:
    """The receipt did not print, and the SMS that replaces it is settled (sent, at the embedded centre)."""
    case = terminal.session.case
    return case is not None and case.print_state is PrintState.FAILED and case.sms is not SmsState.ASKING


def _paper_out_then_submit(terminal: Terminal, app: object) -> None:
    """A second resident (the card taken away and placed again) applies with the paper out."""
    printer = terminal.devices.printer
    assert isinstance(printer, SimulatedPrinter), "the audit needs the in-process printer"
    session = terminal.session

    def apply() -> None:
        session.choose(DEMO_ITEM)
        session.start_form()
        _finish_form(terminal, app)
        printer.set_paper(0)
        _submit(terminal, app)

    session.home()
    _card(terminal, app)
    _when(at(Step.CHOOSE), terminal, apply)


def _login_to_phone(terminal: Terminal, app: object) -> None:
    """A resident who logs in with the app's code (it carries their verified mobile number)
    reaches the phone question: "是 139****5678 吗？"."""
    from kiosk.devices.developer import DeveloperControls  # the signed login code of the sample resident

    session = terminal.session
    session.home()
    session.begin()

    def apply() -> None:
        session.choose(DEMO_ITEM)
        _answer_until_phone(terminal, app)

    DeveloperControls(terminal).run("qr:login")
    _when(at(Step.CHOOSE), terminal, apply)


def _known_phone_shown(terminal: Terminal) -> bool:
    session = terminal.session
    return session.step is Step.FORM and session.question.kind is FieldKind.PHONE and session.identity is not None \
        and bool(session.identity.phone)


def _when(ready: Ready, terminal: Terminal, then: Callable[[], object]) -> None:
    """Run ``then`` on the UI thread once ``ready`` holds (the card reader answers in its own time)."""
    def poll(_dt: float) -> None:
        if ready(terminal):
            then()
        else:
            Clock.schedule_once(poll, 0.1)
    Clock.schedule_once(poll, 0.1)


def _card(terminal: Terminal, _app: object) -> None:
    reader = terminal.devices.id_card
    assert isinstance(reader, SimulatedCardReader)
    reader.remove_card()  # the reader must see it gone before it reads another
    Clock.schedule_once(lambda _dt: place_card(terminal), CARD_GONE_S)


def _help(_terminal: Terminal, app: object) -> None:
    app.root._toggle_help()  # type: ignore[attr-defined]


def _unreadable_card(terminal: Terminal, _app: object) -> None:
    reader = terminal.devices.id_card
    assert isinstance(reader, SimulatedCardReader), "the audit needs the in-process card reader"
    reader.fail_read()


def _out_of_service(terminal: Terminal, _app: object) -> None:
    terminal.session.home()
    terminal.take_out_of_service("layout audit", "audit")


def _on_screen(name: str) -> Ready:
    return lambda terminal: terminal.screen_name == name


STEPS: list[RenderStep] = [
    RenderStep("attract", lambda t, a: None, at(Step.ATTRACT)),
    RenderStep("identify", lambda t, a: t.session.begin(), at(Step.IDENTIFY)),
    RenderStep("identify-refused", _unreadable_card, lambda t: bool(t.session.error)),
    RenderStep("choose", _card, at(Step.CHOOSE)),
    RenderStep("help-open", _help),
    RenderStep("help-closed", _help),
    RenderStep("guide", lambda t, a: t.session.choose(DEMO_ITEM), at(Step.GUIDE)),
    RenderStep("form-phone", _answer_until_phone),
    RenderStep("form-phone-error", _wrong_phone),
    RenderStep("review", _finish_form, at(Step.REVIEW)),
    RenderStep("review-unticked", _submit_unticked, lambda t: bool(t.session.error)),
    RenderStep("receipt", _submit, _printed),
    RenderStep("rating", lambda t, a: t.session.to_rating(), at(Step.RATING)),
    RenderStep("rating-low", lambda t, a: a.root.manager.current_screen.pick(5),  # a poor rating asks why
               lambda t: bool(t.session.step is Step.RATING)),
    RenderStep("farewell", lambda t, a: t.rate(1, ()), at(Step.FAREWELL)),
    RenderStep("form-known-phone", _login_to_phone, _known_phone_shown),
    RenderStep("receipt-paper-out", _paper_out_then_submit, _print_failed),
    RenderStep("out-of-service", _out_of_service, _on_screen("out_of_service")),
]
