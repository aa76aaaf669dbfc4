"""Printer profiles: what differs between ESC/POS receipt printers, as named data.

A profile says how wide the paper is in dots, which multibyte encoding the firmware's
Chinese (Kanji) mode reads, whether the printer draws QR codes itself (``GS ( k``) or needs
them as a raster image, which cut its cutter can make, and whether it can push Automatic
Status Back frames. Pick one by name in the device URL (``?profile=58mm``) and override
single fields there (``&encoding=gbk&qr=image&cutter=partial&asb=0``).
"""

from __future__ import annotations

import codecs
import dataclasses
import enum
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from drivers.errors import UnsupportedBackend


class Cutter(enum.StrEnum):
    FULL = "full"  # full and partial cuts
    PARTIAL = "partial"  # partial cut only (common on 58 mm units)
    NONE = "none"  # tear bar only


@dataclass(frozen=True)
class Profile:
    """One printer model's ESC/POS dialect."""

    name: str
    width_dots: int  # printable width; 8 dots per mm at 203 dpi
    encoding: str = "gb18030"  # codec for Chinese mode: gb18030, gbk or big5
    native_qr: bool = True  # understands GS ( k
    cutter: Cutter = Cutter.FULL
    asb: bool = True  # can push Automatic Status Back frames (GS a)
    cut_feed: int = 3  # dots/lines fed before the cut so the last line clears the blade
    font_a_width: int = 12  # font A is 12×24 dots; a Chinese character is 24×24

    def __post_init__(self) -> None:
        try:
            codecs.lookup(self.encoding)
        except LookupError:
            raise UnsupportedBackend(f"printer profile {self.name}: unknown encoding {self.encoding!r}") from None

    @property
    def cells(self) -> int:
        """Half-width character cells on one line at size 1."""
        return self.width_dots // self.font_a_width

    @property
    def features(self) -> frozenset[str]:
        """Feature names for ``Capabilities``."""
        found = {"qr", "image", f"encoding:{self.encoding}"}
        if self.native_qr:
            found.add("native-qr")
        if self.cutter is not Cutter.NONE:
            found.add("cutter")
        if self.cutter is Cutter.FULL:
            found.add("full-cut")
        if self.asb:
            found.add("asb")
        return frozenset(found)


PROFILES: dict[str, Profile] = {
    p.name: p
    for p in (
        Profile("80mm", width_dots=576),
        Profile("58mm", width_dots=384, cutter=Cutter.PARTIAL),
        Profile("80mm-gbk", width_dots=576, encoding="gbk"),
        Profile("80mm-big5", width_dots=576, encoding="big5"),
        Profile(
            "58mm-basic",
            width_dots=384,
            encoding="gbk",
            native_qr=False,
            cutter=Cutter.NONE,
            asb=False,
        ),
    )
}

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def profile_from_options(options: Mapping[str, str], default: str = "80mm") -> Profile:
    """Pick ``options['profile']`` and apply the per-field overrides found in ``options``."""
    name = options.get("profile", default)
    if name not in PROFILES:
        raise UnsupportedBackend(f"printer profile {name!r} unknown; known: {', '.join(PROFILES)}")
    profile = PROFILES[name]
    changes: dict[str, Any] = {}
    if "encoding" in options:
        changes["encoding"] = options["encoding"].lower()
    if "qr" in options:
        if options["qr"] not in ("native", "image"):
            raise UnsupportedBackend("printer option qr must be native or image")
        changes["native_qr"] = options["qr"] == "native"
    if "cutter" in options:
        try:
            changes["cutter"] = Cutter(options["cutter"])
        except ValueError:
            raise UnsupportedBackend("printer option cutter must be full, partial or none") from None
    if "asb" in options:
        value = options["asb"].lower()
        if value not in _TRUE | _FALSE:
            raise UnsupportedBackend("printer option asb must be 1 or 0")
        changes["asb"] = value in _TRUE
    if "width" in options:
        try:
            changes["width_dots"] = int(options["width"])
        except ValueError:
            raise UnsupportedBackend("printer option width must be a number of dots") from None
    return dataclasses.replace(profile, **changes) if changes else profile
