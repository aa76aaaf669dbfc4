"""ESC/POS receipt printer driver: a ``Profile`` on top of a byte ``Transport``.

Device: 58/80 mm thermal receipt printers with Chinese firmware (hardware.md §2), reached
by any transport in ``drivers.printer.transport``. URLs (see ``factory``)::

    serial:///dev/ttyUSB0?baudrate=9600&profile=80mm
    tcp://10.0.0.5:9100?profile=58mm
    usb://0x0416:0x5011?profile=80mm
    file:///tmp/out.bin?profile=80mm          write-only: no status

Protocol notes:

- One reader thread owns the link's input and splits it into ``DLE EOT`` replies, ASB
  frames and ``GS r`` replies (``status.ReplySplitter``). A poll thread asks ``DLE EOT``
  1–4 every ``poll_interval`` seconds (0.25) and, with the profile's ``asb``, the printer
  also pushes changes at once; either way a change reaches listeners as ``StatusChanged``
  within a second. Two unanswered polls in a row mean the printer is gone (``NO_DEVICE``);
  the driver reconnects when it answers again. Unanswered means the reader thread listened
  after the reply's timeout and found nothing: a host too busy to run the reader is not a
  silent printer (its replies wait in the link until the reader reads them).
- A job is checked before it starts (no paper, cover open, cutter error: it is refused),
  sent in chunks so polls interleave, and ends with ``GS r 1``, which the printer answers
  only once everything before it has been printed. A fault seen meanwhile (paper out,
  cover opened) fails the job: the driver clears the printer's buffer (``DLE DC4 8``) so
  the half job does not resume on fresh paper, and raises. After the job the status is
  read again: a cutter error raises ``CutterError`` (the receipt printed but hangs uncut).
- Many clones never answer ``GS r`` (they do answer ``DLE EOT``). So on each connection,
  once the printer is idle and healthy, the driver sends ``GS r 1`` alone and waits
  ``fence_probe`` seconds (0.5) for the reply; the answer is remembered until the link is
  lost (``answers_fence``: None until probed; a job probes first if connect could not).
  On a printer that does not answer, a job ends by status instead: the driver waits the
  job's wire time (bytes × 10 / baud, counted from the first byte) plus ``clone_margin``
  (1.5 s, for the head to finish the paper the last bytes describe), still watching polls
  and ASB, then reads ``DLE EOT`` 1–4. Online, paper in, no error: printed. Paper out,
  cover open, offline or an error: failed, as above (paper out is a failure here even
  after the last byte, since no fence says the job was on paper first). A printer that
  stops answering fails the job with ``DeviceNotFound``. ``job_fence`` forces either way.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable
from pathlib import Path

from drivers.device import Capabilities, DeviceErrorEvent, DeviceState, ErrorAction, PaperStatus
from drivers.errors import (
    CoverOpen,
    CutterError,
    DeviceFault,
    DeviceNotFound,
    DeviceTimeout,
    DriverError,
    PaperOut,
)
from drivers.printer.document import Document
from drivers.printer.encoder import CLEAR_BUFFER, INIT, JOB_FENCE, EscposEncoder
from drivers.printer.printer import ReceiptPrinter
from drivers.printer.profile import Profile
from drivers.printer.status import (
    ASB_ENABLE,
    AsbFrame,
    PrinterState,
    QueuedReply,
    RealtimeReply,
    ReplySplitter,
    device_fields,
    parse_asb,
    parse_replies,
    query,
)
from drivers.printer.transport import Transport

log = logging.getLogger(__name__)

CHUNK = 256  # bytes written at once, so status polls interleave with a long job
RECONNECT_EVERY = 1.0
STATE_TRIES = 3  # status queries before and after a job before the printer counts as lost
HEARD_NOTHING_CAP = 5.0  # seconds a reply may wait for a reader that never comes back to listen
DEFAULT_BAUD = 115200  # links without a baud rate (TCP, USB) are at least this fast


class EscposPrinter(ReceiptPrinter):
    """A real ESC/POS printer: ``EscposPrinter(transport, profile)``."""

    def __init__(
        self,
        transport: Transport,
        profile: Profile,
        name: str = "printer",
        font_path: Path | None = None,
        poll_interval: float = 0.25,
        reply_timeout: float = 0.3,
        job_fence: bool | None = None,
        fence_probe: float = 0.5,
        clone_margin: float = 1.5,
    ) -> None:
        super().__init__(name, Capabilities(model=f"ESC/POS {profile.name}", features=profile.features))
        self.transport = transport
        self.profile = profile
        self.encoder = EscposEncoder(profile, font_path)
        self.poll_interval = poll_interval
        self.reply_timeout = reply_timeout
        self.job_fence = job_fence  # None: probe each connection whether GS r is answered
        self.fence_probe = fence_probe
        self.clone_margin = clone_margin
        self.answers_fence: bool | None = job_fence  # this connection's answer; None: not yet probed
        self.printer_state: PrinterState | None = None  # last parsed report
        self._replies: queue.Queue[int] = queue.Queue()
        self._queued: queue.Queue[int] = queue.Queue()
        self._query_lock = threading.Lock()
        self._apply_lock = threading.RLock()  # ASB (reader thread) and polls both report
        self._job_lock = threading.Lock()
        self._stop = threading.Event()
        self._connected = threading.Event()
        self._fault = threading.Event()  # set when a fault appears while a job runs
        self._busy = False
        self._missed = 0  # status polls unanswered in a row, with nothing heard since the first
        self._unanswered_since = 0.0  # monotonic time the first of them was asked
        self._heard_at = 0.0  # monotonic time the printer last sent anything
        self._listened_at = 0.0  # monotonic start of the reader's latest read that heard nothing
        self._threads: list[threading.Thread] = []

    # --- life cycle ---------------------------------------------------------------------

    def open(self) -> None:
        """Connect and start watching; an absent printer leaves the state ``NO_DEVICE``."""
        self._stop.clear()
        if not self.transport.bidirectional:
            self._connect()
            return
        self._start_thread(self._read_loop, "read")
        self._connect()
        self._start_thread(self._poll_loop, "poll")

    def _start_thread(self, target: Callable[[], None], label: str) -> None:
        thread = threading.Thread(target=target, name=f"{self.name}-{label}", daemon=True)
        thread.start()
        self._threads.append(thread)

    def close(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(2)
        self._threads.clear()
        self._connected.clear()
        self.transport.close()
        self._set_status(state=DeviceState.OFFLINE)

    def _connect(self) -> bool:
        try:
            self.transport.open()
        except DeviceNotFound as err:
            if self.status.state is not DeviceState.NO_DEVICE:
                self._set_status(state=DeviceState.NO_DEVICE, paper=PaperStatus.UNKNOWN, detail=str(err))
            return False
        self._connected.set()
        if not self.transport.bidirectional:
            self._set_status(state=DeviceState.ONLINE, paper=PaperStatus.UNKNOWN, detail="write-only link")
            return True
        try:
            if self.profile.asb:
                self.transport.write(ASB_ENABLE)
            state = self.refresh()
            if self.answers_fence is None and _idle_and_healthy(state) and self._job_lock.acquire(blocking=False):
                try:  # a job that holds the lock probes by itself
                    self._probe_fence()
                finally:
                    self._job_lock.release()
        except (DeviceNotFound, DeviceTimeout) as err:
            self._lost(err)
            return False
        return True

    def _probe_fence(self) -> None:
        """Send ``GS r 1`` alone and note whether the printer answers it (clones do not).

        Only asked of an idle printer without faults: an offline printer holds queued
        commands, so its silence would say nothing.
        """
        self._drain_queued()
        self.transport.write(JOB_FENCE)
        self.answers_fence = self._next_reply(self._queued, self.fence_probe) is not None
        log.info(
            "%s: printer %s the GS r job fence; jobs end by %s",
            self.name,
            "answers" if self.answers_fence else "does not answer",
            "its reply" if self.answers_fence else "DLE EOT status after the wire time",
        )

    def _drain_queued(self) -> None:
        while not self._queued.empty():
            self._queued.get_nowait()

    def _lost(self, err: Exception) -> None:
        self._connected.clear()
        self.answers_fence = self.job_fence  # the next connection may be another printer
        self.transport.close()
        self._fault.set()
        if self.status.state is DeviceState.NO_DEVICE:
            return  # still gone: no news for listeners
        self._set_status(state=DeviceState.NO_DEVICE, paper=PaperStatus.UNKNOWN, detail=str(err))
        error = type(err) if isinstance(err, DriverError) else DeviceNotFound
        self._emit(DeviceErrorEvent(self.name, f"printer lost: {err}", ErrorAction.CLEAR, error))

    # --- threads --------------------------------------------------------------------------

    def _read_loop(self) -> None:
        splitter = ReplySplitter()
        while not self._stop.is_set():
            if not self._connected.is_set():
                time.sleep(0.02)
                continue
            started = time.monotonic()
            try:
                data = self.transport.read(0.05)
            except DeviceNotFound as err:
                if self._connected.is_set():
                    self._lost(err)
                continue
            if data:
                self._heard_at = time.monotonic()
            else:
                self._listened_at = started  # nothing was waiting in the link from then on
            for reply in splitter.feed(data):
                if isinstance(reply, RealtimeReply):
                    self._replies.put(reply.byte)
                elif isinstance(reply, AsbFrame):
                    self._apply(parse_asb(reply.frame))
                elif isinstance(reply, QueuedReply):
                    self._queued.put(reply.byte)
                else:
                    log.debug("%s: stray byte %#04x from printer", self.name, reply.byte)

    def _poll_loop(self) -> None:
        last_try = time.monotonic()
        while not self._stop.wait(self.poll_interval):
            if not self._connected.is_set():
                if time.monotonic() - last_try >= RECONNECT_EVERY:
                    last_try = time.monotonic()
                    self._connect()
                continue
            asked_at = time.monotonic()
            try:
                self.refresh()
            except DeviceTimeout as err:
                if self._silent_twice(asked_at):
                    self._lost(err)
            except DeviceNotFound as err:
                self._lost(err)

    def _silent_twice(self, asked_at: float) -> bool:
        """Whether the poll asked at ``asked_at``, unanswered, is the second in a row with nothing
        heard from the printer since the first: a pulled cable. A reply that came late (a host
        too busy to read it in time) is an answer, and the count starts again."""
        if self._missed == 0 or self._heard_at >= self._unanswered_since:
            self._missed, self._unanswered_since = 1, asked_at
            return False
        self._missed += 1
        return self._missed >= 2

    # --- status -----------------------------------------------------------------------------

    def query_state(self) -> PrinterState:
        """Ask ``DLE EOT`` 1–4 and parse the four replies."""
        with self._query_lock:
            while not self._replies.empty():
                self._replies.get_nowait()
            self.transport.write(query(1) + query(2) + query(3) + query(4))
            replies = []
            for n in range(1, 5):
                reply = self._next_reply(self._replies, self.reply_timeout)
                if reply is None:
                    raise DeviceTimeout(f"printer did not answer DLE EOT {n}")
                replies.append(reply)
        return parse_replies(*replies)

    def _next_reply(self, replies: queue.Queue[int], timeout: float) -> int | None:
        """The next reply on ``replies``, or None once the printer has been silent ``timeout`` s.

        Silent means the reader thread listened after that time and found nothing waiting: on
        a host too busy to run the reader (a render holding the interpreter), the replies wait
        in the link, and the clock alone would call a printer that answered lost.
        """
        since = time.monotonic()
        wait = timeout
        while True:
            try:
                return replies.get(timeout=wait)
            except queue.Empty:
                if not self._connected.is_set() or self._listened_at >= since + timeout:
                    return None
                if time.monotonic() - since > HEARD_NOTHING_CAP:
                    log.warning("%s: the reader has not listened for %.0f s", self.name, HEARD_NOTHING_CAP)
                    return None
                wait = 0.05  # the reader is behind: wait for it to listen

    def refresh(self) -> PrinterState:
        """Read the printer's status now and publish it."""
        state = self.query_state()
        self._missed = 0
        self._apply(state)
        return state

    def _apply(self, state: PrinterState) -> None:
        with self._apply_lock:
            self._publish(state)

    def _publish(self, state: PrinterState) -> None:
        old = self.printer_state
        self.printer_state = state
        device, paper, detail = device_fields(state)
        if self._busy and device is DeviceState.ONLINE and not state.paper_end:
            device = DeviceState.BUSY
        self._set_status(state=device, paper=paper, detail=detail)
        if self._busy and (state.offline or state.paper_end):
            self._fault.set()
        faults: tuple[tuple[str, str, ErrorAction, type[DriverError]], ...] = (
            ("paper_end", "printer is out of paper", ErrorAction.CLEAR, PaperOut),
            ("cover_open", "printer cover is open", ErrorAction.CLEAR, CoverOpen),
            ("cutter_error", "printer cutter failed", ErrorAction.MAINTENANCE, CutterError),
            ("unrecoverable_error", "printer reports an unrecoverable error", ErrorAction.MAINTENANCE, DeviceFault),
        )
        for flag, message, action, error in faults:
            if getattr(state, flag) and not (old is not None and getattr(old, flag)):
                self._emit(DeviceErrorEvent(self.name, message, action, error))

    # --- printing ---------------------------------------------------------------------------

    def print_document(self, document: Document) -> None:
        """Print ``document``; return once it is on paper, or raise what went wrong."""
        data = self.encoder.encode(document)
        with self._job_lock:
            if not self._connected.is_set():
                raise DeviceNotFound(f"printer {self.transport.name} is not connected")
            if self.transport.bidirectional:
                raise_for(self._checked_state())
                if self.answers_fence is None:
                    self._probe_fence()  # connect found the printer busy or faulty
            self._fault.clear()
            self._busy = True
            try:
                self._send_job(data)
            finally:
                self._busy = False
                if self.printer_state is not None and self._connected.is_set():
                    self._apply(self.printer_state)

    def _checked_state(self) -> PrinterState:
        """The state a job starts or ends on. One late reply is a busy host, not a lost printer
        (as for the polls): ask again, and only after ``STATE_TRIES`` silences give it up."""
        for attempt in range(1, STATE_TRIES):
            try:
                return self.refresh()
            except DeviceTimeout:
                log.info("printer status reply late (try %d of %d)", attempt, STATE_TRIES)
        try:
            return self.refresh()
        except DeviceTimeout as err:
            self._lost(err)
            raise DeviceNotFound(f"printer on {self.transport.name} does not answer") from err

    def _send_job(self, data: bytes) -> None:
        if self.profile.asb and self.transport.bidirectional and data.startswith(INIT):
            data = INIT + ASB_ENABLE + data[len(INIT) :]  # in case ESC @ reset it on this model
        self._set_status(state=DeviceState.BUSY)
        started = time.monotonic()
        for start in range(0, len(data), CHUNK):
            if self._fault.is_set():
                self._abort()
            self.transport.write(data[start : start + CHUNK])
        if not self.transport.bidirectional:
            return
        if self.answers_fence is False:
            self._end_by_status(len(data), started)
            return
        self._drain_queued()
        self.transport.write(JOB_FENCE)
        deadline = time.monotonic() + self._job_time(len(data))
        while True:
            try:
                self._queued.get(timeout=0.05)
                break
            except queue.Empty:
                if self._fault.is_set():
                    self._abort()
                if time.monotonic() > deadline:
                    raise DeviceTimeout(f"printer did not finish a {len(data)}-byte job in time") from None
        after = self._checked_state()
        if after.cutter_error:
            raise CutterError("the receipt printed but the cutter failed")
        raise_for(after, before=False)

    def _end_by_status(self, size: int, started: float) -> None:
        """A printer without the fence: the job is done once its bytes had time to print.

        Polls and ASB keep watching meanwhile; a fault fails the job at once. Afterwards
        only a printer online, with paper and without error counts the job printed.
        """
        done_at = max(started + self.wire_time(size), time.monotonic()) + self.clone_margin
        while (left := done_at - time.monotonic()) > 0:
            if self._fault.is_set():
                self._abort()
            time.sleep(min(0.05, left))
        if self._fault.is_set():
            self._abort()
        after = self._checked_state()
        if after.cutter_error:
            raise CutterError("the receipt printed but the cutter failed")
        if after.offline or after.paper_end or after.cover_open or after.error:
            self._abort()  # clears what is left of the job and raises what the state says
        raise_for(after, before=False)

    def wire_time(self, size: int) -> float:
        """Seconds ``size`` bytes take on this link (8N1: 10 bits a byte)."""
        return size * 10 / getattr(self.transport, "baudrate", DEFAULT_BAUD)

    def _abort(self) -> None:
        """A fault stopped the job: drop what the printer still holds of it, then raise."""
        if not self._connected.is_set():
            raise DeviceNotFound(f"printer on {self.transport.name} was lost during the job")
        try:
            self.transport.write(CLEAR_BUFFER)
            state = self.refresh()
        except (DeviceNotFound, DeviceTimeout) as err:
            raise DeviceNotFound(f"printer on {self.transport.name} was lost during the job") from err
        raise_for(state)
        raise DeviceFault(f"printer went offline during the job ({', '.join(state.faults()) or 'no cause given'})")

    def _job_time(self, size: int) -> float:
        return 10.0 + self.wire_time(size) * 1.5


def _idle_and_healthy(state: PrinterState) -> bool:
    """A printer that runs queued commands now, so it would answer ``GS r`` if it can."""
    return not (state.offline or state.paper_end or state.cover_open or state.error or state.cutter_error)


def raise_for(state: PrinterState, before: bool = True) -> None:
    """Raise the error a printer in ``state`` means for a job (``before``: it has not started)."""
    if state.cover_open:
        raise CoverOpen("printer cover is open")
    if state.paper_end and before:
        raise PaperOut("printer is out of paper")
    if state.cutter_error:
        raise CutterError("printer cutter has failed")
    if state.unrecoverable_error or state.auto_recoverable_error or state.recoverable_error:
        raise DeviceFault(f"printer reports an error: {', '.join(state.faults())}")
    if state.offline and before:
        raise DeviceFault("printer is offline")
