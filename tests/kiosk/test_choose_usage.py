"""The choose screen's "most used here": the terminal hands each new resident the kiosk's recent counts."""

from __future__ import annotations

from drivers.idcard import samples
from drivers.simulated import SimulatedCardReader
from kiosk.catalog.search import ranked_offers
from kiosk.session.session import Step
from tests.kiosk.kiosk_support import MakeConfig
from tests.kiosk.terminal_support import pump_until, running_terminal, walk_to_review


def test_cases_taken_here_rank_their_item_first_for_the_next_resident(kiosk_config: MakeConfig) -> None:
    with running_terminal(kiosk_config()) as terminal:
        session = terminal.session
        first_offered = ranked_offers(session.catalog, {})[0].id
        assert first_offered != "residence-permit"
        walk_to_review(terminal, "residence-permit")
        assert session.usage.get("residence-permit", 0) == 0  # counted when submitted, not before
        assert terminal.submit()
        pump_until(terminal, lambda: not session.printing)
        session.home()
        pump_until(terminal, lambda: session.step is Step.ATTRACT)
        reader = terminal.devices.id_card
        assert isinstance(reader, SimulatedCardReader)
        reader.remove_card()
        reader.place_card(samples.RESIDENT)
        pump_until(terminal, lambda: session.step is Step.CHOOSE)
        assert session.usage == {"residence-permit": 1}
        assert ranked_offers(session.catalog, session.usage)[0].id == "residence-permit"
