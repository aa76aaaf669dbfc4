"""A resident's whole visit through the real Kivy window, offscreen, with real touches.

Checks what each screen shows, touch-target sizes, elder mode, the inactivity countdown, and
that after the wipe neither the name nor the number is anywhere in the screen tree, the logs
or the acknowledged outbox.
"""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

import pytest

from drivers.idcard import samples
from kiosk.app import build_app, prepare_kivy
from kiosk.cli.embedded_centre import centre_connector
from kiosk.session.outcome import PrintState
from kiosk.session.session import Step
from kiosk.terminal import Terminal
from tests.kiosk.kiosk_support import FakeClock, MakeConfig
from tests.ui.ui_support import (
    every_page,
    exists,
    find,
    run_with_script,
    seek,
    small_touch_targets,
    tap,
    texts,
    until,
)

pytestmark = [pytest.mark.ui, pytest.mark.timeout(90)]

NAME, NUMBER = samples.RESIDENT.name, samples.RESIDENT.id_number
MIN_TARGET = 48  # dp; pixels here (density 1)
ELDER_MIN_TARGET = 60


def test_a_resident_walks_the_whole_way_by_touch(
    tmp_path: Path, kiosk_config: MakeConfig, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    config = kiosk_config()
    clock = FakeClock()
    terminal = Terminal(config, clock=clock, centre=centre_connector(config))
    prepare_kivy(config, "portrait")
    terminal.start()
    app = build_app(config, terminal, developer_panel=True)
    session = terminal.session
    seen: dict[str, list[str]] = {}

    def screen() -> str:
        return str(app.root.manager.current)

    def script():  # type: ignore[no-untyped-def]
        root = app.root
        yield from until(lambda: screen() == "attract")
        assert find(root, "attract-title").text == "欢迎使用24小时政务自助服务"
        assert small_touch_targets(root.manager, MIN_TARGET) == []
        assert not root.footer.show_back and not root.footer.show_home
        tap(find(root, "start"))
        yield from until(lambda: screen() == "identify")
        assert find(root, "identify-title").text == "请验证您的身份"

        # The developer panel places the card, as a person would at a test bench.
        tap(find(root, "dev-放卡：张*丰"))
        yield from until(lambda: screen() == "choose")
        assert find(root, "greeting").text == "您好，张*丰"
        yield from until(lambda: exists(root, "item-residence-permit") and exists(root, "item-senior-citizen-card"),
                         timeout=30)  # the tiles drawn now if they were not drawn ahead
        assert small_touch_targets(root.manager, MIN_TARGET) == []

        # Elder mode: bigger type and targets, for this session only.
        body = app.theme.body
        tap(find(root, "elder-toggle"))
        yield from until(lambda: session.elder_mode and app.theme.body > body)
        assert small_touch_targets(root.manager, ELDER_MIN_TARGET) == []
        assert find(root, "elder-toggle").text == "退出长辈模式"  # what it does, not a mode it may be in
        assert find(root, "choose-title").font_size == app.theme.heading
        tap(find(root, "elder-toggle"))
        yield from until(lambda: not session.elder_mode)
        # Every size follows the theme back (no stale binding keeps an elder or body size).
        assert find(root, "choose-title").font_size == app.theme.heading == body * 54 / 36
        assert find(root, "greeting").font_size == app.theme.body == body

        tap(find(root, "item-residence-permit"))
        yield from until(lambda: screen() == "guide")
        assert find(root, "guide-title").text == "居住证申领"
        assert find(root, "guide-title").font_size == app.theme.heading
        read: list[str] = []
        yield from every_page(root.manager.current_screen, read)  # the guide comes a page at a time
        guide_text = "\n".join(read)
        for heading in ("办理条件", "所需材料", "收费标准", "办理时限", "办理结果"):
            assert heading in guide_text
        tap(find(root, "start-form"))
        yield from until(lambda: screen() == "form")
        assert find(root, "form-question").text == "手机号码"
        assert find(root, "form-progress").text == "第 1 步，共 4 步"

        # A short number: the message at the top and beside the field say the same.
        for key in "138":
            tap(find(root, f"key-{key}"))
        # The countdown starts (the screen refreshes every second): the digits must survive.
        clock.advance(config.timeouts.form + 1)
        yield from until(lambda: root.countdown.seconds >= 0, timeout=3)
        yield 1.1
        assert find(root, "typed-value").text == "138"
        tap(find(root, "countdown-continue"))
        yield from until(lambda: root.countdown.seconds < 0, timeout=3)
        tap(find(root, "form-next"))
        yield from until(lambda: bool(session.error))
        assert not exists(root, "form-error-summary")  # said once, under the box, not twice
        assert "11位手机号码" in find(root, "form-error-inline").text
        for key in "12345678":
            tap(find(root, f"key-{key}"))
        assert find(root, "typed-value").text == "13812345678"
        tap(find(root, "form-next"))
        yield from until(lambda: session.question.id == "basis")
        assert find(root, "form-question").text == "申领依据"
        for _ in range(3):  # basis, housing, delivery: first option each
            tap(find(root, "option-0"))
            yield 0.05
        yield from until(lambda: screen() == "review")

        # Review: masked personal data, a change that comes back, commitments before submit.
        masked = {"row-name": "张*丰", "row-id_number": "320111********0010", "row-phone": "138****5678"}
        for row, shown in masked.items():
            yield from seek(root, row)  # the answers come a page at a time
            assert find(root, row).text.endswith(shown)
        yield from seek(root, "change-housing")
        tap(find(root, "change-housing"))
        yield from until(lambda: screen() == "form" and session.question.id == "housing")
        tap(find(root, "option-1"))
        yield from until(lambda: screen() == "review")
        yield from seek(root, "row-housing")
        assert find(root, "row-housing").text.endswith("自有住房")
        tap(find(root, "submit"))
        yield from until(lambda: "承诺" in session.error)
        assert "承诺" in find(root, "review-error").text
        tap(find(root, "commitments"))  # Submit without the tick turned to the box's page
        yield from until(lambda: all(session.commitments))
        tap(find(root, "submit"))
        yield from until(lambda: screen() == "receipt")
        yield from until(lambda: session.case is not None and session.case.print_state is PrintState.PRINTED)
        case_number = session.case.case_number  # type: ignore[union-attr]
        assert find(root, "case-number").text.replace(" ", "") == case_number
        assert find(root, "lookup-qr").texture is not None
        assert "回执已打印" in find(root, "print-status").text
        yield from until(lambda: session.case is not None and session.case.sent_to_centre)
        assert "已交给工作人员" in find(root, "sent-line").text
        seen["receipt"] = texts(root)
        tap(find(root, "to-rating"))
        yield from until(lambda: screen() == "rating")
        tap(find(root, "rate-4"))
        yield from until(lambda: exists(root, "reason-0"))
        tap(find(root, "reason-0"))
        tap(find(root, "send-rating"))
        yield from until(lambda: screen() == "farewell")
        assert session.rating is not None and session.rating.level == 4 and session.rating.reasons == ("等待时间长",)
        assert find(root, "farewell-card").text == "请取走您的身份证！"
        tap(find(root, "dev-取走卡片"))
        yield from until(lambda: find(root, "farewell-card").text == "请带好您的身份证和回执。")
        tap(find(root, "finish"))
        yield from until(lambda: screen() == "attract")
        # Every screen, shown or not, and the frame; the developer panel's sample labels aside.
        frame = (root.header, root.help, root.countdown, root.footer, *root.manager.screens)
        seen["after-wipe"] = [text for part in frame for text in texts(part)]

        # Walking away: the countdown shows, one tap extends it, then the session is wiped.
        tap(find(root, "start"))
        yield from until(lambda: screen() == "identify")
        clock.advance(config.timeouts.default + 1)
        yield from until(lambda: root.countdown.seconds >= 0, timeout=3)
        assert "秒后将返回首页" in find(root, "countdown").text
        tap(find(root, "countdown-continue"))
        yield from until(lambda: root.countdown.seconds < 0, timeout=3)
        assert screen() == "identify"
        clock.advance(config.timeouts.default + config.timeouts.warning + 1)
        yield from until(lambda: screen() == "attract", timeout=3)
        assert session.step is Step.ATTRACT

    try:
        run_with_script(app, script)
    finally:
        terminal.stop()

    for text in seen["after-wipe"]:
        assert NAME not in text and NUMBER not in text and "张*丰" not in text
    assert any("2026" in t or "受理编号" in t for t in seen["receipt"])
    for record in caplog.records:
        message = record.getMessage()
        assert NAME not in message and NUMBER not in message, message
    outbox = sqlite3.connect(tmp_path / "data" / "outbox.sqlite3")
    assert outbox.execute("SELECT count(*) FROM outbox WHERE state = 'sent' AND payload IS NULL").fetchone() == (1,)
    outbox.close()
    for path in (tmp_path / "data").glob("outbox.sqlite3*"):
        raw = path.read_bytes()
        assert NAME.encode("utf-8") not in raw and NUMBER.encode() not in raw
