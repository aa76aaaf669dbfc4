"""Every item and every bundle of the street centre (it offers the whole catalogue), applied for
by touch: the tile on the choose screen, the guide, each question on its own widget (Chinese
typed on the pinyin keyboard), the review's commitments, submit, the receipt; a counter item
books a slot, an instant-print item is told the A4 printer is missing. Generated from the
catalogue, so a new item is walked without a line of test."""

from __future__ import annotations

import dataclasses
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from kivy.uix.widget import Widget

from kiosk.app import build_app, prepare_kivy
from kiosk.catalog.fields import FieldKind
from kiosk.catalog.model import Channel, Field
from kiosk.cli.embedded_centre import centre_connector
from kiosk.config.settings import load_config
from kiosk.session.booking import BookingState
from kiosk.session.outcome import PrintState
from kiosk.session.session import Step
from kiosk.terminal import Terminal
from screens.screenshot import save_screen
from tests.kiosk.catalog_answers import answer_for, region_answer
from tests.kiosk.kiosk_support import MakeConfig, write_config
from tests.ui.test_form_kinds import type_chinese
from tests.ui.ui_support import exists, find, run_with_script, seek, tap, turn_to, until

# Minutes of touches (every offer of the street centre): run with KIOSK_WALK_EVERY_ITEM=1 (see
# DEVELOPERS.md); make test walks every item through the session and terminal instead
# (tests/kiosk/test_catalog_walk.py) and touches every kind of question (test_form_kinds).
pytestmark = [pytest.mark.ui, pytest.mark.timeout(2400),  # about 15 min on a quiet 2-core machine
              pytest.mark.skipif(os.environ.get("KIOSK_WALK_EVERY_ITEM") != "1",
                                 reason="the long walk by touch: set KIOSK_WALK_EVERY_ITEM=1")]

TYPED = {  # what a resident types on the pinyin keyboard, syllable by syllable
    FieldKind.NAME: (("li", "李"), ("ming", "明")),
    FieldKind.TEXT: (("bian", "便"), ("min", "民")),
    FieldKind.ADDRESS: (("chang", "长"), ("jiang", "江"), ("lu", "路")),
}


def finger(widget: Widget) -> Iterator[float]:
    """A finger's tap on a widget in a scrolled list: down, a moment, up (an instant tap reads
    to a scroller as an endless fling)."""
    from kivy.tests.common import UnitTestTouch

    x, y = widget.to_window(*widget.center)
    touch = UnitTestTouch(x, y)
    touch.touch_down()
    yield 0.08
    touch.touch_up()
    yield 0.05


def press(root: Widget, keys: str) -> None:
    for key in keys:
        tap(find(root, {"X": "key-X", ".": "key-dot"}.get(key, f"key-{key}")))


def answer_by_touch(root: Widget, question: Field, later: tuple[Field, ...]) -> Iterator[float]:
    """Answer the question on screen as a resident would; Next where the widget needs it."""
    kind, keyboard = question.kind, question.spec.keyboard.value
    value = answer_for(question, later)
    if keyboard in ("options", "multi"):  # a long list comes a page at a time
        name = f"{'option' if keyboard == 'options' else 'multi'}-{question.options.index(value)}"
        yield from seek(root, name)
        yield from finger(find(root, name))
        if keyboard == "options":
            return
    elif kind in TYPED:
        yield from type_chinese(root, *TYPED[kind])
    elif kind is FieldKind.AMOUNT:
        press(root, str(int(max(question.min_amount, min(1200, question.max_amount)))))
    elif keyboard in ("digits", "id_number"):
        press(root, value)
    elif keyboard == "region":
        code = region_answer(question.region_levels)
        for level in range(1, question.region_levels + 1):
            prefix = code[: (2, 4, 6, 9)[level - 1]]
            name = f"region-{prefix.ljust(6, '0') if level < 4 else prefix}"
            yield 0.1  # the level's list is laid out
            try:
                yield from turn_to(root, name)  # 下一页 until it shows
            except AssertionError as err:
                raise AssertionError(f"{question.id}: no {name} (region {code})") from err
            yield from finger(find(root, name))
    yield 0.05  # a date keeps its picker's day (today, or the nearest day it may take)
    tap(find(root, "form-next"))


