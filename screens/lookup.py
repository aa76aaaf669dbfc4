"""Status lookup (办件查询): the three ways in, the typed number, the answer, and the ways on.

The screen draws ``kiosk.session.status_lookup.StatusLookups`` (the state, the rules, the
centre's answers) and nothing else: one panel per ``View``, swapped into ``ids.body``. Nothing
scrolls: the card holder's cases come a page at a time (``PagedGrid``), the keypad's keys
shrink to the height left. Leaving the screen forgets what it showed.
"""

from __future__ import annotations

from typing import Any

from kivy.app import App
from kivy.factory import Factory
from kivy.properties import BooleanProperty, ObjectProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.widget import Widget

from kiosk.messages import MessageId, catalog_text
from kiosk.session.status_lookup import FoundCase, StatusLookups, View, grouped_case_number, is_listed_material
from screens.base import KioskScreen
from screens.form_inputs.keypad import FormKeypad  # noqa: F401 - registers <FormKeypad> for kv rules
from screens.glyphs import escape_markup
from screens.paging import PagedGrid  # noqa: F401 - registers <PagedGrid> for kv rules
from screens.widgets import KButton

PANELS = {  # view -> the kv rule drawing it
    View.WAYS: "LookupWays",
    View.NUMBER: "LookupTyping",
    View.TAIL: "LookupTyping",
    View.WAITING: "LookupWaiting",
    View.CASE: "LookupCase",
    View.LIST: "LookupList",
    View.PROBLEM: "LookupProblem",
}
# The heading says what the panel is about (CASE: the item; LIST: how many), so panels repeat nothing.
HEADINGS = {View.NUMBER: MessageId.UI_LOOKUP_NUMBER_PROMPT, View.TAIL: MessageId.UI_LOOKUP_TAIL_PROMPT}
RETRY_WORTH_IT = frozenset({MessageId.LOOKUP_UNREACHABLE, MessageId.LOOKUP_TOO_MANY})
CLERK_REF = "clerk"  # marks a clerk's own line in what is missing (tests.ui.language_checks)


class LookupRow(KButton):
    """One of the card holder's cases in the list: its item, its state, its number."""

    def height_for(self, width: float) -> float:
        """The row's height at ``width`` before it is laid out (``PagedGrid`` cuts pages by it)."""
        laid_out = self.property("text_size").get(self)  # its class rule's, for its own width: put back after
        self.text_size = (width - 32, None)
        self.texture_update()
        height = float(max(App.get_running_app().theme.button_height * self.tall, self.texture_size[1] + 40))
        self.text_size = laid_out
        self.texture_update()
        return height


class LookupPanel(BoxLayout):
    """One view's panel; its kv rule reads the screen's properties."""

    screen = ObjectProperty(None)


class LookupCaseButtons(LookupPanel):
    """Under a case: back to the card's list (when it came from one) and another way."""

    from_list = BooleanProperty(False)


