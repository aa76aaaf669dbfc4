"""Drawing a certificate as a one-page A4 PDF (reportlab, the CJK font fonts-wqy-microhei).

The page, top to bottom: the title in 《》, the certificate code, the applicant (full name,
masked ID number), the department's statement with its lines and table, the issuing
department and date with an e-seal ring, and the verification QR. The e-copy line
"此件由××提供，仅供办理政务服务事项时使用，有效期至YYYY-MM-DD" runs diagonally and lightly
across the whole page and once, in full, at its foot. Nothing is fetched at run time.
"""

from __future__ import annotations

import io
import math
import threading
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from reportlab.graphics.barcode import qrencoder
from reportlab.lib.colors import Color, black, white
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from central.certificate_records import CertificateFacts, CertificateKind

DEFAULT_FONT = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
FONT_NAME = "WenQuanYiMicroHei"
WIDTH, HEIGHT = A4
MARGIN = 22 * mm
GREY = Color(0.35, 0.35, 0.35)
WATERMARK = Color(0.55, 0.55, 0.55, alpha=0.16)
SEAL_RED = Color(0.82, 0.1, 0.1, alpha=0.85)
_font_lock = threading.Lock()
_registered: dict[Path, str] = {}


@dataclass(frozen=True)
class CertificateContent:
    """Everything printed on one certificate."""

    kind: CertificateKind
    name: str
    id_type_label: str
    masked_id_number: str
    case_number: str
    purpose: str
    facts: CertificateFacts
    issued_on: date
    valid_until: date
    code: str
    verify_url: str  # what the QR encodes

    @property
    def ecopy_line(self) -> str:
        return (f"此件由{self.kind.department}提供，仅供办理政务服务事项时使用，"
                f"有效期至{self.valid_until.isoformat()}")


def register_font(path: Path = DEFAULT_FONT) -> str:
    """Register the CJK font once per process; return its reportlab name."""
    with _font_lock:
        name = _registered.get(path)
        if name is None:
            name = f"{FONT_NAME}-{len(_registered)}"
            pdfmetrics.registerFont(TTFont(name, str(path), subfontIndex=0))
            _registered[path] = name
        return name


def draw_certificate(content: CertificateContent, font_path: Path = DEFAULT_FONT) -> bytes:
    """The certificate as PDF bytes: one A4 page."""
    font = register_font(font_path)
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4, pageCompression=1, invariant=1)
    canvas.setTitle(f"《{content.kind.title}》")
    canvas.setAuthor(content.kind.department)
    canvas.setSubject(f"证明编号 {content.code}")
    _watermark(canvas, font, content.ecopy_line)
    y = _header(canvas, font, content)
    y = _body(canvas, font, content, y)
    _signature(canvas, font, content, y)
    _verification(canvas, font, content)
    _foot(canvas, font, content)
    canvas.showPage()
    canvas.save()
    return out.getvalue()


def _watermark(canvas: Canvas, font: str, line: str) -> None:
    """The e-copy line, light and diagonal, tiled over the whole page (drawn first: beneath)."""
    canvas.saveState()
    canvas.setFillColor(WATERMARK)
    canvas.setFont(font, 11)
    canvas.translate(WIDTH / 2, HEIGHT / 2)
    canvas.rotate(30)
    step_x = pdfmetrics.stringWidth(line, font, 11) + 40
    for row in range(-9, 10):
        offset = (row % 2) * step_x / 2
        for column in range(-2, 3):
            canvas.drawString(column * step_x - offset - step_x / 2, row * 52, line)
    canvas.restoreState()


def _header(canvas: Canvas, font: str, content: CertificateContent) -> float:
    y = HEIGHT - MARGIN - 10 * mm
    canvas.setFillColor(black)
    canvas.setFont(font, 22)
    canvas.drawCentredString(WIDTH / 2, y, f"《{content.kind.title}》")
    y -= 9 * mm
    canvas.setFont(font, 9)
    canvas.setFillColor(GREY)
    canvas.drawRightString(WIDTH - MARGIN, y, f"证明编号：{content.code}")
    canvas.drawString(MARGIN, y, f"受理编号：{content.case_number}")
    y -= 3 * mm
    canvas.setStrokeColor(black)
    canvas.setLineWidth(1.2)
    canvas.line(MARGIN, y, WIDTH - MARGIN, y)
    return y - 10 * mm