def test_every_item_and_bundle_of_the_street_centre_by_touch(tmp_path: Path, kiosk_config: MakeConfig) -> None:
    street = load_config(write_config(tmp_path, {"site": "sites/street.toml"}))
    # Open around the clock here: a walk that ran past the centre's closing time would end on the
    # closed screen (out of service), which is not what this test is about.
    site = dataclasses.replace(street.site, opens="00:00", closes="24:00")
    config = dataclasses.replace(kiosk_config(), site=site, catalog=street.catalog)
    offer = config.offer
    terminal = Terminal(config, centre=centre_connector(config))
    prepare_kivy(config, "portrait")
    terminal.start()
    app = build_app(config, terminal, developer_panel=True)
    session = terminal.session
    walked: list[str] = []

    def screen() -> str:
        return str(app.root.manager.current)

    def apply(root: Widget, chosen: str, channel: Channel) -> Iterator[float]:
        yield from until(lambda: screen() == "attract" and not root.manager.transition.is_active, timeout=20)
        tap(find(root, "start"))
        yield from until(lambda: screen() == "identify" and not root.manager.transition.is_active,
                         describe=lambda: f"identify after 开始办理, on {screen()} at {session.step}: {session.error}")
        tap(find(root, "dev-放卡：张*丰"))
        yield from until(lambda: screen() == "choose" and not root.manager.transition.is_active)
        yield 0.2  # the tiles are laid out
        yield from turn_to(root, f"item-{chosen}")
        tile = find(root, f"item-{chosen}")
        yield from finger(tile)
        try:
            yield from until(lambda: screen() == "guide")
        except AssertionError as err:
            save_screen(root, "/tmp/work/walk-fail.png")
            raise AssertionError(f"{chosen}: its tile did not open the guide") from err
        if channel is Channel.COUNTER:
            tap(find(root, "book-counter"))
            yield from until(lambda: session.booking is not None and session.booking.state is BookingState.CHOOSING,
                             timeout=20)
            tap(find(root, "day-0"))  # the first day with a free slot, then its first time
            yield from until(lambda: exists(root, "slot-0"))
            yield from finger(find(root, "slot-0"))
        else:
            tap(find(root, "start-form"))
            yield from until(lambda: screen() in ("form", "review", "face"))
            if screen() == "face":  # 人证比对 (no face camera here): test_face_ui walks it; the form is this walk's
                assert exists(root, "face-use-staff")
                session.start_form()
            while True:
                try:
                    yield from until(lambda: screen() in ("form", "review"))
                except AssertionError as err:
                    raise AssertionError(f"{chosen}: on {screen()} after {walked[-1:]}") from err
                if screen() == "review":
                    break
                question, number = session.question, session.form_index
                assert session.item is not None
                yield from until(lambda question=question: not root.manager.transition.is_active
                                 and find(root, "form-question").text == question.label)
                yield 0.15  # the answer widget is laid out a frame after the question shows
                yield from answer_by_touch(root, question, session.item.asked_fields)
                try:
                    yield from until(lambda question=question, number=number: session.step is not Step.FORM
                                     or session.form_index != number or session.question.id != question.id
                                     or bool(session.error))
                except AssertionError as err:
                    raise AssertionError(f"{chosen}: {question.id} ({question.kind}) was not answered") from err
                assert not session.error, f"{chosen}: {question.id}: {session.error}"
            if session.commitments:
                yield from seek(root, "commitments")  # after the answers, on the list's last page
                tap(find(root, "commitments"))
                yield from until(lambda: all(session.commitments))
            tap(find(root, "submit"))
        yield from until(lambda: screen() == "receipt", timeout=20)
        case = session.case
        assert case is not None
        if channel is Channel.INSTANT_PRINT:
            yield from until(lambda: case.certificate_state is PrintState.FAILED, timeout=20)
            assert find(root, "certificate-status").text
        yield from until(lambda: case.print_state is PrintState.PRINTED, timeout=20)
        tap(find(root, "home"))
        walked.append(chosen)
        print(f"walked {len(walked)}: {chosen}", file=sys.__stderr__, flush=True)  # Kivy holds sys.stderr

    def script():  # type: ignore[no-untyped-def]
        root = app.root
        for thing in (*offer.bundles, *offer.items):
            channel = thing.channel if hasattr(thing, "channel") else Channel.INTAKE
            yield from apply(root, thing.id, channel)

    run_with_script(app, script)
    terminal.stop()
    assert walked == [thing.id for thing in (*offer.bundles, *offer.items)]
    assert {item.channel for item in offer.items} == set(Channel)  # every channel was walked

