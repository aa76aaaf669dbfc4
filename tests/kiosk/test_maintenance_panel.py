"""The maintenance panel against a real terminal and desk (simulators, embedded centre), no window.

``post`` runs the hand-back at once, as the Kivy clock would a moment later on the UI thread.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from drivers.idcard import samples
from drivers.simulated import SimulatedCardReader
from kiosk.maintenance.panel import MaintenancePanel
from kiosk.maintenance.sheet import Section, Sheet, Tone
from kiosk.terminal import Terminal
from tests.kiosk.kiosk_support import MakeConfig
from tests.kiosk.terminal_support import pump_until, running_terminal
from tests.support import wait_for

PIN = "274816"


@contextmanager
def panel_of(make_config: MakeConfig) -> Iterator[tuple[Terminal, MaintenancePanel, list[int]]]:
    with running_terminal(make_config()) as terminal:
        pump_until(terminal, lambda: terminal.link is not None and terminal.availability is not None)
        terminal.records.pins.set_pin(PIN)
        assert terminal.open_maintenance_with_pin(PIN).ok
        assert terminal.desk is not None
        changes: list[int] = []
        lock = threading.Lock()

        def post(call: Callable[[], None]) -> None:
            with lock:
                call()

        panel = MaintenancePanel(terminal.config.terminal_id, terminal.config.site.name, "1.0",
                                 service=lambda: terminal.service_state, post=post)
        panel.subscribe(lambda: changes.append(1))
        panel.begin(terminal.desk)
        yield terminal, panel, changes


def row(sheet: Sheet, key: str) -> str:
    return next(r.value for r in sheet.rows if r.key == key)


def test_a_section_opens_on_its_report_and_the_buttons_act(kiosk_config: MakeConfig) -> None:
    with panel_of(kiosk_config) as (terminal, panel, changes):
        assert panel.sheet().title == "维护菜单"
        panel.act("open:paper")
        assert panel.section is Section.PAPER and changes
        panel.act("paper:replaced")
        assert row(panel.sheet(), "printed") == "0 张" and panel.sheet().outcome_tone is Tone.OK
        panel.act("open:service")
        panel.act("service:out")  # no reason chosen: nothing happens
        assert terminal.service_state.in_service
        panel.act("service:reason:1")
        panel.act("service:out")
        assert not terminal.service_state.in_service and terminal.service_state.reason == "设备维修"
        assert row(panel.sheet(), "service-state") == "暂停服务：设备维修"
        panel.act("service:back")
        assert terminal.service_state.in_service
        panel.back()
        assert panel.section is Section.MENU


def test_a_self_test_runs_off_the_caller_one_at_a_time(kiosk_config: MakeConfig) -> None:
    with panel_of(kiosk_config) as (terminal, panel, _changes):
        panel.open(Section.SELF_TEST)
        panel.act("test:card")
        assert panel.running == "test:card" and panel.sheet().busy == "请放置身份证……"
        panel.act("test:print")  # refused while the card test waits
        assert panel.running == "test:card"
        reader = terminal.devices.id_card
        assert isinstance(reader, SimulatedCardReader)
        threading.Timer(0.3, reader.place_card, (samples.ALL[0],)).start()  # the desk listens by then
        wait_for(lambda: panel.running is None, 25)
        sheet = panel.sheet()
        assert sheet.outcome == "✔ 通过：读卡成功", sheet.outcome
        assert samples.ALL[0].name not in " ".join(r.value for r in sheet.rows)


def test_the_visit_ending_drops_a_late_result(kiosk_config: MakeConfig) -> None:
    with panel_of(kiosk_config) as (terminal, panel, _changes):
        panel.open(Section.SELF_TEST)
        panel.act("test:qr")
        desk = terminal.desk
        panel.end()
        panel.begin(desk)  # type: ignore[arg-type]
        assert panel.running is None and panel.section is Section.MENU
