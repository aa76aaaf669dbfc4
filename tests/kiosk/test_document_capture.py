"""Document capture (高拍仪): generated pages through ``kiosk.capture`` and the technician's command.

The frames come from the bench's corpus renderer (``bench.document_corpus``): a Chinese page
warped onto a procedural background, 800×600, seeded, with the true corners known.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import cv2
import numpy as np
import pytest

from bench.document_corpus import Sample, make_background, render
from bench.document_page import render_page
from kiosk.capture import capture_document, encode_page
from kiosk.capture.geometry import jaccard, order_corners
from kiosk.capture.rectify import enhance
from kiosk.messages import MessageId, say

SIZE = (800, 600)


def frame(background: str, defect: str | None = None, seed: int = 0) -> Sample:
    return render(np.random.default_rng([7, seed]), SIZE, background, defect)


@pytest.mark.parametrize(("background", "seed"), [("wood", 0), ("dark_desk", 1), ("cloth", 2), ("light_desk", 0)])
def test_corners_are_found_within_a_few_pixels_and_the_page_is_accepted(background: str, seed: int) -> None:
    sample = frame(background, seed=seed)
    result = capture_document(sample.frame)
    assert result.corners is not None and result.page is not None
    assert result.corners.shape == (4, 2)
    assert np.abs(result.corners - sample.corners).max() < 3.0
    assert result.accepted and result.problems == ()
    assert jaccard(result.corners, sample.corners) > 0.98


def test_a_grey_frame_gives_the_same_corners() -> None:
    sample = frame("wood")
    gray = cv2.cvtColor(sample.frame, cv2.COLOR_BGR2GRAY)
    result = capture_document(gray)
    assert result.corners is not None
    assert np.abs(result.corners - sample.corners).max() < 3.0


def test_corners_are_ordered_top_left_clockwise() -> None:
    points = np.array([[90, 80], [10, 70], [100, 5], [0, 0]], dtype=np.float32)
    assert order_corners(points).tolist() == [[0, 0], [100, 5], [90, 80], [10, 70]]


def test_the_rectified_page_has_the_page_s_aspect_ratio() -> None:
    sample = frame("dark_desk", seed=1)
    result = capture_document(sample.frame)
    assert result.page is not None and result.page.ndim == 2
    h, w = result.page.shape
    assert 1.3 < max(h, w) / min(h, w) < 1.5  # A4 upright, B5 or A4 lying


def test_an_out_of_focus_page_is_refused_with_the_keep_still_hint() -> None:
    result = capture_document(frame("wood", "blur").frame)
    assert not result.accepted
    assert MessageId.CAPTURE_BLURRED in result.problems
    assert "保持不动" in say(MessageId.CAPTURE_BLURRED)


def test_a_glare_spot_on_the_page_is_refused_with_the_glare_hint() -> None:
    result = capture_document(frame("cloth", "glare").frame)
    assert not result.accepted
    assert result.problems == (MessageId.CAPTURE_GLARE,)
    assert "避开反光" in say(MessageId.CAPTURE_GLARE)


@pytest.mark.parametrize("background", ["wood", "dark_desk", "light_desk"])
def test_a_page_cut_by_the_frame_edge_is_refused(background: str) -> None:
    result = capture_document(frame(background, "cut").frame)
    assert not result.accepted
    assert MessageId.CAPTURE_NOT_WHOLE in result.problems


@pytest.mark.parametrize("background", ["wood", "dark_desk", "cloth"])
def test_a_frame_with_no_page_says_so(background: str) -> None:
    empty = np.clip(make_background(np.random.default_rng(3), background, *SIZE), 0, 255).astype(np.uint8)
    result = capture_document(empty)
    assert result.corners is None and result.page is None
    assert result.problems == (MessageId.CAPTURE_NO_PAGE,) and not result.accepted


def test_a_blank_frame_has_no_page() -> None:
    assert capture_document(np.full((600, 800), 128, np.uint8)).problems == (MessageId.CAPTURE_NO_PAGE,)


def test_an_a4_page_at_150_dpi_encodes_under_300_kb_as_grey_jpeg() -> None:
    page, _ = render_page(np.random.default_rng(5), 1240)
    data = encode_page(enhance(page))
    assert len(data) <= 300_000 and data[:2] == b"\xff\xd8"
    decoded = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_UNCHANGED)
    assert decoded.ndim == 2 and max(decoded.shape) <= 1754


def capture_cli(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kiosk", "device", "capture-document", *map(str, args)],
                          capture_output=True, text=True, timeout=120)


def test_the_command_prints_corners_and_the_verdict_as_json_and_writes_the_page(tmp_path: Path) -> None:
    sample = frame("wood")
    image, out = tmp_path / "photo.png", tmp_path / "page.jpg"
    cv2.imwrite(str(image), sample.frame)
    done = capture_cli(image, "--json", "--out", out)
    assert done.returncode == 0, done.stderr
    held = json.loads(done.stdout)
    assert set(held) == {"corners", "accepted", "problems", "ms"}
    assert held["accepted"] is True and held["problems"] == [] and isinstance(held["ms"], float)
    assert np.abs(np.array(held["corners"]) - sample.corners).max() < 3.0
    assert cv2.imread(str(out), cv2.IMREAD_UNCHANGED).ndim == 2


def test_the_command_exits_non_zero_naming_the_problem_of_a_refused_page(tmp_path: Path) -> None:
    image = tmp_path / "blurred.png"
    cv2.imwrite(str(image), frame("dark_desk", "blur").frame)
    done = capture_cli(image, "--json")
    assert done.returncode == 1
    assert json.loads(done.stdout)["problems"] == ["capture.blurred"]


def test_the_command_says_when_there_is_no_page(tmp_path: Path) -> None:
    image = tmp_path / "desk.png"
    cv2.imwrite(str(image), np.clip(make_background(np.random.default_rng(3), "wood", *SIZE), 0, 255).astype(np.uint8))
    done = capture_cli(image, "--json")
    assert done.returncode == 3
    held = json.loads(done.stdout)
    assert held["corners"] is None and held["accepted"] is False and held["problems"] == ["capture.no_page"]
    assert "no page found" in done.stderr


@pytest.mark.parametrize("content", [b"", b"not a picture at all\x00\x01", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40])
def test_the_command_refuses_an_unreadable_file(tmp_path: Path, content: bytes) -> None:
    image = tmp_path / "broken.png"
    image.write_bytes(content)
    done = capture_cli(image)
    assert done.returncode == 2 and done.stdout == ""
    assert "cannot read image" in done.stderr and str(image) in done.stderr


def test_the_command_refuses_a_missing_file(tmp_path: Path) -> None:
    done = capture_cli(tmp_path / "nowhere.jpg", "--json")
    assert done.returncode == 2 and "cannot read image" in done.stderr
