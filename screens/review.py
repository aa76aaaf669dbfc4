"""Review (核对信息): every answer with a Change button, the commitments, then submit."""

from __future__ import annotations

from kivy.properties import StringProperty
from kivy.uix.boxlayout import BoxLayout

from kiosk.messages import MessageId, catalog_text
from kiosk.session.outcome import ReviewRow
from kiosk.session.privacy import apply_mask
from screens.base import KioskScreen
from screens.glyphs import escape_markup
from screens.paging import PageBlock, PagedGrid  # noqa: F401 - the .kv file's PagedGrid
from screens.widgets import KButton, KLabel


class ReviewScreen(KioskScreen):
    error = StringProperty("")
    item_name = StringProperty("")
    _drawn: tuple[object, ...] = ()  # what the rows and commitments show now
    _commitments: PageBlock | None = None  # the box to tick, on the list's last page

    def instruction(self) -> str:
        return self.error or self.say(MessageId.UI_REVIEW_TITLE)

    def refresh(self) -> None:
        session = self.session
        if session.item is None:
            return
        self.item_name = session.item.names.get(session.language)
        self.error = session.error
        review_rows = session.rows()
        drawn = (session.item.id, tuple(review_rows), tuple(session.commitments), self.theme.scale, session.language)
        if drawn != self._drawn:  # not for a countdown tick: the list stays on the resident's page
            # The same item and answers (the box ticked, elder mode, another language): the box
            # stays in view if it was. Anything else is a new list, from its first page.
            box_in_view = (self._drawn[:2] == drawn[:2] and self._commitments is not None
                           and self._commitments.parent is not None)
            self._drawn = drawn
            self._draw(review_rows)
            if box_in_view and self._commitments is not None:
                self.ids.rows.turn_to(self._commitments)
        if session.error and not all(session.commitments):
            self.show_commitments()  # "请勾选" with the box in view, never a dead end

    def show_commitments(self) -> None:
        """Open the page with the commitments' box (the list's last)."""
        if self._commitments is not None:
            self.ids.rows.turn_to(self._commitments)

    def _draw(self, review_rows: list[ReviewRow]) -> None:
        session = self.session
        assert session.item is not None
        rows = []
        for review_row in review_rows:
            row = BoxLayout(size_hint_y=None, spacing=16, padding=(0, 8))
            shown = apply_mask(review_row.mask, review_row.value)
            label = f"[color=4A5567]{escape_markup(review_row.label)}[/color]"
            # What the card gave cannot be changed here: one line, no button, so fewer pages to turn.
            words = (self.say(MessageId.UI_REVIEW_FIXED_ROW, label=label, value=self.glyphs.markup(shown))
                     if not review_row.changeable else f"{label}\n{self.glyphs.markup(shown)}")
            text = KLabel(text=words, markup=True, test_name=f"row-{review_row.key}")
            row.add_widget(text)
            if review_row.changeable:
                change = KButton(
                    text=self.say(MessageId.UI_REVIEW_CHANGE),
                    size_hint_x=None,
                    width=180 * self.theme.scale,
                    test_name=f"change-{review_row.key}",
                )
                change.bind(on_release=lambda _b, key=review_row.key: self.session.change(key))
                row.add_widget(change)
            least = self.theme.button_height if review_row.changeable else 0  # room for 修改
            text.bind(height=lambda _l, h, r=row, least=least: setattr(r, "height", max(h, least) + 16))
            row.height = max(least, text.height) + 16
            rows.append(row)
        statements = tuple(catalog_text(statement, session.language) for statement in session.item.commitments)
        commitments = self._draw_commitments(statements, all(session.commitments))
        self._commitments = commitments[-1] if commitments else None
        self.ids.rows.show(rows + commitments)

    def _draw_commitments(self, statements: tuple[str, ...], accepted: bool) -> list[PageBlock]:
        """One box to tick for all of them (one signature): a single statement stands in the box,
        several are listed above it, numbered. Each is an entry of the list, the heading with the
        first, so a long list (elder mode, English) goes on over the pages, never past one; the
        box follows the last statement, on the next page when the page is full."""
        if not statements:
            return []
        heading = KLabel(text=self.say(MessageId.UI_REVIEW_COMMITMENTS), bold=True, color=self.theme.primary)
        if len(statements) == 1:
            said = MessageId.UI_REVIEW_COMMITTED if accepted else MessageId.UI_REVIEW_TO_COMMIT
            text = self.say(said, statement=statements[0])
            listed: list[KLabel] = []
        else:
            listed = [KLabel(text=f"{number}. {statement}", test_name=f"commitment-{number - 1}")
                      for number, statement in enumerate(statements, start=1)]
            said = MessageId.UI_REVIEW_COMMITTED_ALL if accepted else MessageId.UI_REVIEW_TO_COMMIT_ALL
            text = self.say(said, count=len(statements))
        box = KButton(text=text, kind="option", selected=accepted, halign="left", test_name="commitments")
        box.bind(on_release=lambda _b: self.session.accept_commitments(not accepted))
        parts: list[list[KLabel | KButton]] = [[label] for label in listed] + [[box]]
        parts[0].insert(0, heading)
        blocks = []
        for part in parts:
            block = PageBlock(spacing=12)
            for widget in part:
                block.add_widget(widget)
            blocks.append(block)
        return blocks

    def submit(self) -> None:
        self.terminal.submit()

    def clear(self) -> None:
        self._drawn = ()
        self._commitments = None
        self.ids.rows.show([])
        self.error = ""
