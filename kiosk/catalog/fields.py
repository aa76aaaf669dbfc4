"""Form field kinds: one spec per kind, so a new kind is one entry here.

A kind's spec says how a resident answers it on screen (``Keyboard``), how an answer is
checked (a ``Message`` saying what to do, or None), how it is masked wherever it is shown
(``Mask``, applied by ``kiosk.session.privacy``), and how it reads on the review screen.
Choice answers are stored as the option's value; its label is only ever shown.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kiosk.messages import Message, MessageId, message

if TYPE_CHECKING:
    from kiosk.catalog.model import Field

PHONE = re.compile(r"^1[3-9][0-9]{9}$")


class FieldKind(enum.StrEnum):
    PHONE = "phone"
    DIGITS = "digits"
    CHOICE = "choice"
    SHOWN = "shown"  # prefilled from the card or login code: shown, never asked


class Keyboard(enum.StrEnum):
    """How the answer is entered."""

    OPTIONS = "options"  # one large button per option
    DIGITS = "digits"  # the on-screen number pad
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
        return message(MessageId.DIGITS_ONLY, label=field.label)
    if not field.min_length <= len(value) <= field.max_length:
        return message(MessageId.DIGITS_LENGTH, label=field.label, low=field.min_length, high=field.max_length)
    return None


def _check_choice(field: Field, value: str) -> Message | None:
    return None if value in field.options else message(MessageId.CHOOSE_FROM_LIST, label=field.label)


def _never_asked(field: Field, value: str) -> Message | None:
    return None


SPECS: dict[FieldKind, KindSpec] = {
    FieldKind.PHONE: KindSpec(Keyboard.DIGITS, _check_phone, Mask.PHONE),
    FieldKind.DIGITS: KindSpec(Keyboard.DIGITS, _check_digits),
    FieldKind.CHOICE: KindSpec(Keyboard.OPTIONS, _check_choice),
    FieldKind.SHOWN: KindSpec(Keyboard.NONE, _never_asked),
}
ASKED_KINDS = tuple(kind for kind, spec in SPECS.items() if spec.keyboard is not Keyboard.NONE)


def check_answer(field: Field, value: str) -> Message | None:
    """Return what the resident must do about ``value``, or None when it is acceptable."""
    value = value.strip()
    if not value:
        if not field.required:
            return None
        wanted = MessageId.CHOOSE_VALUE if SPECS[field.kind].keyboard is Keyboard.OPTIONS else MessageId.ENTER_VALUE
        return message(wanted, label=field.label)
    return SPECS[field.kind].check(field, value)
