"""The counter appointment slip (窗口预约凭证) as a device-neutral document.

Printed when the kiosk has booked a slot at its site's counter for an item done only there
(``contract.appointments``): where and when to come, the appointment number the counter calls
(large, on one line), the resident's masked name, and what to bring. Times are printed in the
zone the centre gave them in (the site's local time). Printed in the session's language.
"""

from __future__ import annotations

from datetime import datetime

from contract.appointments import AppointmentConfirmation
from drivers.printer.document import Align, Cut, Document, Feed, Rule, Text
from kiosk.config.settings import Site
from kiosk.messages import CatalogText, MessageId
from kiosk.messages.dates import long_day
from kiosk.messages.locales import SOURCE_LANGUAGE
from kiosk.printing.paper_words import PaperWords
from kiosk.session.privacy import mask_name


def slot_day(start: datetime, language: str = SOURCE_LANGUAGE) -> str:
    """``2026年12月3日（星期四）``, ``Thu 3 Dec 2026``."""
    return long_day(start.date(), language)


def slot_hours(start: datetime, end: datetime) -> str:
    """``09:30-10:00``."""
    return f"{start:%H:%M}-{end:%H:%M}"


def build_appointment_slip(site: Site, item_name: str, confirmation: AppointmentConfirmation,
                           applicant_name: str, language: str) -> Document:
    """The slip a resident takes to the counter, in the session's language; the name is printed
    masked, the counter as the centre names it in that language where it does."""
    words = PaperWords(language)
    start, end = confirmation.slot_start, confirmation.slot_end
    return Document(
        kind="appointment-slip",
        blocks=(
            Text(words.catalogue(site.name), align=Align.CENTER),
            Text(words(MessageId.PAPER_SLIP_TITLE), size=2, bold=True, align=Align.CENTER),
            Rule(),
            words.line(MessageId.PAPER_SLIP_NUMBER, align=Align.CENTER),
            Text(confirmation.appointment_number, size=3, bold=True, align=Align.CENTER,
                 one_line=True),  # the number the counter calls: never split; narrowed on 58 mm
            Rule(),
            words.line(MessageId.PAPER_ITEM, item=CatalogText(item_name)),
            words.line(MessageId.PAPER_SLIP_DAY, day=slot_day(start, language)),
            words.line(MessageId.PAPER_SLIP_HOURS, bold=True, hours=slot_hours(start, end)),
            words.line(MessageId.PAPER_SLIP_PLACE, place=confirmation.place_in.get(language, confirmation.place)),
            words.line(MessageId.PAPER_SLIP_APPLICANT, name=mask_name(applicant_name)),
            Rule(),
            words.line(MessageId.PAPER_SLIP_ARRIVE, bold=True),
            words.line(MessageId.PAPER_SLIP_CHECK_IN),
            words.line(MessageId.PAPER_CONTACT, align=Align.CENTER, phone=site.contact_phone),
            Feed(2),
            Cut(),
        ),
    )
