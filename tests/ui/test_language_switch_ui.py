"""The header's language switch by touch, mid-form, in a real window offscreen: the words
change, the answers, the question reached and the digits being typed stay, a choice tapped in
English is stored in the catalogue's own words, and the next resident starts in zh-Hans."""

from __future__ import annotations

import pytest
from kivy.clock import Clock

from drivers.idcard import samples
from kiosk.app import build_app, prepare_kivy
from kiosk.catalog.translated import field_in
from kiosk.cli.embedded_centre import centre_connector
from kiosk.messages import MessageId, catalog_text, say
from kiosk.session.session import Step
from kiosk.terminal import Terminal
from tests.kiosk.catalog_answers import answer_for
from tests.kiosk.kiosk_support import MakeConfig
from tests.support.chinese_script import chinese_in
from tests.ui.ui_support import find, run_with_script, tap, until

pytestmark = [pytest.mark.ui, pytest.mark.timeout(120)]

ITEM = "residence-permit"  # a phone number, then two choices


def test_switching_language_mid_form_keeps_the_answers_and_the_place(kiosk_config: MakeConfig) -> None:
    config = kiosk_config()
    terminal = Terminal(config, centre=centre_connector(config))
    prepare_kivy(config, "portrait")
    terminal.start()
    app = build_app(config, terminal, developer_panel=False)
    session = terminal.session

    def script():  # type: ignore[no-untyped-def]
        root = app.root
        yield from until(lambda: root.manager.current == "attract")
        session.begin()
        terminal.devices.id_card.place_card(samples.RESIDENT)  # type: ignore[attr-defined]
        yield from until(lambda: root.manager.current == "choose")
        session.choose(ITEM)
        session.start_form()
        yield from until(lambda: root.manager.current == "form")

        # Half a phone number typed, then English: the digits and the question stay.
        for digit in "138123":
            tap(find(root, f"key-{digit}"))
            yield 0.02
        tap(find(root, "language-en"))
        yield from until(lambda: app.language == "en"
                         and find(root, "form-next").text == say(MessageId.UI_FORM_NEXT, "en"))  # redrawn
        yield 0.1
        assert session.step is Step.FORM and session.form_index == 0
        assert find(root, "typed-value").text == "138123"
        assert find(root, "form-question").text == field_in(session.question, "en").label
        assert find(root, "form-next").text == say(MessageId.UI_FORM_NEXT, "en")
        for digit in "45678":
            tap(find(root, f"key-{digit}"))
            yield 0.02
        tap(find(root, "form-next"))
        yield from until(lambda: session.form_index == 1)

        # A choice read in English is stored in the catalogue's words.
        question = session.question
        yield from until(lambda: find(root, "option-0").text == catalog_text(question.options[0], "en"))
        assert not chinese_in(find(root, "option-0").text)
        tap(find(root, "option-0"))
        yield from until(lambda: session.form_index == 2)
        assert session.answers == {"phone": "13812345678", question.id: question.options[0]}

        # 繁體 on the next question: the same place, the same answers, the words in zh-Hant.
        answers = dict(session.answers)
        tap(find(root, "language-zh-Hant"))
        yield from until(lambda: find(root, "form-question").text == field_in(session.question, "zh-Hant").label)
        assert session.form_index == 2 and session.answers == answers
        while session.step is Step.FORM:
            assert session.item is not None
            session.answer(answer_for(session.question, session.item.asked_fields))
        yield from until(lambda: root.manager.current == "review")
        assert find(root, "review-title").text == say(MessageId.UI_REVIEW_TITLE, "zh-Hant")
        assert session.submitted_answers()[question.id] == question.options[0]

        # The session ends: the next resident starts in zh-Hans.
        tap(find(root, "home"))
        yield from until(lambda: root.manager.current == "attract")
        assert session.language == "zh-Hans" and app.language == "zh-Hans"
        assert find(root, "header-title").text == config.site.branding.title

    try:
        run_with_script(app, script)
    finally:
        terminal.stop()


def test_a_stopped_kiosk_app_leaves_the_next_one_alone(kiosk_config: MakeConfig) -> None:
    """Kivy's clock and its running app are one per process: a stopped app's root must stop
    ticking and must never set the language of the app that runs after it (seen on CI: an
    earlier test's session ending turned this one's buttons back to zh-Hans)."""
    earlier_terminal = Terminal(earlier_config := kiosk_config(), centre=centre_connector(earlier_config))
    prepare_kivy(earlier_terminal.config, "portrait")
    earlier_terminal.start()
    earlier = build_app(earlier_terminal.config, earlier_terminal, developer_panel=False)

    def leave_mid_session():  # type: ignore[no-untyped-def]
        yield from until(lambda: earlier.root.manager.current == "attract")
        earlier_terminal.session.begin()
        yield 0.1

    try:
        run_with_script(earlier, leave_mid_session)
        earlier_root = earlier.root
        ticking = [event for event in Clock.get_events()  # a pending layout pass is no harm
                   if getattr(event.get_callback(), "__self__", None) is earlier_root and event.timeout > 0]
        assert ticking == []

        config = kiosk_config()
        terminal = Terminal(config, centre=centre_connector(config))
        terminal.start()
        app = build_app(config, terminal, developer_panel=False)

        def switch_then_the_earlier_session_ends():  # type: ignore[no-untyped-def]
            yield from until(lambda: app.root.manager.current == "attract")
            tap(find(app.root, "language-en"))
            yield from until(lambda: app.language == "en")
            earlier_terminal.session.home()  # as its inactivity timeout would
            yield 1.2
            assert terminal.session.language == "en" and app.language == "en"

        try:
            run_with_script(app, switch_then_the_earlier_session_ends)
        finally:
            terminal.stop()
    finally:
        earlier_terminal.stop()
