"""Checking one answer against its field; messages say what to do, in the resident's words."""

from __future__ import annotations

import re

from kiosk.catalog.model import Field

PHONE = re.compile(r"^1[3-9][0-9]{9}$")


def check_answer(field: Field, value: str) -> str | None:
    """Return an error message for ``value``, or None when it is acceptable."""
    value = value.strip()
    if not value:
        if not field.required:
            return None
        return f"请选择{field.label}" if field.kind == "choice" else f"请输入{field.label}"
    if field.kind == "phone":
        if not PHONE.match(value):
            return "请输入11位手机号码，以1开头，例如 13812345678"
    elif field.kind == "digits":
        if not value.isdigit() or not value.isascii():
            return f"{field.label}只能填写数字"
        if not field.min_length <= len(value) <= field.max_length:
            return f"{field.label}请填写{field.min_length}到{field.max_length}位数字"
    elif field.kind == "choice":
        if value not in field.options:
            return f"请从列表中选择{field.label}"
    return None
