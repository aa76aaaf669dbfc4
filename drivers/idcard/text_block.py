"""The 256-byte text block of an ID card ↔ ``IdCardRecord``, for all four card types.

The block is UCS-2 little-endian, fields padded with spaces (hardware.md §1.6). The card
type marker is the character at byte 248: ``' '`` resident card, ``'J'`` residence permit
for Hong Kong/Macao/Taiwan residents, ``'I'`` 2017 foreign permanent resident card, ``'Y'``
2023 foreign permanent resident card. Decoding never fails on field contents: it strips the
padding, maps gender (GB/T 2261.1) and nation (GB 3304) codes to names, and records what
fails the number checks in ``record.problems``. It raises ``CardDataInvalid`` only when the
block is the wrong size or its type marker is unknown.

``encode_text_block`` is the inverse, for the simulator and tests.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from drivers.errors import CardDataInvalid
from drivers.idcard.id_number import find_problems
from drivers.idcard.record import CardType, IdCardRecord

TEXT_SIZE = 256
MARKER_OFFSET = 248

NATIONS: dict[str, str] = {
    "01": "汉",
    "02": "蒙古",
    "03": "回",
    "04": "藏",
    "05": "维吾尔",
    "06": "苗",
    "07": "彝",
    "08": "壮",
    "09": "布依",
    "10": "朝鲜",
    "11": "满",
    "12": "侗",
    "13": "瑶",
    "14": "白",
    "15": "土家",
    "16": "哈尼",
    "17": "哈萨克",
    "18": "傣",
    "19": "黎",
    "20": "傈僳",
    "21": "佤",
    "22": "畲",
    "23": "高山",
    "24": "拉祜",
    "25": "水",
    "26": "东乡",
    "27": "纳西",
    "28": "景颇",
    "29": "柯尔克孜",
    "30": "土",
    "31": "达斡尔",
    "32": "仫佬",
    "33": "羌",
    "34": "布朗",
    "35": "撒拉",
    "36": "毛南",
    "37": "仡佬",
    "38": "锡伯",
    "39": "阿昌",
    "40": "普米",
    "41": "塔吉克",
    "42": "怒",
    "43": "乌孜别克",
    "44": "俄罗斯",
    "45": "鄂温克",
    "46": "德昂",
    "47": "保安",
    "48": "裕固",
    "49": "京",
    "50": "塔塔尔",
    "51": "独龙",
    "52": "鄂伦春",
    "53": "赫哲",
    "54": "门巴",
    "55": "珞巴",
    "56": "基诺",
    "97": "其他",
    "98": "外国血统中国籍人士",
}
NATION_CODES = {name: code for code, name in NATIONS.items()}

GENDERS = {"0": "未知", "1": "男", "2": "女", "9": "未说明"}
GENDER_CODES = {name: code for code, name in GENDERS.items()}

MARKERS = {
    " ": CardType.RESIDENT,
    "\x00": CardType.RESIDENT,  # some early cards leave the reserved area zeroed
    "J": CardType.HMT_RESIDENCE_PERMIT,
    "I": CardType.FOREIGN_PERMANENT_2017,
    "Y": CardType.FOREIGN_PERMANENT_2023,
}
MARKER_OF = {
    CardType.RESIDENT: " ",
    CardType.HMT_RESIDENCE_PERMIT: "J",
    CardType.FOREIGN_PERMANENT_2017: "I",
    CardType.FOREIGN_PERMANENT_2023: "Y",
}

# (field, offset, size in bytes) per card type; the marker at 248 is handled apart.
_COMMON = (
    ("name", 0, 30),
    ("gender", 30, 2),
    ("nation", 32, 4),
    ("birth_date", 36, 16),
    ("address", 52, 70),
    ("id_number", 122, 36),
    ("issuer", 158, 30),
    ("valid_from", 188, 16),
    ("valid_to", 204, 16),
)
LAYOUTS: dict[CardType, tuple[tuple[str, int, int], ...]] = {
    CardType.RESIDENT: _COMMON,
    CardType.HMT_RESIDENCE_PERMIT: (*_COMMON, ("pass_number", 220, 18), ("issue_count", 238, 4)),
    CardType.FOREIGN_PERMANENT_2017: (
        ("english_name", 0, 120),
        ("gender", 120, 2),
        ("id_number", 122, 30),
        ("nationality", 152, 6),
        ("name", 158, 30),
        ("valid_from", 188, 16),
        ("valid_to", 204, 16),
        ("birth_date", 220, 16),
        ("card_version", 236, 4),
        ("issuer", 240, 8),
    ),
    CardType.FOREIGN_PERMANENT_2023: (
        ("name", 0, 30),
        ("gender", 30, 2),
        ("issue_count", 32, 4),
        ("birth_date", 36, 16),
        ("english_name", 52, 70),
        ("id_number", 122, 36),
        ("valid_from", 188, 16),
        ("valid_to", 204, 16),
        ("english_name_2", 220, 22),
        ("nationality", 242, 6),
        ("previous_number", 250, 6),
    ),
}
_PADDING = " \x00"


def _raw(block: bytes, offset: int, size: int) -> str:
    # A lone surrogate cannot come from a UCS-2 card; replace it rather than fail.
    return block[offset : offset + size].decode("utf-16-le", errors="replace")


def decode_text_block(block: bytes, photo: bytes = b"", fingerprint: bytes = b"") -> IdCardRecord:
    """Decode a 256-byte text block (with the card's photo and fingerprint bytes)."""
    if len(block) != TEXT_SIZE:
        raise CardDataInvalid(f"text block of {len(block)} bytes, expected {TEXT_SIZE}")
    marker = _raw(block, MARKER_OFFSET, 2)
    card_type = MARKERS.get(marker)
    if card_type is None:
        raise CardDataInvalid(
            f"unknown card type marker U+{ord(marker):04X}",
            problems=("未知证件类型 (unknown card type)",),
        )
    values: dict[str, str] = {}
    for name, offset, size in LAYOUTS[card_type]:
        values[name] = _raw(block, offset, size)
    if "english_name_2" in values:
        values["english_name"] = values["english_name"] + values.pop("english_name_2")
    values = {k: v.rstrip(_PADDING) for k, v in values.items()}
    values["gender"] = GENDERS.get(values["gender"], "未知")
    if card_type is CardType.RESIDENT:
        code = values["nation"]
        values["nation"] = NATIONS.get(code, code)
    else:
        values.pop("nation", None)  # 'J' permits leave it unused
    fields: dict[str, Any] = values
    record = IdCardRecord(card_type=card_type, photo_wlt=bytes(photo), fingerprint=bytes(fingerprint), **fields)
    problems = find_problems(card_type, record.id_number, record.birth_date, record.gender)
    return replace(record, problems=problems) if problems else record


def encode_text_block(record: IdCardRecord) -> bytes:
    """Encode a record's text fields as the card holds them (ValueError if one does not fit)."""
    block = bytearray(" ".encode("utf-16-le") * (TEXT_SIZE // 2))
    values = {
        name: str(getattr(record, name, "")) for name, _, _ in LAYOUTS[record.card_type] if name != "english_name_2"
    }
    values["gender"] = GENDER_CODES.get(record.gender, record.gender)
    if record.card_type is CardType.RESIDENT:
        values["nation"] = NATION_CODES.get(record.nation, record.nation)
    elif "nation" in values:
        values["nation"] = ""
    if record.card_type is CardType.FOREIGN_PERMANENT_2023:
        values["english_name"], values["english_name_2"] = (
            record.english_name[:35],
            record.english_name[35:],
        )
    for name, offset, size in LAYOUTS[record.card_type]:
        data = values[name].encode("utf-16-le")
        if len(data) > size:
            raise ValueError(f"field {name} needs {len(data)} bytes, the card has {size}")
        block[offset : offset + len(data)] = data
    block[MARKER_OFFSET : MARKER_OFFSET + 2] = MARKER_OF[record.card_type].encode("utf-16-le")
    return bytes(block)
