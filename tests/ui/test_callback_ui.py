"""Help at night through the real window: at a 24-hour site outside its staffed hours,
需要帮助 offers a call-back; the number typed on the pad (or the session's, confirmed with one
tap) goes to the centre only with consent, and staff find it in the console."""

from __future__ import annotations

import re
from datetime import datetime

import pytest
import requests

from kiosk.app import build_app, prepare_kivy
from kiosk.cli.embedded_centre import EmbeddedCentreConnector, centre_connector
from kiosk.session.callback import CallbackState
from kiosk.session.session import Step
from kiosk.terminal import Terminal
from tests.kiosk.kiosk_support import MakeConfig
from tests.ui.ui_support import exists, find, run_with_script, tap, until

pytestmark = [pytest.mark.ui, pytest.mark.timeout(90)]


def night() -> datetime:
    """22:00 today, local time: the community site is open (24 h) but staffed 08:30-17:30."""
    return datetime.now().astimezone().replace(hour=22, minute=0)


def console_page(connector: EmbeddedCentreConnector, path: str) -> str:
    """A page of the embedded centre's console, as its supervisor sees it."""
    centre = connector.centre
    assert centre is not None
    with requests.Session() as browser:
        browser.trust_env = False
        login = browser.post(f"{centre.base_url}/console/login", allow_redirects=False, timeout=10,
                             data={"token": centre.clerk_token, "next": "/console/"})
        assert login.status_code == 303
        page = browser.get(f"{centre.base_url}{path}", timeout=10)
        assert page.status_code == 200
        return page.text


def test_a_resident_asks_for_a_call_back_at_night(kiosk_config: MakeConfig) -> None:
    config = kiosk_config()
    assert config.site.staffed == ("08:30", "17:30") and config.site.always_open
    connector = centre_connector(config)
    assert isinstance(connector, EmbeddedCentreConnector)
    terminal = Terminal(config, centre=connector, now=night)
    prepare_kivy(config, "portrait")
    terminal.start()
    app = build_app(config, terminal, developer_panel=True)
    session = terminal.session

    def screen() -> str:
        return str(app.root.manager.current)

    def script():  # type: ignore[no-untyped-def]
        root = app.root
        form = root.callback
        yield from until(lambda: screen() == "attract" and terminal.link is not None)
        tap(find(root, "help"))
        yield from until(lambda: screen() == "callback")
        assert session.step is Step.IDENTIFY  # the session's timeout applies
        assert "08:30-17:30" in find(root, "callback-intro").text
        assert not exists(root, "callback-use-known")
        for key in "13812345678":
            tap(find(root, f"key-{key}"))
            yield 0.02
        yield from until(lambda: find(root, "callback-typed").text == "138 1234 5678")
        tap(find(root, "callback-send"))  # no consent yet: nothing leaves the kiosk
        yield from until(lambda: "同意工作人员回电" in find(root, "callback-problem-text").text)
        assert form.state is CallbackState.EDITING
        tap(find(root, "callback-consent"))
        yield from until(lambda: form.consent)
        tap(find(root, "callback-send"))
        yield from until(lambda: form.state is CallbackState.SENT)
        assert "138****5678" in find(root, "callback-sent-text").text
        listing = console_page(connector, "/console/callbacks")
        assert "138****5678" in listing and config.site.name in listing and "13812345678" not in listing
        reference = re.search(r'href="/console/callbacks/(\d+)"', listing)
        assert reference is not None
        assert "13812345678" in console_page(connector, f"/console/callbacks/{reference.group(1)}")
        tap(find(root, "callback-close"))
        yield from until(lambda: screen() == "identify")
        assert form.typed == "" and not form.is_open

        # In a session that already knows the number: one tap confirms it, masked.
        tap(find(root, "dev-放卡：张*丰"))
        yield from until(lambda: screen() == "choose")
        session.choose("residence-permit")
        session.start_form()
        while session.step is Step.FORM:
            question = session.question
            session.answer(question.options[0] if question.kind == "choice" else "13900001111")
        yield from until(lambda: screen() == "review")
        tap(find(root, "help"))
        yield from until(lambda: screen() == "callback")
        assert find(root, "callback-known").text == "是 139****1111 吗？"
        assert find(root, "callback-use-known").selected
        tap(find(root, "callback-consent"))
        yield from until(lambda: form.consent)
        tap(find(root, "callback-send"))
        yield from until(lambda: form.state is CallbackState.SENT)
        assert "139****1111" in console_page(connector, "/console/callbacks")
        tap(find(root, "back"))  # the footer's Back closes the form, back where the resident was
        yield from until(lambda: screen() == "review")
        tap(find(root, "home"))
        yield from until(lambda: screen() == "attract")
        assert not form.is_open and form.known is None

    try:
        run_with_script(app, script)
    finally:
        terminal.stop()
