"""``kiosk device read-card``: output, masking, JSON keys, exit codes."""

from __future__ import annotations

import json

import pytest

from drivers.idcard import samples
from drivers.idcard.sim_transport import TcpReaderSimulator
from drivers.idcard.wire_simulator import Fault, FaultKind, ReaderModel
from kiosk.cli.main import main

KEYS = {
    "card_type",
    "name",
    "gender",
    "nation",
    "birth_date",
    "address",
    "id_number",
    "issuer",
    "valid_from",
    "valid_to",
}


def test_prints_a_masked_record(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["device", "read-card", "simwire://?card=resident&pace=0"]) == 0
    out = capsys.readouterr().out
    assert "320111********0010" in out and "张*丰" in out
    assert samples.RESIDENT.id_number not in out and samples.RESIDENT.name not in out
    assert samples.RESIDENT.address not in out


@pytest.mark.parametrize(
    ("card", "extra"),
    [
        ("resident", set()),
        ("hmt", {"pass_number", "issue_count"}),
        ("foreign2017", {"english_name", "nationality", "card_version"}),
        ("foreign2023", {"english_name", "nationality", "issue_count", "previous_number"}),
    ],
)
def test_json_keys_per_card_type(card: str, extra: set[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["device", "read-card", f"simwire://?card={card}&pace=0", "--json", "--reveal"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert KEYS | extra <= set(data)
    sample = {
        "resident": samples.RESIDENT,
        "hmt": samples.HMT_RESIDENCE_PERMIT,
        "foreign2017": samples.FOREIGN_PERMANENT_2017,
        "foreign2023": samples.FOREIGN_PERMANENT_2023,
    }[card]
    assert data["id_number"] == sample.id_number and data["name"] == sample.name


def test_json_is_masked_without_reveal(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["device", "read-card", "simwire://?card=hmt&pace=0", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["id_number"] == "810000********0027"
    assert data["pass_number"] != samples.HMT_RESIDENCE_PERMIT.pass_number


def test_over_a_pyserial_socket_url(capsys: pytest.CaptureFixture[str]) -> None:
    sim = TcpReaderSimulator(ReaderModel(samples.FOREIGN_PERMANENT_2023)).start()
    try:
        assert main(["device", "read-card", sim.url, "--json"]) == 0
    finally:
        sim.stop()
    assert json.loads(capsys.readouterr().out)["card_type"] == "foreign_permanent_2023"


def test_no_card(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["device", "read-card", "simwire://?pace=0", "--wait", "0.2"]) == 3
    assert "no card" in capsys.readouterr().err


def test_no_reader(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["device", "read-card", "/dev/no-such-idcard-reader"]) == 4
    assert "no reader" in capsys.readouterr().err


def test_protocol_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["device", "read-card", "loop://", "--wait", "0.2"]) == 5  # loop:// echoes
    assert "protocol" in capsys.readouterr().err


def test_sam_fault(capsys: pytest.CaptureFixture[str]) -> None:
    model = ReaderModel(samples.RESIDENT)
    model.inject(Fault(FaultKind.SAM_FAILURE, times=0, sw3=0x66))
    sim = TcpReaderSimulator(model).start()
    try:
        assert main(["device", "read-card", sim.url]) == 6
    finally:
        sim.stop()
    assert "0x66" in capsys.readouterr().err


def test_unusable_url(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["device", "read-card", "sim://"]) == 2
    assert capsys.readouterr().err
