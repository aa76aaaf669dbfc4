"""The notice for a case still waiting to be sent (待提交凭证).

Printed instead of the case receipt when the case is safe in the outbox but the centre
could not be reached yet. It says so plainly, gives the case number to keep, and tells
the resident they need not come back: the kiosk sends the case itself. Like the receipt it
is printed in the session's language (``PaperWords``).
"""

from __future__ import annotations

from drivers.printer.document import Align, Cut, Document, Feed, QrCode, Rule, Text
from kiosk.catalog.application import Application
from kiosk.catalog.model import Guide, delivery_label
from kiosk.catalog.still_to_bring import material_words, still_to_bring
from kiosk.config.settings import Site
from kiosk.messages import CatalogText, MessageId
from kiosk.printing.paper_words import PaperWords
from kiosk.session.identity import ID_TYPE_LABELS, Identity
from kiosk.session.outcome import SubmittedCase
from kiosk.session.privacy import group_case_number, mask_id_number, mask_name


def case_number_lines(words: PaperWords, case: SubmittedCase) -> tuple[Text, ...]:
    """The case number, large and never split, under its label."""
    return (
        words.line(MessageId.PAPER_CASE_NUMBER, align=Align.CENTER),
        Text(
            group_case_number(case.case_number),
            size=2,
            bold=True,
            align=Align.CENTER,
            one_line=True,  # never split a number people copy; narrowed on 58 mm paper
        ),
    )


def applicant_lines(words: PaperWords, identity: Identity, case: SubmittedCase) -> tuple[Text, ...]:
    """Who applied (masked), and how the result reaches them."""
    return (
        words.line(MessageId.PAPER_APPLICANT, name=mask_name(identity.name)),
        words.line(MessageId.PAPER_ID_NUMBER, id_type=ID_TYPE_LABELS[identity.id_type],
                   number=mask_id_number(identity.id_number)),
        words.line(MessageId.PAPER_DELIVERY, delivery=delivery_label(case.delivery, words.language)),
    )


def bundle_lines(words: PaperWords, case: SubmittedCase) -> tuple[Text, ...]:
    """A bundle's cases, each item with its own number (nothing for a single case)."""
    if len(case.lines) < 2:
        return ()
    lines = [words.line(MessageId.PAPER_BUNDLE, bold=True, count=len(case.lines))]
    lines += [Text(f"{group_case_number(line.case_number)}  {words.catalogue(line.item_name)}") for line in case.lines]
    return tuple(lines)


def counter_lines(words: PaperWords, site: Site, guide: Guide, photographed: tuple[str, ...] = ()) -> tuple[Text, ...]:
    """一次告知: what the kiosk photographed, what it could not take (to bring to the counter by
    when), and where the result is collected (nothing when there is nothing to say)."""
    lines: list[Text] = []
    if photographed:
        separator = words(MessageId.UI_RECEIPT_LIST_SEPARATOR)
        lines.append(words.line(MessageId.PAPER_PHOTOGRAPHED,
                                materials=separator.join(words.catalogue(name) for name in photographed)))
    materials = [m for m in still_to_bring(guide) if m.name not in photographed]
    if materials:
        lines.append(words.line(MessageId.PAPER_BRING, bold=True, days=site.bring_within_days,
                                site=CatalogText(site.name)))
        lines += [
            words.line(MessageId.PAPER_BRING_MATERIAL if m.required else MessageId.PAPER_BRING_MATERIAL_IF_ANY,
                       name=CatalogText(m.name), words=words.say(material_words(m)))
            for m in materials
        ]
    if guide.collect_at:
        lines.append(words.line(MessageId.PAPER_COLLECT_AT, place=CatalogText(guide.collect_at)))
    return tuple(lines)


def assisted_lines(words: PaperWords, case: SubmittedCase) -> tuple[Text, ...]:
    """Who helped the resident (assisted mode): the staff number only."""
    return (words.line(MessageId.PAPER_ASSISTED_BY, staff_no=case.assisted_by),) if case.assisted_by else ()


def lookup_lines(words: PaperWords, site: Site, case: SubmittedCase, hint: MessageId) -> tuple[QrCode | Text, ...]:
    """The lookup QR under ``hint``, the warning that it is a credential, and the site's phone."""
    return (
        words.line(hint, align=Align.CENTER),
        QrCode(case.lookup_text),
        words.line(MessageId.PAPER_QR_PRIVATE, align=Align.CENTER),
        words.line(MessageId.PAPER_CONTACT, align=Align.CENTER, phone=site.contact_phone),
    )


def build_pending_notice(
    site: Site, item: Application, identity: Identity, case: SubmittedCase, language: str
) -> Document:
    """The notice a resident takes home when the case has not reached the centre yet."""
    words = PaperWords(language)
    return Document(
        kind="pending-notice",
        blocks=(
            Text(words.catalogue(site.name), align=Align.CENTER),
            Text(words(MessageId.PAPER_PENDING_TITLE), size=2, bold=True, align=Align.CENTER),
            words.line(MessageId.PAPER_PENDING_MARK, bold=True, align=Align.CENTER),
            Rule(),
            *case_number_lines(words, case),
            Rule(),
            words.line(MessageId.PAPER_ITEM, item=CatalogText(item.name)),
            *bundle_lines(words, case),
            words.line(MessageId.PAPER_REGISTERED_AT, time=case.submitted_at),
            *applicant_lines(words, identity, case),
            *counter_lines(words, site, item.guide, case.photographed),
            *assisted_lines(words, case),
            Rule(),
            words.line(MessageId.PAPER_PENDING_SAVED, bold=True),
            words.line(MessageId.PAPER_PENDING_AUTO),
            words.line(MessageId.PAPER_PENDING_SMS),
            *lookup_lines(words, site, case, MessageId.PAPER_PENDING_QR),
            words.line(MessageId.PAPER_KEEP_NOTICE, align=Align.CENTER),
            Feed(2),
            Cut(),
        ),
    )
