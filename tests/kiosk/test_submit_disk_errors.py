"""A disk that fails mid-visit: the resident is told whom to call, and nothing stored is lost."""

from __future__ import annotations

from pathlib import Path

from kiosk.session.session import Step
from tests.kiosk.kiosk_support import MakeConfig
from tests.kiosk.terminal_support import pump_until, running_terminal, walk_to_review


def test_a_disk_error_while_numbering_the_case_says_whom_to_call(kiosk_config: MakeConfig) -> None:
    config = kiosk_config()
    with running_terminal(config) as terminal:
        walk_to_review(terminal)
        assert terminal.submit()  # one case is safe in the outbox
        first = terminal.session.case.case_number  # type: ignore[union-attr]
        pump_until(terminal, lambda: not terminal.session.printing)
        terminal.session.home()

        # The numbering file's place is taken, as a failing disk would leave it: writing fails.
        sequence = Path(config.data_dir) / "case-sequence"
        aside = sequence.rename(sequence.with_name("case-sequence.aside"))
        sequence.mkdir()
        walk_to_review(terminal)
        assert not terminal.submit()  # no exception reaches the screen

        assert terminal.session.step is Step.REVIEW
        assert config.site.contact_phone in terminal.session.error
        assert terminal.link is not None and terminal.link.outbox.state_of(first) is not None
        sequence.rmdir()
        aside.rename(sequence)
        assert terminal.submit()  # the disk is mended: cases are taken again
