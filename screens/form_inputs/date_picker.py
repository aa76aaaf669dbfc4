"""A date picked on year, month and day steppers, kept inside the field's ``date_range()``; never typed."""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any

from kivy.properties import BooleanProperty, NumericProperty

from kiosk.catalog.fields import parse_date
from kiosk.catalog.model import Field
from kiosk.messages import MessageId, message, say
from screens.form_inputs.base import AnswerInput


def clamp(day: dt.date, low: dt.date, high: dt.date) -> dt.date:
    return max(low, min(high, day))


def moved(day: dt.date, years: int = 0, months: int = 0, days: int = 0) -> dt.date:
    """``day`` moved by whole years, months or days; the day of the month shrinks to fit."""
    if days:
        return day + dt.timedelta(days=days)
    month_index = day.year * 12 + day.month - 1 + years * 12 + months
    year, month = divmod(month_index, 12)
    month += 1
    if not dt.MINYEAR <= year <= dt.MAXYEAR:
        return day
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


STEPS = {"year": (10, 1, -1, -10), "month": (1, -1), "day": (1, -1)}


class DatePicker(AnswerInput):
    year = NumericProperty(2000)
    month = NumericProperty(1)
    day = NumericProperty(1)
    step_tall = NumericProperty(1.0)
    # whether each step stays in range, e.g. ``year_down10``: the stepper's enabled state
    year_up10 = BooleanProperty(False)
    year_up1 = BooleanProperty(False)
    year_down1 = BooleanProperty(False)
    year_down10 = BooleanProperty(False)
    month_up1 = BooleanProperty(False)
    month_down1 = BooleanProperty(False)
    day_up1 = BooleanProperty(False)
    day_down1 = BooleanProperty(False)
    low = dt.date(1900, 1, 1)  # the field's range, set on load (the rules read it while building)
    high = dt.date(2100, 12, 31)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.has_box = True

    def load(self, question: Field, previous: str, today: dt.date | None = None) -> None:
        if question.id == self.question_id:
            return
        self.question_id = question.id
        today = today or dt.date.today()
        self.low, self.high = question.date_range(today)
        self._set(clamp(parse_date(previous) or today, self.low, self.high))

    def step(self, unit: str, amount: int) -> None:
        """Move the year, month or day by ``amount``, staying in the allowed range."""
        current = dt.date(int(self.year), int(self.month), int(self.day))
        target = moved(current, **{unit + "s": amount})
        self._set(clamp(target, self.low, self.high))

    def _set(self, day: dt.date) -> None:
        self.year, self.month, self.day = day.year, day.month, day.day
        for unit, amounts in STEPS.items():
            for amount in amounts:
                way = "up" if amount > 0 else "down"
                setattr(self, f"{unit}_{way}{abs(amount)}", self.can_step(unit, amount))
        self.shown = say(message(MessageId.UI_FORM_DATE_CHOSEN, year=day.year, month=day.month, day=day.day),
                         self.language)

    def on_language(self, _widget: object, _language: str) -> None:
        if self.question_id:
            self._set(dt.date(int(self.year), int(self.month), int(self.day)))

    def can_step(self, unit: str, amount: int) -> bool:
        current = dt.date(int(self.year), int(self.month), int(self.day))
        return clamp(moved(current, **{unit + "s": amount}), self.low, self.high) != current

    def value(self) -> str:
        return dt.date(int(self.year), int(self.month), int(self.day)).isoformat()

    def clear(self) -> None:
        self.question_id = ""
        self.shown = ""
