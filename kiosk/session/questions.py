"""Which questions a form asks, given the answers so far, and how the review lists them.

A field with a condition is asked only while an earlier answer calls for it; a repeating
group asks its count, then each member's fields (``<group>.<n>.<field>``); an item with
several ways to deliver its result ends with that choice. The review's rows are in the
resident's language (``kiosk.catalog.translated``); the answers themselves never are.
"""

from __future__ import annotations

from kiosk.catalog.application import Application
from kiosk.catalog.fields import FieldKind
from kiosk.catalog.model import Field, delivery_label
from kiosk.catalog.translated import field_in, shown_answer
from kiosk.messages import DEFAULT_LANGUAGE, MessageId, say
from kiosk.session.identity import Identity
from kiosk.session.outcome import ReviewRow


def asked_questions(application: Application, answers: dict[str, str],
                    language: str = DEFAULT_LANGUAGE) -> tuple[Field, ...]:
    """The questions asked now, in the catalogue's words (the delivery question in ``language``)."""
    asked: list[Field] = []
    for question in application.asked_fields:
        if question.condition is not None and not question.condition.holds(answers):
            continue
        asked.append(question)
        if question.is_group:
            count = answers.get(question.id, "0")
            members = question.member_fields(int(count) if count.isdigit() else 0)
            asked += [m for m in members if m.condition is None or m.condition.holds(answers)]
    if len(application.delivery) > 1:
        asked.append(delivery_field(application, language))
    return tuple(asked)


def review_rows(application: Application, identity: Identity, answers: dict[str, str],
                language: str = DEFAULT_LANGUAGE) -> list[ReviewRow]:
    """The card's values (not changeable), then every question asked now with its answer, in ``language``."""
    rows = [ReviewRow(field_in(f, language).label, identity.value_of(f.prefill), f.prefill, False, f.mask)
            for f in application.fields if f.prefill]
    for question in asked_questions(application, answers, language):
        value = shown_answer(question, answers.get(question.id, ""), language)
        rows.append(ReviewRow(field_in(question, language).label, value, question.id, True, question.mask))
    return rows


def delivery_field(item: Application, language: str = DEFAULT_LANGUAGE) -> Field:
    """The 'how do you want the result' question for an item with several ways."""
    return Field(
        id="delivery",
        label=say(MessageId.DELIVERY_QUESTION, language),
        kind=FieldKind.CHOICE,
        options=tuple(method.value for method in item.delivery),
        option_labels=tuple(delivery_label(method, language) for method in item.delivery),
    )
