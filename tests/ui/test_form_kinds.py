"""Every kind of question answered by touch, in landscape and elder mode (where layouts break).

One item of a test-only catalogue (``form_kinds_catalog``) asks a choice, a multi-choice, a
yes/no, a name, an ID number, a date, an amount, a region down to the street, an address, a
phone number and a repeating group; then the review changes the region and submits.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.scrollview import ScrollView
from kivy.uix.widget import Widget

from kiosk.app import build_app, prepare_kivy
from kiosk.cli.embedded_centre import centre_connector
from kiosk.session.session import Step
from kiosk.terminal import Terminal
from screens.form_inputs.text import FallbackKeyboard, keyboard_class
from tests.kiosk.kiosk_support import MakeConfig
from tests.ui.form_kinds_support import ITEM, kinds_config
from tests.ui.ui_support import (
    every_page,
    exists,
    find,
    in_own_process,
    only_in_own_process,
    run_with_script,
    seek,
    small_touch_targets,
    tap,
    turn_to,
    until,
)

pytestmark = [pytest.mark.ui, pytest.mark.timeout(180)]

ELDER_MIN_TARGET = 60


def unreachable_buttons(root: Widget) -> list[str]:
    """Visible, enabled buttons outside the window or cut off by the frame (not in a scrolled list)."""
    bottom = root.footer.top if root.footer.height else 0
    top = root.header.y
    cut = []
    for widget in root.manager.current_screen.walk(restrict=True):
        if not isinstance(widget, ButtonBehavior) or widget.opacity == 0 or widget.disabled or widget.height == 0:
            continue
        if any(isinstance(p, ScrollView) for p in _parents(widget)):
            continue
        x, y = widget.to_window(widget.x, widget.y)
        if y < bottom - 1 or y + widget.height > top + 1 or x < 0 or x + widget.width > root.width + 1:
            cut.append(f"{widget.text!r} at {x:.0f},{y:.0f} {widget.width:.0f}x{widget.height:.0f}")
    return cut


def _parents(widget: Widget) -> list[Widget]:
    found = []
    while widget.parent is not None and widget.parent is not widget:
        widget = widget.parent
        found.append(widget)
    return found


def type_chinese(root: Widget, *syllables: tuple[str, str]) -> Iterator[float]:
    """Type each (letters, characters) on the pinyin keyboard and tap the candidate wanted; on
    its stand-in (before ``screens.pinyin_keyboard`` is in the checkout), type into the box."""
    if keyboard_class() is FallbackKeyboard:
        from kivy.uix.textinput import TextInput  # not at the top: it would open the window too early

        box = find(root, "text-input")
        assert isinstance(box, TextInput)
        tap(box)
        box.insert_text("".join(chars for _, chars in syllables))
        yield 0.05
        return
    for letters, chars in syllables:
        for letter in letters:
            tap(find(root, f"key-{letter}"))
        yield 0.2
        wanted = [w for w in root.walk() if str(getattr(w, "test_name", "")).startswith("candidate-")
                  and w.opacity > 0 and getattr(w, "candidate", "") == chars]
        assert wanted, f"no candidate {chars!r} for {letters!r}"
        tap(wanted[0])
        yield 0.1


@pytest.mark.timeout(240)
def test_every_kind_of_question_by_touch_in_landscape_elder_mode() -> None:
    in_own_process(__file__, "test_the_walk_in_a_landscape_window", timeout=220)


@only_in_own_process
def test_the_walk_in_a_landscape_window(kiosk_config: MakeConfig) -> None:
    config = kinds_config(kiosk_config())
    terminal = Terminal(config, centre=centre_connector(config))
    prepare_kivy(config, "landscape")
    terminal.start()
    app = build_app(config, terminal, developer_panel=True)
    session = terminal.session
    today = dt.date.today()

    def screen() -> str:
        return str(app.root.manager.current)

    def on_question(field_id: str):  # type: ignore[no-untyped-def]
        return until(lambda: screen() == "form" and session.question.id == field_id)

    def well_laid_out(root: Widget) -> Iterator[float]:
        yield from until(lambda: not root.manager.transition.is_active)
        yield 0.2  # the layout settles
        assert small_touch_targets(root.manager, ELDER_MIN_TARGET) == []
        cut = unreachable_buttons(root)
        assert cut == [], "\n".join(cut)

    def choose(root: Widget, index: int) -> Iterator[float]:
        """Tap an option, turning to its page first (long lists come a page at a time)."""
        yield 0.1  # the list is cut into pages by the column it settles in
        yield from seek(root, f"option-{index}")
        tap(find(root, f"option-{index}"))

    def press(root: Widget, keys: str) -> None:
        for key in keys:
            tap(find(root, {"X": "key-X", ".": "key-dot"}.get(key, f"key-{key}")))

    def script():  # type: ignore[no-untyped-def]
        root = app.root
        yield from until(lambda: screen() == "attract")
        tap(find(root, "start"))
        yield from until(lambda: screen() == "identify")
        tap(find(root, "dev-放卡：张*丰"))
        yield from until(lambda: screen() == "choose" and not root.manager.transition.is_active)
        tap(find(root, "elder-toggle"))
        yield from until(lambda: session.elder_mode)
        session.choose(ITEM)  # the choose screen is not this test's subject (and is changing)
        yield from until(lambda: screen() == "guide")

        # The guide: who, materials and how this kiosk takes them, both limits, where to collect.
        read: list[str] = []
        yield from every_page(root.manager.current_screen, read)  # the guide comes a page at a time
        guide = "\n".join(read)
        for words in ("适用对象", "本区户籍或持本市居住证", "复印件2份", "可在本机高拍仪拍照", "本机刷身份证即可",
                      "请到窗口提交", "原件及复印件1份", "电子材料", "（如有）", "承诺办结时限：10个工作日",
                      "法定办结时限：20个工作日", "送达方式：", "领取地点：", "《社会救助暂行办法》"):
            assert words in guide, words
        tap(find(root, "start-form"))

        # A choice, with its help: a large overlay that one tap closes.
        yield from on_question("reason")
        yield from well_laid_out(root)
        tap(find(root, "form-help"))
        yield from until(lambda: exists(root, "help-text"))
        assert "最主要的一种" in find(root, "help-text").text
        tap(find(root, "help-close"))
        yield from until(lambda: not exists(root, "help-text"))
        assert session.question.id == "reason"  # the closing tap answered nothing
        tap(find(root, "option-0"))

        # Several choices: ticked, one unticked, then Next; none ticked is refused.
        yield from on_question("needs")
        yield from well_laid_out(root)
        tap(find(root, "form-next"))
        yield from until(lambda: bool(session.error))
        for index in (0, 1, 2, 1):  # a long list comes a page at a time: the ticks on every page count
            yield from seek(root, f"multi-{index}")
            tap(find(root, f"multi-{index}"))
        tap(find(root, "form-next"))
        yield from on_question("for_other")
        assert session.answers["needs"] == "cash|medical"
        tap(find(root, "option-0"))  # yes: the two conditional questions follow

        yield from on_question("other_name")
        yield from well_laid_out(root)
        yield from type_chinese(root, ("ouyang", "欧阳"), ("jian", "建"), ("hua", "华"))
        assert find(root, "typed-value").text == "欧阳建华"
        tap(find(root, "form-next"))

        # An ID number: X only as the check character; a wrong one is caught; read back 6-8-4.
        yield from on_question("other_id_number")
        yield from well_laid_out(root)
        press(root, "X11010519491231002")
        press(root, "1")
        assert find(root, "typed-value").text == "110105 19491231 0021"
        tap(find(root, "form-next"))
        yield from until(lambda: bool(session.error))
        assert "身份证号码有误" in find(root, "form-error-inline").text  # landscape: beside the box only
        tap(find(root, "key-back"))
        press(root, "X")
        assert find(root, "typed-value").text == "110105 19491231 002X"
        tap(find(root, "form-next"))

        # A past date on steppers: never after today.
        yield from on_question("happened_on")
        yield from well_laid_out(root)
        assert find(root, "date-year-up").disabled and find(root, "date-day-up").disabled
        tap(find(root, "date-year-down10"))
        yield 0.1
        assert find(root, "date-year").text == str(today.year - 10), find(root, "date-year-down10").disabled
        tap(find(root, "date-year-down"))
        tap(find(root, "date-day-up"))
        yield 0.1
        try:
            picked = today.replace(year=today.year - 11) + dt.timedelta(days=1)
        except ValueError:  # 29 February
            picked = today.replace(year=today.year - 11, day=28) + dt.timedelta(days=1)
        assert find(root, "typed-value").text == f"{picked.year}年{picked.month}月{picked.day}日"
        tap(find(root, "form-next"))
        yield from on_question("income")
        assert session.answers["happened_on"] == picked.isoformat()

        # An amount: one point, two decimals at most, shown in 元.
        yield from well_laid_out(root)
        press(root, "3256.5.01")
        assert find(root, "typed-value").text == "3256.50 元"
        tap(find(root, "form-next"))

        # A region, one level at a time, down to the street; up one level and another district.
        yield from on_question("home")
        yield from well_laid_out(root)
        for code in ("320000", "320100", "320111"):
            yield from turn_to(root, f"region-{code}")  # 下一页 until it shows
            tap(find(root, f"region-{code}"))
            yield 0.1
        assert find(root, "region-breadcrumb").text == "江苏省 南京市 浦口区"
        assert exists(root, "region-320111002")  # 顶山街道
        tap(find(root, "region-up"))
        yield 0.1
        assert find(root, "region-breadcrumb").text == "江苏省 南京市"
        yield from turn_to(root, "region-320116")
        tap(find(root, "region-320116"))
        yield 0.1
        yield from turn_to(root, "region-320116011")
        tap(find(root, "region-320116011"))
        yield 0.1
        assert find(root, "region-breadcrumb").text == "江苏省 南京市 六合区 葛塘街道"
        tap(find(root, "form-next"))
        yield from on_question("address")
        assert session.answers["home"] == "320116011"
        yield from type_chinese(root, ("chang", "长"), ("jiang", "江"), ("lu", "路"))
        tap(find(root, "form-next"))

        yield from on_question("phone")
        yield from well_laid_out(root)
        press(root, "13812345678")
        tap(find(root, "form-next"))

        # A repeating group: each member's questions follow its count.
        yield from on_question("family")
        yield from choose(root, 2)
        members = ((1, (("wang", "王"), ("fang", "芳")), 0), (2, (("li", "李"), ("ming", "明")), 1))
        for number, name, relation in members:
            yield from on_question(f"family.{number}.name")
            yield from type_chinese(root, *name)
            tap(find(root, "form-next"))
            yield from on_question(f"family.{number}.relation")
            yield from choose(root, relation)
        yield from on_question("delivery")
        yield from choose(root, 0)
        yield from until(lambda: screen() == "review")

        # The review: a row per answer, members too; the region changed from its row.
        yield from seek(root, "row-home")  # the answers come a page at a time
        assert find(root, "row-home").text.endswith("江苏省 南京市 六合区 葛塘街道")
        yield from seek(root, "row-needs")
        assert find(root, "row-needs").text.endswith("救助金、医疗救助")
        yield from seek(root, "change-family.2.relation")
        yield from seek(root, "commitments")  # after the answers, on the list's last page
        assert find(root, "commitment-1").text.startswith("2. ")  # two statements, one tick for both
        tap(find(root, "commitments"))
        yield from until(lambda: len(session.commitments) == 2 and all(session.commitments))
        yield from seek(root, "change-home")
        tap(find(root, "change-home"))
        yield from on_question("home")
        assert find(root, "region-breadcrumb").text == "江苏省 南京市 六合区 葛塘街道"
        yield from seek(root, "region-320116012")
        tap(find(root, "region-320116012"))  # 长芦街道
        tap(find(root, "form-next"))
        yield from until(lambda: screen() == "review")
        yield from seek(root, "row-home")
        assert find(root, "row-home").text.endswith("江苏省 南京市 六合区 长芦街道")
        yield from well_laid_out(root)
        yield from until(lambda: all(session.commitments))
        tap(find(root, "submit"))
        yield 0.5
        assert not session.error, session.error
        yield from until(lambda: session.step is Step.RECEIPT)

    run_with_script(app, script)
    terminal.stop()
