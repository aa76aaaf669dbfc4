"""The IPP codec: what it encodes it reads back, and no answer, however broken, raises
anything but ``IppProtocolError`` (the driver turns that into an outcome)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from drivers.document_printer import ipp


def test_a_request_reads_back_with_its_attributes() -> None:
    data = ipp.encode_request(ipp.GET_PRINTER_ATTRIBUTES, [
        (ipp.URI, "printer-uri", "ipp://localhost/printers/A4"),
        (ipp.KEYWORD, "requested-attributes", ["printer-state", "printer-state-reasons"]),
        (ipp.INTEGER, "job-id", 42), (ipp.BOOLEAN, "printer-is-accepting-jobs", False),
    ], request_id=7)
    read = ipp.decode_response(data)
    assert read.status == ipp.GET_PRINTER_ATTRIBUTES  # the same place holds a reply's status
    assert read.first("attributes-charset") == "utf-8"
    assert read.values("requested-attributes") == ["printer-state", "printer-state-reasons"]
    assert read.first("job-id") == 42 and read.first("printer-is-accepting-jobs") is False


@given(st.binary(max_size=300))
def test_any_bytes_are_an_answer_or_a_protocol_error(data: bytes) -> None:
    try:
        ipp.decode_response(data)
    except ipp.IppProtocolError:
        pass


@given(st.integers(min_value=9, max_value=200))
def test_a_cut_short_answer_is_a_protocol_error(cut: int) -> None:
    data = ipp.encode_request(ipp.PRINT_JOB, [(ipp.NAME, "job-name", "x" * 100)])
    if cut < len(data):
        try:
            ipp.decode_response(data[:cut])
        except ipp.IppProtocolError:
            return
        raise AssertionError(f"{cut} of {len(data)} bytes read as a whole answer")
