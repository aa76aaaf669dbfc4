"""``kiosk device print-test`` and ``printer-status``: words for technicians, exit codes."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.cli.main import main


def test_print_test_on_the_wire_simulator(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["device", "print-test", "simwire://?profile=58mm", "--out", str(tmp_path)]) == 0
    assert "test page printed" in capsys.readouterr().out
    assert len(list(tmp_path.glob("*-test-page.png"))) == 1


def test_printer_status_healthy(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["device", "printer-status", "simwire://?profile=80mm"]) == 0
    out = capsys.readouterr().out
    assert "ready" in out and "paper:    正常 ok" in out


def test_printer_status_out_of_paper(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["device", "printer-status", "simwire://?paper=0"]) == 1
    captured = capsys.readouterr()
    assert "缺纸 out" in captured.out and "cannot print" in captured.err


def test_absent_printer(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["device", "print-test", "serial:///dev/ttyNOPE0", "--out", str(tmp_path)]) == 1
    captured = capsys.readouterr()
    assert "not connected" in captured.out and "test page not printed" in captured.err
    assert main(["device", "printer-status", "serial:///dev/ttyNOPE0"]) == 1


def test_bad_url(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["device", "printer-status", "bogus://x"]) == 2
    assert "scheme must be one of" in capsys.readouterr().err
