"""CSV files open in Excel with their Chinese intact, and run no formula."""

from __future__ import annotations

import csv
import io

from central.csv_export import csv_bytes


def test_utf8_with_bom_crlf_and_no_formulas() -> None:
    data = csv_bytes(["日期", "站点", "件数"], [["2026-12-01", "社区一", 3], ["2026-12-02", "=HYPERLINK(1)", -1]])
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    assert "\r\n" in text
    rows = list(csv.reader(io.StringIO(text)))
    assert rows == [["日期", "站点", "件数"], ["2026-12-01", "社区一", "3"],
                    ["2026-12-02", "'=HYPERLINK(1)", "-1"]]
