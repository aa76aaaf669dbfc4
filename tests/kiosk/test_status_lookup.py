"""The status lookup (办件查询) without a window: a terminal on simulated devices and its
embedded centre, the three ways in, and what the resident is told when a way fails."""

from __future__ import annotations

import logging
import threading

import pytest

from contract.resident_status import RESIDENT_WORDS
from drivers.errors import CardDataInvalid
from drivers.idcard import samples
from kiosk.messages import MessageId, say
from kiosk.session.session import Step
from kiosk.session.status_lookup import CASE_STATES, View, grouped_case_number
from kiosk.terminal import Terminal
from tests.kiosk.kiosk_support import UNREACHABLE_CENTRE, MakeConfig
from tests.kiosk.lookup_support import PHONE, HeldSource, seed_cases
from tests.kiosk.terminal_support import pump_until, running_terminal


def lookups_at(terminal: Terminal, view: View) -> bool:
    return terminal.identification.lookups.view is view


def test_the_kiosks_next_steps_are_the_centres_words() -> None:
    for state, (status, next_step) in CASE_STATES.items():
        assert say(next_step) == RESIDENT_WORDS[state][1], state
        assert status.name.startswith("CASE_")


def test_three_ways_to_a_case_and_nothing_personal_in_the_log(kiosk_config: MakeConfig,
                                                             caplog: pytest.LogCaptureFixture) -> None:
    with running_terminal(kiosk_config()) as terminal, caplog.at_level(logging.DEBUG):
        seeded = seed_cases(terminal)
        lookups = terminal.identification.lookups

        # The receipt's QR at attract opens the lookup on its case.
        terminal.devices.qr.scan(seeded[0].receipt_text)  # type: ignore[attr-defined]
        pump_until(terminal, lambda: lookups_at(terminal, View.CASE))
        assert terminal.session.step is Step.LOOKUP and terminal.session.identity is None
        case = lookups.chosen
        assert case is not None and case.case_number == seeded[0].case_number
        assert case.status is MessageId.CASE_MORE_MATERIALS_NEEDED and "户口簿原件及复印件" in case.missing

        # A typed number asks for the phone's last 4 digits; wrong ones find nothing.
        lookups.type_number()
        lookups.number_typed(seeded[1].case_number[:11])
        assert lookups.view is View.NUMBER and lookups.problem is not None
        lookups.number_typed(seeded[1].case_number)
        assert lookups.view is View.TAIL
        lookups.tail_typed("0000")
        pump_until(terminal, lambda: lookups_at(terminal, View.PROBLEM))
        assert lookups.problem is not None and lookups.problem.id is MessageId.LOOKUP_NOT_FOUND
        lookups.reset()
        lookups.type_number()
        lookups.number_typed(seeded[1].case_number)
        lookups.tail_typed(PHONE[-4:])
        pump_until(terminal, lambda: lookups_at(terminal, View.CASE))
        assert lookups.chosen is not None and lookups.chosen.item_id == "senior-citizen-card"

        # The card lists the holder's cases, newest first; it starts no session.
        lookups.reset()
        terminal.devices.id_card.place_card(samples.RESIDENT)  # type: ignore[attr-defined]
        pump_until(terminal, lambda: lookups_at(terminal, View.LIST))
        assert [c.case_number for c in lookups.cases] == [s.case_number for s in reversed(seeded)]
        assert terminal.session.identity is None and terminal.session.step is Step.LOOKUP
        lookups.choose(lookups.cases[2])
        assert lookups.view is View.CASE and lookups.by_card

        # Home forgets it all.
        terminal.session.home()
        assert lookups.view is View.WAYS and lookups.cases == () and lookups.chosen is None
    for secret in (samples.RESIDENT.id_number, samples.RESIDENT.name, PHONE, seeded[0].token):
        assert secret not in caplog.text


def test_a_card_not_read_and_a_code_not_a_receipt_say_so(kiosk_config: MakeConfig) -> None:
    with running_terminal(kiosk_config()) as terminal:
        lookups = terminal.identification.lookups
        terminal.session.open_lookup()
        terminal.identification.reader_failed(CardDataInvalid)
        assert lookups.view is View.PROBLEM and lookups.problem is not None
        assert lookups.problem.id is MessageId.CARD_DATA_INVALID
        terminal.devices.qr.scan("not a code of ours")  # type: ignore[attr-defined]
        pump_until(terminal, lambda: lookups.problem is not None and lookups.problem.id is MessageId.CODE_UNKNOWN)
        assert terminal.session.step is Step.LOOKUP


