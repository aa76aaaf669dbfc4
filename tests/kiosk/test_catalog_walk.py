"""Every intake item and every bundle of every site, applied for end to end: card, guide, each
question answered as a resident would, review, submit, receipt, and the cases at the centre."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from drivers.idcard import samples
from drivers.simulated import SimulatedCardReader
from kiosk.catalog.model import Channel
from kiosk.config.settings import SOURCE_CONFIG, KioskConfig, load_config
from kiosk.delivery.outbox import OutboxState
from kiosk.session.outcome import PrintState
from kiosk.session.session import Step
from kiosk.terminal import Terminal
from tests.kiosk.catalog_answers import answer_for
from tests.kiosk.kiosk_support import MakeConfig, write_config
from tests.kiosk.terminal_support import pump_until, running_terminal

SITES = sorted(p.name for p in (SOURCE_CONFIG.parent / "sites").glob("*.toml"))


def apply_for(terminal: Terminal, chosen: str) -> None:
    """Identify with the sample card, choose, answer every question, accept, submit."""
    session = terminal.session
    reader = terminal.devices.id_card
    assert isinstance(reader, SimulatedCardReader)
    reader.place_card(samples.RESIDENT)
    pump_until(terminal, lambda: session.step is Step.CHOOSE)
    session.choose(chosen)
    session.start_form()
    while session.step is Step.FORM:
        question = session.question
        later = session.item.asked_fields if session.item else ()
        value = answer_for(question, later)
        assert session.answer(value), f"{chosen}: {question.id} = {value!r} refused: {session.error}"
    assert session.step is Step.REVIEW
    for index in range(len(session.commitments)):
        session.set_commitment(index, True)
    assert terminal.submit(), f"{chosen}: {session.error}"
    reader.remove_card()


def finish(terminal: Terminal) -> list[str]:
    """Wait for the receipt and the centre; return the case numbers and end the session."""
    session = terminal.session
    case = session.case
    assert case is not None
    numbers = [line.case_number for line in case.lines]
    link = terminal.link
    assert link is not None
    pump_until(terminal, lambda: case.print_state is PrintState.PRINTED
               and all(link.outbox.state_of(n) == OutboxState.SENT for n in numbers), timeout=20)
    session.home()
    return numbers


@pytest.mark.timeout(300)  # the street site's fifty items and bundles, each printed: two minutes on a busy machine
@pytest.mark.parametrize("site", SITES)
def test_every_intake_item_and_bundle_of_a_site_goes_through(site: str, tmp_path: Path,
                                                             kiosk_config: MakeConfig) -> None:
    loaded = load_config(write_config(tmp_path, {"site": f"sites/{site}"}))
    base = kiosk_config()
    config: KioskConfig = dataclasses.replace(base, site=loaded.site, catalog=loaded.catalog)
    offer = config.offer
    intake = [item.id for item in offer.items if item.channel is Channel.INTAKE]
    assert intake, f"{site} offers no intake item"
    with running_terminal(config) as terminal:
        for item_id in intake:
            apply_for(terminal, item_id)
            (number,) = finish(terminal)
            status = terminal.link.client.case_status(number)  # type: ignore[union-attr]
            assert status.item_id == item_id
        for bundle in offer.bundles:
            apply_for(terminal, bundle.id)
            numbers = finish(terminal)
            assert len(numbers) == len(bundle.item_ids) == len(set(numbers))
            for number, item_id in zip(numbers, bundle.item_ids, strict=True):
                assert terminal.link.client.case_status(number).item_id == item_id  # type: ignore[union-attr]
