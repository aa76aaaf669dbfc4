"""Decoders, the decode pipeline on generated frames, and the camera scanner's life cycle."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

import cv2
import numpy as np
import pytest
import segno

from drivers.device import CodeScanned, DeviceEvent, DeviceState
from drivers.errors import UnsupportedBackend
from drivers.qr.camera import CameraQrScanner, FrameSource, open_source, read_image
from drivers.qr.decoders import Decoded, ZbarDecoder, ZxingDecoder, make_decoder
from drivers.qr.factory import make_qr_scanner
from drivers.qr.pipeline import DEEP_STAGES, DecodePipeline, _crop, to_gray
from drivers.qr.scanner import UndecodableCode
from kiosk.printing.qr_image import make_qr

SHORT_CHINESE = "营保回"  # zbar's own text mode turns these UTF-8 bytes into Shift-JIS mojibake


def code_image(qr: segno.QRCode, module: int = 4) -> np.ndarray:
    matrix = np.array(list(qr.matrix_iter(scale=1, border=4)), dtype=np.uint8)
    img = np.where(matrix > 0, 25, 230).astype(np.uint8)
    return cv2.resize(img, None, fx=module, fy=module, interpolation=cv2.INTER_NEAREST)


def frame_with(qr: segno.QRCode | None, size: tuple[int, int] = (640, 480), *, angle: float = 0,
               seed: int = 1, noise: float = 4.0) -> np.ndarray:
    """A gray frame: a textured background with the code rotated and pasted in the middle."""
    rng = np.random.default_rng(seed)
    w, h = size
    small = rng.integers(60, 190, size=(h // 40 + 2, w // 40 + 2)).astype(np.float32)
    frame = cv2.resize(small, (w, h), interpolation=cv2.INTER_CUBIC)
    if qr is not None:
        card = code_image(qr, module=max(2, int(0.5 * h / qr.symbol_size(scale=1)[0]))).astype(
            np.float32)
        side = card.shape[0]
        m = cv2.getRotationMatrix2D((side / 2, side / 2), angle, 1.0)
        m[:, 2] += (w / 2 - side / 2, h / 2 - side / 2)
        warped = cv2.warpAffine(card, m, (w, h), borderValue=-1)
        frame = np.where(warped >= 0, warped, frame)
    frame += rng.normal(0, noise, size=frame.shape).astype(np.float32)
    return np.clip(frame, 0, 255).astype(np.uint8)


def test_zbar_in_binary_mode_reads_utf8_chinese_without_eci() -> None:
    from pyzbar import pyzbar

    image = code_image(segno.make_qr(SHORT_CHINESE, mode="byte", encoding="utf-8"))
    stock = pyzbar.decode(image)[0].data.decode("utf-8")
    assert stock != SHORT_CHINESE  # the misreading our decoder exists for
    assert [d.text for d in ZbarDecoder().decode(image)] == [SHORT_CHINESE]
    assert [d.text for d in ZxingDecoder().decode(image)] == [SHORT_CHINESE]


@pytest.mark.parametrize("name", ["zbar", "zxing-cpp"])
def test_every_decoder_reads_our_codes_and_gb18030(name: str) -> None:
    decoder = make_decoder(name)
    ours = code_image(make_qr("受理回执 202611230010042"))
    assert [d.text for d in decoder.decode(ours)] == ["受理回执 202611230010042"]
    # zxing-cpp alone reads these GB 18030 bytes as Latin-1 and as Shift-JIS katakana
    for text in ("张三丰", "预约取号"):
        gbk = code_image(segno.make_qr(text, mode="byte", encoding="gb18030"))
        assert [d.raw for d in decoder.decode(gbk)] == [text.encode("gb18030")]
        assert [d.text for d in decoder.decode(gbk)] == [text]
    assert decoder.decode(np.full((200, 200), 255, np.uint8)) == []


def test_unknown_decoder_is_refused() -> None:
    with pytest.raises(ValueError):
        make_decoder("quagga")


@pytest.mark.parametrize("size", [(640, 480), (1280, 720)])
@pytest.mark.parametrize("angle", [0, 37, 180])
def test_pipeline_reads_generated_frames(size: tuple[int, int], angle: float) -> None:
    text = "电子证照 营业执照 " + SHORT_CHINESE
    frame = frame_with(segno.make_qr(text, mode="byte", encoding="utf-8"), size, angle=angle)
    pipeline = DecodePipeline()
    assert [d.text for d in pipeline.decode(frame)] == [text]
    bgr = cv2.cvtColor(frame, cv2.COLOR_GRAY2BGR)
    assert [d.text for d in pipeline.decode(bgr)] == [text]


def test_pipeline_falls_back_on_low_contrast_and_finds_nothing_on_empty_frames() -> None:
    frame = frame_with(make_qr("LOW-CONTRAST"), noise=1.0).astype(np.float32)
    faint = np.clip(120 + frame * 0.07, 0, 255).astype(np.uint8)
    pipeline = DecodePipeline(budget=1.0)
    reads = [[d.text for d in pipeline.decode(faint)] for _ in DEEP_STAGES]
    assert ["LOW-CONTRAST"] in reads  # the CLAHE pass has its turn within that many frames
    assert pipeline.last_stage == "zxing+clahe"
    assert pipeline.decode(frame_with(None)) == []


class CountingZbar(ZbarDecoder):
    """The real zbar decoder, counting its calls."""

    def __init__(self) -> None:
        super().__init__()
        self.calls = 0

    def decode(self, gray: np.ndarray) -> list[Decoded]:
        self.calls += 1
        return super().decode(gray)


@pytest.mark.parametrize(("size", "turn"), [((1280, 720), 3), ((640, 480), 2)])
def test_pipeline_takes_one_deep_stage_a_frame_in_turn(size: tuple[int, int], turn: int) -> None:
    zbar = CountingZbar()
    pipeline = DecodePipeline(budget=1.0, zbar=zbar)
    empty = frame_with(None, size)
    for _ in range(4 * turn):
        assert pipeline.decode(empty) == []
    assert zbar.calls == 4  # once every ``turn`` frames: on small frames the full-size
    # inverted pass is not in the turn, the every-frame pass has seen the whole frame
    still = DecodePipeline(budget=1.0, every_stage=True, zbar=(zbar := CountingZbar()))
    for _ in range(3):
        assert still.decode(empty) == []
    assert zbar.calls == 3  # a still image has no next frame: every stage on every call


def test_pipeline_reads_an_inverted_code_on_every_frame_from_the_scaled_pass() -> None:
    frame = cv2.bitwise_not(frame_with(segno.make_qr("DARK MODE"), (1280, 720), angle=20))
    pipeline = DecodePipeline(budget=1.0)
    for _ in range(2 * len(DEEP_STAGES)):
        assert [d.text for d in pipeline.decode(frame)] == ["DARK MODE"]
        assert pipeline.last_stage == "zxing-inverted"


def test_pipeline_reads_a_small_inverted_code_within_its_turn() -> None:
    frame = frame_with(None, (1280, 720))
    card = code_image(segno.make_qr("DARK-MODE-SMALL-0123456789"), module=1)
    frame[300:300 + card.shape[0], 600:600 + card.shape[1]] = card
    inverted = cv2.bitwise_not(frame)  # too small for the scaled pass, read at full size
    pipeline = DecodePipeline(budget=1.0)
    turn = len(DEEP_STAGES)
    reads = [[d.text for d in pipeline.decode(inverted)] for _ in range(3 * turn)]
    for start in range(len(reads) - turn + 1):  # any that many consecutive frames
        assert ["DARK-MODE-SMALL-0123456789"] in reads[start:start + turn]
    assert reads.count([]) == 3 * (turn - 1)  # the other frames take the other deep stages
    assert DecodePipeline(budget=1.0, every_stage=True).decode(inverted)[0].text.startswith("DARK")
    with pytest.raises(ValueError):
        to_gray(np.zeros((4, 4, 2), np.uint8))


class Recorder:
    def __init__(self) -> None:
        self.events: list[DeviceEvent] = []
        self.lock = threading.Lock()

    def __call__(self, event: DeviceEvent) -> None:
        with self.lock:
            self.events.append(event)

    def codes(self) -> list[str]:
        with self.lock:
            return [e.text for e in self.events if isinstance(e, CodeScanned)]

    def undecodable(self) -> list[bytes]:
        with self.lock:
            return [e.raw for e in self.events if isinstance(e, UndecodableCode)]


def wait_for(check: Callable[[], object], timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(0.005)


def test_image_folder_source_suppresses_repeats_and_ends_offline(tmp_path: Path) -> None:
    frames = [make_qr("A"), make_qr("A"), None, make_qr("B"), make_qr("A")]
    for i, qr in enumerate(frames):
        cv2.imwrite(str(tmp_path / f"{i:02d}.png"), frame_with(qr, seed=i))
    (tmp_path / "notes.txt").write_text("not an image")
    (tmp_path / "99.png").write_bytes(b"broken")
    scanner = make_qr_scanner(f"camera://{tmp_path}/?repeat_ms=60000")
    rec = Recorder()
    scanner.subscribe(rec)
    scanner.open()
    try:
        wait_for(lambda: scanner.status.state is DeviceState.OFFLINE and rec.codes())
        assert rec.codes() == ["A", "B"]
        assert scanner.status.detail == "end of input"
    finally:
        scanner.close()


def test_video_file_source(tmp_path: Path) -> None:
    path = tmp_path / "clip.avi"
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 10, (640, 480))
    for i in range(6):
        writer.write(cv2.cvtColor(frame_with(make_qr("视频中的码") if i > 2 else None, seed=i),
                                  cv2.COLOR_GRAY2BGR))
    writer.release()
    scanner = make_qr_scanner(f"camera://{path}")
    rec = Recorder()
    scanner.subscribe(rec)
    scanner.open()
    try:
        wait_for(lambda: scanner.status.state is DeviceState.OFFLINE and rec.codes())
        assert rec.codes() == ["视频中的码"]
    finally:
        scanner.close()


class FlakyCamera:
    """A live camera that gives ``frames`` then dies (None, or an exception)."""

    live = True

    def __init__(self, frames: list[np.ndarray], die_by_raising: bool) -> None:
        self.frames = list(frames)
        self.die_by_raising = die_by_raising
        self.released = False

    def read(self) -> np.ndarray | None:
        if self.frames:
            return self.frames.pop(0)
        if self.die_by_raising:
            raise cv2.error("VIDIOC_DQBUF: No such device")
        return None

    def release(self) -> None:
        self.released = True


@pytest.mark.parametrize("die_by_raising", [False, True])
def test_camera_that_disappears_mid_stream_comes_back(die_by_raising: bool) -> None:
    plan: list[FrameSource | None] = [
        FlakyCamera([frame_with(make_qr("FIRST"))], die_by_raising),
        None,  # unplugged: reopening fails for a while
        None,
        FlakyCamera([frame_with(make_qr("SECOND"))] * 3, die_by_raising),
    ]
    opened: list[FrameSource] = []

    def opener(source: int | Path) -> FrameSource | None:
        item = plan.pop(0) if plan else None
        if item is not None:
            opened.append(item)
        return item

    scanner = CameraQrScanner("cam", 0, opener=opener, reconnect_interval=0.02)
    rec = Recorder()
    scanner.subscribe(rec)
    scanner.open()
    try:
        wait_for(lambda: rec.codes() == ["FIRST", "SECOND"])
        wait_for(lambda: not plan and scanner.status.state is DeviceState.NO_DEVICE)
        assert scanner.status.detail in {"camera lost", "camera not found"}
        assert all(cam.released for cam in opened[:1])
    finally:
        scanner.close()
    assert scanner.status.state is DeviceState.OFFLINE


def test_missing_camera_and_bad_urls_are_status_or_loud_errors(tmp_path: Path) -> None:
    assert open_source(tmp_path / "missing.mp4") is None
    assert read_image(tmp_path / "missing.png") is None
    scanner = make_qr_scanner(f"camera://{tmp_path}/missing.mp4?reconnect_ms=20")
    scanner.open()
    try:
        wait_for(lambda: scanner.status.state is DeviceState.NO_DEVICE)
    finally:
        scanner.close()
    with pytest.raises(UnsupportedBackend):
        make_qr_scanner("camera://front-door")


def test_repeat_window() -> None:
    scanner = CameraQrScanner("cam", 0, repeat_window=2.0)
    assert scanner._should_report(b"X", 10.0)
    assert not scanner._should_report(b"X", 11.9)
    assert scanner._should_report(b"Y", 11.9)
    assert scanner._should_report(b"X", 12.0)
    for i in range(200):  # many distinct codes: the memory stays bounded
        scanner._should_report(f"code {i}".encode(), 20.0 + i)
    assert len(scanner._last_reported) <= 64


def test_crops_stay_inside_the_frame() -> None:
    gray = np.zeros((100, 200), np.uint8)
    corners = np.array([[-5, -5], [50, -5], [50, 40], [-5, 40]], np.float32)
    crop = _crop(gray, corners)
    assert crop is not None and crop.shape[0] <= 2 * 100 and crop.shape[1] <= 2 * 200
    assert _crop(gray, np.array([[199, 99]] * 4, np.float32)) is None  # nothing left to crop
    big = np.zeros((2000, 2000), np.uint8)
    whole = np.array([[0, 0], [1999, 0], [1999, 1999], [0, 1999]], np.float32)
    crop = _crop(big, whole)
    assert crop is not None and max(crop.shape) <= 900
