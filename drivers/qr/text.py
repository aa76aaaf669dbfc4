"""A QR code's text from its bytes: declared character sets first, guesses only without one.

A QR symbol declares how its bytes are text in two ways: an ECI designator (ISO/IEC 18004
§7.4.2) names the character set of the segments after it, and Kanji-mode segments are
Shift_JIS by definition. zxing-cpp gives the bytes with their ECI designators
(``TextMode.HexECI``: ``]Q2`` then ``\\nnnnnn`` before each block, a literal ``\\`` doubled);
``decode_eci_stream`` decodes each block strictly by its ECI. Without an ECI the bytes are
guessed by ``guess_text``, in this order, taking the first *plausible* strict reading:

1. UTF-8;
2. GB 18030, if every non-ASCII character is in GB 2312 (the common Chinese set; Kanji-mode
   Shift_JIS bytes read as GB 18030 give rare GBK characters and fail this);
3. Shift_JIS (Kanji-mode segments, or Japanese bytes), if it has no half-width katakana (what
   GB 2312 bytes read as Shift_JIS look like);
4. Latin-1, if it has no control characters.

Nothing plausible, a declared character set the bytes do not fit, an unknown or binary ECI:
the text is undecodable (``None``), and the scanner reports an ``UndecodableCode`` rather than
a misread. Limits: zxing-cpp 3.1 does not expose segment modes, so a Kanji segment without
ECI is recognised by its bytes (rule 3), not by its mode; a Shift_JIS byte segment whose
characters are all in GB 2312 reads as Chinese (on a Chinese kiosk, the right trade).
"""

from __future__ import annotations

import re

# ECI assignment numbers (AIM ECI part 3) to Python codecs; 899 is binary, not text.
ECI_CODECS: dict[int, str] = {
    0: "cp437", 1: "latin-1", 2: "cp437", 3: "latin-1",
    **{n: f"iso8859-{n - 2}" for n in range(4, 19) if n != 14},  # 14 would be 8859-12
    20: "shift_jis", 21: "cp1250", 22: "cp1251", 23: "cp1252", 24: "cp1256",
    25: "utf-16-be", 26: "utf-8", 27: "ascii", 28: "big5", 29: "gb18030", 30: "euc-kr",
    31: "gbk", 32: "gb18030", 33: "utf-16-le", 34: "utf-32-be", 35: "utf-32-le", 170: "ascii",
}

# control characters, except tab, LF, CR and the GS1 / ISO 15434 separators (EOT, FS, GS, RS)
_CONTROL = re.compile(r"[\x00-\x03\x05-\x08\x0b\x0c\x0e-\x1b\x1f\x7f-\x9f]")
_HALF_WIDTH_KATAKANA = re.compile(r"[\uff61-\uff9f]")


def _strict(raw: bytes, codec: str) -> str | None:
    try:
        text = raw.decode(codec)
    except UnicodeDecodeError:
        return None
    return None if _CONTROL.search(text) else text


def _in_gb2312(text: str) -> bool:
    try:
        text.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


def guess_text(raw: bytes) -> str | None:
    """Return the text of bytes with no declared character set, or None if no guess is sure."""
    text = _strict(raw, "utf-8")
    if text is not None:
        return text
    text = _strict(raw, "gb18030")
    if text is not None and _in_gb2312(text):
        return text
    text = _strict(raw, "shift_jis") or _strict(raw, "cp932")
    if text is not None and not _HALF_WIDTH_KATAKANA.search(text):
        return text
    text = _strict(raw, "latin-1")
    if text is not None and not any(0x80 <= b < 0xA0 for b in raw):
        return text
    return None


def split_eci_stream(stream: bytes) -> list[tuple[int | None, bytes]] | None:
    """Split zxing-cpp's ``bytes_eci`` form into (ECI or None, bytes) blocks; None if malformed."""
    if stream[:1] != b"]" or len(stream) < 3:
        return None
    has_eci = stream[2:3] in (b"2", b"4", b"6")  # ]Q2, ]Q4 (FNC1 first), ]Q6 (FNC1 second)
    body = stream[3:]
    if not has_eci:
        return [(None, body)]
    blocks: list[tuple[int | None, bytearray]] = [(None, bytearray())]
    i = 0
    while i < len(body):
        byte = body[i : i + 1]
        if byte == b"\\" and body[i + 1 : i + 2] == b"\\":
            blocks[-1][1].extend(b"\\")
            i += 2
        elif byte == b"\\":
            digits = body[i + 1 : i + 7]
            if len(digits) != 6 or not digits.isdigit():
                return None
            blocks.append((int(digits), bytearray()))
            i += 7
        else:
            blocks[-1][1].extend(byte)
            i += 1
    return [(eci, bytes(data)) for eci, data in blocks if data or eci is not None]


def decode_eci_stream(stream: bytes) -> str | None:
    """Decode each block by its ECI, guess blocks before any ECI; None if any block fails."""
    blocks = split_eci_stream(stream)
    if blocks is None:
        return None
    parts: list[str] = []
    for eci, data in blocks:
        if eci is None:
            text = guess_text(data) if data else ""
        else:
            codec = ECI_CODECS.get(eci)
            text = _strict(data, codec) if codec is not None else None
        if text is None:
            return None
        parts.append(text)
    return "".join(parts)
