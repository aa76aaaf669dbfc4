"""The review opens on its first page: the answers before the commitments, whatever the resident
reviewed earlier in the session; and a list of commitments taller than a page goes on over the
pages instead of running past one."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.app import build_app, prepare_kivy
from kiosk.cli.embedded_centre import centre_connector
from kiosk.config.settings import load_config
from kiosk.session.session import Step
from kiosk.terminal import Terminal
from tests.kiosk.kiosk_support import MakeConfig, write_config
from tests.ui.layout_checks import window_box
from tests.ui.render_catalogue import fill_in, show_guide
from tests.ui.render_support import place_card
from tests.ui.ui_support import exists, find, run_with_script, until

pytestmark = [pytest.mark.ui]

SHORT = "resident-medical-insurance"  # two questions, one commitment: one page, the box on it
LONG = "company-establishment"  # the answers take pages; three long commitments (the street centre's)


def test_another_items_review_opens_on_its_first_page(tmp_path: Path, kiosk_config: MakeConfig) -> None:
    street = load_config(write_config(tmp_path, {"site": "sites/street.toml"}))
    config = dataclasses.replace(kiosk_config(), site=street.site, catalog=street.catalog)
    terminal = Terminal(config, centre=centre_connector(config))
    prepare_kivy(config, "portrait")
    terminal.start()
    app = build_app(config, terminal, developer_panel=False)
    session = terminal.session

    def script() -> Iterator[float]:
        root = app.root
        yield from until(lambda: session.step is Step.ATTRACT)
        place_card(terminal)
        yield from until(lambda: session.step is Step.CHOOSE)
        show_guide(SHORT, terminal, app)
        fill_in(terminal, app)
        yield from until(lambda: root.manager.current == "review" and exists(root, "commitments"))
        rows = root.manager.current_screen.ids.rows
        assert rows.page_count == 1  # the box was in view when the resident went back

        show_guide(LONG, terminal, app)
        fill_in(terminal, app)
        yield from until(lambda: root.manager.current == "review" and rows.page_count > 1)
        yield 0.3  # the list settles
        assert rows.page == 0, f"opened on page {rows.page + 1} of {rows.page_count}"
        assert not exists(root, "commitments")
        first = session.rows()[0].key
        assert window_box(find(root, f"row-{first}")).inside(window_box(root))

        session.toggle_elder_mode()  # the statements take more room than a page there
        yield from until(lambda: app.theme.scale > 1)
        yield 0.5
        root.manager.current_screen.show_commitments()
        yield 0.3
        grid = rows.grid
        assert window_box(grid).inside(window_box(rows)), "the page's entries run past the list"
        assert exists(root, "commitments")

    try:
        run_with_script(app, script)
    finally:
        terminal.stop()
