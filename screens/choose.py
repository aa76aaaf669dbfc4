"""Choose (选择事项): the site's items and bundles, most used first, by life event, by department or searched.

The top holds the search box, then three chips: 常用事项 (everything, the most used here
first), 按生活事件 (the life events the site's offer falls under, then one event's offers) and
按部门 (the departments, then one department's items). Tapping the search box opens
a letter keyboard; each letter re-runs ``kiosk.catalog.search`` (pinyin, initials), so the
results follow the typing. The search index is built once per catalogue on a worker thread
while the resident looks at the screen. Tiles are made once per catalogue and language and
reused between views; the list shows a page of them at a time (``screens.paging``: residents
do not swipe), so switching a view lays out and draws one page (``bench/choose_screen.py``).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from kivy.app import App
from kivy.properties import BooleanProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.widget import Widget

from kiosk.catalog.model import Bundle, Catalog, Item
from kiosk.catalog.search import MAX_QUERY, CatalogSearch, ranked_offers
from kiosk.messages import MessageId, catalog_text
from kiosk.session.privacy import mask_name
from screens.base import KioskScreen
from screens.paging import PagedGrid
from screens.widgets import FlatButton, KButton

FREQUENT = "frequent"
EVENTS = "events"
DEPARTMENTS = "departments"
KEY_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
TILE_HEIGHT = 1.35  # a tile's least height, in button heights (choose.kv says the same)


class OfferTile(FlatButton):
    """An item or a bundle as a large tile: icon, name, department (or what a bundle gets done)."""

    test_name = StringProperty("")
    icon = StringProperty("")
    title = StringProperty("")
    subtitle = StringProperty("")
    badge = StringProperty("")  # "一件事" on bundles

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self._heights: dict[tuple[float, ...], float] = {}

    def height_for(self, width: float) -> float:
        """The tile's height at ``width`` before it is laid out (``PagedGrid`` cuts pages by it);
        the same sum as the ``.kv`` rule's."""
        theme = App.get_running_app().theme
        key = (width, theme.button_height, theme.body, theme.small)
        if key not in self._heights:
            words_width = width - theme.button_height * 0.8 - 64
            words = [self.ids.title_label, self.ids.subtitle_label] + ([self.ids.badge] if self.badge else [])
            for label in words:
                label.text_size = (words_width, None) if label is not self.ids.badge else (None, None)
                label.texture_update()
            needed = sum(label.texture_size[1] for label in words) + 6 * 2 + (8 if self.badge else 0)
            self._heights[key] = max(theme.button_height * TILE_HEIGHT, needed + 40)
        return self._heights[key]


class Chip(FlatButton):
    """常用事项, 按生活事件 or 按部门: as wide as its words, selected while its view shows."""

    test_name = StringProperty("")
    selected = BooleanProperty(False)


class SearchKey(FlatButton):
    """One key of the letter keyboard: big, its size from the theme (elder mode too)."""

    test_name = StringProperty("")
    word = BooleanProperty(False)  # a word (删除, 清空) rather than a letter: smaller type


class LetterKeyboard(BoxLayout):
    """a–z in the keyboard's rows, backspace, clear and close: big keys, no system keyboard."""

    def __init__(self, press: object, words: tuple[str, str, str], **kwargs: object) -> None:
        super().__init__(orientation="vertical", spacing=10, size_hint_y=None, **kwargs)
        backspace_text, clear_text, done_text = words
        self.bind(minimum_height=self.setter("height"))
        rows: list[list[SearchKey]] = []
        for number, letters in enumerate(KEY_ROWS):
            rows.append([self._key(letter.upper(), f"search-key-{letter}", press, letter) for letter in letters])
            if number == 2:
                rows[-1].append(self._key(backspace_text, "search-backspace", press, "backspace", width=2.0))
        rows.append([self._key(clear_text, "search-clear", press, "clear"),
                     self._key(done_text, "search-done", press, "done")])
        for number, keys in enumerate(rows):
            row = BoxLayout(spacing=8, size_hint_y=None, padding=(number * 24 if number < 3 else 0, 0))
            for key in keys:
                row.add_widget(key)
            row.height = keys[0].height
            keys[0].bind(height=row.setter("height"))
            self.add_widget(row)

    @staticmethod
    def _key(text: str, name: str, press: object, value: str, width: float = 1.0) -> SearchKey:
        key = SearchKey(text=text, test_name=name, size_hint_x=width, word=len(text) > 1)
        key.bind(on_release=lambda _k: press(value))  # type: ignore[operator]
        return key


@dataclass(frozen=True)
class View:
    """What the list shows: the most used, the life events or one of them, the departments or one
    of them, or a search."""

    kind: str  # "frequent", "events", "category", "departments", "department", "search"
    key: str = ""


