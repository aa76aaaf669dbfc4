"""Which questions a form asks, given the answers so far, and how the review lists them.

A field with a condition is asked only while an earlier answer calls for it; a repeating
group asks its count, then each member's fields (``<group>.<n>.<field>``); an item with
several ways to deliver its result ends with that choice.
"""

from __future__ import annotations

from kiosk.catalog.application import Application
from kiosk.catalog.fields import FieldKind
from kiosk.catalog.model import DELIVERY_LABELS, Field
from kiosk.session.identity import Identity
from kiosk.session.outcome import ReviewRow


def asked_questions(application: Application, answers: dict[str, str]) -> tuple[Field, ...]:
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
        asked.append(delivery_field(application))
    return tuple(asked)


def review_rows(application: Application, identity: Identity, answers: dict[str, str]) -> list[ReviewRow]:
    """The card's values (not changeable), then every question asked now with its answer."""
    rows = [ReviewRow(f.label, identity.value_of(f.prefill), f.prefill, False, f.mask)
            for f in application.fields if f.prefill]
    for question in asked_questions(application, answers):
        value = question.label_of(answers.get(question.id, ""))
        rows.append(ReviewRow(question.label, value, question.id, True, question.mask))
    return rows


def delivery_field(item: Application) -> Field:
    """The 'how do you want the result' question for an item with several ways."""
    return Field(
        id="delivery",
        label="领取方式",
        kind=FieldKind.CHOICE,
        options=tuple(method.value for method in item.delivery),
        option_labels=tuple(DELIVERY_LABELS[method] for method in item.delivery),
    )
