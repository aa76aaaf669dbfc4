"""The help call-back without a screen: when it is offered (staffed hours), what the form
refuses, that a centre out of reach ends in the site's phone number after the retries, and that
the number is kept nowhere once the form closes."""

from __future__ import annotations

import dataclasses
import socket
import threading
from collections.abc import Callable
from datetime import datetime, time

from kiosk.config.settings import Site
from kiosk.delivery.callbacks import CallbackSender
from kiosk.delivery.centre_client import CentreClient
from kiosk.messages import MessageId, say
from kiosk.session.callback import CallbackForm, CallbackState
from tests.kiosk.kiosk_support import MakeConfig
from tests.support import wait_for


def at(hour: int, minute: int = 0) -> Callable[[], datetime]:
    return lambda: datetime.now().astimezone().replace(hour=hour, minute=minute)


def closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def form_for(site: Site, now: Callable[[], datetime], client: CentreClient | None = None) -> CallbackForm:
    """A form whose sender answers on its own thread, straight into the form."""
    sender = CallbackSender(lambda: client, delays=(0.0, 0.0))
    return CallbackForm(site, sender, now, post=lambda call: call())


def test_staffed_hours_say_when_help_offers_a_call_back(kiosk_config: MakeConfig) -> None:
    site = kiosk_config().site  # the community site: open 24 hours, staffed 08:30-17:30
    assert site.always_open and site.staffed == ("08:30", "17:30")
    assert site.staffed_at(time(8, 30)) and site.staffed_at(time(17, 29))
    assert not site.staffed_at(time(17, 30)) and not site.staffed_at(time(3, 0))
    assert not form_for(site, at(12)).offered()  # staff are there: Help keeps its line
    assert form_for(site, at(22)).offered()
    street = dataclasses.replace(site, opens="08:30", closes="17:30")  # closed at night: nothing to offer
    assert not form_for(street, at(22)).offered() and not form_for(street, at(12)).offered()
    overnight = dataclasses.replace(site, staffed=("22:00", "06:00"))  # a night desk
    assert overnight.staffed_at(time(23, 0)) and overnight.staffed_at(time(5, 59))
    assert not overnight.staffed_at(time(12, 0))


def test_the_form_needs_a_mobile_number_and_the_consent(kiosk_config: MakeConfig) -> None:
    form = form_for(kiosk_config().site, at(22))
    form.open(known=None)
    form.type("1381234")
    assert not form.send() and form.problem is not None
    assert say(form.problem) == say(MessageId.CALLBACK_PHONE_INVALID)
    form.type("13812345678")
    assert not form.send() and say(form.problem) == say(MessageId.CALLBACK_CONSENT_NEEDED)
    assert form.state is CallbackState.EDITING

    form.close()
    assert form.typed == "" and form.known is None and not form.consent

    form.open(known="13900001111")  # the session's number: one tap, shown masked
    assert form.use_known and form.number == "13900001111" and form.masked_known == "139****1111"
    form.choose_known(False)
    assert form.number == ""


def test_a_centre_out_of_reach_ends_in_the_sites_phone_after_the_retries(kiosk_config: MakeConfig) -> None:
    site = kiosk_config().site
    client = CentreClient(f"http://127.0.0.1:{closed_port()}", "token", connect_timeout=1, read_timeout=1)
    answers: list[Callable[[], None]] = []  # posted to "the UI thread": run below, as the app would
    form = CallbackForm(site, CallbackSender(lambda: client, delays=(0.0, 0.0)), at(22), post=answers.append)
    try:
        form.open(known=None)
        form.type("13812345678")
        form.set_consent(True)
        assert form.send() and form.state is CallbackState.SENDING
        wait_for(lambda: bool(answers), 30)
        threading.Event().wait(0.2)  # room for a second answer, were there one
        assert len(answers) == 1  # one answer, after the last try
        answers[0]()
        assert form.state is CallbackState.FAILED and site.contact_phone in say(form.problem)
    finally:
        client.close()
