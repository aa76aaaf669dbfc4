"""Talk to an ID-card reader over a pyserial port: open it, exchange frames, read a card.

URL formats (hardware.md §1.1, conventions.md §3): a device path (``/dev/ttyUSB0``,
``COM3``), ``serial:///dev/ttyUSB0?baudrate=115200``, or any pyserial URL
(``socket://host:port``, ``loop://``, ``hwgrep://1eab:0d10``,
``spy:///dev/ttyUSB0?file=reader.log``, ``rfc2217://host:port``, ``alt://``), turned into
``serial_for_url``'s arguments by ``drivers.serial_url`` with our options (``poll``,
``timeout``) dropped. The line is 115200 8N1 unless the URL says otherwise.

Every wait is bounded: a read slice of 50 ms under a per-command deadline, a write timeout,
and a deadline for the whole find → select → read sequence. pyserial and OS errors become
``DeviceNotFound`` (the port is gone) or ``DeviceTimeout``; nothing else escapes but
``DriverError`` subclasses.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from dataclasses import dataclass

import serial

from drivers.errors import (
    CardDataInvalid,
    CardReadFailed,
    DeviceNotFound,
    DeviceTimeout,
    NoCard,
    ProtocolError,
    UnsupportedBackend,
)
from drivers.idcard import protocol as p
from drivers.idcard.record import IdCardRecord
from drivers.idcard.text_block import decode_text_block
from drivers.serial_url import serial_target
from drivers.url import DeviceUrl

log = logging.getLogger(__name__)

DRIVER_OPTIONS = ("poll", "timeout")  # ours, not pyserial's: dropped before opening
READ_SLICE = 0.05  # seconds one port.read may block; the deadline is checked between slices


@dataclass(frozen=True)
class Timing:
    """How often the driver polls and how long it waits, in seconds."""

    # Between find-card commands. A find and its "no card" reply are 21 bytes, 1.8 ms of a
    # 115200-baud line: polling every 0.05 s uses 4 % of the line, and the wait for the next
    # poll (half the interval on average) is 25 ms of the 250 ms from card to greeting that
    # the resident waits (bench resident; the read itself is 118 ms on the wire).
    poll_interval: float = 0.05
    command_timeout: float = 1.0  # reply to a short command (find, select, SAM status)
    read_timeout: float = 3.0  # reply to read-base-info (1295 bytes: 0.11 s at 115200)
    sam_check_interval: float = 3.0  # SAM status while no card is on the reader
    retries: int = 2  # further attempts of a read after a protocol error or timeout
    # Before each further attempt: a card caught while still sliding onto the reader (fast
    # polling finds it sooner) gets this long, per attempt, to settle before a failure is shown.
    retry_pause: float = 0.1
    max_failures: int = 3  # consecutive failed polls before the port is reopened
    backoff_initial: float = 0.25  # first wait before reopening a lost port
    backoff_max: float = 5.0


def _float_option(url: DeviceUrl, key: str, default: float) -> float:
    value = url.options.get(key)
    if value is None:
        return default
    try:
        return float(value)
    except ValueError:
        raise UnsupportedBackend(f"{url.raw}: option {key} must be a number, not {value!r}") from None


def timing_from_url(url: DeviceUrl) -> Timing:
    """Return the driver timing with ``poll`` (and ``timeout``) taken from the URL."""
    base = Timing()
    return Timing(
        poll_interval=_float_option(url, "poll", base.poll_interval),
        command_timeout=_float_option(url, "timeout", base.command_timeout),
    )


def open_port(url: str) -> serial.SerialBase:
    """Open the port ``url`` names, 8N1, with bounded reads and writes."""
    target = serial_target(url, DRIVER_OPTIONS, default_baudrate=115200)
    try:
        port = serial.serial_for_url(target.url, timeout=READ_SLICE, write_timeout=1.0, **target.settings())
    except (serial.SerialException, OSError, ValueError) as err:
        raise DeviceNotFound(f"cannot open ID-card reader at {target.url}: {err}") from err
    return port


class SamLink:
    """Command/response exchange with one reader over an open port; one caller at a time."""

    def __init__(self, port: serial.SerialBase, stop: threading.Event | None = None) -> None:
        self._port = port
        self._stop = stop  # when set, a wait under way ends within one read slice
        self._decoder = p.FrameDecoder(min_len=p.MIN_RESPONSE_LEN)
        self.stale = 0  # replies discarded as answers to an earlier, timed-out command

    def pause(self, seconds: float) -> None:
        """Wait ``seconds``, or less if the driver is closing."""
        if self._stop is not None:
            self._stop.wait(seconds)
        else:
            time.sleep(seconds)

    def close(self) -> None:
        # pyserial's socket:// close skips socket.close() when shutdown fails (peer gone),
        # leaking the socket; close it first ourselves.
        sock = getattr(self._port, "_socket", None)
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.close()
        with contextlib.suppress(Exception):
            self._port.close()

    def transact(self, command: p.Command, timeout: float) -> p.Response:
        """Send ``command`` and return the reader's response frame, whatever its SW3."""
        try:
            # Bytes left from an earlier broken or late frame would pass for this reply.
            if self._decoder.buffered or self._port.in_waiting:
                self._port.reset_input_buffer()
                self._decoder.clear()
            self._port.write(command.frame)
            deadline = time.monotonic() + timeout
            while True:
                payload = self._decoder.next_payload()
                if payload is not None:
                    response = p.Response.from_payload(payload)
                    if not _is_stale(command, response):
                        return response
                    self.stale += 1  # a late reply to an earlier command: keep waiting
                    continue
                if time.monotonic() >= deadline:
                    raise DeviceTimeout(f"{command.name}: no complete reply within {timeout:.1f} s")
                if self._stop is not None and self._stop.is_set():
                    raise DeviceTimeout(f"{command.name}: abandoned, the driver is closing")
                self._decoder.feed(self._port.read(self._decoder.needed()))
        except ProtocolError:
            self._decoder.clear()
            raise
        except serial.SerialTimeoutException as err:
            raise DeviceTimeout(f"{command.name}: write timed out") from err
        except (serial.SerialException, OSError) as err:
            raise DeviceNotFound(f"ID-card reader port lost: {err}") from err

    def exchange(self, command: p.Command, timeout: float, ok: tuple[int, ...] = (p.SW3_SUCCESS,)) -> p.Response:
        """Send ``command``; return the response if SW3 is in ``ok``, else raise its error."""
        return self.transact(command, timeout).raise_for_sw3(command.name, ok)


