"""Guide (办事指南): conditions, materials, fee, time limit and result, told once and fully."""

from __future__ import annotations

from kivy.properties import StringProperty

from kiosk.messages import MessageId
from screens.base import KioskScreen
from screens.widgets import KLabel


class GuideScreen(KioskScreen):
    item_name = StringProperty("")
    department = StringProperty("")

    def refresh(self) -> None:
        item = self.session.item
        if item is None:
            return
        self.item_name = item.name
        self.department = item.department
        box = self.ids.sections
        box.clear_widgets()
        guide = item.guide
        sections = [
            (MessageId.UI_GUIDE_CONDITIONS, guide.conditions),
            (MessageId.UI_GUIDE_MATERIALS, guide.materials),
            (MessageId.UI_GUIDE_FEE, (guide.fee,)),
            (MessageId.UI_GUIDE_TIME_LIMIT, (guide.time_limit,)),
            (MessageId.UI_GUIDE_RESULT, (guide.result,)),
        ]
        for heading, lines in sections:
            box.add_widget(KLabel(text=self.say(heading), bold=True, role="title", color=self.theme.primary))
            for line in lines:
                bullet = "• " if len(lines) > 1 else ""
                box.add_widget(KLabel(text=f"{bullet}{line}"))

    def clear(self) -> None:
        self.ids.sections.clear_widgets()
