"""The technician commands ``kiosk device decode`` and ``kiosk device scan``."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import cv2
import numpy as np
import pytest

from drivers.device import DeviceState
from drivers.qr import factory
from kiosk.cli.device_qr import escape
from kiosk.cli.main import main
from kiosk.printing.qr_image import make_qr


def code_png(path: Path, *texts: str) -> Path:
    tiles = []
    for text in texts:
        matrix = np.array(list(make_qr(text).matrix_iter(scale=1, border=4)), dtype=np.uint8)
        tile = np.where(matrix > 0, 0, 255).astype(np.uint8)
        tile = cv2.resize(tile, (240, 240), interpolation=cv2.INTER_NEAREST)
        tiles.append(tile)
    image = np.hstack(tiles) if tiles else np.full((240, 240), 255, np.uint8)
    cv2.imwrite(str(path), image)
    return path


def test_escape() -> None:
    assert escape("a\\b\tc\rd\ne") == "a\\\\b\\tc\\rd\\ne"


def test_decode_prints_one_line_per_image(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    one = code_png(tmp_path / "one.png", "受理编号\t2026\n\\x")
    two = code_png(tmp_path / "two.png", "LEFT", "RIGHT")
    none = code_png(tmp_path / "none.png")
    assert main(["device", "decode", str(one), str(two), str(none)]) == 0
    lines = capsys.readouterr().out.split("\n")
    assert lines[0] == f"{one}\t受理编号\\t2026\\n\\\\x"
    name, *texts = lines[1].split("\t")
    assert name == str(two) and sorted(texts) == ["LEFT", "RIGHT"]
    assert lines[2] == f"{none}\t"
    assert lines[3:] == [""]


def test_decode_reports_unreadable_images(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.png"
    bad.write_bytes(b"not a png")
    assert main(["device", "decode", str(bad)]) == 1
    captured = capsys.readouterr()
    assert captured.out == f"{bad}\t\n" and "cannot read" in captured.err


def test_scan_once_triggers_and_prints_the_code(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    scanner = factory.make_qr_scanner("simwire://?suffix=crlf&mode=trigger&family=honeywell")
    monkeypatch.setattr(factory, "make_qr_scanner", lambda url, name="qr": scanner)

    def present() -> None:
        deadline = time.monotonic() + 5
        while scanner.status.state is not DeviceState.ONLINE and time.monotonic() < deadline:
            time.sleep(0.01)
        scanner.scan("扫码\t成功")  # type: ignore[attr-defined]

    thread = threading.Thread(target=present)
    thread.start()
    code = main(["device", "scan", "simwire://", "--once", "--timeout", "5", "--retrigger", "0.1"])
    thread.join()
    captured = capsys.readouterr()
    assert code == 0 and captured.out == "扫码\\t成功\n"
    assert "scanner: online" in captured.err


def test_scan_bad_url_and_timeout(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["device", "scan", "gopher://x"]) == 2
    assert main(["device", "scan", "sim://", "--once", "--timeout", "0.2"]) == 1
    assert capsys.readouterr().out == ""
