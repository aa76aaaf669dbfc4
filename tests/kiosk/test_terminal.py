"""The terminal end to end without a screen: devices, outbox, embedded centre, printer."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from drivers.device import DeviceState
from drivers.idcard import samples
from kiosk.delivery.outbox import OutboxState
from kiosk.messages import MessageId
from kiosk.session.outcome import PrintState
from kiosk.session.session import Step
from kiosk.terminal import Terminal
from tests.kiosk.kiosk_support import UNREACHABLE_CENTRE, FakeClock, MakeConfig
from tests.kiosk.terminal_support import pump_until, running_terminal, walk_to_review


def printed(terminal: Terminal) -> bool:
    case = terminal.session.case
    return case is not None and case.print_state in (PrintState.PRINTED, PrintState.FAILED)


def test_a_whole_session_is_stored_printed_and_delivered(tmp_path: Path, kiosk_config: MakeConfig) -> None:
    with running_terminal(kiosk_config()) as terminal:
        walk_to_review(terminal)
        assert terminal.submit()
        session = terminal.session
        assert session.step is Step.RECEIPT
        case_number = session.case.case_number  # type: ignore[union-attr]
        pump_until(terminal, lambda: printed(terminal) and session.case.sent_to_centre)  # type: ignore[union-attr]
        assert session.case.print_state is PrintState.PRINTED  # type: ignore[union-attr]
        assert terminal.link.outbox.state_of(case_number) == OutboxState.SENT  # type: ignore[union-attr]
        status = terminal.link.client.case_status(case_number)  # type: ignore[union-attr]
        assert status.item_id == "residence-permit" and status.status.value == "received"
        prints = list((tmp_path / "data" / "prints").glob("*-receipt.png"))
        assert len(prints) == 1
        assert case_number.startswith(terminal.now().strftime("%Y%m%d") + "001")


def test_centre_unreachable_keeps_the_case_and_says_so_then_delivers_later(kiosk_config: MakeConfig) -> None:
    with running_terminal(kiosk_config(centre_url=UNREACHABLE_CENTRE)) as terminal:
        walk_to_review(terminal)
        terminal.submit()
        first = terminal.session.case.case_number  # type: ignore[union-attr]
        pump_until(terminal, lambda: printed(terminal) and terminal.link.sender.last_error is not None)  # type: ignore[union-attr]
        terminal.session.home()
        walk_to_review(terminal, "senior-citizen-card")
        terminal.submit()
        pump_until(terminal, lambda: printed(terminal))
        assert terminal.session.case.print_state is PrintState.PRINTED  # type: ignore[union-attr]
        assert "网络暂时中断" in terminal.receipt.plain_text()  # type: ignore[union-attr]
        assert not terminal.session.case.sent_to_centre  # type: ignore[union-attr]
        assert terminal.link.outbox.stats().unsent == 2  # type: ignore[union-attr]
    # The network is back (here: the same kiosk restarted with a reachable centre).
    with running_terminal(kiosk_config()) as terminal:
        pump_until(terminal, lambda: terminal.link.outbox.stats().unsent == 0)  # type: ignore[union-attr]
        assert terminal.link.client.case_status(first).case_number == first  # type: ignore[union-attr]


def test_printer_out_of_paper_shows_the_case_on_screen_and_reprints(kiosk_config: MakeConfig) -> None:
    with running_terminal(kiosk_config()) as terminal:
        terminal.devices.printer.set_paper(0)  # type: ignore[attr-defined]
        terminal.pump()
        assert terminal.availability is not None and not terminal.availability.printer
        assert terminal.availability.in_service  # cases are still taken
        walk_to_review(terminal)
        assert terminal.submit()
        case = terminal.session.case
        assert case is not None and case.print_state is PrintState.FAILED
        assert "打印机暂停使用" in case.print_message
        assert terminal.link.outbox.state_of(case.case_number) is not None  # nothing lost
        terminal.devices.printer.set_paper(50)  # type: ignore[attr-defined]
        terminal.pump()
        terminal.print_receipt()
        pump_until(terminal, lambda: printed(terminal))
        assert case.print_state is PrintState.PRINTED


def test_printer_failing_during_the_job_is_reported_not_raised(kiosk_config: MakeConfig) -> None:
    with running_terminal(kiosk_config()) as terminal:
        walk_to_review(terminal)
        terminal.devices.printer.set_cover_open(True)  # type: ignore[attr-defined]
        terminal.devices.printer._set_status(state=DeviceState.ONLINE)  # the cover sensor lags
        terminal.submit()
        pump_until(terminal, lambda: printed(terminal))
        assert terminal.session.case.print_state is PrintState.FAILED  # type: ignore[union-attr]
        assert "打印机盖" in terminal.session.case.print_message  # type: ignore[union-attr]


def test_a_card_removed_mid_flow_does_not_disturb_the_session(kiosk_config: MakeConfig) -> None:
    with running_terminal(kiosk_config()) as terminal:
        terminal.devices.id_card.place_card(samples.RESIDENT)  # type: ignore[attr-defined]
        pump_until(terminal, lambda: terminal.session.step is Step.CHOOSE)
        assert terminal.card_on_reader()
        terminal.devices.id_card.remove_card()  # type: ignore[attr-defined]
        terminal.pump()
        assert terminal.session.step is Step.CHOOSE and terminal.session.identity is not None
        assert not terminal.card_on_reader()


def test_a_failed_read_and_an_expired_card_are_explained(kiosk_config: MakeConfig) -> None:
    with running_terminal(kiosk_config()) as terminal:
        terminal.devices.id_card.fail_read()  # type: ignore[attr-defined]
        pump_until(terminal, lambda: terminal.session.step is Step.IDENTIFY)
        assert "身份证平放" in terminal.session.error
        terminal.now = lambda: datetime(2030, 1, 1).astimezone()
        terminal.devices.id_card.remove_card()  # type: ignore[attr-defined]
        terminal.devices.id_card.place_card(samples.HMT_RESIDENCE_PERMIT)  # type: ignore[attr-defined]
        pump_until(terminal, lambda: "有效期" in terminal.session.error)
        assert terminal.session.identity is None


def test_a_resident_who_walks_away_is_forgotten(kiosk_config: MakeConfig) -> None:
    clock = FakeClock()
    with running_terminal(kiosk_config(), clock=clock) as terminal:
        walk_to_review(terminal)
        clock.advance(terminal.config.timeouts.form + terminal.config.timeouts.warning)
        terminal.tick()
        assert terminal.session.step is Step.ATTRACT and terminal.session.identity is None


def test_a_full_disk_refuses_the_case_before_anything_is_lost(kiosk_config: MakeConfig) -> None:
    with running_terminal(kiosk_config()) as terminal:
        walk_to_review(terminal)
        terminal.link.outbox.min_free_bytes = 1 << 62  # type: ignore[union-attr]
        assert not terminal.submit()
        assert terminal.session.step is Step.REVIEW
        assert "存储空间不足" in terminal.session.error
        assert terminal.availability is not None and not terminal.availability.in_service
        assert terminal.link.outbox.stats().unsent == 0  # type: ignore[union-attr]


def test_a_dead_card_reader_leaves_qr_login_and_says_so(kiosk_config: MakeConfig) -> None:
    with running_terminal(kiosk_config()) as terminal:
        terminal.devices.id_card.unplug()  # type: ignore[attr-defined]
        terminal.pump()
        availability = terminal.availability
        assert availability is not None and availability.in_service and not availability.card
        assert any("扫码登录" in line for line in availability.notices())
        assert terminal.session.step is Step.ATTRACT and terminal.session.error_message is None  # nobody is there
        terminal.devices.qr.unplug()  # type: ignore[attr-defined]
        terminal.pump()
        assert not terminal.availability.in_service  # type: ignore[union-attr]


def test_the_shipped_config_runs_a_session_through_the_real_drivers(tmp_path: Path, kiosk_config: MakeConfig) -> None:
    """simwire://: the SAM, scanner and ESC/POS drivers against their simulators on ptys."""
    with running_terminal(kiosk_config(devices="wire")) as terminal:
        assert "simwire" in terminal.config.devices.id_card
        walk_to_review(terminal)
        assert terminal.submit()
        pump_until(terminal, lambda: printed(terminal) and terminal.session.case.sent_to_centre)  # type: ignore[union-attr]
        assert terminal.session.case.print_state is PrintState.PRINTED  # type: ignore[union-attr]
        assert list((tmp_path / "data" / "prints").glob("*receipt*.png"))


