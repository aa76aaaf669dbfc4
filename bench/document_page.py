"""Render a Chinese paper document with PIL: a title, paragraphs, a ruled table and a red stamp.

``render_page(rng, width)`` returns the page as a BGR image and the text printed on it (the
stamp's words excepted), for ``bench.document_corpus``. The words are drawn from phrases of the
documents residents bring (household register pages, contracts, certificates).
"""

from __future__ import annotations

from functools import cache

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

FONT = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"  # the kiosk's CJK font (config [ui] font)
TITLES = ("常住人口登记卡", "房屋租赁合同", "劳动合同书", "结婚证明", "营业执照", "在职证明",
          "收入证明", "居住证明", "出生医学证明", "委托书", "退休证明", "社会保险缴费证明")
PHRASES = ("根据有关规定", "经双方协商一致", "本人自愿", "现居住在", "南京市玄武区", "鼓楼区湖南路街道",
           "特此证明", "甲方应当", "乙方承诺", "按月支付租金", "合同期限为三年", "自签订之日起生效",
           "户主姓名", "与户主关系", "出生日期", "公民身份号码", "服务处所", "职业", "文化程度",
           "婚姻状况", "何时由何地迁来本市", "承办人签字", "登记机关盖章", "如有违约", "由双方另行约定",
           "缴费基数", "单位名称", "统一社会信用代码", "经营范围", "注册资本", "本证明仅用于办理相关业务",
           "以上情况属实", "年度工资收入", "人民币", "元整", "特此委托", "受托人", "有效期至")
HEADS = ("项目", "内容", "备注", "姓名", "日期", "金额", "编号", "地址")


@cache
def font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(FONT, size)


def sentence(rng: np.random.Generator, chars: int) -> str:
    """Phrases joined by Chinese punctuation until about ``chars`` characters."""
    out = ""
    while len(out) < chars:
        out += str(rng.choice(PHRASES)) + str(rng.choice(["，", "，", "。", "；"]))
    return out[:chars]


def wrap(text: str, per_line: int) -> list[str]:
    return [text[i:i + per_line] for i in range(0, len(text), per_line)]


def render_page(rng: np.random.Generator, width: int, aspect: float = 1.414) -> tuple[np.ndarray, str]:
    """A page ``width`` px wide and ``aspect`` times as tall: BGR image and its printed text."""
    height = round(width * aspect)
    white = int(rng.integers(228, 247))
    tint = (white, white - int(rng.integers(0, 4)), white - int(rng.integers(0, 12)))  # RGB: white to cream paper
    image = Image.new("RGB", (width, height), tint)
    draw = ImageDraw.Draw(image)
    margin = round(width * 0.08)
    body = max(10, round(width / 34))
    texts: list[str] = []
    title = str(rng.choice(TITLES))
    title_font = font(round(body * 1.7))
    title_width = draw.textlength(title, font=title_font)
    y = margin
    draw.text(((width - title_width) / 2, y), title, font=title_font, fill=(20, 20, 20))
    texts.append(title)
    y += round(body * 3)
    per_line = max(4, int((width - 2 * margin) / body))
    line_gap = round(body * 1.6)
    table_at = int(rng.integers(1, 3))
    for paragraph in range(3):
        if paragraph == table_at and y + body * 10 < height - margin:
            y = draw_table(draw, rng, margin, y, width - 2 * margin, body, texts)
        for line in wrap(("\u3000\u3000" if paragraph else "") + sentence(rng, int(rng.integers(40, 110))), per_line):
            if y + line_gap > height - margin:
                break
            draw.text((margin, y), line, font=font(body), fill=(30, 30, 30))
            texts.append(line.strip("\u3000"))
            y += line_gap
        y += body
    radius = round(min(width, height) * 0.12)
    draw_stamp(image, rng, round(width * 0.7), min(height - margin - radius, y + radius // 2), radius)
    return cv2.cvtColor(np.asarray(image), cv2.COLOR_RGB2BGR), "".join(texts)


def draw_table(draw: ImageDraw.ImageDraw, rng: np.random.Generator, x: int, y: int, width: int, body: int,
               texts: list[str]) -> int:
    """A ruled table of 3 columns and 3 to 4 rows; returns the y below it."""
    rows, cols = int(rng.integers(3, 5)), 3
    row_h, col_w = round(body * 1.9), width // cols
    for r in range(rows + 1):
        draw.line([(x, y + r * row_h), (x + cols * col_w, y + r * row_h)], fill=(40, 40, 40), width=2)
    for c in range(cols + 1):
        draw.line([(x + c * col_w, y), (x + c * col_w, y + rows * row_h)], fill=(40, 40, 40), width=2)
    cell_chars = max(2, int(col_w / body) - 1)
    for r in range(rows):
        for c in range(cols):
            if r == 0:
                text = str(rng.choice(HEADS))
            else:
                text = sentence(rng, int(rng.integers(2, cell_chars + 1))).strip("，。；")
            draw.text((x + c * col_w + body // 2, y + r * row_h + round(body * 0.4)), text, font=font(body),
                      fill=(30, 30, 30))
            texts.append(text)
    return y + rows * row_h + body


def draw_stamp(image: Image.Image, rng: np.random.Generator, cx: int, cy: int, radius: int) -> None:
    """A red seal: a ring, a star, a line of text; drawn translucent, as ink over print."""
    layer = Image.new("RGBA", image.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    red = (200, 30, 40, int(rng.integers(150, 220)))
    draw.ellipse([cx - radius, cy - radius, cx + radius, cy + radius], outline=red, width=max(2, radius // 12))
    turns = [np.pi / 2 + k * 4 * np.pi / 5 for k in range(5)]
    star = [(cx + radius * 0.35 * np.cos(t), cy - radius * 0.35 * np.sin(t)) for t in turns]
    draw.polygon(star, fill=red)
    word = "专用章"
    size = max(8, radius // 4)
    draw.text((cx - size * len(word) / 2, cy + radius * 0.4), word, font=font(size), fill=red)
    image.paste(Image.alpha_composite(image.convert("RGBA"), layer).convert("RGB"))
