"""The scripted demo goes the resident's way: played without a screen, its rating is recorded."""

from __future__ import annotations

from kiosk.cli.demo import DemoClock, demo_steps
from kiosk.cli.embedded_centre import centre_connector
from kiosk.terminal import Terminal
from tests.kiosk.kiosk_support import MakeConfig
from tests.support import wait_for


def test_the_demo_visit_submits_a_case_and_records_its_rating(kiosk_config: MakeConfig) -> None:
    config = kiosk_config(devices="wire")
    terminal = Terminal(config, clock=DemoClock(), centre=centre_connector(config))
    terminal.start()
    try:
        case_number = ""
        for step in demo_steps():
            step.action(terminal)
            wait_for(lambda step=step: step.ready(terminal), 10, on_each=terminal.pump, describe=step.name)
            if terminal.session.case is not None:
                case_number = terminal.session.case.case_number
        assert case_number
        assert terminal.link is not None
        assert terminal.link.ratings.state_of(case_number) is not None  # kept, to follow the case
        wait_for(lambda: terminal.link.ratings.state_of(case_number) == "sent", 10, on_each=terminal.pump)
    finally:
        terminal.stop()
