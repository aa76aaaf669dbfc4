"""The status lookup (办件查询) by touch, in a real window offscreen: the attract tile, a typed
number with the phone's last digits on the keypad, the card's list a page at a time, a
receipt's QR at attract, a wrong number's message and the way back, and the countdown home."""

from __future__ import annotations

import pytest

from drivers.idcard import samples
from kiosk.app import build_app, prepare_kivy
from kiosk.cli.embedded_centre import centre_connector
from kiosk.session.session import Step
from kiosk.terminal import Terminal
from tests.kiosk.kiosk_support import FakeClock, MakeConfig
from tests.kiosk.lookup_support import PHONE, seed_cases
from tests.ui.ui_support import exists, find, run_with_script, small_touch_targets, tap, texts, until

pytestmark = [pytest.mark.ui, pytest.mark.timeout(120)]

ELDER_MIN_TARGET = 60


def test_a_resident_looks_up_cases_three_ways_by_touch(kiosk_config: MakeConfig) -> None:
    config = kiosk_config()
    clock = FakeClock()
    terminal = Terminal(config, clock=clock, centre=centre_connector(config))
    prepare_kivy(config, "portrait")
    terminal.start()
    app = build_app(config, terminal, developer_panel=False)
    seeded = seed_cases(terminal)

    def key_in(root, digits: str):  # type: ignore[no-untyped-def]
        for digit in digits:
            tap(find(root, f"key-{digit}"))
            yield 0.02

    def script():  # type: ignore[no-untyped-def]
        root = app.root
        yield from until(lambda: root.manager.current == "attract")

        # The tile on attract opens the lookup; nobody is identified.
        tap(find(root, "attract-lookup"))
        yield from until(lambda: root.manager.current == "lookup" and exists(root, "lookup-type"))
        assert terminal.session.identity is None

        # A typed number, read back grouped as the receipt prints it, then the phone's last 4.
        number = seeded[1].case_number
        tap(find(root, "lookup-type"))
        yield from until(lambda: exists(root, "key-1"))
        yield from key_in(root, number)
        yield from until(lambda: find(root, "lookup-typed").text == f"{number[:8]} {number[8:11]} {number[11:]}")
        tap(find(root, "lookup-next"))
        yield from until(lambda: "后4位" in find(root, "lookup-title").text)
        yield from key_in(root, "0000")  # the wrong digits: one answer for every miss, and a way on
        tap(find(root, "lookup-next"))
        yield from until(lambda: exists(root, "lookup-problem"))
        assert "没有查到" in find(root, "lookup-problem-text").text
        tap(find(root, "lookup-other-way"))
        yield from until(lambda: exists(root, "lookup-type"))
        tap(find(root, "lookup-type"))
        yield from until(lambda: exists(root, "key-1"))
        yield from key_in(root, number)
        tap(find(root, "lookup-next"))
        yield from until(lambda: "后4位" in find(root, "lookup-title").text)
        yield from key_in(root, PHONE[-4:])
        tap(find(root, "lookup-next"))
        yield from until(lambda: exists(root, "lookup-status"))
        assert find(root, "lookup-title").text == "老年人优待证申领"
        assert find(root, "lookup-status").text == "已提交，等待受理"
        assert "受理后将短信通知您" in find(root, "lookup-next-step").text

        # The card placed here: the holder's cases, newest first; one asked for more materials.
        tap(find(root, "lookup-other-way"))
        yield from until(lambda: exists(root, "lookup-type"))
        terminal.devices.id_card.place_card(samples.RESIDENT)  # type: ignore[attr-defined]
        yield from until(lambda: exists(root, f"case-{seeded[0].case_number}"), timeout=30)  # the centre asked
        assert "共3件" in find(root, "lookup-title").text
        assert terminal.session.identity is None
        terminal.devices.id_card.remove_card()  # type: ignore[attr-defined]
        tap(find(root, f"case-{seeded[0].case_number}"))
        yield from until(lambda: exists(root, "lookup-missing"))
        assert "户口簿原件及复印件" in find(root, "lookup-missing-text").text
        tap(find(root, "lookup-to-list"))
        yield from until(lambda: exists(root, f"case-{seeded[2].case_number}"))

        # Elder mode: the keypad's keys and every button stay large enough to touch.
        tap(find(root, "lookup-other-way"))
        yield from until(lambda: exists(root, "lookup-type"))
        terminal.session.toggle_elder_mode()
        tap(find(root, "lookup-type"))
        yield from until(lambda: exists(root, "key-1"))
        yield 0.3
        assert small_touch_targets(root, ELDER_MIN_TARGET) == []
        terminal.session.toggle_elder_mode()

        # Home, then a receipt's QR at attract: straight to its case.
        tap(find(root, "home"))
        yield from until(lambda: root.manager.current == "attract")
        terminal.devices.qr.scan(seeded[2].receipt_text)  # type: ignore[attr-defined]
        yield from until(lambda: root.manager.current == "lookup" and exists(root, "lookup-status"))
        grouped = find(root, "lookup-case-number").text
        assert grouped.replace(" ", "") == seeded[2].case_number

        # Walking away: the countdown, then attract, and nothing of the case left on screen.
        clock.advance(config.timeouts.default + config.timeouts.warning + 1)
        yield from until(lambda: root.manager.current == "attract", timeout=5)
        assert terminal.session.step is Step.ATTRACT
        assert not any(grouped in text for screen in root.manager.screens for text in texts(screen))

    try:
        run_with_script(app, script)
    finally:
        terminal.stop()
