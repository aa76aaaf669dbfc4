"""A valid answer for any catalogue question, as a resident would give it.

Used to walk every item and bundle of the shipped catalogue end to end: the answers are
chosen to exercise what a question can open (a group gets one member, a yes/no says yes, a
choice takes an option that some later question depends on when there is one).
"""

from __future__ import annotations

import datetime as dt

from drivers.idcard.id_number import with_check_character
from kiosk.catalog.fields import FieldKind
from kiosk.catalog.model import Field

SAMPLE_TEXT = "浦珠北路便民店"
SAMPLE_ADDRESS = "南京市江北新区浦珠北路88号3栋2单元"


def answer_for(field: Field, later: tuple[Field, ...] = ()) -> str:
    """An acceptable answer to ``field``; ``later`` are the form's fields after it."""
    kind = field.kind
    if field.is_group:
        return "1"
    if kind in (FieldKind.CHOICE, FieldKind.YES_NO, FieldKind.MULTI_CHOICE):
        wanted = [v for f in later if f.condition and f.condition.field == field.id for v in f.condition.values]
        return wanted[0] if wanted else field.options[0]
    if kind is FieldKind.PHONE:
        return "13812345678"
    if kind is FieldKind.DIGITS:
        return "1" * max(field.min_length, 1)
    if kind is FieldKind.NAME:
        return "李小明"
    if kind is FieldKind.ADDRESS:
        return SAMPLE_ADDRESS[: field.max_length]
    if kind is FieldKind.TEXT:
        return (SAMPLE_TEXT * 4)[: max(field.min_length, min(len(SAMPLE_TEXT), field.max_length))]
    if kind is FieldKind.ID_NUMBER:
        return with_check_character("32011119800101123")
    if kind is FieldKind.DATE:
        low, high = field.date_range()
        return min(max(dt.date.today(), low), high).isoformat()
    if kind is FieldKind.AMOUNT:
        return f"{max(field.min_amount, min(1200.5, field.max_amount)):.2f}"
    if kind is FieldKind.REGION:
        return region_answer(field.region_levels)
    raise AssertionError(f"no sample answer for a {kind} question ({field.id})")


def region_answer(levels: int) -> str:
    """A region code ``levels`` deep, going down from 江苏省 where it can."""
    from kiosk.catalog.regions import children

    code: str | None = None
    for _ in range(levels):
        options = children(code)
        assert options, f"no region below {code}"
        preferred = [c for c, name in options if name.startswith(("江苏", "南京", "浦口", "江北"))]
        code = preferred[0] if preferred else options[0][0]
    assert code is not None
    return code
