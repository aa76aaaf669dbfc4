"""Review (核对信息): every answer with a Change button, the commitments, then submit."""

from __future__ import annotations

from kivy.properties import StringProperty
from kivy.uix.boxlayout import BoxLayout

from kiosk.messages import MessageId
from kiosk.session.privacy import apply_mask
from screens.base import KioskScreen
from screens.glyphs import escape_markup
from screens.widgets import KButton, KLabel


class ReviewScreen(KioskScreen):
    error = StringProperty("")
    item_name = StringProperty("")
    _drawn: tuple[object, ...] = ()  # what the rows and commitments show now

    def refresh(self) -> None:
        session = self.session
        if session.item is None:
            return
        self.item_name = session.item.name
        self.error = session.error
        review_rows = session.rows()
        drawn = (tuple(review_rows), tuple(session.commitments), self.theme.scale, session.language)
        if drawn == self._drawn:
            return  # a countdown tick or an error: keep the list where the resident scrolled it
        self._drawn = drawn
        rows = self.ids.rows
        rows.clear_widgets()
        for review_row in review_rows:
            row = BoxLayout(size_hint_y=None, spacing=16, padding=(0, 8))
            shown = apply_mask(review_row.mask, review_row.value)
            text = KLabel(
                text=f"[color=4A5567]{escape_markup(review_row.label)}[/color]\n{self.glyphs.markup(shown)}",
                markup=True,
                test_name=f"row-{review_row.key}",
            )
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
            text.bind(height=lambda _l, h, r=row: setattr(r, "height", max(h, self.theme.button_height) + 16))
            rows.add_widget(row)
        self._draw_commitments(session.item.commitments, all(session.commitments))

    def _draw_commitments(self, statements: tuple[str, ...], accepted: bool) -> None:
        """One box to tick for all of them (one signature): a single statement stands in the box,
        several are listed above it, numbered."""
        commitments = self.ids.commitments
        commitments.clear_widgets()
        if not statements:
            return
        if len(statements) == 1:
            said = MessageId.UI_REVIEW_COMMITTED if accepted else MessageId.UI_REVIEW_TO_COMMIT
            text = self.say(said, statement=statements[0])
        else:
            for number, statement in enumerate(statements, start=1):
                commitments.add_widget(KLabel(text=f"{number}. {statement}", test_name=f"commitment-{number - 1}"))
            said = MessageId.UI_REVIEW_COMMITTED_ALL if accepted else MessageId.UI_REVIEW_TO_COMMIT_ALL
            text = self.say(said, count=len(statements))
        box = KButton(text=text, kind="option", selected=accepted, halign="left", test_name="commitments")
        box.bind(on_release=lambda _b: self.session.accept_commitments(not accepted))
        commitments.add_widget(box)

    def submit(self) -> None:
        self.terminal.submit()

    def clear(self) -> None:
        self._drawn = ()
        self.ids.rows.clear_widgets()
        self.ids.commitments.clear_widgets()
        self.error = ""
