"""The case receipt (受理回执) as a device-neutral document, in the session's language."""

from __future__ import annotations

from drivers.printer.document import Align, Cut, Document, Feed, Rule, Text
from kiosk.catalog.application import Application
from kiosk.config.settings import Site
from kiosk.messages import CatalogText, MessageId
from kiosk.printing.paper_words import PaperWords
from kiosk.printing.pending_notice import (
    applicant_lines,
    assisted_lines,
    build_pending_notice,
    bundle_lines,
    case_number_lines,
    counter_lines,
    lookup_lines,
)
from kiosk.session.identity import Identity
from kiosk.session.outcome import SubmittedCase


def build_case_receipt(
    site: Site, item: Application, identity: Identity, case: SubmittedCase, centre_reachable: bool, language: str
) -> Document:
    """The receipt a resident takes home: what was applied for, its number, what comes next.

    While the centre cannot be reached the resident gets the pending notice instead, which
    says plainly that the case waits in the kiosk and will be sent by itself.
    """
    if not centre_reachable:
        return build_pending_notice(site, item, identity, case, language)
    words = PaperWords(language)
    return Document(
        kind="receipt",
        blocks=(
            Text(words.catalogue(site.name), align=Align.CENTER),
            Text(words(MessageId.PAPER_RECEIPT_TITLE), size=2, bold=True, align=Align.CENTER),
            Rule(),
            words.line(MessageId.PAPER_ITEM, item=CatalogText(item.name)),
            words.line(MessageId.PAPER_DEPARTMENT, department=CatalogText(item.department)),
            *case_number_lines(words, case),
            *bundle_lines(words, case),
            words.line(MessageId.PAPER_SUBMITTED_AT, time=case.submitted_at),
            *applicant_lines(words, identity, case),
            words.line(MessageId.PAPER_TIME_LIMIT, time_limit=CatalogText(item.guide.time_limit)),
            *counter_lines(words, site, item.guide, case.photographed),
            *assisted_lines(words, case),
            Rule(),
            words.line(MessageId.PAPER_NEXT_STEPS),
            *lookup_lines(words, site, case, MessageId.PAPER_QR_HINT),
            words.line(MessageId.PAPER_KEEP_RECEIPT, align=Align.CENTER),
            Feed(2),
            Cut(),
        ),
    )
