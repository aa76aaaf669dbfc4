"""The choose screen by touch: most used first, life events, departments, search by letters."""

from __future__ import annotations

import pytest

from drivers.idcard import samples
from kiosk.app import build_app, prepare_kivy
from kiosk.cli.embedded_centre import centre_connector
from kiosk.terminal import Terminal
from tests.kiosk.kiosk_support import MakeConfig
from tests.ui.ui_support import exists, find, run_with_script, small_touch_targets, tap, turn_to, until

pytestmark = [pytest.mark.ui, pytest.mark.timeout(180)]

ELDER_MIN_TARGET = 60


def tile_ids(root) -> list[str]:  # type: ignore[no-untyped-def]
    """The tiles the list holds now, on every page, in order (``item-<id>``)."""
    pages = root.manager.current_screen.ids.tiles
    return [w.test_name.removeprefix("item-") for w in pages.widgets if w.test_name.startswith("item-")]


def tiles_in_view(root) -> list[str]:  # type: ignore[no-untyped-def]
    """The tiles on the page in view, in order."""
    pages = root.manager.current_screen.ids.tiles
    return [tile.test_name.removeprefix("item-") for tile in reversed(pages.grid.children)]


def tiles_out_of_room(root) -> list[str]:  # type: ignore[no-untyped-def]
    """The tiles on the page in view that do not lie wholly inside the list's room."""
    pages = root.manager.current_screen.ids.tiles
    left, bottom = pages.to_window(pages.x, pages.y)
    out = []
    for tile in pages.grid.children:
        x, y = tile.to_window(tile.x, tile.y)
        if not (left - 1 <= x and x + tile.width <= left + pages.width + 1
                and bottom - 1 <= y and y + tile.height <= bottom + pages.height + 1):
            out.append(f"{tile.test_name} at {(x, y, tile.width, tile.height)} outside {(left, bottom, *pages.size)}")
    return out


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

        # No scrolling: the list comes in pages that fit, turned with 下一页 / 上一页.
        seen: list[str] = []
        while True:
            yield from until(lambda: tiles_in_view(root) and not tiles_out_of_room(root),
                             describe=lambda: "\n".join(tiles_out_of_room(root)))
            page = tiles_in_view(root)
            assert page, "an empty page"
            seen += page
            position = find(root, "page-position").text
            if find(root, "page-next").disabled:
                break
            tap(find(root, "page-next"))
            yield from until(lambda position=position: find(root, "page-position").text != position)
        assert seen == shown
        count = root.manager.current_screen.ids.tiles.page_count
        assert count > 1 and find(root, "page-position").text == f"第 {count}/{count} 页"
        tap(find(root, "page-previous"))
        yield from until(lambda: find(root, "page-position").text == f"第 {count - 1}/{count} 页")

        # A life event shows only its offers.
        category = offer.categories[0]
        tap(find(root, "category-events"))
        yield from until(lambda: exists(root, f"category-{category.id}"))
        assert find(root, "choose-section").text == "请选择您遇到的事"
        events = [b.test_name.removeprefix("category-") for b in root.manager.current_screen.ids.tiles.widgets]
        assert events == [c.id for c in offer.categories if offer.in_category(c.id)]
        tap(find(root, f"category-{category.id}"))
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
        yield from turn_to(root, "item-residence-permit")
        tap(find(root, "item-residence-permit"))
        yield from until(lambda: root.manager.current == "guide")
        assert session.item is not None and session.item.id == "residence-permit"

    try:
        run_with_script(app, script)
    finally:
        terminal.stop()


def test_the_next_residents_list_is_drawn_while_nobody_is_there(kiosk_config: MakeConfig) -> None:
    """Between residents the choose screen makes and lays out its first page off screen, so a
    card read shows the greeting without building the tiles then (bench/resident.py times it)."""
    config = kiosk_config()
    terminal = Terminal(config, centre=centre_connector(config))
    prepare_kivy(config, "portrait")
    terminal.start()
    app = build_app(config, terminal, developer_panel=False)

    def script():  # type: ignore[no-untyped-def]
        root = app.root
        yield from until(lambda: root.manager.current == "attract")
        terminal.devices.id_card.place_card(samples.RESIDENT)
        yield from until(lambda: root.manager.current == "choose")
        terminal.devices.id_card.remove_card()
        terminal.session.home()
        yield from until(lambda: root.manager.current == "attract")
        choose = root.manager.get_screen("choose")
        yield from until(lambda: len(choose.ids.tiles.grid.children) > 0, timeout=30, describe="the list drawn ahead")
        assert choose.greeting == "" and choose.size == root.manager.size  # nobody's name, the real size
        yield 0.5  # let the page settle
        ahead, tiles = list(choose.ids.tiles.grid.children), dict(choose._tiles)
        terminal.devices.id_card.place_card(samples.RESIDENT)
        yield from until(lambda: root.manager.current == "choose")
        assert "张" in choose.greeting
        yield 0.5
        assert choose._tiles == tiles  # the same tiles: none made again
        assert list(choose.ids.tiles.grid.children) == ahead  # and the same page: not cut again

    run_with_script(app, script)
    terminal.stop()
