"""The link every wire simulator is served on: a pty (behind a symlink) or a loopback TCP port."""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import serial

from drivers.errors import DeviceNotFound
from drivers.simlink import PacedReceiver, PtyLink, SimLink, TcpLink


class Echo:
    """A far end that answers every chunk with the same bytes, upper-cased."""

    def __init__(self) -> None:
        self.link: SimLink | None = None
        self.received = bytearray()
        self.connects = 0

    def on_receive(self, data: bytes) -> None:
        self.received += data
        assert self.link is not None
        self.link.send(data.upper())

    def on_connect(self) -> None:
        self.connects += 1


def open_fds() -> set[str]:
    return set(os.listdir("/proc/self/fd"))


def link_threads(name: str) -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == name]


def wait_for(check: Callable[[], object], timeout: float = 3.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(0.005)


def test_pty_echo_unplug_and_plug_in_behind_the_same_symlink(tmp_path: Path) -> None:
    fds = open_fds()
    echo = Echo()
    link = PtyLink(echo.on_receive, link=str(tmp_path / "ttySIM"), on_connect=echo.on_connect, name="test-pty")
    echo.link = link
    link.start()
    assert os.path.islink(link.port) and link.plugged
    with serial.serial_for_url(link.port, timeout=1.0) as port:
        port.write(b"hello\r\n\x00\x7f")
        assert port.read(9) == b"HELLO\r\n\x00\x7f"  # raw: no echo, no CR/LF translation

        link.unplug()
        assert not os.path.exists(link.port) and not link.plugged
        with pytest.raises(DeviceNotFound):
            link.send(b"nobody")
        with pytest.raises(serial.SerialException):
            port.write(b"x")
            port.read(1)

    link.plug_in()
    with serial.serial_for_url(link.port, timeout=1.0) as port:
        port.write(b"again")
        assert port.read(5) == b"AGAIN"
    assert echo.connects == 2
    link.stop()
    assert not os.path.exists(link.port)
    assert link_threads("test-pty") == []
    assert open_fds() == fds


def test_tcp_one_host_at_a_time_and_unplug_refuses_until_plug_in() -> None:
    fds = open_fds()
    echo = Echo()
    link = TcpLink(echo.on_receive, on_connect=echo.on_connect, name="test-tcp")
    echo.link = link
    link.start()
    assert link.url == f"socket://127.0.0.1:{link.port}"
    with socket.create_connection(("127.0.0.1", link.port), timeout=1.0) as host:
        host.sendall(b"ping")
        assert host.recv(4) == b"PING"
        link.unplug()
        assert host.recv(4) == b""  # dropped
    with socket.create_connection(("127.0.0.1", link.port), timeout=1.0) as host:
        assert host.recv(4) == b""  # refused while unplugged
    link.plug_in()
    with socket.create_connection(("127.0.0.1", link.port), timeout=1.0) as host:
        host.sendall(b"pong")
        assert host.recv(4) == b"PONG"
    wait_for(lambda: not link.try_send(b"?"))  # the host hung up; the link noticed
    assert echo.connects == 2
    link.stop()
    assert link_threads("test-tcp") == []
    assert open_fds() == fds


def test_send_from_another_thread_gives_up_when_unplugged(tmp_path: Path) -> None:
    link = PtyLink(lambda data: None, link=str(tmp_path / "ttySIM"), name="test-pty-flood").start()
    outcome: list[BaseException] = []

    def flood() -> None:  # nobody reads: the pty buffer fills and the sender waits
        try:
            link.send(b"x" * 1_000_000, timeout=10.0)
        except BaseException as err:  # noqa: BLE001 - recorded for the assertion
            outcome.append(err)

    sender = threading.Thread(target=flood)
    sender.start()
    time.sleep(0.2)
    started = time.monotonic()
    link.unplug()
    sender.join(2.0)
    assert not sender.is_alive() and time.monotonic() - started < 1.0
    assert len(outcome) == 1 and isinstance(outcome[0], DeviceNotFound)
    assert link_threads("test-pty-flood") == []


def test_paced_receiver_hands_over_every_byte_in_order_no_faster_than_the_wire() -> None:
    got: list[bytes] = []
    stopping = threading.Event()
    paced = PacedReceiver(got.append, 115200, stopping.wait)
    data = bytes(range(256)) * 3
    started = time.monotonic()
    paced(data[:500])
    paced(data[500:])
    assert b"".join(got) == data
    assert max(len(chunk) for chunk in got) <= PacedReceiver.CHUNK
    assert time.monotonic() - started >= len(data) * 10 / 115200  # a lower bound: sleeping never ends early
    stopping.set()
    got.clear()
    paced(data)  # the link is stopping: no more waiting, the rest is dropped
    assert len(b"".join(got)) < len(data)
