"""Is a text in the language it should be? Chinese left in English, simplified characters left
in traditional Chinese (by OpenCC, a dev dependency; without it nothing is found)."""

from __future__ import annotations

import re
from functools import cache
from typing import Any

CJK_IDEOGRAPH = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff]")
# Characters OpenCC changes in some words that are right as they are in others (批准 and 標準,
# 櫃台 and 臺灣, 干擾 and 幹部, 公里 and 裏面): never counted as left simplified.
AMBIGUOUS = frozenset("准台干里")


@cache
def _to_traditional() -> Any:
    try:
        import opencc
    except ImportError:
        return None
    return opencc.OpenCC("s2tw")  # Taiwan standard forms (為 群 核), as the zh-Hant texts are written


def chinese_in(text: str) -> str:
    """The CJK ideographs in ``text``, each once."""
    return "".join(dict.fromkeys(CJK_IDEOGRAPH.findall(text)))


def simplified_in(text: str) -> str:
    """The characters of ``text`` OpenCC would still turn into traditional ones, each once."""
    convert = _to_traditional()
    if convert is None:
        return ""
    converted = convert.convert(text)
    if len(converted) != len(text):
        return text if converted != text else ""
    return "".join(dict.fromkeys(a for a, b in zip(text, converted, strict=True) if a != b and a not in AMBIGUOUS))


def opencc_available() -> bool:
    return _to_traditional() is not None
