"""Appointment (预约窗口办理): a counter-only item's days, then the chosen day's times; one tap books one."""

from __future__ import annotations

from kivy.properties import StringProperty

from kiosk.messages import MessageId
from kiosk.messages.dates import long_day, short_day
from kiosk.printing.appointment_slip import slot_hours
from kiosk.session.booking import BookingState, SlotChoice
from screens.base import KioskScreen
from screens.paging import PagedGrid  # noqa: F401 - the .kv file's PagedGrid
from screens.widgets import KButton


def day_of(slot: SlotChoice) -> str:
    """The slot's local day, ``2026-12-03``: the key of its day button, in no language."""
    return slot.start.date().isoformat()


def slot_time(slot: SlotChoice) -> str:
    return slot_hours(slot.start, slot.end)


class AppointmentScreen(KioskScreen):
    """The days with free slots first, then the chosen day's times: no day's list runs long."""

    item_name = StringProperty("")
    status = StringProperty("")  # loading or booking, in words
    problem = StringProperty("")
    day = StringProperty("")  # the chosen day (``day_of``), "" while the resident picks one
    step_text = StringProperty("")

    @property
    def show_back(self) -> bool:
        booking = self.session.booking
        return booking is None or booking.state is not BookingState.BOOKING

    def instruction(self) -> str:
        return self.problem or self.say(MessageId.UI_APPOINTMENT_TITLE)

    def refresh(self) -> None:
        session, booking = self.session, self.session.booking
        if session.item is None or booking is None:
            return
        self.item_name = session.item.names.get(session.language)
        self.problem = session.say(booking.problem)
        if booking.state is BookingState.LOADING:
            self.status = self.say(MessageId.UI_APPOINTMENT_LOADING)
        elif booking.state is BookingState.BOOKING and booking.chosen is not None:
            chosen = booking.chosen
            when = f"{long_day(chosen.start.date(), session.language)} {slot_time(chosen)}"
            self.status = self.say(MessageId.UI_APPOINTMENT_BOOKING, slot=when)
        else:
            self.status = ""
        if booking.state is not BookingState.CHOOSING:
            self.step_text = ""
            self.ids.slots.show([])
            return
        days = {day_of(slot) for slot in booking.slots}
        if self.day and self.day not in days:
            self.day = ""
        if self.day:
            heading = long_day(next(s.start for s in booking.slots if day_of(s) == self.day).date(), session.language)
            self.step_text = self.say(MessageId.UI_APPOINTMENT_PICK_TIME, day=heading)
            self.ids.slots.show(self._slot_buttons(booking.slots))
        else:
            self.step_text = self.say(MessageId.UI_APPOINTMENT_PICK_DAY)
            self.ids.slots.show(self._day_buttons(booking.slots))

    def _day_buttons(self, slots: tuple[SlotChoice, ...]) -> list[KButton]:
        free: dict[str, int] = {}
        short: dict[str, str] = {}
        for slot in slots:
            free[day_of(slot)] = free.get(day_of(slot), 0) + slot.free
            short[day_of(slot)] = short_day(slot.start.date(), self.session.language)
        buttons = []
        for index, (day, count) in enumerate(free.items()):
            button = KButton(text=self.say(MessageId.UI_APPOINTMENT_DAY, day=short[day], free=count),
                             kind="option", test_name=f"day-{index}")
            button.bind(on_release=lambda _b, chosen=day: self.pick_day(chosen))
            buttons.append(button)
        return buttons

    def _slot_buttons(self, slots: tuple[SlotChoice, ...]) -> list[KButton]:
        buttons = []
        for index, slot in enumerate(slots):
            if day_of(slot) != self.day:
                continue
            words = self.say(MessageId.UI_APPOINTMENT_SLOT, time=slot_time(slot), free=slot.free)
            button = KButton(text=words, kind="option", test_name=f"slot-{index}")
            button.bind(on_release=lambda _b, chosen=slot: self.terminal.book_slot(chosen))
            buttons.append(button)
        return buttons

    def pick_day(self, day: str) -> None:
        """A day's button (its ``day_of``), or 换一天 (""): the list follows."""
        self.day = day
        self.refresh()

    def clear(self) -> None:
        self.ids.slots.show([])
        self.item_name = self.status = self.problem = self.day = self.step_text = ""