def test_qr_login_forged_code_and_receipt_lookup(kiosk_config: MakeConfig) -> None:
    import dataclasses
    from datetime import UTC, timedelta

    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from contract.qr_codes import issue_code

    identity_authority = Ed25519PrivateKey.generate()  # the e-government app's, trusted by the site
    config = kiosk_config()
    site = dataclasses.replace(config.site, identity_public_keys=(identity_authority.public_key(),))
    config = dataclasses.replace(config, site=site)
    with running_terminal(config) as terminal:
        scanner = terminal.devices.qr
        expires = datetime.now(UTC) + timedelta(minutes=5)
        data = {"name": "李四", "id_number": "320111194503120010"}
        audience = site.code_audience

        forged = issue_code(
            Ed25519PrivateKey.generate(), kind="login", code_id="f1", expires_at=expires, data=data, audience=audience
        )
        scanner.scan(forged)  # type: ignore[attr-defined]
        pump_until(terminal, lambda: bool(terminal.session.error))
        assert terminal.session.step is Step.IDENTIFY and terminal.session.identity is None

        # A receipt's lookup code: the status lookup shows the case, without identifying anyone.
        walk_to_review(terminal)
        terminal.submit()
        case_number = terminal.session.case.case_number  # type: ignore[union-attr]
        pump_until(terminal, lambda: printed(terminal) and terminal.session.case.sent_to_centre)  # type: ignore[union-attr]
        lookup = terminal.session.case.lookup_text  # type: ignore[union-attr]
        terminal.session.home()
        scanner.scan(lookup)  # type: ignore[attr-defined]
        lookups = terminal.identification.lookups
        pump_until(terminal, lambda: lookups.chosen is not None)
        assert terminal.session.step is Step.LOOKUP and terminal.session.identity is None
        assert (lookups.chosen.case_number, lookups.chosen.status) == (case_number, MessageId.CASE_RECEIVED)
        terminal.session.home()

        genuine = issue_code(
            identity_authority, kind="login", code_id="g1", expires_at=expires, data=data, audience=audience
        )
        scanner.scan(genuine)  # type: ignore[attr-defined]
        pump_until(terminal, lambda: terminal.session.step is Step.CHOOSE)
        assert terminal.session.identity is not None and terminal.session.identity.name == "李四"