def _body(canvas: Canvas, font: str, content: CertificateContent, y: float) -> float:
    canvas.setFillColor(black)
    rows = [("姓名", content.name), ("证件类型", content.id_type_label),
            ("证件号码", content.masked_id_number)]
    if content.purpose:
        rows.append(("证明用途", content.purpose))
    y = _labelled(canvas, font, rows, y)
    y -= 4 * mm
    canvas.setFont(font, 12)
    y = _wrapped(canvas, font, 12, f"兹证明{content.name}（证件号码：{content.masked_id_number}）"
                 f"{content.facts.statement}", y, indent=24)
    y -= 3 * mm
    y = _labelled(canvas, font, list(content.facts.lines), y)
    if content.facts.table_header:
        y = _table(canvas, font, content.facts.table_header, content.facts.table_rows, y - 3 * mm)
    y -= 4 * mm
    canvas.setFont(font, 12)
    y = _wrapped(canvas, font, 12, "特此证明。", y, indent=24)
    for note in content.facts.notes:
        canvas.setFillColor(SEAL_RED if content.facts.sample else GREY)
        y = _wrapped(canvas, font, 9, note, y - 1 * mm)
    canvas.setFillColor(black)
    return y


def _labelled(canvas: Canvas, font: str, rows: list[tuple[str, str]], y: float) -> float:
    for label, value in rows:
        canvas.setFont(font, 11)
        canvas.setFillColor(GREY)
        canvas.drawString(MARGIN + 8 * mm, y, f"{label}：")
        canvas.setFillColor(black)
        y = _wrapped(canvas, font, 11, value, y, left=MARGIN + 40 * mm)
    return y


def _wrapped(canvas: Canvas, font: str, size: float, text: str, y: float, *, left: float = MARGIN,
             indent: float = 0) -> float:
    """Draw ``text`` broken at any character to fit the margins; return the next line's y."""
    canvas.setFont(font, size)
    width = WIDTH - MARGIN - left
    line, first = "", True
    for char in text:
        room = width - (indent if first else 0)
        if pdfmetrics.stringWidth(line + char, font, size) > room:
            canvas.drawString(left + (indent if first else 0), y, line)
            y -= size * 1.6
            line, first = "", False
        line += char
    canvas.drawString(left + (indent if first else 0), y, line)
    return y - size * 1.6


def _table(canvas: Canvas, font: str, header: tuple[str, ...], rows: tuple[tuple[str, ...], ...],
           y: float) -> float:
    column = (WIDTH - 2 * MARGIN) / len(header)
    height = 8 * mm
    canvas.setLineWidth(0.6)
    canvas.setStrokeColor(GREY)
    for index, cells in enumerate((header, *rows)):
        top = y - index * height
        if index == 0:
            canvas.setFillColor(Color(0.92, 0.92, 0.92))
            canvas.rect(MARGIN, top - height, WIDTH - 2 * MARGIN, height, stroke=0, fill=1)
        canvas.setFillColor(black)
        canvas.setFont(font, 10)
        for n, cell in enumerate(cells):
            canvas.drawCentredString(MARGIN + column * (n + 0.5), top - height + 2.6 * mm, cell)
        canvas.line(MARGIN, top - height, WIDTH - MARGIN, top - height)
    bottom = y - (len(rows) + 1) * height
    canvas.line(MARGIN, y, WIDTH - MARGIN, y)
    for n in range(len(header) + 1):
        canvas.line(MARGIN + column * n, y, MARGIN + column * n, bottom)
    return bottom - 6 * mm


def _signature(canvas: Canvas, font: str, content: CertificateContent, y: float) -> None:
    """The issuing department and date on the right, under a round e-seal."""
    y = min(y - 12 * mm, 95 * mm)
    right = WIDTH - MARGIN - 10 * mm
    canvas.setFillColor(black)
    canvas.setFont(font, 12)
    canvas.drawRightString(right, y, content.kind.department)
    day = content.issued_on
    canvas.drawRightString(right, y - 7 * mm, f"{day.year}年{day.month}月{day.day}日")
    centre_x = right - pdfmetrics.stringWidth(content.kind.department, font, 12) / 2
    _seal(canvas, font, content.kind.department, centre_x, y + 2 * mm)


