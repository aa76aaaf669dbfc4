"""Form field kinds: one spec per kind, so a new kind is one entry here.

A kind's spec says how a resident answers it on screen (``Keyboard``), how an answer is
checked (a ``Message`` saying what to do, or None), how it is masked wherever it is shown
(``Mask``, applied by ``kiosk.session.privacy``), and how it reads on the review screen.

Every answer is stored as text: a choice as the option's value (its label is only shown), a
multi-choice as its values joined by ``MULTI_SEPARATOR``, a date as ``YYYY-MM-DD``, an amount
as a decimal with at most two places, a region as its GB/T 2260 code (``kiosk.catalog.regions``).
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from contract.display_text import free_text_problem, name_problem
from contract.id_numbers import check_character
from kiosk.messages import CatalogText, Message, MessageId, message

if TYPE_CHECKING:
    from kiosk.catalog.model import Field

PHONE = re.compile(r"^1[3-9][0-9]{9}$")
ID_NUMBER = re.compile(r"^[0-9]{17}[0-9X]$")
AMOUNT = re.compile(r"^(0|[1-9][0-9]{0,11})(\.[0-9]{1,2})?$")
_HAN = r"[\u3400-\u9fff\U00020000-\U0003134f\uf900-\ufaff]"  # CJK and its extensions (rare characters)
HAN_NAME = re.compile(rf"^{_HAN}+(·{_HAN}+)*$")
MULTI_SEPARATOR = "|"


class FieldKind(enum.StrEnum):
    PHONE = "phone"
    DIGITS = "digits"
    CHOICE = "choice"
    MULTI_CHOICE = "multi_choice"  # several options; stored joined by MULTI_SEPARATOR
    YES_NO = "yes_no"  # a choice between "yes" and "no"
    TEXT = "text"  # short Chinese free text, typed on the pinyin keyboard
    NAME = "name"  # a person's name: Han characters, "·" between parts of a minority name
    ADDRESS = "address"  # a street address, typed on the pinyin keyboard
    ID_NUMBER = "id_number"  # an 18-character resident ID number (GB 11643 check character)
    DATE = "date"  # picked, never typed; YYYY-MM-DD
    AMOUNT = "amount"  # yuan, at most two decimals
    REGION = "region"  # an administrative region picked province → city → district (→ street)
    SHOWN = "shown"  # prefilled from the card or login code: shown, never asked


class Keyboard(enum.StrEnum):
    """How the answer is entered."""

    OPTIONS = "options"  # one large button per option
    MULTI = "multi"  # one large check box per option, then Next
    DIGITS = "digits"  # the on-screen number pad
    ID_NUMBER = "id_number"  # the number pad with an X key
    DECIMAL = "decimal"  # the number pad with a decimal point
    PINYIN = "pinyin"  # the on-screen pinyin keyboard with its candidate bar
    DATE = "date"  # a year / month / day picker
    REGION = "region"  # a list per level: province, city, district, street
    NONE = "none"  # not asked


class Mask(enum.StrEnum):
    """How a value is masked wherever it is shown or printed (experience.md, 'Privacy')."""

    NONE = "none"
    PHONE = "phone"
    NAME = "name"
    ID_NUMBER = "id_number"
    ADDRESS = "address"


@dataclass(frozen=True)
class KindSpec:
    keyboard: Keyboard
    check: Callable[[Field, str], Message | None]
    mask: Mask = Mask.NONE


def _check_phone(field: Field, value: str) -> Message | None:
    return None if PHONE.match(value) else message(MessageId.PHONE_INVALID)


def _check_digits(field: Field, value: str) -> Message | None:
    if not value.isdigit() or not value.isascii():
        return message(MessageId.DIGITS_ONLY, label=CatalogText(field.label))
    if not field.min_length <= len(value) <= field.max_length:
        return message(MessageId.DIGITS_LENGTH, label=CatalogText(field.label), low=field.min_length,
                       high=field.max_length)
    return None


def _check_choice(field: Field, value: str) -> Message | None:
    return None if value in field.options else message(MessageId.CHOOSE_FROM_LIST, label=CatalogText(field.label))


def _check_multi(field: Field, value: str) -> Message | None:
    chosen = value.split(MULTI_SEPARATOR)
    if len(set(chosen)) != len(chosen) or not all(c in field.options for c in chosen):
        return message(MessageId.CHOOSE_FROM_LIST, label=CatalogText(field.label))
    return None


def _check_text(field: Field, value: str) -> Message | None:
    if free_text_problem(value) is not None or "\n" in value:
        return message(MessageId.TEXT_INVALID, label=CatalogText(field.label))
    if not field.min_length <= len(value) <= field.max_length:
        return message(MessageId.TEXT_LENGTH, label=CatalogText(field.label), low=field.min_length,
                       high=field.max_length)
    return None


def _check_name(field: Field, value: str) -> Message | None:
    if name_problem(value) is not None or not HAN_NAME.match(value):
        return message(MessageId.NAME_INVALID, label=CatalogText(field.label))
    return _check_text(field, value)


def _check_id_number(field: Field, value: str) -> Message | None:
    if not ID_NUMBER.match(value):
        return message(MessageId.ID_NUMBER_FORM, label=CatalogText(field.label))
    if check_character(value[:17]) != value[17]:
        return message(MessageId.ID_NUMBER_CHECK, label=CatalogText(field.label))
    if parse_date(value[6:10] + "-" + value[10:12] + "-" + value[12:14]) is None:
        return message(MessageId.ID_NUMBER_FORM, label=CatalogText(field.label))
    return None


def parse_date(value: str) -> dt.date | None:
    """A stored date answer (``YYYY-MM-DD``) as a date, or None when it is not one."""
    if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def _check_date(field: Field, value: str) -> Message | None:
    day = parse_date(value)
    if day is None:
        return message(MessageId.DATE_INVALID, label=CatalogText(field.label))
    low, high = field.date_range()
    if not low <= day <= high:
        return message(MessageId.DATE_RANGE, label=CatalogText(field.label), low=low.isoformat(), high=high.isoformat())
    return None


def _check_amount(field: Field, value: str) -> Message | None:
    if not AMOUNT.match(value):
        return message(MessageId.AMOUNT_INVALID, label=CatalogText(field.label))
    if not field.min_amount <= float(value) <= field.max_amount:
        return message(MessageId.AMOUNT_RANGE, label=CatalogText(field.label), low=f"{field.min_amount:g}",
                       high=f"{field.max_amount:g}")
    return None


def _check_region(field: Field, value: str) -> Message | None:
    from kiosk.catalog.regions import region_complete  # the region table loads on first use

    if not region_complete(value, field.region_levels):  # a city without districts is complete
        return message(MessageId.REGION_INCOMPLETE, label=CatalogText(field.label))
    return None


def _never_asked(field: Field, value: str) -> Message | None:
    return None


SPECS: dict[FieldKind, KindSpec] = {
    FieldKind.PHONE: KindSpec(Keyboard.DIGITS, _check_phone, Mask.PHONE),
    FieldKind.DIGITS: KindSpec(Keyboard.DIGITS, _check_digits),
    FieldKind.CHOICE: KindSpec(Keyboard.OPTIONS, _check_choice),
    FieldKind.MULTI_CHOICE: KindSpec(Keyboard.MULTI, _check_multi),
    FieldKind.YES_NO: KindSpec(Keyboard.OPTIONS, _check_choice),
    FieldKind.TEXT: KindSpec(Keyboard.PINYIN, _check_text),
    FieldKind.NAME: KindSpec(Keyboard.PINYIN, _check_name, Mask.NAME),
    FieldKind.ADDRESS: KindSpec(Keyboard.PINYIN, _check_text, Mask.ADDRESS),
    FieldKind.ID_NUMBER: KindSpec(Keyboard.ID_NUMBER, _check_id_number, Mask.ID_NUMBER),
    FieldKind.DATE: KindSpec(Keyboard.DATE, _check_date),
    FieldKind.AMOUNT: KindSpec(Keyboard.DECIMAL, _check_amount),
    FieldKind.REGION: KindSpec(Keyboard.REGION, _check_region),
    FieldKind.SHOWN: KindSpec(Keyboard.NONE, _never_asked),
}
ASKED_KINDS = tuple(kind for kind, spec in SPECS.items() if spec.keyboard is not Keyboard.NONE)
CHOOSING_KEYBOARDS = (Keyboard.OPTIONS, Keyboard.MULTI, Keyboard.DATE, Keyboard.REGION)


def check_answer(field: Field, value: str) -> Message | None:
    """Return what the resident must do about ``value``, or None when it is acceptable."""
    value = value.strip()
    if not value:
        if not field.required:
            return None
        wanted = MessageId.CHOOSE_VALUE if SPECS[field.kind].keyboard in CHOOSING_KEYBOARDS else MessageId.ENTER_VALUE
        return message(wanted, label=CatalogText(field.label))
    return SPECS[field.kind].check(field, value)
