"""The printer test page (打印机自检页) a technician prints from maintenance or the CLI.

It shows, on paper, everything a receipt depends on: the Chinese encodings with CJK
punctuation and rare characters, sizes, bold, alignment, the characters a line holds, a
QR code to scan with a phone, a raster image and the cut.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from drivers.printer.document import Align, Block, Cut, Document, Feed, Image, QrCode, Rule, Text

SIMPLIFIED = "简体：政务服务自助终端欢迎您"
TRADITIONAL = "繁體：政務服務自助終端歡迎您"
PUNCTUATION = "，。、；：？！“”‘’（）《》【】—…·"  # its own line: Big5 prints it as text
RARE = "生僻字：堃 喆 犇 龘 䶮 𠀀"
RULER = "1234567890" * 8
TEST_QR = "https://zwfw.example.gov.cn/printer-test"


def build_test_page(
    model: str, features: Iterable[str], now: datetime, terminal_id: str = ""
) -> Document:
    """The test page for a printer of ``model`` with ``features`` (from its capabilities)."""
    listed = "、".join(sorted(features)) or "无"
    blocks: list[Block] = [
        Text("打印机自检页", size=2, bold=True, align=Align.CENTER),
        Text(now.strftime("%Y-%m-%d %H:%M:%S"), align=Align.CENTER),
        Rule(),
        Text(f"型号：{model}"),
        Text(f"功能：{listed}"),
    ]
    if terminal_id:
        blocks.append(Text(f"终端：{terminal_id}"))
    blocks += [
        Rule(),
        Text(SIMPLIFIED),
        Text(TRADITIONAL),
        Text("标点及符号：￥"),
        Text(PUNCTUATION),
        Text(RARE),
        Text("ASCII: The quick brown fox jumps over the lazy dog 0123456789"),
        Text("每行字符数（标尺）："),
        Text(RULER),
        Rule(),
        Text("左对齐 Left"),
        Text("居中 Center", align=Align.CENTER),
        Text("右对齐 Right", align=Align.RIGHT),
        Text("粗体 Bold", bold=True),
        Text("倍高倍宽 x2", size=2),
        Text("三倍 x3", size=3),
        Rule(),
        Text("二维码（请用手机扫描）：", align=Align.CENTER),
        QrCode(TEST_QR),
        Text("图像：", align=Align.CENTER),
        test_pattern(),
        Text("— 自检结束 —", align=Align.CENTER),
        Feed(1),
        Cut(),
    ]
    return Document(kind="test-page", blocks=tuple(blocks))


def test_pattern(width: int = 192, height: int = 48) -> Image:
    """A raster image: checkerboard on the left, solid bars on the right."""
    row_bytes = (width + 7) // 8
    bits = bytearray()
    for y in range(height):
        row = bytearray(row_bytes)
        for x in range(width):
            dark = ((x // 8) + (y // 8)) % 2 == 0 if x < width // 2 else (x // 12) % 2 == 0
            if dark:
                row[x // 8] |= 0x80 >> (x % 8)
        bits += row
    return Image(width, height, bytes(bits), Align.CENTER)


test_pattern.__test__ = False  # type: ignore[attr-defined]  # not a pytest test