def test_an_unreachable_centre_offers_another_try(kiosk_config: MakeConfig) -> None:
    with running_terminal(kiosk_config(centre_url=UNREACHABLE_CENTRE)) as terminal:
        lookups = terminal.identification.lookups
        terminal.session.open_lookup()
        terminal.devices.id_card.place_card(samples.RESIDENT)  # type: ignore[attr-defined]
        pump_until(terminal, lambda: lookups_at(terminal, View.PROBLEM))
        assert lookups.problem is not None and lookups.problem.id is MessageId.LOOKUP_UNREACHABLE
        lookups.retry()
        assert lookups.view is View.WAITING
        pump_until(terminal, lambda: lookups_at(terminal, View.PROBLEM))


def test_a_case_the_kiosk_took_is_found_by_its_number_and_phone_and_by_the_card(kiosk_config: MakeConfig) -> None:
    """The centre finds the mobile number among the answers the real form sends."""
    from tests.kiosk.terminal_support import walk_to_review

    with running_terminal(kiosk_config()) as terminal:
        walk_to_review(terminal)  # answers the phone question with 13812345678
        assert terminal.submit()
        case = terminal.session.case
        assert case is not None
        pump_until(terminal, lambda: case.sent_to_centre and not terminal.session.printing)
        terminal.session.home()
        lookups = terminal.identification.lookups
        terminal.session.open_lookup()
        lookups.number_typed(case.case_number)
        lookups.tail_typed("5678")
        pump_until(terminal, lambda: lookups_at(terminal, View.CASE))
        assert lookups.chosen is not None and lookups.chosen.case_number == case.case_number
        lookups.reset()
        terminal.devices.id_card.remove_card()  # type: ignore[attr-defined]
        terminal.devices.id_card.place_card(samples.RESIDENT)  # type: ignore[attr-defined]
        pump_until(terminal, lambda: lookups_at(terminal, View.LIST))
        assert [found.case_number for found in lookups.cases] == [case.case_number]


def test_too_many_tries_says_so_and_offers_another_try(kiosk_config: MakeConfig) -> None:
    from central.lookup_limits import Rate
    from central.status_lookups import StatusLimits

    with running_terminal(kiosk_config()) as terminal:
        seeded = seed_cases(terminal)
        centre = terminal.centre.centre  # type: ignore[attr-defined]  # the embedded centre
        centre.app.state.status_limits = StatusLimits(number_per_kiosk=Rate(burst=1, per_minute=0.001))
        lookups = terminal.identification.lookups
        terminal.session.open_lookup()
        for expected in (MessageId.LOOKUP_NOT_FOUND, MessageId.LOOKUP_TOO_MANY):
            lookups.reset()
            lookups.type_number()
            lookups.number_typed(seeded[0].case_number)
            lookups.tail_typed("1111")
            pump_until(terminal, lambda: lookups_at(terminal, View.PROBLEM))
            assert lookups.problem is not None and lookups.problem.id is expected


def test_an_answer_after_the_resident_left_is_dropped(kiosk_config: MakeConfig) -> None:
    with running_terminal(kiosk_config()) as terminal:
        seeded = seed_cases(terminal)
        lookups = terminal.identification.lookups
        held = HeldSource(lookups.source)  # type: ignore[arg-type]
        lookups.source = held
        terminal.devices.qr.scan(seeded[2].receipt_text)  # type: ignore[attr-defined]
        pump_until(terminal, lambda: lookups_at(terminal, View.WAITING))
        terminal.session.home()  # the resident leaves before the centre answers
        held.release()
        pump_until(terminal, lambda: not any(t.name == "status-lookup" for t in threading.enumerate()))
        terminal.pump()  # the answer, posted by now, is dropped
        assert terminal.session.step is Step.ATTRACT
        assert lookups.view is View.WAYS and lookups.chosen is None


def test_case_numbers_read_as_the_receipt_prints_them() -> None:
    assert grouped_case_number("202612030019001") == "20261203 001 9001"
    assert grouped_case_number("2026120300") == "20261203 00"
