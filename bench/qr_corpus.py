"""A seeded corpus of camera frames holding one QR code each, for ``bench.qr``.

Payloads are our kinds: receipt lookup URLs, signed codes (``ZWQR2.``, ASCII), and
Chinese text from other issuers: UTF-8 with ECI, UTF-8 without ECI (which zbar misreads as
Shift-JIS), and GB 18030 without ECI (which zxing-cpp reads as Latin-1); Kanji-mode codes
and ECI-tagged Shift_JIS, GB 18030 and Latin-1 codes (which a GB 18030 guess garbles).
Each code is drawn on a phone-like white card, warped into a 640×480 or 1280×720 gray frame
over a textured background, then degraded by one condition: scale (small, tiny, huge),
rotation, perspective, blur, noise, low contrast, glare, inverted (light modules on a dark
card, as dark-mode phones show) or multi (three codes in one frame; ``Sample.texts``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import cv2
import numpy as np
import segno
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from contract import qr_codes
from kiosk.printing.qr_image import make_qr
from kiosk.session.scanned_codes import new_lookup_token, receipt_lookup_text

CONDITIONS = (
    "plain", "small", "tiny", "huge", "rotation", "perspective", "blur", "noise", "low_contrast",
    "glare", "inverted", "multi",
)
MULTI = 3
SIZES = ((640, 480), (1280, 720))
_SURNAMES = "张王李赵刘陈杨黄周吴徐孙马朱胡郭何高林罗"
_WORDS = [
    "南京市玄武区政务服务中心", "营业执照", "不动产登记", "社保卡申领", "居住证签注", "公积金提取",
    "电子证照", "预约取号", "鼓楼区湖南路街道", "退休一件事", "开办便利店", "无锡市梁溪区",
]


@dataclass(frozen=True)
class Sample:
    frame: np.ndarray
    texts: tuple[str, ...]
    kind: str
    condition: str
    size: tuple[int, int]


def payloads(rng: np.random.Generator, count: int) -> list[tuple[str, str, segno.QRCode]]:
    """Return ``count`` (kind, text, code) triples of our payload kinds, Chinese included."""
    key = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
    now = datetime(2026, 11, 23, 9, tzinfo=UTC)
    out: list[tuple[str, str, segno.QRCode]] = []
    for n in range(count):
        choice = n % 9
        name = str(rng.choice(list(_SURNAMES))) + "*" + str(rng.choice(list(_SURNAMES)))
        place = str(rng.choice(_WORDS))
        if choice == 0:
            case = f"202611{int(rng.integers(1, 29)):02d}{int(rng.integers(1, 999)):03d}"
            case += f"{int(rng.integers(1, 9999)):04d}"
            text = receipt_lookup_text(case, new_lookup_token(), "https://zwfw.example.gov.cn/lookup")
            out.append(("receipt", text, make_qr(text)))
        elif choice == 1:
            text = qr_codes.issue_code(
                key, kind=str(rng.choice(["login", "appointment", "certificate"])),
                code_id=f"C{int(rng.integers(10**8))}", issued_at=now,
                expires_at=now + timedelta(minutes=10), data={"name": name, "place": place},
                audience=qr_codes.KIOSK_AUDIENCE,
            )
            out.append(("centre", text, make_qr(text)))
        elif choice >= 5:  # Japanese and European issuers, and declared Chinese encodings
            kind, text, qr = {
                5: ("kanji_mode", "日本語の漢字表記", lambda t: segno.make_qr(t, mode="kanji")),
                6: ("eci_shift_jis", "予約番号テキスト", lambda t: segno.make_qr(
                    t, mode="byte", encoding="shift_jis", eci=True)),
                7: ("eci_gb18030", name.replace("*", "") + place, lambda t: segno.make_qr(
                    t, mode="byte", encoding="gb18030", eci=True)),
                8: ("eci_latin1", "Café Müller Straße", lambda t: segno.make_qr(
                    t, mode="byte", encoding="latin-1", eci=True)),
            }[choice]
            out.append((kind, text, qr(text)))
        else:  # other issuers: short Chinese texts are the ones zbar guesses wrong
            words = [str(w) for w in rng.choice(_WORDS, size=int(rng.integers(1, 3)))]
            text = "".join(words)
            if rng.random() < 0.5:
                text = name.replace("*", "") + " " + text
            kind, encoding, eci = {
                2: ("chinese_eci", "utf-8", True),
                3: ("chinese_no_eci", "utf-8", False),
                4: ("gb18030_no_eci", "gb18030", False),
            }[choice]
            qr = segno.make_qr(text, mode="byte", encoding=encoding, eci=eci, error="m")
            out.append((kind, text, qr))
    return out


def _background(rng: np.random.Generator, width: int, height: int) -> np.ndarray:
    small = rng.integers(40, 200, size=(height // 40 + 2, width // 40 + 2)).astype(np.float32)
    base = cv2.resize(small, (width, height), interpolation=cv2.INTER_CUBIC)
    base += rng.normal(0, 6, size=(height, width)).astype(np.float32)
    return base


def _card(qr: segno.QRCode, module_px: int, inverted: bool = False) -> np.ndarray:
    matrix = np.array(list(qr.matrix_iter(scale=1, border=4)), dtype=np.uint8)
    dark, light = (235, 20) if inverted else (20, 235)
    img = np.where(matrix > 0, dark, light).astype(np.uint8)
    return cv2.resize(img, None, fx=module_px, fy=module_px, interpolation=cv2.INTER_NEAREST)


def render(
    rng: np.random.Generator, qr: segno.QRCode | None, size: tuple[int, int], condition: str,
    others: tuple[segno.QRCode, ...] = (),
) -> np.ndarray:
    """Return one gray frame of ``size`` showing ``qr`` (and ``others``, side by side; or no
    code) under ``condition``."""
    width, height = size
    frame = _background(rng, width, height)
    if qr is None:
        frame += rng.normal(0, 2.0, size=frame.shape).astype(np.float32)
        return np.clip(frame, 0, 255).astype(np.uint8)
    codes = (qr, *others)
    for k, code in enumerate(codes):
        frame, dst, center, half = _place(rng, frame, code, size, condition, k, len(codes))
    return _degrade(rng, frame, size, condition, dst, center, half)


def _place(  # type: ignore[no-untyped-def]
    rng: np.random.Generator, frame: np.ndarray, qr: segno.QRCode, size: tuple[int, int],
    condition: str, slot: int, slots: int,
):
    width, height = size
    modules = qr.symbol_size(scale=1, border=4)[0]
    shares = {"small": (0.11, 0.2), "tiny": (0.07, 0.1), "huge": (0.85, 0.95)}
    low, high = shares.get(condition, (0.3, 0.7))
    if slots > 1:
        low, high = 0.75 / slots, 0.95 / slots
    share = float(rng.uniform(low, high))
    target = share * (height if slots == 1 else width)
    target = min(target, 0.95 * height)
    module_px = max(2, int(np.ceil(target / modules)))
    card = _card(qr, module_px, inverted=condition == "inverted").astype(np.float32)
    side = card.shape[0]
    scale = target / side
    src = np.float32([[0, 0], [side, 0], [side, side], [0, side]])
    angle = 0.0
    if condition == "rotation":
        angle = float(rng.uniform(-180, 180))
    else:
        angle = float(rng.uniform(-8, 8))
    if slots > 1:
        center = np.float32([(slot + 0.5) / slots * width, rng.uniform(0.45, 0.55) * height])
    elif condition == "huge":
        center = np.float32([width / 2, height / 2])
    else:
        center = np.float32([rng.uniform(0.35, 0.65) * width, rng.uniform(0.4, 0.6) * height])
    half = side * scale / 2
    theta = np.deg2rad(angle)
    rot = np.float32([[np.cos(theta), -np.sin(theta)], [np.sin(theta), np.cos(theta)]])
    corners = np.float32([[-half, -half], [half, -half], [half, half], [-half, half]])
    if condition == "perspective":
        corners += rng.uniform(-0.4, 0.4, size=(4, 2)).astype(np.float32) * half
    dst = (corners @ rot.T + center).astype(np.float32)
    matrix = cv2.getPerspectiveTransform(src, dst)
    warped = cv2.warpPerspective(card, matrix, (width, height), flags=cv2.INTER_LINEAR)
    mask = cv2.warpPerspective(np.ones_like(card), matrix, (width, height), flags=cv2.INTER_LINEAR)
    frame = frame * (1 - mask) + warped * mask
    return frame, dst, center, half


def _degrade(  # type: ignore[no-untyped-def]
    rng: np.random.Generator, frame: np.ndarray, size: tuple[int, int], condition: str,
    dst, center, half,
) -> np.ndarray:
    width, height = size
    if condition == "blur":
        frame = cv2.GaussianBlur(frame, (0, 0), float(rng.uniform(1.8, 3.2)))
    else:
        frame = cv2.GaussianBlur(frame, (0, 0), 0.6)
    if condition == "noise":
        frame += rng.normal(0, float(rng.uniform(25, 45)), size=frame.shape).astype(np.float32)
    if condition == "low_contrast":
        low = float(rng.uniform(60, 160))
        frame = low + frame * float(rng.uniform(0.05, 0.1))
    if condition == "glare":
        yy, xx = np.mgrid[0:height, 0:width].astype(np.float32)
        gx, gy = dst[int(rng.integers(4))] * 0.5 + center * 0.5
        radius = half * float(rng.uniform(0.5, 0.9))
        blob = np.exp(-((xx - gx) ** 2 + (yy - gy) ** 2) / (2 * radius**2))
        frame = frame + blob * float(rng.uniform(150, 260))
    frame += rng.normal(0, 2.0, size=frame.shape).astype(np.float32)  # sensor noise
    return np.clip(frame, 0, 255).astype(np.uint8)


def build(seed: int = 20261123, per_condition: int = 12) -> list[Sample]:
    """Return the corpus: for each size and condition, ``per_condition`` frames."""
    rng = np.random.default_rng(seed)
    codes = payloads(rng, per_condition * len(CONDITIONS))
    samples: list[Sample] = []
    for size in SIZES:
        for c, condition in enumerate(CONDITIONS):
            for i in range(per_condition):
                n = c * per_condition + i
                picked = [codes[(n + k * 7) % len(codes)] for k in range(
                    MULTI if condition == "multi" else 1)]
                kind, _, qr = picked[0]
                frame = render(rng, qr, size, condition, tuple(p[2] for p in picked[1:]))
                texts = tuple(dict.fromkeys(p[1] for p in picked))
                samples.append(Sample(frame, texts, kind, condition, size))
    return samples
