"""A kiosk with a document camera (高拍仪) playing drawn frames: the bench's generated pages
(``bench.document_corpus``) written to a folder, read by ``camera:///folder/``."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import cv2
import numpy as np

from bench.document_corpus import render
from kiosk.config.settings import KioskConfig

DOCUMENT_ITEM = "residence-permit"  # 居住证申领: two materials the camera can take
DOCUMENT_MATERIALS = ("居住地住址证明", "就业或就读证明")
FRAME_SIZE = (800, 600)


def with_document_camera(config: KioskConfig, folder: Path | None, *, fps: int = 10,
                         pace: bool = False) -> KioskConfig:
    """``config`` with ``[devices] document_camera`` playing ``folder`` (None: no document camera);
    ``pace`` plays it in real time (``fps`` frames a second) instead of as fast as it decodes."""
    url = f"camera://{folder}/?fps={fps}&pace={int(pace)}" if folder is not None else "none:"
    return dataclasses.replace(config, devices=dataclasses.replace(config.devices, document_camera=url))


def page_frames(folder: Path, defects: list[str | None], seed: int = 3) -> Path:
    """Write one frame a defect (None: a good page, the same page each time) to ``folder``, in order."""
    folder.mkdir(parents=True, exist_ok=True)
    for index, defect in enumerate(defects):
        sample = render(np.random.default_rng([seed, 0 if defect is None else index]), FRAME_SIZE, "wood", defect)
        cv2.imwrite(str(folder / f"{index:04d}.png"), sample.frame)
    return folder
