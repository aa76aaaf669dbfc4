"""Fixtures for the ID-card reader tests: the wire simulator on a pty and on TCP.

The hardware option (``--hw-idcard=PORT``) and its fixture are in the root ``tests/conftest.py``.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from drivers.idcard.sim_transport import PtyReaderSimulator, TcpReaderSimulator
from drivers.idcard.wire_simulator import ReaderModel


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
