"""Voice guidance (语音播报) through the real window and the real voice (espeak-ng rendering,
the null output): each screen's instruction when it appears, 再听一遍, digits read back, an ID
number never said aloud, a technician's screens silent, a card left behind announced."""

from __future__ import annotations

import dataclasses

import pytest

from kiosk.app import build_app, prepare_kivy
from kiosk.cli.embedded_centre import centre_connector
from kiosk.config.voice import VoiceSettings
from kiosk.session.session import Step
from kiosk.terminal import Terminal
from kiosk.voice.prompt import Kind
from kiosk.voice.voice import Outcome
from tests.kiosk.kiosk_support import MakeConfig
from tests.ui.ui_support import find, run_with_script, tap, until

pytestmark = [pytest.mark.ui, pytest.mark.timeout(120)]


def test_the_screens_speak_their_instructions_and_read_digits_back(kiosk_config: MakeConfig) -> None:
    config = kiosk_config()
    config = dataclasses.replace(config, voice=VoiceSettings(enabled=True, output="null"))
    terminal = Terminal(config, centre=centre_connector(config))
    prepare_kivy(config, "portrait")
    terminal.start()
    app = build_app(config, terminal, developer_panel=True)
    session = terminal.session
    voice = app.voice_guide.voice

    def said() -> str:
        return voice.last.text if voice.last is not None else ""

    def script():  # type: ignore[no-untyped-def]
        root = app.root
        yield from until(lambda: root.manager.current == "attract")
        assert voice.last is None  # nobody there: attract says nothing
        assert find(root, "repeat").opacity == 1
        tap(find(root, "start"))
        yield from until(lambda: said().startswith("请验证您的身份"), describe="identify's instruction")
        tap(find(root, "dev-放卡：张*丰"))
        yield from until(lambda: root.manager.current == "choose")
        yield from until(lambda: said() == "请选择要办理的事项")
        tap(find(root, "item-residence-permit"))
        yield from until(lambda: root.manager.current == "guide")
        yield from until(lambda: said() == session.item.name)
        first = voice.last
        tap(find(root, "repeat"))  # 再听一遍
        yield from until(lambda: voice.last is not first and said() == session.item.name)
        assert find(root, "volume").text == "音量：中"
        again = voice.last
        tap(find(root, "volume"))  # louder, and said again at once
        yield from until(lambda: voice.last is not again and said() == session.item.name)
        assert find(root, "volume").text == "音量：大" and voice.volume == 100
        tap(find(root, "start-form"))
        yield from until(lambda: root.manager.current == "form")
        yield from until(lambda: said() == session.question.label)
        while session.question.kind != "phone":
            session.answer(session.question.options[0])
            yield 0.05
        yield from until(lambda: said() == session.question.label)
        utterance = app.voice_guide.typed("1", app.language)  # what the keypad calls, checked directly
        assert utterance is not None and utterance.prompt.kind is Kind.DIGITS
        tap(find(root, "key-8"))
        yield from until(lambda: said() == "8" and voice.last.kind is Kind.DIGITS)
        withheld = app.voice_guide.typed("3", app.language, id_number=True)
        assert withheld is not None and withheld.outcome is Outcome.WITHHELD and said() == "8"
        session.home()
        yield from until(lambda: session.step is Step.ATTRACT)
        assert find(root, "volume").text == "音量：中" and voice.volume == app.voice_guide.site_volume  # the next one
        yield from until(lambda: "身份证" in said(), describe="the card left behind, announced")
        assert root.manager.current_screen.insists
        before = voice.last
        app.voice_guide.clock = lambda: 10**9  # long after: said again
        yield from until(lambda: voice.last is not before, describe="announced again")
        tap(find(root, "dev-取走卡片"))
        yield from until(lambda: not root.manager.current_screen.insists)

    run_with_script(app, script)
    terminal.stop()