class SearchIndexes:
    """The search index of the catalogue in use, built once on a worker thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._built: tuple[Catalog, CatalogSearch] | None = None
        self._warming: Catalog | None = None

    def warm(self, catalog: Catalog) -> None:
        """Start building ``catalog``'s index in the background, once."""
        if self._warming is not catalog and (self._built is None or self._built[0] is not catalog):
            self._warming = catalog
            threading.Thread(target=self.get, args=(catalog,), name="catalog-index", daemon=True).start()

    def get(self, catalog: Catalog) -> CatalogSearch:
        with self._lock:
            if self._built is None or self._built[0] is not catalog:
                self._built = (catalog, CatalogSearch(catalog))
            return self._built[1]


class ChooseScreen(KioskScreen):
    greeting = StringProperty("")
    section = StringProperty("")
    query = StringProperty("")
    searching = BooleanProperty(False)  # the keyboard is open
    landscape = BooleanProperty(False)  # chips beside the list, the keyboard beside the results
    empty_text = StringProperty("")

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.view = View(FREQUENT)
        self.indexes = SearchIndexes()
        self._tiles: dict[str, OfferTile] = {}
        self._tiles_for: tuple[Catalog, str] | None = None
        self._chips: dict[str, Chip] = {}
        self._chips_for: tuple[Catalog, str] | None = None
        self._drawn: tuple[object, ...] | None = None
        self._keyboard: Widget | None = None  # the letter keyboard while searching

    # --- drawing -------------------------------------------------------------------

    def instruction(self) -> str:
        return self.say(MessageId.UI_CHOOSE_TITLE)

    def refresh(self) -> None:
        """Called on entering and on every session change: redraw only what changed."""
        session = self.session
        identity = session.identity
        greeting = self.say(MessageId.UI_CHOOSE_GREETING, name=mask_name(identity.name)) if identity else ""
        self.greeting = self.glyphs.markup(greeting)
        self._draw_if_changed()

    def prepare(self) -> None:
        """Between residents, off screen: make and lay out the next resident's first page now, so
        a card read shows the greeting at once instead of after the tiles (nobody's data: no
        greeting). ``refresh`` then finds nothing changed."""
        self._draw_if_changed()

    def _draw_if_changed(self) -> None:
        session = self.session
        self.indexes.warm(session.catalog)
        wanted = (session.catalog, session.language, tuple(sorted(session.usage.items())), self.view, self.query)
        if wanted != self._drawn:
            self._draw()
            self._drawn = wanted

    def clear(self) -> None:
        self.greeting = ""
        self.view, self.query, self.searching = View(FREQUENT), "", False
        self._drawn = None
        self._close_keyboard()
        self.ids.tiles.show([])
        self.ids.chips.clear_widgets()

    def _draw(self) -> None:
        self._draw_chips()
        catalog, view = self.session.catalog, self.view
        self.empty_text = ""
        if view.kind == "search" and self.query:
            found = self.indexes.get(catalog).search(self.query, self.session.usage, limit=40)
            if found:
                self.section = self.say(MessageId.UI_CHOOSE_SEARCH_RESULTS, text=self.query, count=len(found))
            else:
                self.section = self.say(MessageId.UI_CHOOSE_NO_RESULTS, text=self.query)
                self.empty_text = self.say(MessageId.UI_CHOOSE_NO_RESULTS_HINT)
            self._show_tiles([self._offer(catalog, m.id) for m in found])
        elif view.kind == "events":
            self.section = self.say(MessageId.UI_CHOOSE_EVENTS)
            self._show_events(catalog)
        elif view.kind == "category":
            category = next(c for c in catalog.categories if c.id == view.key)
            self.section = category.names.get(self.session.language)
            chosen = set(o.id for o in catalog.in_category(view.key))
            self._show_tiles([o for o in ranked_offers(catalog, self.session.usage) if o.id in chosen])
        elif view.kind == "departments":
            self.section = self.say(MessageId.UI_CHOOSE_DEPARTMENTS)
            self._show_departments(catalog.departments())
        elif view.kind == "department":
            self.section = catalog_text(view.key, self.session.language)
            self._show_tiles([o for o in ranked_offers(catalog, self.session.usage)
                              if isinstance(o, Item) and o.department == view.key])
        else:
            self.section = self.say(MessageId.UI_CHOOSE_FREQUENT)
            self._show_tiles(list(ranked_offers(catalog, self.session.usage)))

    def _draw_chips(self) -> None:
        """The chips, made once per catalogue and language; a view change only re-marks them."""
        chips = self.ids.chips
        if self.searching:
            chips.clear_widgets()
            return
        language = self.session.language
        if self._chips_for != (self.session.catalog, language):
            self._chips_for = (self.session.catalog, language)
            entries = [(FREQUENT, "category-frequent", self.say(MessageId.UI_CHOOSE_FREQUENT)),
                       (EVENTS, "category-events", self.say(MessageId.UI_CHOOSE_BY_EVENT)),
                       (DEPARTMENTS, "category-departments", self.say(MessageId.UI_CHOOSE_BY_DEPARTMENT))]
            self._chips = {}
            for key, name, text in entries:
                chip = Chip(text=text, test_name=name)
                chip.bind(on_release=lambda _c, key=key: self.open_chip(key))
                self._chips[key] = chip
            chips.clear_widgets()
        if not chips.children:
            for chip in self._chips.values():
                chips.add_widget(chip)
        for key, chip in self._chips.items():
            chip.selected = self._chip_selected(key)

    def _chip_selected(self, key: str) -> bool:
        kind = self.view.kind
        if key == FREQUENT:
            return kind == FREQUENT
        if key == EVENTS:
            return kind in ("events", "category")
        return kind in ("departments", "department")

    @property
    def pages(self) -> PagedGrid:
        return self.ids.tiles  # type: ignore[no-any-return]

    def _show_tiles(self, offers: list[Item | Bundle]) -> None:
        self.pages.show([self._tile(offer) for offer in offers])

    def _show_events(self, catalog: Catalog) -> None:
        language = self.session.language
        buttons = []
        for category in catalog.categories:
            if not catalog.in_category(category.id):
                continue
            button = KButton(text=category.names.get(language), test_name=f"category-{category.id}", tall=1.0)
            button.bind(on_release=lambda _b, key=category.id: self._go(View("category", key)))
            buttons.append(button)
        self.pages.show(buttons)

    def _show_departments(self, departments: tuple[str, ...]) -> None:
        buttons = []
        for number, department in enumerate(departments):
            button = KButton(text=catalog_text(department, self.session.language), test_name=f"department-{number}",
                             tall=1.0)
            button.bind(on_release=lambda _b, d=department: self._go(View("department", d)))
            buttons.append(button)
        self.pages.show(buttons)

    def _tile(self, offer: Item | Bundle) -> OfferTile:
        """The offer's tile, made once per catalogue and language."""
        language = self.session.language
        if self._tiles_for != (self.session.catalog, language):
            self._tiles, self._tiles_for = {}, (self.session.catalog, language)
        tile = self._tiles.get(offer.id)
        if tile is None:
            if isinstance(offer, Bundle):
                subtitle = self.say(MessageId.UI_CHOOSE_BUNDLE_ITEMS, count=len(offer.item_ids))
                badge = self.say(MessageId.UI_CHOOSE_BUNDLE)
            else:
                subtitle, badge = catalog_text(offer.department, language), ""
            tile = OfferTile(icon=catalog_text(offer.icon, language), title=offer.names.get(language),
                             subtitle=subtitle, badge=badge, test_name=f"item-{offer.id}")
            tile.bind(on_release=lambda _t, offer_id=offer.id: self.session.choose(offer_id))
            self._tiles[offer.id] = tile
        return tile

    @staticmethod
    def _offer(catalog: Catalog, offer_id: str) -> Item | Bundle:
        return catalog.item(offer_id) if catalog.has(offer_id) else catalog.bundle(offer_id)

    # --- what the resident taps ----------------------------------------------------

    def open_chip(self, key: str) -> None:
        if key == FREQUENT:
            self._go(View(FREQUENT))
        elif key == EVENTS:
            self._go(View("events"))
        elif key == DEPARTMENTS:
            self._go(View("departments"))
        else:
            self._go(View("category", key))

    def open_search(self) -> None:
        """The search box was tapped: the keyboard opens; the list shows the results as typed."""
        if self.searching:
            return
        self.searching = True
        keyboard = LetterKeyboard(self.press, (self.say(MessageId.UI_CHOOSE_KEY_BACKSPACE),
                                               self.say(MessageId.UI_CHOOSE_KEY_CLEAR),
                                               self.say(MessageId.UI_CHOOSE_KEY_DONE)))
        self._keyboard = keyboard
        # Portrait: under the results; landscape: under the search box, left of the results.
        if self.landscape:
            self.ids.finder.add_widget(keyboard, index=1)
        else:
            self.ids.body.add_widget(keyboard, index=0)
        self._go(View("search"))

    def press(self, key: str) -> None:
        if key == "done":
            self._close_keyboard()
            self._go(View("search") if self.query else View(FREQUENT))
            return
        if key == "backspace":
            self.query = self.query[:-1]
        elif key == "clear":
            self.query = ""
        elif len(self.query) < MAX_QUERY:
            self.query += key
        self._go(View("search"))

    def _go(self, view: View) -> None:
        if view.kind != "search":
            self.query = ""
            self._close_keyboard()
        self.view = view
        self.refresh()

    def _close_keyboard(self) -> None:
        self.searching = False
        if self._keyboard is not None:
            self._keyboard.parent.remove_widget(self._keyboard)
            self._keyboard = None
        self._drawn = None
