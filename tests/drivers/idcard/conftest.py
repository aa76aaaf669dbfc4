"""Fixtures for the ID-card reader tests: the wire simulator on a pty and on TCP.

Hardware tests are opt-in: ``pytest tests/drivers/idcard --hw-idcard=/dev/ttyUSB0`` (any
pyserial URL) runs them against a real reader (or set KIOSK_HW_IDCARD=PORT when running the
whole suite, where this folder's option is not registered yet); without either they skip.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from drivers.idcard.sim_transport import PtyReaderSimulator, TcpReaderSimulator
from drivers.idcard.wire_simulator import ReaderModel


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--hw-idcard",
        default=None,
        metavar="PORT",
        help="run the ID-card hardware tests against the reader at PORT (path or pyserial URL)",
    )


@pytest.fixture
def hw_port(request: pytest.FixtureRequest) -> str:
    port = request.config.getoption("--hw-idcard", default=None) or os.environ.get("KIOSK_HW_IDCARD")
    if not port:
        pytest.skip("needs --hw-idcard=PORT naming a real ID-card reader")
    return str(port)


@pytest.fixture
def model() -> ReaderModel:
    return ReaderModel()


@pytest.fixture
def pty_sim(model: ReaderModel, tmp_path) -> Iterator[PtyReaderSimulator]:  # type: ignore[no-untyped-def]
    sim = PtyReaderSimulator(model, link=str(tmp_path / "ttyIDCARD")).start()
    yield sim
    sim.stop()


@pytest.fixture
def tcp_sim(model: ReaderModel) -> Iterator[TcpReaderSimulator]:
    sim = TcpReaderSimulator(model).start()
    yield sim
    sim.stop()
