"""Pages instead of scrolling: a list cut into pages that fit, with large 上一页 / 下一页 buttons.

Residents do not swipe (``docs/experience.md``): a list longer than its space is cut, in
order and row by row, into pages by the widgets' own heights at the width they get, and only
the page in view is in the widget tree, so a frame draws that page and nothing more. A widget
that knows its height at a width before it is laid out (an ``OfferTile``) says so through
``height_for(width)``; any other widget is given the column's width first and taken at the
height it then has (wrapped text settles a frame later and the list is cut again).
"""

from __future__ import annotations

from collections.abc import Sequence

from kivy.app import App
from kivy.clock import Clock
from kivy.properties import BooleanProperty, NumericProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.gridlayout import GridLayout
from kivy.uix.label import Label
from kivy.uix.widget import Widget

from kiosk.messages import MessageId
from screens.widgets import KButton, KLabel


def _say(message_id: MessageId, **params: object) -> str | None:
    """The words in the app's language; None once the app has stopped (a list cleared then
    keeps its words rather than scheduling a redraw for a window that is gone)."""
    app = App.get_running_app()
    return str(app.say(message_id, app.language, **params)) if app is not None else None


def cut_into_pages(heights: Sequence[float], cols: int, room: float, gap: float) -> list[range]:
    """The index ranges of each page: whole rows of ``cols``, as many as fit in ``room``.

    A row is as tall as its tallest widget; rows are ``gap`` apart. A row taller than the room
    still gets a page of its own (it is shown from its top, never dropped)."""
    pages: list[range] = []
    start, used = 0, 0.0
    for row_start in range(0, len(heights), cols):
        row = max(heights[row_start:row_start + cols])
        needed = row if row_start == start else used + gap + row
        if row_start > start and needed > room:
            pages.append(range(start, row_start))
            start, used = row_start, row
        else:
            used = needed
    if start < len(heights) or not pages:
        pages.append(range(start, len(heights)))
    return pages


