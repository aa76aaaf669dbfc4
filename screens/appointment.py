"""Appointment (预约窗口办理): a counter-only item's slots by day; one tap books one."""

from __future__ import annotations

from kivy.properties import StringProperty

from kiosk.messages import MessageId
from kiosk.printing.appointment_slip import slot_day, slot_hours
from kiosk.session.booking import BookingState, SlotChoice
from screens.base import KioskScreen
from screens.widgets import KButton, KLabel


def day_heading(slot: SlotChoice) -> str:
    """The slot's day as the slip prints it: 2026年12月3日（星期四）."""
    return slot_day(slot.start)


def slot_time(slot: SlotChoice) -> str:
    return slot_hours(slot.start, slot.end)


class AppointmentScreen(KioskScreen):
    item_name = StringProperty("")
    status = StringProperty("")  # loading or booking, in words
    problem = StringProperty("")

    @property
    def show_back(self) -> bool:
        booking = self.session.booking
        return booking is None or booking.state is not BookingState.BOOKING

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
            self.status = self.say(MessageId.UI_APPOINTMENT_BOOKING, slot=f"{day_heading(chosen)} {slot_time(chosen)}")
        else:
            self.status = ""
        box = self.ids.slots
        box.clear_widgets()
        if booking.state is not BookingState.CHOOSING:
            return
        day = ""
        for index, slot in enumerate(booking.slots):
            if day_heading(slot) != day:
                day = day_heading(slot)
                box.add_widget(KLabel(text=day, bold=True, role="title", color=self.theme.primary))
            words = self.say(MessageId.UI_APPOINTMENT_SLOT, time=slot_time(slot), free=slot.free)
            button = KButton(text=words, kind="option", test_name=f"slot-{index}")
            button.bind(on_release=lambda _b, chosen=slot: self.terminal.book_slot(chosen))
            box.add_widget(button)

    def clear(self) -> None:
        self.ids.slots.clear_widgets()
        self.item_name = self.status = self.problem = ""