class LookupScreen(KioskScreen):
    view = StringProperty(View.WAYS.value)
    heading = StringProperty("")  # 办件查询, or while typing what to type
    problem = StringProperty("")  # on PROBLEM: what happened; on typing: what to fix
    can_retry = BooleanProperty(False)
    case = ObjectProperty(None, allownone=True)  # the FoundCase shown on CASE
    case_number = StringProperty("")
    item_name = StringProperty("")
    status = StringProperty("")
    next_step = StringProperty("")
    missing = StringProperty("")
    updated = StringProperty("")
    from_list = BooleanProperty(False)
    typed = StringProperty("")  # the keypad's digits, grouped for reading back
    card_available = BooleanProperty(True)
    qr_available = BooleanProperty(True)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._panels: dict[str, Widget] = {}
        self._subscribed = False
        self._listed: tuple[FoundCase, ...] | None = None

    @property
    def show_back(self) -> bool:
        """No footer Back: behind the lookup is only attract (that is Home); within it, each
        panel has its own way back (换一种方式查询, 返回办件列表)."""
        return False

    @property
    def lookups(self) -> StatusLookups:
        return self.terminal.identification.lookups

    def instruction(self) -> str:
        return self.problem or self.heading

    def refresh(self) -> None:
        if not self._subscribed:
            self._subscribed = True
            self.lookups.subscribe(lambda _lookups: self._redraw() if self.manager and self.manager.current == self.name
                                   else None)
        self._redraw()

    def _redraw(self) -> None:
        lookups = self.lookups
        availability = self.terminal.availability
        if availability is not None:
            self.card_available, self.qr_available = availability.card, availability.qr
        self.problem = self.session.say(lookups.problem)
        self.can_retry = lookups.problem is not None and lookups.problem.id in RETRY_WORTH_IT
        self._show_case(lookups.chosen)
        self.from_list = lookups.by_card and len(lookups.cases) > 0
        view = lookups.view
        panel = self._panel(view)
        if view in (View.NUMBER, View.TAIL) and self.view != view.value:
            panel.ids.keypad.value = lookups.number if view is View.NUMBER else ""
        self.view = view.value
        if view is View.CASE:
            self.heading = self.item_name
        elif view is View.LIST:
            self.heading = self.say(MessageId.UI_LOOKUP_LIST_TITLE, count=len(lookups.cases))
        else:
            self.heading = self.say(HEADINGS.get(view, MessageId.UI_LOOKUP_TITLE))
        if view is View.LIST and self._listed != lookups.cases:  # a new list: from its first page
            self._listed = lookups.cases
            panel.ids.pages.show([self._row(case) for case in lookups.cases])
        body = self.ids.body
        if panel.parent is not body:
            body.clear_widgets()
            body.add_widget(panel)
        self._typed_changed()

    def _panel(self, view: View) -> Widget:
        name = PANELS[view]
        if name not in self._panels:
            panel = getattr(Factory, name)(screen=self)
            if name == "LookupTyping":
                panel.ids.keypad.bind(value=lambda *_: self._typed_changed())
            self._panels[name] = panel
        return self._panels[name]

    def _typed_changed(self) -> None:
        panel = self._panels.get("LookupTyping")
        if panel is None:
            return
        digits = panel.ids.keypad.value
        self.typed = grouped_case_number(digits) if self.view == View.NUMBER.value else " ".join(digits)

    def _show_case(self, case: FoundCase | None) -> None:
        self.case = case
        if case is None:
            self.case_number = self.item_name = self.status = self.next_step = self.missing = self.updated = ""
            return
        self.case_number = grouped_case_number(case.case_number)
        self.item_name = self._item_name(case.item_id)
        self.status = self.say(case.status)
        self.next_step = self.say(case.next_step)
        self.missing = "\n".join(self._missing_line(line) for line in case.missing)
        self.updated = self.say(MessageId.UI_LOOKUP_UPDATED, date=case.updated.isoformat())

    def _missing_line(self, line: str) -> str:
        """A material from the clerks' list in the resident's language; a line a clerk wrote, as
        written (marked ``[ref=clerk]``, which shows nothing: it is not the kiosk's to translate)."""
        if is_listed_material(line):
            return f"· {escape_markup(catalog_text(line, self.session.language))}"
        return f"· [ref={CLERK_REF}]{escape_markup(line)}[/ref]"

    def _item_name(self, item_id: str) -> str:
        """The item's public name in the session's language (an item this site no longer offers: 办件)."""
        catalog = self.session.catalog
        if catalog.has(item_id):
            return catalog.item(item_id).names.get(self.session.language)
        return self.say(MessageId.LOOKUP_OTHER_ITEM)

    def _row(self, case: FoundCase) -> LookupRow:
        status = self.say(MessageId.LOOKUP_RESULT, case_number=grouped_case_number(case.case_number),
                          status=case.status)
        row = LookupRow(text=f"{self._item_name(case.item_id)}\n{status}", test_name=f"case-{case.case_number}",
                        halign="left")
        row.bind(on_release=lambda _b: self.lookups.choose(case))
        return row

    # --- what the buttons do -----------------------------------------------------------

    def type_number(self) -> None:
        self.lookups.type_number()

    def typed_next(self) -> None:
        digits = self._panels["LookupTyping"].ids.keypad.value
        if self.view == View.NUMBER.value:
            self.lookups.number_typed(digits)
        else:
            self.lookups.tail_typed(digits)

    def other_way(self) -> None:
        self.lookups.reset()

    def to_list(self) -> None:
        self.lookups.to_list()

    def retry(self) -> None:
        self.lookups.retry()

    def clear(self) -> None:
        for panel in self._panels.values():
            if "keypad" in panel.ids:
                panel.ids.keypad.value = ""
            if "pages" in panel.ids:
                panel.ids.pages.show([])
        self._listed = None
        self._show_case(None)
        self.typed = self.problem = ""
