"""The choose screen by touch: most used first, life events, departments, search by letters."""

from __future__ import annotations

import pytest

from drivers.idcard import samples
from kiosk.app import build_app, prepare_kivy
from kiosk.cli.embedded_centre import centre_connector
from kiosk.terminal import Terminal
from tests.kiosk.kiosk_support import MakeConfig
from tests.ui.ui_support import exists, find, run_with_script, scroll_into_view, small_touch_targets, tap, until

pytestmark = [pytest.mark.ui, pytest.mark.timeout(180)]

ELDER_MIN_TARGET = 60


def tile_ids(root) -> list[str]:  # type: ignore[no-untyped-def]
    """The tiles the list shows now, in order (``item-<id>``)."""
    grid = root.manager.current_screen.ids.tiles
    return [w.test_name.removeprefix("item-") for w in reversed(grid.children) if w.test_name.startswith("item-")]


def test_a_resident_finds_items_by_use_category_department_and_letters(kiosk_config: MakeConfig) -> None:
    config = kiosk_config()
    terminal = Terminal(config, centre=centre_connector(config))
    prepare_kivy(config, "portrait")
    terminal.start()
    app = build_app(config, terminal, developer_panel=False)
    session = terminal.session
    offer = session.catalog

    def script():  # type: ignore[no-untyped-def]
        root = app.root
        yield from until(lambda: root.manager.current == "attract")
        for item_id, cases in (("senior-citizen-card", 7), ("residence-permit", 2)):  # taken here lately
            for _ in range(cases):
                terminal.records.counters.case_submitted(item_id)
        terminal.devices.id_card.place_card(samples.RESIDENT)
        yield from until(lambda: root.manager.current == "choose")

        # Most used here first, then the site's order; every offer once; bundles marked.
        shown = tile_ids(root)
        assert shown[:2] == ["senior-citizen-card", "residence-permit"]
        assert sorted(shown) == sorted(o.id for o in offer.offers())
        assert find(root, "choose-section").text == "常用事项"
        for bundle in offer.bundles:
            assert root.manager.current_screen._tiles[bundle.id].badge == "一件事"

        # A life event shows only its offers.
        category = offer.categories[0]
        chip = find(root, f"category-{category.id}")
        yield from scroll_into_view(chip)
        tap(chip)
        yield from until(lambda: find(root, "choose-section").text == category.name)
        assert set(tile_ids(root)) == {o.id for o in offer.in_category(category.id)}

        # By department: the list of departments, then one department's items.
        tap(find(root, "category-departments"))
        yield from until(lambda: exists(root, "department-0"))
        department = offer.departments()[0]
        tap(find(root, "department-0"))
        yield from until(lambda: find(root, "choose-section").text == department)
        assert set(tile_ids(root)) == {i.id for i in offer.items if i.department == department}

        # Search: the keyboard opens; results follow the letters typed.
        tap(find(root, "search-box"))
        yield from until(lambda: exists(root, "search-key-s"))
        assert not exists(root, "category-departments")  # the chips make room for the keyboard
        for letter in "sbzm":
            tap(find(root, f"search-key-{letter}"))
            yield 0.05
        yield from until(lambda: tile_ids(root)[:1] == ["social-insurance-certificate"])
        assert find(root, "search-box").text == "sbzm"
        tap(find(root, "search-backspace"))
        yield from until(lambda: find(root, "search-box").text == "sbz")

        # Nothing found: said plainly, with a hint.
        tap(find(root, "search-clear"))
        for letter in "qqqq":
            tap(find(root, f"search-key-{letter}"))
        yield from until(lambda: tile_ids(root) == [])
        assert "没有找到" in find(root, "choose-section").text
        assert "sbzm" in find(root, "search-empty").text

        # Elder mode: every key and tile still big enough.
        tap(find(root, "elder-toggle"))
        yield from until(lambda: session.elder_mode)
        yield 0.2
        assert small_touch_targets(root.manager, ELDER_MIN_TARGET) == []

        # Closing the keyboard brings the chips back; a tile chosen opens its guide.
        tap(find(root, "search-done"))
        yield from until(lambda: exists(root, "category-frequent"))
        tap(find(root, "category-frequent"))
        yield from until(lambda: find(root, "choose-section").text == "常用事项")
        tile = find(root, "item-residence-permit")
        yield from scroll_into_view(tile)
        tap(tile)
        yield from until(lambda: root.manager.current == "guide")
        assert session.item is not None and session.item.id == "residence-permit"

    try:
        run_with_script(app, script)
    finally:
        terminal.stop()
