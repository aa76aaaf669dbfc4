"""Draw the status lookup's screens (办件查询) to PNGs: the attract tile, the three ways, the
typed number and its error, the phone digits, waiting, one case asked for more materials, the
card holder's list, and the failures (nothing found, the centre unreachable, a card not read).

``python -m tests.ui.render_lookup OUT portrait|landscape``: each screen in standard then elder
mode, against the embedded centre with three of the sample resident's cases. Look at every PNG.
``test_lookup_ui`` drives the same screens by touch.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from drivers.errors import CardDataInvalid
from drivers.idcard import samples
from kiosk.session.scanned_codes import ReceiptLookup
from kiosk.session.session import Step
from kiosk.session.status_lookup import StatusLookups, View
from kiosk.terminal import Terminal
from tests.kiosk.kiosk_support import write_config
from tests.kiosk.lookup_support import PHONE, HeldSource, SeededCase, seed_cases
from tests.ui.render_support import RenderStep, render

seeded: list[SeededCase] = []
held: list[HeldSource] = []


def lookups(terminal: Terminal) -> StatusLookups:
    return terminal.identification.lookups


def at(view: View) -> Any:
    return lambda t: t.session.step is Step.LOOKUP and lookups(t).view is view


def _seed(terminal: Terminal, _app: object) -> None:
    seeded[:] = seed_cases(terminal)


def _open(terminal: Terminal, _app: object) -> None:
    terminal.session.open_lookup()


def _typed(digits: str) -> Any:
    def action(terminal: Terminal, app: Any) -> None:
        screen = app.root.manager.current_screen
        lookups(terminal).type_number()
        screen._panels["LookupTyping"].ids.keypad.value = digits
    return action


def _number_wrong(terminal: Terminal, app: Any) -> None:
    lookups(terminal).number_typed("2026")


def _number_right(terminal: Terminal, app: Any) -> None:
    lookups(terminal).number_typed(seeded[0].case_number)
    app.root.manager.current_screen._panels["LookupTyping"].ids.keypad.value = PHONE[-2:]


def _waiting(terminal: Terminal, _app: object) -> None:
    source = HeldSource(lookups(terminal).source)  # type: ignore[arg-type]
    held[:] = [source]
    lookups(terminal).source = source
    lookups(terminal).tail_typed(PHONE[-4:])


def _answered(terminal: Terminal, _app: object) -> None:
    held[0].release()
    lookups(terminal).source = held[0].source


def _not_found(terminal: Terminal, _app: object) -> None:
    lookups(terminal).reset()
    lookups(terminal).number_typed(seeded[1].case_number)
    lookups(terminal).tail_typed("0000")


def _card(terminal: Terminal, _app: object) -> None:
    lookups(terminal).reset()
    terminal.devices.id_card.place_card(samples.RESIDENT)  # type: ignore[attr-defined]


def _first_of_list(terminal: Terminal, _app: object) -> None:
    terminal.devices.id_card.remove_card()  # type: ignore[attr-defined]
    lookups(terminal).choose(lookups(terminal).cases[0])


def _card_failed(terminal: Terminal, _app: object) -> None:
    lookups(terminal).card_failed(CardDataInvalid)


def _unreachable(terminal: Terminal, _app: object) -> None:
    lookups(terminal).source = None
    lookups(terminal).receipt_scanned(ReceiptLookup(seeded[2].case_number, seeded[2].token))


STEPS: list[RenderStep] = [
    RenderStep("lookup-attract", _seed, lambda t: t.session.step is Step.ATTRACT and len(seeded) == 3),
    RenderStep("lookup-ways", _open, at(View.WAYS)),
    RenderStep("lookup-number", _typed("20261203001"), at(View.NUMBER)),
    RenderStep("lookup-number-error", _number_wrong, lambda t: lookups(t).problem is not None),
    RenderStep("lookup-tail", _number_right, at(View.TAIL)),
    RenderStep("lookup-waiting", _waiting, at(View.WAITING)),
    RenderStep("lookup-case-materials", _answered, at(View.CASE)),
    RenderStep("lookup-not-found", _not_found, at(View.PROBLEM)),
    RenderStep("lookup-card-list", _card, at(View.LIST)),
    RenderStep("lookup-case-from-list", _first_of_list, at(View.CASE)),
    RenderStep("lookup-card-failed", _card_failed, at(View.PROBLEM)),
    RenderStep("lookup-unreachable", _unreachable, at(View.PROBLEM)),
]


if __name__ == "__main__":
    import tempfile

    from kiosk.config.settings import load_config

    config = load_config(write_config(Path(tempfile.mkdtemp()), {}))
    sys.exit(render(config, sys.argv[2], Path(sys.argv[1]), STEPS, first=None))