def test_developer_panel_offers_each_simulated_device_and_a_signed_login(kiosk_config: MakeConfig) -> None:
    from kiosk.devices.developer import DeveloperControls

    with running_terminal(kiosk_config()) as terminal:
        controls = DeveloperControls(terminal)
        actions = {control.action for control in controls.controls()}
        assert {"card:0", "card:remove", "qr:login", "qr:garbage", "paper:0"} <= actions
        controls.run("paper:0")
        terminal.pump()
        assert not terminal.availability.printer  # type: ignore[union-attr]
        controls.run("qr:login")
        pump_until(terminal, lambda: terminal.session.step is Step.CHOOSE)
        assert terminal.session.identity is not None and terminal.session.identity.name == samples.RESIDENT.name


def test_the_kiosk_takes_cases_again_once_the_disk_has_room(kiosk_config: MakeConfig) -> None:
    with running_terminal(kiosk_config()) as terminal:
        walk_to_review(terminal)
        outbox = terminal.link.outbox  # type: ignore[union-attr]
        floor = outbox.min_free_bytes
        outbox.min_free_bytes = 1 << 62
        assert not terminal.submit()
        assert not terminal.availability.in_service  # type: ignore[union-attr]
        outbox.min_free_bytes = floor  # a technician freed the disk
        terminal.tick()
        assert terminal.availability.in_service  # type: ignore[union-attr]
        assert terminal.submit()


def test_a_card_left_on_the_reader_after_the_session_is_announced_until_it_is_taken(kiosk_config: MakeConfig) -> None:
    with running_terminal(kiosk_config()) as terminal:
        reader = terminal.devices.id_card
        reader.place_card(samples.RESIDENT)  # type: ignore[attr-defined]
        pump_until(terminal, lambda: terminal.session.step is Step.CHOOSE)
        assert not terminal.availability.card_left  # type: ignore[union-attr]  # in use, not left
        terminal.session.home()  # the resident walks away (a timeout ends the session the same way)
        terminal.pump()
        availability = terminal.availability
        assert availability is not None and availability.card_left and availability.in_service
        assert availability.notice_ids()[0] is MessageId.CARD_LEFT_BEHIND
        reader.remove_card()  # type: ignore[attr-defined]
        pump_until(terminal, lambda: not terminal.availability.card_left)  # type: ignore[union-attr]
        assert MessageId.CARD_LEFT_BEHIND not in terminal.availability.notice_ids()  # type: ignore[union-attr]


def test_a_session_ending_without_a_card_on_the_reader_announces_nothing(kiosk_config: MakeConfig) -> None:
    with running_terminal(kiosk_config()) as terminal:
        reader = terminal.devices.id_card
        reader.place_card(samples.RESIDENT)  # type: ignore[attr-defined]
        pump_until(terminal, lambda: terminal.session.step is Step.CHOOSE)
        reader.remove_card()  # type: ignore[attr-defined]
        terminal.pump()
        terminal.session.home()
        terminal.pump()
        assert not terminal.availability.card_left  # type: ignore[union-attr]