def _seal(canvas: Canvas, font: str, department: str, x: float, y: float) -> None:
    """A round e-seal: the department's name along the upper arc, a star in the middle."""
    radius = 19 * mm
    canvas.saveState()
    canvas.setStrokeColor(SEAL_RED)
    canvas.setFillColor(SEAL_RED)
    canvas.setLineWidth(1.8)
    canvas.circle(x, y, radius, stroke=1, fill=0)
    spread = math.radians(min(250, 22 * len(department)))
    arc_per_char = (radius - 5 * mm) * spread / len(department)
    size = min(10.5, arc_per_char * 0.92)
    canvas.setFont(font, size)
    for index, char in enumerate(department):
        angle = math.radians(90) + spread / 2 - spread * (index + 0.5) / len(department)
        canvas.saveState()
        canvas.translate(x + (radius - 5 * mm) * math.cos(angle), y + (radius - 5 * mm) * math.sin(angle))
        canvas.rotate(math.degrees(angle) - 90)
        canvas.drawCentredString(0, -size / 3, char)
        canvas.restoreState()
    star = canvas.beginPath()
    for point in range(10):
        reach = (6 * mm) if point % 2 == 0 else (2.4 * mm)
        angle = math.radians(90 + 36 * point)
        px, py = x + reach * math.cos(angle), y - 2 * mm + reach * math.sin(angle)
        if point == 0:
            star.moveTo(px, py)
        else:
            star.lineTo(px, py)
    star.close()
    canvas.drawPath(star, stroke=0, fill=1)
    canvas.restoreState()


def _verification(canvas: Canvas, font: str, content: CertificateContent) -> None:
    """The verification QR at the bottom left, with its caption and the code in words."""
    size = 32 * mm
    left, bottom = MARGIN, 26 * mm
    canvas.setFillColor(white)
    canvas.rect(left, bottom, size, size, stroke=0, fill=1)
    _qr(canvas, content.verify_url, left, bottom, size)
    canvas.setFillColor(black)
    canvas.setFont(font, 10)
    canvas.drawString(left + size + 4 * mm, bottom + size - 8 * mm, "扫码核验真伪")
    canvas.setFont(font, 8)
    canvas.setFillColor(GREY)
    canvas.drawString(left + size + 4 * mm, bottom + size - 14 * mm, f"核验码：{content.code}")
    canvas.drawString(left + size + 4 * mm, bottom + size - 19 * mm, content.verify_url)


def _qr(canvas: Canvas, text: str, left: float, bottom: float, size: float, border: int = 4) -> None:
    """``text`` as a QR code (level M) filling ``size`` with a ``border``-module quiet zone: one
    path of dark runs (reportlab's widget builds an object per run: 20 times slower)."""
    code = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
    code.addData(text)
    code.make()
    count = code.getModuleCount()
    box = size / (count + 2 * border)
    path = canvas.beginPath()
    for row in range(count):
        top = bottom + size - (row + border + 1) * box
        column = 0
        while column < count:
            if code.isDark(row, column):
                start = column
                while column < count and code.isDark(row, column):
                    column += 1
                path.rect(left + (start + border) * box, top, (column - start) * box, box)
            else:
                column += 1
    canvas.setFillColor(black)
    canvas.drawPath(path, stroke=0, fill=1)


def _foot(canvas: Canvas, font: str, content: CertificateContent) -> None:
    y = 16 * mm
    canvas.setStrokeColor(GREY)
    canvas.setLineWidth(0.5)
    canvas.line(MARGIN, y + 5 * mm, WIDTH - MARGIN, y + 5 * mm)
    canvas.setFillColor(black)
    size = min(10.0, (WIDTH - 2 * MARGIN) / pdfmetrics.stringWidth(content.ecopy_line, font, 1))
    canvas.setFont(font, size)
    canvas.drawCentredString(WIDTH / 2, y, content.ecopy_line)