class PagedGrid(BoxLayout):
    """``cols`` columns of widgets, a page at a time, and the page buttons when there is more
    (fewer columns where a widget would be taller than a page in that many).

    ``show(widgets)`` puts a new list on page one; ``show_page(n)`` and the buttons turn pages;
    ``turn_to(widget)`` opens the page a widget is on. The buttons are ``page-previous`` and
    ``page-next``, and the position ``page-position`` ("第 2/4 页"): under the page, or, with
    ``controls_beside`` (landscape, where height is short), in a column to its right.
    """

    cols = NumericProperty(1)
    gap = NumericProperty(20)
    page = NumericProperty(0)
    page_count = NumericProperty(1)
    controls_beside = BooleanProperty(False)

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self._widgets: list[Widget] = []
        self._pinned: Widget | None = None  # the widget ``turn_to`` opened, kept in view
        self._pages: list[range] = [range(0)]
        self._cut_for: tuple[float, ...] | None = None
        self.page_area = BoxLayout(orientation="vertical")
        self.grid = GridLayout(cols=1, size_hint_y=None)
        self.grid.bind(minimum_height=self.grid.setter("height"))
        self.page_area.add_widget(self.grid)
        self.page_area.add_widget(Widget())  # the rest of the room, under a short last page
        self.add_widget(self.page_area)
        self.controls = BoxLayout(spacing=16)
        self.previous = KButton(test_name="page-previous")
        self.position = KLabel(test_name="page-position", halign="center", valign="middle", bold=True)
        self.next = KButton(test_name="page-next", kind="primary")
        self.previous.bind(on_release=lambda _b: self.show_page(self.page - 1))
        self.next.bind(on_release=lambda _b: self.show_page(self.page + 1))
        for part in (self.previous, self.position, self.next):
            self.controls.add_widget(part)
        self.position.bind(size=lambda label, size: setattr(label, "text_size", size))
        self._recut = Clock.create_trigger(self._scheduled_cut)
        self.bind(size=self._recut, cols=self._recut, gap=self._recut, controls_beside=self._place_controls)
        self.previous.bind(height=self._place_controls)
        self._place_controls()
        theme = getattr(App.get_running_app(), "theme", None)
        if theme is not None:  # elder mode changes every height
            theme.bind(scale=self._recut, button_height=self._place_controls)

    def show(self, widgets: Sequence[Widget]) -> None:
        """A new list, from its first page (cut now, so the next frame shows the right page)."""
        for widget in self._widgets:
            widget.unbind(height=self._recut)
        self._widgets = list(widgets)
        self._pinned = None
        for widget in self._widgets:  # a height that settles later (elder mode, wrapped text) re-cuts
            widget.bind(height=self._recut)
        self._cut_for = None
        self._cut(keep=False)

    def show_page(self, page: int) -> None:
        self._pinned = None  # the resident turns the pages now
        self.page = max(0, min(page, len(self._pages) - 1))
        self._fill()

    def turn_to(self, widget: Widget) -> bool:
        """Open the page ``widget`` is on, and keep it in view while the list is cut again
        (heights that settle later move the page breaks); False when it is not in the list."""
        if widget not in self._widgets:
            return False
        index = self._widgets.index(widget)
        self.show_page(next(n for n, page in enumerate(self._pages) if index in page))
        self._pinned = widget
        return True

    @property
    def widgets(self) -> list[Widget]:
        """The whole list, every page."""
        return list(self._widgets)

    def _place_controls(self, *_args: object) -> None:
        """The buttons' row under the page, or their column beside it."""
        beside = self.controls_beside
        self.orientation = "horizontal" if beside else "vertical"
        self.spacing = self.gap
        self.controls.orientation = "vertical" if beside else "horizontal"
        self.controls.size_hint = (None, 1) if beside else (1, None)
        # From the theme, not from the buttons' own heights: a button grows when its words wrap,
        # and a column sized by that height would unwrap them again, and so on without end.
        theme = getattr(App.get_running_app(), "theme", None)
        button = float(theme.button_height) if theme is not None else self.previous.height
        self.controls.width = button * 2.2  # room for "第 12/13 页" in a column
        self.controls.height = self.previous.height
        self.position.size_hint_y = 1
        self.position.role = "small" if beside else "body"  # a column between two buttons is short
        self._recut()

    def _room(self, paged: bool) -> tuple[float, float]:
        """The width and height the page itself gets, with or without the buttons."""
        if not paged:
            return self.width, self.height
        if self.controls_beside:
            return self.width - self.controls.width - self.gap, self.height
        return self.width, self.height - self.controls.height - self.gap

    def _heights(self, paged: bool, cols: int) -> list[float]:
        gap = float(self.gap)
        width = (self._room(paged)[0] - gap * (cols - 1)) / cols
        return [self._height_of(widget, width) for widget in self._widgets]

    def _cut_in(self, cols: int) -> tuple[list[range], bool]:
        """The pages in ``cols`` columns, and whether every widget fits a page's height there."""
        gap = float(self.gap)
        heights = self._heights(paged=False, cols=cols)
        pages, paged = cut_into_pages(heights, cols, self._room(paged=False)[1], gap), False
        if len(pages) > 1:  # the buttons take a row (or a column) of the room
            heights = self._heights(paged=True, cols=cols)
            pages, paged = cut_into_pages(heights, cols, self._room(paged=True)[1], gap), True
        return pages, max(heights, default=0.0) <= self._room(paged)[1] + 1

    def _scheduled_cut(self, _dt: float) -> None:
        """A re-cut after sizes changed, unless the app has stopped (no window to measure for:
        a trigger left scheduled by one app must not fire into the next)."""
        if App.get_running_app() is not None:
            self._cut(keep=True)

    def _cut(self, keep: bool) -> None:
        first = self._pages[self.page].start if keep and self.page < len(self._pages) else 0
        if keep and self._pinned is not None and self._pinned in self._widgets:
            first = self._widgets.index(self._pinned)
        cols, gap = max(1, int(self.cols)), float(self.gap)
        heights = self._heights(paged=False, cols=cols)
        key = (*self.size, cols, gap, *self.controls.size, float(self.controls_beside), *heights)
        if key == self._cut_for:
            return
        self._cut_for = key
        pages, fits = self._cut_in(cols)
        measured = all(hasattr(widget, "height_for") for widget in self._widgets)
        while not fits and cols > 1 and measured and self.height > 0:
            # A widget taller than the page in this many columns (long words wrapped in a narrow
            # column, elder mode, landscape with Help open): fewer, wider columns, so it fits.
            # Only for widgets that know their height at a width: any other takes its height a
            # frame after it is given a width, and trying widths would go back and forth.
            cols -= 1
            pages, fits = self._cut_in(cols)
        self.grid.cols, self.grid.spacing = cols, (gap, gap)
        self._pages = pages
        self.page_count = len(pages)
        self.page = next((n for n, page in enumerate(pages) if first in page), 0)
        self._fill()

    @staticmethod
    def _height_of(widget: Widget, width: float) -> float:
        measure = getattr(widget, "height_for", None)
        if measure is not None:
            return float(measure(width))
        if widget.parent is None and widget.size_hint_x is not None:
            widget.width = width  # wrapped text takes its height at this width (a frame later: re-cut)
        return float(widget.height)

    def _fill(self) -> None:
        self.grid.clear_widgets()
        for index in self._pages[self.page]:
            self.grid.add_widget(self._widgets[index])
        paged = len(self._pages) > 1
        if paged and self.controls.parent is None:
            self.add_widget(self.controls, index=0)
        elif not paged and self.controls.parent is not None:
            self.remove_widget(self.controls)
        self.previous.enabled = self.page > 0
        self.next.enabled = self.page < len(self._pages) - 1
        words = (_say(MessageId.UI_PAGE_PREVIOUS), _say(MessageId.UI_PAGE_NEXT),
                 _say(MessageId.UI_PAGE_POSITION, page=self.page + 1, pages=len(self._pages)))
        parts: tuple[Label, ...] = (self.previous, self.next, self.position)
        for part, text in zip(parts, words, strict=True):
            if text is not None:
                part.text = text


class PageBlock(BoxLayout):
    """Labels and buttons stacked as one entry of a ``PagedGrid``: a page never splits them.

    ``height_for(width)`` sizes each child at ``width`` (its ``.kv`` rule wraps its text
    there), sums them and puts each back; remembered per width and text size, so cutting the
    pages again does not set off another round of wrapping."""

    def __init__(self, spacing: float = 6, **kwargs: object) -> None:
        super().__init__(orientation="vertical", size_hint_y=None, spacing=spacing, **kwargs)
        self.bind(minimum_height=self.setter("height"))
        self._heights: dict[tuple[float, ...], float] = {}

    def height_for(self, width: float) -> float:
        theme = getattr(App.get_running_app(), "theme", None)
        key = (width, float(theme.scale) if theme is not None else 1.0, float(len(self.children)))
        if key not in self._heights:
            total = float(self.spacing) * max(0, len(self.children) - 1)
            for child in self.children:
                shown = child.width
                child.width = width
                if isinstance(child, Label):
                    child.texture_update()  # the height rule follows the new texture at once
                total += float(child.height)
                child.width = shown
            self._heights[key] = total
        return self._heights[key]

