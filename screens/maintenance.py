"""Maintenance (维护): the menu and every section, drawn from the panel's ``Sheet``.

One screen for all sections: the panel (``kiosk.maintenance.panel``) says which section is
open and what it shows; this draws the title, the countdown to the automatic exit, the
choices, the buttons, what is running, the outcome, the rows and a camera frame. A button's
``test_name`` is ``mt-`` and its action id with ``:`` as ``-`` (``mt-test-card``).
"""

from __future__ import annotations

from kivy.clock import Clock
from kivy.properties import BooleanProperty, NumericProperty, StringProperty

from kiosk.maintenance.panel import MaintenancePanel
from kiosk.maintenance.sheet import Action, Section, Sheet
from kiosk.maintenance.wording import Tech, tech
from screens.base import KioskScreen
from screens.maintenance_widgets import BUTTON_TALL, BUTTON_TEXT, SheetRow
from screens.widgets import KButton

AUTO_EXIT_WARNING_S = 60  # the countdown turns amber and says "tap to stay" in the last minute


def button_name(action_id: str) -> str:
    return "mt-" + action_id.replace(":", "-")


class MaintenanceScreen(KioskScreen):
    panel: MaintenancePanel

    title = StringProperty("")
    intro = StringProperty("")
    busy = StringProperty("")
    outcome = StringProperty("")
    outcome_tone = StringProperty("plain")
    auto_exit = StringProperty("")
    auto_exit_soon = BooleanProperty(False)
    has_image = BooleanProperty(False)
    action_columns = NumericProperty(2)

    @property
    def show_back(self) -> bool:
        return self.panel.section is not Section.MENU

    @property
    def show_home(self) -> bool:
        return True  # "退出维护"

    def refresh(self) -> None:
        sheet = self.panel.sheet()
        self.title = sheet.title
        self.intro = sheet.intro
        self.busy = sheet.busy
        self.outcome = sheet.outcome
        self.outcome_tone = sheet.outcome_tone.value
        self._fill_buttons(self.ids.choices, sheet.choices, kind="option")
        self._fill_buttons(self.ids.actions, sheet.actions, kind="secondary")
        self._fill_rows(sheet)
        self.ids.frame.show_png(sheet.image_png)
        self.has_image = sheet.image_png is not None
        self._count_down()

    def _fill_buttons(self, grid: object, actions: tuple[Action, ...], kind: str) -> None:
        grid.clear_widgets()  # type: ignore[attr-defined]
        for action in actions:
            button = KButton(
                text=action.label,
                test_name=button_name(action.id),
                kind="primary" if action.primary else kind,
                selected=action.selected,
                enabled=action.enabled,
                tall=BUTTON_TALL,
                factor=BUTTON_TEXT,
            )
            button.bind(on_release=lambda _b, act=action.id: self.panel.act(act))
            grid.add_widget(button)  # type: ignore[attr-defined]

    def _fill_rows(self, sheet: Sheet) -> None:
        rows = self.ids.rows
        rows.clear_widgets()
        for row in sheet.rows:
            rows.add_widget(SheetRow.of(row))
        self.ids.scroll.scroll_y = 1

    def on_enter(self, *args: object) -> None:
        Clock.schedule_interval(self._count_down, 1.0)

    def on_leave(self, *args: object) -> None:
        Clock.unschedule(self._count_down)
        self.clear()

    def _count_down(self, *_args: object) -> None:
        left = self.terminal.maintenance_seconds_left()
        if left is None:
            self.auto_exit, self.auto_exit_soon = "", False
            return
        whole = max(0, int(left + 0.999))
        self.auto_exit_soon = whole <= AUTO_EXIT_WARNING_S
        if self.auto_exit_soon:
            self.auto_exit = tech(Tech.AUTO_EXIT_SOON, seconds=whole)
        else:
            self.auto_exit = tech(Tech.AUTO_EXIT, minutes=whole // 60, seconds=whole % 60)

    def clear(self) -> None:
        """Drop what a self-test showed (masked as it is) and the camera frame."""
        self.ids.rows.clear_widgets()
        self.ids.frame.show_png(None)
        self.has_image = False
