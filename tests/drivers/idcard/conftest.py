"""Fixtures for the ID-card reader tests: the wire simulator on a pty and on TCP.

Hardware tests are opt-in: ``pytest tests/drivers/idcard --hw-idcard=/dev/ttyUSB0`` (any
pyserial URL) runs them against a real reader; without the option they are skipped.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from drivers.idcard.sam_link import Timing
from drivers.idcard.sim_transport import PtyReaderSimulator, TcpReaderSimulator
from drivers.idcard.wire_simulator import ReaderModel

# Short waits so that fault tests finish quickly; still far above a pty's latency.
FAST = Timing(
    poll_interval=0.02,
    command_timeout=0.3,
    read_timeout=0.5,
    sam_check_interval=0.2,
    retries=2,
    max_failures=3,
    backoff_initial=0.05,
    backoff_max=0.2,
)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--hw-idcard",
        default=None,
        metavar="PORT",
        help="run the ID-card hardware tests against the reader at PORT (path or pyserial URL)",
    )


@pytest.fixture
def hw_port(request: pytest.FixtureRequest) -> str:
    port = request.config.getoption("--hw-idcard")
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
