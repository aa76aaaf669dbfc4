"""The counter appointment slip (窗口预约凭证) as a device-neutral document.

Printed when the kiosk has booked a slot at its site's counter for an item done only there
(``contract.appointments``): where and when to come, the appointment number the counter calls
(large, on one line), the resident's masked name, and what to bring. Times are printed in the
zone the centre gave them in (the site's local time).
"""

from __future__ import annotations

from datetime import datetime

from contract.appointments import AppointmentConfirmation
from drivers.printer.document import Align, Cut, Document, Feed, Rule, Text
from kiosk.config.settings import Site
from kiosk.messages.dates import long_day
from kiosk.session.privacy import mask_name

ARRIVE_NOTE = "请提前10分钟到达，携带身份证原件"


def slot_day(start: datetime) -> str:
    """``2026年12月3日（星期四）``: the slip is printed in Chinese."""
    return long_day(start.date())


def slot_hours(start: datetime, end: datetime) -> str:
    """``09:30-10:00``."""
    return f"{start:%H:%M}-{end:%H:%M}"


def build_appointment_slip(site: Site, item_name: str, confirmation: AppointmentConfirmation,
                           applicant_name: str) -> Document:
    """The slip a resident takes to the counter; the name is printed masked."""
    start, end = confirmation.slot_start, confirmation.slot_end
    return Document(
        kind="appointment-slip",
        blocks=(
            Text(site.name, align=Align.CENTER),
            Text("窗口预约凭证", size=2, bold=True, align=Align.CENTER),
            Rule(),
            Text("预约号", align=Align.CENTER),
            Text(confirmation.appointment_number, size=3, bold=True, align=Align.CENTER,
                 one_line=True),  # the number the counter calls: never split; narrowed on 58 mm
            Rule(),
            Text(f"事项：{item_name}"),
            Text(f"日期：{slot_day(start)}"),
            Text(f"时段：{slot_hours(start, end)}", bold=True),
            Text(f"地点：{confirmation.place}"),
            Text(f"预约人：{mask_name(applicant_name)}"),
            Rule(),
            Text(ARRIVE_NOTE, bold=True),
            Text("到达后请凭本凭证到窗口报到，过时未到需重新预约。"),
            Text(f"咨询电话：{site.contact_phone}", align=Align.CENTER),
            Feed(2),
            Cut(),
        ),
    )
