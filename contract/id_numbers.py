"""The GB 11643-1999 citizen identity number's check character (ISO 7064 MOD 11-2).

One place for the arithmetic: the card driver checks numbers read from a card, the form checks
numbers a resident types, the centre may check what it is sent.
"""

from __future__ import annotations

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CHARS = "10X98765432"


def check_character(first17: str) -> str:
    """Return the GB 11643 check character for the first 17 digits."""
    total = sum(int(c) * w for c, w in zip(first17, _WEIGHTS, strict=True))
    return _CHECK_CHARS[total % 11]


def with_check_character(first17: str) -> str:
    """Return ``first17`` completed with its check character."""
    return first17 + check_character(first17)
