"""Out of service (暂停服务): why, when the kiosk serves, and whom to call."""

from __future__ import annotations

from kivy.properties import StringProperty

from kiosk.messages import MessageId
from screens.base import KioskScreen


class OutOfServiceScreen(KioskScreen):
    @property
    def show_back(self) -> bool:
        return False

    @property
    def show_home(self) -> bool:
        return False

    reason = StringProperty("")
    phone = StringProperty("")
    hours = StringProperty("")  # when the kiosk serves: a closed site's resident knows when to come back

    def instruction(self) -> str:
        return self.spoken(self.say(MessageId.UI_OUT_OF_SERVICE_TITLE), self.reason, self.hours)

    def refresh(self) -> None:
        availability = self.terminal.availability
        self.reason = availability.out_of_service_reason(self.session.language) if availability else ""
        site = self.terminal.config.site
        self.phone = site.contact_phone
        span = self.say(MessageId.UI_OUT_OF_SERVICE_ALL_DAY) if site.always_open else f"{site.opens}–{site.closes}"
        self.hours = self.say(MessageId.UI_OUT_OF_SERVICE_HOURS, hours=span)
