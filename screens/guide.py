"""Guide (办事指南): who may apply, conditions, materials (and whether this kiosk can take
them), fee, time limits, result and where to collect it, and the legal basis; told once, fully.

A bundle's ``item`` is an ``Application`` with a merged guide: the same attributes.
"""

from __future__ import annotations

from kivy.clock import Clock
from kivy.properties import BooleanProperty, NumericProperty, StringProperty

from kiosk.catalog.model import Capture, Channel, Guide, Material, MaterialForm
from kiosk.catalog.translated import guide_in
from kiosk.messages import Message, MessageId, catalog_text, message
from screens.base import KioskScreen
from screens.glyphs import escape_markup
from screens.paging import PageBlock, PagedGrid  # noqa: F401 - the .kv file's PagedGrid
from screens.widgets import KLabel

FORM_WORDS = {
    MaterialForm.ORIGINAL: MessageId.UI_GUIDE_MATERIAL_ORIGINAL,
    MaterialForm.COPY: MessageId.UI_GUIDE_MATERIAL_COPY,
    MaterialForm.ORIGINAL_AND_COPY: MessageId.UI_GUIDE_MATERIAL_ORIGINAL_AND_COPY,
    MaterialForm.ELECTRONIC: MessageId.UI_GUIDE_MATERIAL_ELECTRONIC,
}
CAPTURE_WORDS = {
    Capture.CARD: MessageId.UI_GUIDE_CAPTURE_CARD,
    Capture.CAMERA: MessageId.UI_GUIDE_CAPTURE_CAMERA,
    Capture.NONE: MessageId.UI_GUIDE_CAPTURE_NONE,
}
COMPACT_STEPS = 2  # landscape, a long name (elder English): the name at title size, then body size
SEPARATOR = " · "
SECTION_SPACING = 6
BULLET = "•\u00a0"  # a no-break space: Kivy wraps at spaces, and a bullet must stay with its line


def material_message(material: Material) -> Message:
    """How the material is wanted: 原件 / 复印件×N / 电子."""
    return message(FORM_WORDS[material.form], copies=material.copies)


class GuideScreen(KioskScreen):
    item_name = StringProperty("")
    department = StringProperty("")
    counter_only = BooleanProperty(False)  # done only at the counter: book a slot instead of a form
    compact = NumericProperty(0)  # steps the name took down to fit its column (landscape)
    _item_id = ""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self._fit_later = Clock.create_trigger(self._fit)
        self.ids.heading_column.bind(minimum_height=self._fit_later, height=self._fit_later)

    def instruction(self) -> str:
        return self.item_name

    def refresh(self) -> None:
        item = self.session.item
        if item is None:
            return
        self.counter_only = item.channel is Channel.COUNTER
        language = self.session.language
        if item.id != self._item_id:
            self._item_id, self.compact = item.id, 0  # a new item's name starts full size
        self.item_name = item.names.get(language)
        self.department = catalog_text(item.department, language)
        self._shown: list[PageBlock] = []
        guide = guide_in(item.guide, language)
        self._section(MessageId.UI_GUIDE_WHO, [guide.who])
        self._section(MessageId.UI_GUIDE_CONDITIONS, list(guide.conditions))
        self._materials(guide)
        self._section(MessageId.UI_GUIDE_FEE, [guide.fee])
        self._section(MessageId.UI_GUIDE_TIME_LIMIT, [
            self.say(MessageId.UI_GUIDE_PROMISED_LIMIT, limit=guide.promised_limit),
            self.say(MessageId.UI_GUIDE_LEGAL_LIMIT, limit=guide.legal_limit),
        ], bullets=False)
        result = [guide.result, self.say(MessageId.UI_GUIDE_RESULT_DELIVERY, delivery=guide.result_delivery)]
        if guide.collect_at:
            result.append(self.say(MessageId.UI_GUIDE_COLLECT_AT, place=guide.collect_at))
        self._section(MessageId.UI_GUIDE_RESULT, result, bullets=False)
        self._section(MessageId.UI_GUIDE_LEGAL_BASIS, list(guide.legal_basis), small=True)
        self.ids.sections.show(self._shown)

    def _fit(self, *_args: object) -> None:
        """A step down while the name's column (landscape) is taller than the room it has: a
        long name in elder English would run under the header."""
        column = self.ids.heading_column
        if self.width > self.height and self.compact < COMPACT_STEPS and column.minimum_height > column.height + 1:
            self.compact += 1

    def _heading(self, heading: MessageId) -> PageBlock:
        """A new section with its heading; its lines are added to it (a page never splits it)."""
        section = PageBlock(spacing=SECTION_SPACING)
        section.add_widget(
            KLabel(text=self.say(heading), bold=True, role="title", color=self.theme.primary, padding=(0, 12, 0, 0))
        )
        self._shown.append(section)
        return section

    def _section(self, heading: MessageId, lines: list[str], bullets: bool = True, small: bool = False) -> None:
        lines = [line for line in lines if line]
        if not lines:
            return
        section = self._heading(heading)
        for line in lines:
            bullet = BULLET if bullets and len(lines) > 1 else ""
            section.add_widget(KLabel(text=f"{bullet}{line}", role="small" if small else "body"))

    def _materials(self, guide: Guide) -> None:
        if not guide.materials:
            return
        section = self._heading(MessageId.UI_GUIDE_MATERIALS)
        for material in guide.materials:
            name = material.name
            if not material.required:
                name += self.say(MessageId.UI_GUIDE_MATERIAL_OPTIONAL)
            how = self.session.say(material_message(material)) + SEPARATOR + self.say(CAPTURE_WORDS[material.capture])
            text = f"[b]{BULLET}{escape_markup(name)}[/b]\n    [color=1F5FAD]{escape_markup(how)}[/color]"
            if material.note:
                text += f"\n    [color=4A5567]{escape_markup(material.note)}[/color]"
            section.add_widget(KLabel(text=text, markup=True, test_name="guide-material"))

    def clear(self) -> None:
        self._item_id = ""
        self.ids.sections.show([])
