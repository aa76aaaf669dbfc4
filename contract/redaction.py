"""Personal data out of log lines and error details: the last line of defence, on both sides.

The code never logs names, ID numbers or phones on purpose (log case numbers, states and
types); this catches what slips through anyway: a library's exception text, a reply body, a
validation error echoing its input. ``redact(text)`` replaces

- Chinese resident ID numbers: 18 characters (17 digits and a digit or ``X``) and the old
  15-digit ones (a province code and a valid month and day, so case numbers, which start
  with ``20``, are kept);
- mainland mobile numbers: ``1[3-9]`` and nine more digits, with or without ``+86`` and
  separators;
- the values of keys that hold personal data (``name``, ``id_number``, ``phone``,
  ``address``, ..., and pydantic's ``input``/``input_value``) in JSON, ``repr`` and
  ``key=value`` text, and what follows ``姓名：`` and the like.

``install_log_redaction()`` makes every log record of the process pass through ``redact``
(its message, its arguments, its exception and stack text), whichever logger or handler it
goes to; ``RedactingFilter`` is the same as a ``logging.Filter`` for a single handler.
"""

from __future__ import annotations

import logging
import re
import threading
import traceback
from collections.abc import Callable, Mapping
from typing import Any

MASK = "***"

_NOT_ALNUM_BEFORE = r"(?<![0-9A-Za-z])"
_NOT_ALNUM_AFTER = r"(?![0-9A-Za-z])"
_PROVINCE = r"(?:1[1-5]|2[1-3]|3[1-7]|4[1-6]|5[0-4]|6[1-5]|71|8[1-3]|91)"
_MONTH_DAY = r"(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])"

ID_NUMBER = re.compile(
    _NOT_ALNUM_BEFORE + r"(?:\d{17}[\dXx]|" + _PROVINCE + r"\d{4}\d{2}" + _MONTH_DAY + r"\d{3})"
    + _NOT_ALNUM_AFTER
)
MOBILE = re.compile(
    _NOT_ALNUM_BEFORE + r"(?:\+?86[- ]?)?1[3-9]\d(?:[- ]?\d{4}){2}" + _NOT_ALNUM_AFTER
)

PERSONAL_KEYS = (
    "name", "applicant_name", "full_name", "id_number", "idnumber", "id_no", "phone", "mobile",
    "telephone", "tel", "address", "input", "input_value",
)
_KEYS = "|".join(PERSONAL_KEYS)
# "name": "…", 'name': '…', name='…', name: "…" (a JSON object, a dict's or a model's repr)
QUOTED_VALUE = re.compile(
    r"""(?P<key>(?<![\w-])["']?(?:""" + _KEYS + r""")["']?\s*[:=]\s*)"""
    r"""(?P<q>["'])(?P<value>(?:\\.|(?!(?P=q))[^\\])*)(?P=q)""",
    re.IGNORECASE,
)
# name=… in a query string or a key=value log line
BARE_VALUE = re.compile(
    r"(?P<key>(?<![\w-])(?:" + _KEYS + r")=)(?P<value>[^\s&,;)\]}'\"]+)", re.IGNORECASE
)
LABELLED_VALUE = re.compile(
    r"(?P<key>(?:姓名|名字|申请人|身份证号码|身份证号|证件号码|证件号|手机号码|手机号|联系电话|电话|住址|地址)\s*[:：=]\s*)"
    r"(?P<value>[^\s,，;；。]+)"
)


def redact(text: str) -> str:
    """``text`` with ID numbers, mobile numbers and recognisable personal values masked."""
    if not text:
        return text
    text = QUOTED_VALUE.sub(lambda m: f"{m['key']}{m['q']}{MASK}{m['q']}", text)
    text = BARE_VALUE.sub(lambda m: f"{m['key']}{MASK}", text)
    text = LABELLED_VALUE.sub(lambda m: f"{m['key']}{MASK}", text)
    text = ID_NUMBER.sub(MASK, text)
    return MOBILE.sub(MASK, text)


def redact_record(record: logging.LogRecord) -> logging.LogRecord:
    """Redact ``record`` in place: its message with its arguments, exception and stack text."""
    if getattr(record, "_redacted", False):
        return record
    # The format string and each argument are redacted in place, keeping the arguments' shape:
    # formatters such as uvicorn's access log unpack them.
    if isinstance(record.msg, str):
        record.msg = redact(record.msg)
    if isinstance(record.args, tuple):
        record.args = tuple(_redact_arg(arg) for arg in record.args)
    elif isinstance(record.args, Mapping):
        record.args = {key: _redact_arg(value) for key, value in record.args.items()}
    if record.exc_info and record.exc_info[1] is not None:
        text = "".join(traceback.format_exception(*record.exc_info)).rstrip("\n")
        record.exc_text = redact(text)
    elif record.exc_text:
        record.exc_text = redact(record.exc_text)
    if record.stack_info:
        record.stack_info = redact(record.stack_info)
    record._redacted = True  # type: ignore[attr-defined]
    return record


def _redact_arg(value: object) -> object:
    """A log argument with personal data masked; numbers and other values pass as they are."""
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, bytes | bytearray):
        return redact(bytes(value).decode("utf-8", "replace"))
    if isinstance(value, bool | float) or value is None:
        return value
    text = str(value)
    masked = redact(text)
    if isinstance(value, int) and masked == text:
        return value  # a count or a status code: formatters may want the number (%d)
    return masked


class RedactingFilter(logging.Filter):
    """A filter that redacts each record passing through it (and never drops one)."""

    def filter(self, record: logging.LogRecord) -> bool:
        redact_record(record)
        return True


_install_lock = threading.Lock()
_installed: list[Callable[..., logging.LogRecord]] = []


def install_log_redaction() -> None:
    """Redact every log record this process makes from now on (idempotent).

    It wraps the log-record factory, so it covers every logger (uvicorn, SQLAlchemy, the
    kiosk's own) and every handler added later, pytest's ``caplog`` included.
    """
    with _install_lock:
        if _installed:
            return
        previous = logging.getLogRecordFactory()

        def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
            return redact_record(previous(*args, **kwargs))

        _installed.append(previous)
        logging.setLogRecordFactory(factory)


__all__ = ["MASK", "RedactingFilter", "install_log_redaction", "redact", "redact_record"]
