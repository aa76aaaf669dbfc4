"""A kiosk set up for the face check (人证比对) in tests: a face camera playing a folder of drawn
frames (``tests.support.face_frames``), a card whose chip holds a photo, and a stand-in for the
vendor's WLT decoder (there is none on this machine) that turns it into a drawn face."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import cv2
import numpy as np

from drivers.idcard import samples
from drivers.idcard.photo import WLT_SIZE, register_wlt_decoder
from drivers.idcard.record import IdCardRecord
from kiosk.config.settings import KioskConfig
from tests.support import face_frames as ff

FACE_ITEM = "pension-qualification"  # 养老待遇领取资格认证: ``face_check = true`` in the shipped catalogue
PLAIN_ITEM = "residence-permit"  # asks for no face check


class DrawnPhotoDecoder:
    """Stands in for a vendor's ``WltDecoder``: any 1024 bytes of WLT become a drawn face (PNG)."""

    def __init__(self) -> None:
        self.decoded = 0

    def decode(self, wlt: bytes) -> bytes:
        if len(wlt) != WLT_SIZE:
            raise ValueError("not a card photo")
        self.decoded += 1
        ok, png = cv2.imencode(".png", cv2.resize(ff.frame(seed=7)[60:440, 170:470], (102, 126)))
        assert ok
        return png.tobytes()


@contextmanager
def photo_decoder() -> Iterator[DrawnPhotoDecoder]:
    """Register the stand-in decoder for the duration (the registry is process-wide)."""
    decoder = DrawnPhotoDecoder()
    register_wlt_decoder(decoder)
    try:
        yield decoder
    finally:
        register_wlt_decoder(None)


def card_with_photo(record: IdCardRecord = samples.RESIDENT) -> IdCardRecord:
    """The sample card as a real reader gives it: with its chip's WLT photo."""
    return dataclasses.replace(record, photo_wlt=bytes(range(256)) * (WLT_SIZE // 256))


def child_card() -> IdCardRecord:
    """A resident card of a 10-year-old (the number's birth date and check digit agree)."""
    from datetime import date

    from contract.id_numbers import with_check_character

    born = date(date.today().year - 10, 1, 1).strftime("%Y%m%d")
    return dataclasses.replace(card_with_photo(), name="张小丰", birth_date=born,
                               id_number=with_check_character(f"320111{born}001"))


def with_face_camera(config: KioskConfig, folder: Path | None, *, fps: int = 10, pace: bool = False) -> KioskConfig:
    """``config`` with ``[devices] face_camera`` playing ``folder`` (None: no face camera); ``pace``
    plays it in real time (``fps`` frames a second) instead of as fast as it decodes."""
    url = f"camera://{folder}/?fps={fps}&pace={int(pace)}" if folder is not None else "none:"
    return dataclasses.replace(config, devices=dataclasses.replace(config.devices, face_camera=url))


def frames_folder(frames: Sequence[np.ndarray], folder: Path) -> Path:
    return ff.write_folder(frames, folder)