def _is_stale(command: p.Command, response: p.Response) -> bool:
    """Tell a late reply to another command from this command's reply.

    The protocol has no sequence numbers, so a reply that arrives after its command timed
    out would pass for the next command's. Success codes differ by command (find: 0x9F,
    others: 0x90) and only a read carries a long body; a reply that fits neither is stale.
    """
    is_find = command.key == p.FIND_CARD.key
    if response.sw3 == (p.SW3_SUCCESS if is_find else p.SW3_FIND_OK):
        return True
    return command.cmd != p.READ_BASE.cmd and len(response.data) > 64


def read_present_card(
    link: SamLink, timing: Timing, with_fingerprint: bool = False, found: bool = False
) -> IdCardRecord:
    """Run find → select → read on the card in the field and return its record.

    A broken frame, a timeout or a failed select/read is retried from find, ``timing.retries``
    times, each after ``timing.retry_pause`` (a card still being put down). ``NoCard`` means the
    field is empty (or emptied during the read); ``CardDataInvalid`` carries a record that failed its number checks.
    """
    command = p.READ_BASE_FINGERPRINT if with_fingerprint else p.READ_BASE
    last: Exception | None = None
    for attempt in range(timing.retries + 1):
        if attempt:
            link.pause(timing.retry_pause)
        try:
            if attempt or not found:  # ``found``: the caller's find-card just saw the card
                link.exchange(p.FIND_CARD, timing.command_timeout, ok=(p.SW3_FIND_OK,))
            link.exchange(p.SELECT_CARD, timing.command_timeout)
            response = link.exchange(command, timing.read_timeout)
            info = p.parse_base_info(response.data, with_fingerprint)
        except NoCard as err:
            if attempt:
                raise NoCard("the card left the reader during the read") from err
            raise
        except (ProtocolError, DeviceTimeout, CardReadFailed) as err:
            log.info("ID-card read attempt %d failed: %s", attempt + 1, err)
            last = err
            continue
        record = decode_text_block(info.text, info.photo, info.fingerprint)
        if record.problems:
            raise CardDataInvalid(
                "card data failed validation: " + "; ".join(record.problems),
                record,
                record.problems,
            )
        return record
    assert last is not None
    raise last


def read_card_once(
    url: str, wait: float = 3.0, timing: Timing | None = None, with_fingerprint: bool = False
) -> IdCardRecord:
    """Open the reader at ``url``, wait up to ``wait`` s for a card, read it, close the port."""
    timing = timing or Timing()
    link = SamLink(open_port(url))
    try:
        link.exchange(p.SAM_STATUS, timing.command_timeout)
        deadline = time.monotonic() + wait
        while True:
            response = link.transact(p.FIND_CARD, timing.command_timeout)
            if response.sw3 == p.SW3_FIND_OK:
                break
            response.raise_for_sw3(p.FIND_CARD.name, ok=(p.SW3_NO_CARD,))
            if time.monotonic() >= deadline:
                raise NoCard(f"no card on the reader within {wait:.1f} s")
            time.sleep(min(0.2, max(0.0, deadline - time.monotonic())))
        return read_present_card(link, timing, with_fingerprint, found=True)
    finally:
        link.close()
