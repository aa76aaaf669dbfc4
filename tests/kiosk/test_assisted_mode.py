"""Assisted mode (帮办) without a screen: the staff code first, then the applicant; what is refused.

The walk by touch (``tests/ui/test_assisted_ui.py``) checks the same through the window, up to
the centre's case and the receipt.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from contract import qr_codes
from drivers.idcard import samples
from drivers.simulated import SimulatedCardReader
from kiosk.cli.embedded_centre import IDENTITY_KEY_FILE, DevelopmentIdentityAuthority
from kiosk.messages import MessageId, say
from kiosk.session.session import Step
from kiosk.terminal import Terminal
from tests.kiosk.kiosk_support import FakeClock, MakeConfig
from tests.kiosk.terminal_support import pump_until, running_terminal


def authority(terminal: Terminal) -> DevelopmentIdentityAuthority:
    """The development identity authority the embedded centre's kiosk trusts (same key file)."""
    config = terminal.config
    return DevelopmentIdentityAuthority(Path(config.data_dir) / IDENTITY_KEY_FILE, config.site.code_audience)


def scan(terminal: Terminal, text: str) -> None:
    terminal.devices.qr.scan(text)  # type: ignore[attr-defined]


def test_staff_code_then_card_sets_assisted_by_and_wipe_forgets_it(kiosk_config: MakeConfig) -> None:
    with running_terminal(kiosk_config()) as terminal:
        session = terminal.session
        pump_until(terminal, lambda: terminal.link is not None and terminal.identification.parser is not None)
        session.begin()
        terminal.identification.ask_for_staff()
        assert session.assistance.waiting and "帮办码" in session.notice

        reader = terminal.devices.id_card
        assert isinstance(reader, SimulatedCardReader)
        reader.place_card(samples.RESIDENT)  # the staff member's own card proves nothing
        pump_until(terminal, lambda: session.error == say(MessageId.ASSISTED_STAFF_FIRST))
        assert session.identity is None and session.step is Step.IDENTIFY
        reader.remove_card()

        login = authority(terminal).login_code("李四", "320111194503120010")
        scan(terminal, login)  # a resident's login code is not a staff code
        pump_until(terminal, lambda: session.error == say(MessageId.STAFF_CODE_NOT_STAFF))
        assert session.identity is None

        scan(terminal, authority(terminal).staff_code("0427"))
        pump_until(terminal, lambda: session.assistance.staff_no == "0427")
        assert not session.assistance.waiting and not session.error

        reader.place_card(samples.RESIDENT)
        pump_until(terminal, lambda: session.step is Step.CHOOSE)
        assert session.assistance.staff_no == "0427"
        session.home()
        assert session.assistance.staff_no is None and not session.assistance.active


def test_expired_forged_and_numberless_staff_codes_are_refused(kiosk_config: MakeConfig) -> None:
    with running_terminal(kiosk_config()) as terminal:
        session = terminal.session
        pump_until(terminal, lambda: terminal.identification.parser is not None)
        session.begin()
        terminal.identification.ask_for_staff()
        audience = terminal.config.site.code_audience
        now = datetime.now(UTC)

        expired = authority(terminal).staff_code("0427", valid_for=timedelta(seconds=1))
        later = now + timedelta(hours=1)
        terminal.identification.now = lambda: later  # the code is an hour old by the kiosk's clock
        scan(terminal, expired)
        pump_until(terminal, lambda: session.error == say(MessageId.STAFF_CODE_EXPIRED))
        terminal.identification.now = lambda: datetime.now().astimezone()

        forged = qr_codes.issue_code(Ed25519PrivateKey.generate(), kind=qr_codes.KIND_STAFF, code_id="x1",
                                     audience=audience, expires_at=now + timedelta(minutes=5),
                                     data={"staff_no": "0427"})
        scan(terminal, forged)
        pump_until(terminal, lambda: session.error == say(MessageId.STAFF_CODE_REFUSED))

        scan(terminal, "just some text")
        pump_until(terminal, lambda: session.error == say(MessageId.STAFF_CODE_NOT_STAFF))
        assert session.assistance.waiting and session.assistance.staff_no is None


def test_a_staff_code_is_never_a_login_and_the_site_trusts_only_its_identity_authority(
        kiosk_config: MakeConfig) -> None:
    centre_key = Ed25519PrivateKey.generate()
    config = kiosk_config()
    config = dataclasses.replace(config, site=dataclasses.replace(config.site, centre_public_keys=(
        centre_key.public_key(),)))
    with running_terminal(config) as terminal:
        session = terminal.session
        pump_until(terminal, lambda: terminal.identification.parser is not None)
        signed_by_centre = qr_codes.issue_code(
            centre_key, kind=qr_codes.KIND_STAFF, code_id="c1", audience=config.site.code_audience,
            expires_at=datetime.now(UTC) + timedelta(minutes=5), data={"staff_no": "0427"})
        scan(terminal, signed_by_centre)  # the centre's key cannot make anyone staff
        pump_until(terminal, lambda: bool(session.error))
        assert not session.assistance.active and session.identity is None


def test_the_developer_panel_scans_a_staff_code(kiosk_config: MakeConfig) -> None:
    from kiosk.devices.developer import DeveloperControls

    with running_terminal(kiosk_config()) as terminal:
        pump_until(terminal, lambda: terminal.identification.parser is not None)
        controls = DeveloperControls(terminal)
        assert "qr:staff" in {control.action for control in controls.controls()}
        terminal.session.begin()
        controls.run("qr:staff")
        pump_until(terminal, lambda: terminal.session.assistance.staff_no == "0427")


def test_an_abandoned_assisted_session_times_out_like_any_other(kiosk_config: MakeConfig) -> None:
    clock = FakeClock()
    with running_terminal(kiosk_config(), clock=clock) as terminal:
        session = terminal.session
        pump_until(terminal, lambda: terminal.identification.parser is not None)
        session.begin()
        scan(terminal, authority(terminal).staff_code("0427"))
        pump_until(terminal, lambda: session.assistance.staff_no == "0427")
        timeouts = terminal.config.timeouts
        clock.advance(timeouts.idle_limit("identify") + timeouts.warning + 1)
        terminal.tick()
        assert session.step is Step.ATTRACT and not session.assistance.active
