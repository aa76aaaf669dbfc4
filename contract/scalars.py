"""The scalar types every wire message is built from: storable text, strict numbers, map keys.

``contract.wire`` and ``contract.fleet`` both build on these (and re-export nothing else).
"""

from __future__ import annotations

import base64
import binascii
from datetime import UTC, datetime
from typing import Annotated

from pydantic import AfterValidator, AwareDatetime, Field

DAY_PATTERN = r"^[0-9]{8}$"  # YYYYMMDD


def _storable(value: str) -> str:
    """Refuse text no database can store: NUL characters and unpaired surrogates."""
    if "\x00" in value:
        raise ValueError("text must not contain NUL characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as err:
        raise ValueError("text must be valid Unicode (no unpaired surrogates)") from err
    return value


# Every string field on the wire: any Unicode a person may write, but nothing unstorable.
Text = Annotated[str, AfterValidator(_storable)]

# Numbers are JSON numbers: "5" or true is not a count, and no NaN or infinity gets through.
Count = Annotated[int, Field(strict=True)]
Seconds = Annotated[float, Field(strict=True, allow_inf_nan=False)]
# Keys of the answers and devices maps, and each text a case carries, have bounds of their own.
MAP_KEY_MAX = 64
ANSWER_MAX = 2000
COMMITMENT_MAX = 500
Key = Annotated[Text, Field(min_length=1, max_length=MAP_KEY_MAX)]


EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
LATEST = datetime(9000, 1, 1, tzinfo=UTC)


def _plausible(moment: datetime) -> datetime:
    """Refuse a time no kiosk clock gives: year 1 with an offset cannot even be turned to UTC."""
    try:
        in_utc = moment.astimezone(UTC)
    except OverflowError:
        raise ValueError("time is out of range") from None
    if not EARLIEST <= in_utc < LATEST:
        raise ValueError("time must be between the years 2000 and 9000")
    return moment


# A time a kiosk reports, with its zone: one the centre can store and compare.
Moment = Annotated[AwareDatetime, AfterValidator(_plausible)]


def base64_in(value: object) -> object:
    """JSON carries the picture as base64 text; Python callers may give the bytes."""
    if isinstance(value, str):
        try:
            return base64.b64decode(value, validate=True)
        except binascii.Error as err:
            raise ValueError("not base64") from err
    return value


def base64_out(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")
