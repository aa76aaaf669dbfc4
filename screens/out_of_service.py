"""Out of service (暂停服务): why, and whom to call."""

from __future__ import annotations

from kivy.properties import StringProperty

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

    def refresh(self) -> None:
        availability = self.terminal.availability
        self.reason = availability.out_of_service_reason() if availability else ""
        self.phone = self.terminal.config.site.contact_phone
