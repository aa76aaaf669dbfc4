"""The scalar types every wire message is built from: storable text, strict numbers, map keys.

``contract.wire`` and ``contract.fleet`` both build on these (and re-export nothing else).
"""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, Field

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
