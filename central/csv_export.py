"""CSV files for spreadsheet users: UTF-8 with a byte order mark (so Excel reads Chinese right),
CRLF line ends, and no cell that a spreadsheet would run as a formula.

Site and item ids come from kiosks; a cell that starts with ``=``, ``+``, ``-``, ``@``, a tab
or a carriage return is written with a leading apostrophe, the usual defence against formula
injection. Numbers are written as they are.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

BOM = "\ufeff"
MEDIA_TYPE = "text/csv; charset=utf-8"
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> object:
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    """The table as a CSV file's bytes."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([_cell(h) for h in header])
    for row in rows:
        writer.writerow([_cell(v) for v in row])
    return (BOM + out.getvalue()).encode("utf-8")


def attachment(filename: str) -> dict[str, str]:
    """The headers that make a browser save the file as ``filename`` (ASCII names only)."""
    return {"Content-Disposition": f'attachment; filename="{filename}"'}
