"""What the keys of the on-screen pinyin keyboard type (the layout is data, not wording).

Letter rows are QWERTY; the digit layer has the digits and what addresses need besides
(号 栋 单元 室 - #). ``MIDDLE_DOT`` joins the parts of a minority name (阿依古丽·买买提).
"""

from __future__ import annotations

LETTER_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
DIGIT_ROW = "1234567890"
ADDRESS_KEYS = ("号", "栋", "单元", "室", "-", "#")
MIDDLE_DOT = "\u00b7"
MAX_LETTERS = 40  # pending letters a resident may type before choosing


def key_name(key: str) -> str:
    """The ``test_name`` suffix of a key: the letter or digit itself, else its position."""
    if key.isascii() and key.isalnum():
        return key
    return {"-": "dash", "#": "hash", MIDDLE_DOT: "dot"}.get(key, f"sym{ADDRESS_KEYS.index(key)}")
