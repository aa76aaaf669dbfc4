"""The real ID-card reader driver: a SAM-protocol reader on a serial port.

Device: a second-generation ID-card reader (GA 467 SAM module) on a UART or USB-serial
bridge, 115200 8N1 (hardware.md §1). URL: a device path or any URL ``sam_link.open_port``
takes, e.g. ``/dev/ttyUSB0``, ``serial:///dev/ttyUSB0?baudrate=115200&poll=0.1``,
``hwgrep://1eab:0d10``, ``socket://10.0.0.5:4001``.

One thread owns the port. It opens it (``DeviceNotFound`` → state ``noDevice``, retried
with a doubling back-off up to 5 s), checks the SAM (SW3 0x60/0x66 → ``hardwareError``,
checked again every 3 s while the reader is idle), then sends find-card every
``poll_interval``. A card found is selected and read at once and reported as ``CardRead``;
the reader is then not re-armed until find reports no card (0x80), which is reported as
``CardRemoved``. Failures are reported as ``DeviceErrorEvent`` with words for a resident;
after ``max_failures`` consecutive polls without a good reply the port is closed and
reopened. Every wait is bounded (see ``sam_link``).

ID numbers that fail GB 11643 (check digit, birth date, gender digit) do not pass silently:
no ``CardRead`` is emitted; a ``DeviceErrorEvent`` says the card data failed validation and
``last_error`` holds the ``CardDataInvalid`` with the (masked-repr) record for a technician.

[UNVERIFIED] Some readers refuse find-card while a card that has been read stays in the
field; with those the driver reports ``CardRemoved`` early and reads the card again only
after it has really left and returned.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from drivers.device import (
    Capabilities,
    CardRead,
    CardRemoved,
    DeviceErrorEvent,
    DeviceState,
    ErrorAction,
    MediaStatus,
    ThreadedDevice,
)
from drivers.errors import (
    CardDataInvalid,
    CardReadFailed,
    DeviceNotFound,
    DeviceTimeout,
    DriverError,
    NoCard,
    ProtocolError,
    SamFault,
)
from drivers.idcard import protocol as p
from drivers.idcard.reader import IdCardReader
from drivers.idcard.sam_link import SamLink, Timing, open_port, read_present_card

log = logging.getLogger(__name__)

MSG_READ_FAILED = "读卡失败，请取下证件后重新放置"
MSG_CARD_LEFT = "证件在读取时被移开，请重新放置"
MSG_INVALID = "证件信息校验失败，请联系工作人员"
MSG_SAM = "读卡器安全模块故障，请联系工作人员"
MSG_UNPLUGGED = "读卡器已断开"
MSG_SILENT = "读卡器无响应"


class _Unresponsive(DeviceTimeout):
    """Too many polls in a row failed; the port is to be reopened."""


class SerialIdCardReader(ThreadedDevice, IdCardReader):
    """A SAM-protocol ID-card reader on the port ``url`` names."""

    thread_label = "idcard-reader"

    def __init__(
        self,
        url: str,
        name: str = "idcard",
        timing: Timing | None = None,
        with_fingerprint: bool = False,
    ) -> None:
        super().__init__(
            name,
            Capabilities(model="GA 467 SAM reader", features=frozenset({"photo_wlt", "card_types_jiy"})),
        )
        self.url = url
        self.timing = timing or Timing()
        self.with_fingerprint = with_fingerprint
        self.last_error: DriverError | None = None

    def _join_timeout(self) -> float:
        return self.timing.read_timeout + 2.0

    def _closed_status(self) -> dict[str, Any]:
        return {"state": DeviceState.OFFLINE, "media": MediaStatus.UNKNOWN, "detail": ""}

    # --- the port owner's thread --------------------------------------------------------

    def _run(self) -> None:
        backoff = self.timing.backoff_initial
        while not self._stop.is_set():
            try:
                link = SamLink(open_port(self.url), self._stop)
            except DeviceNotFound as err:
                self._lost(err, DeviceState.NO_DEVICE, None)
            else:
                try:
                    if self._session(link):
                        backoff = self.timing.backoff_initial
                except DeviceNotFound as err:
                    self._lost(err, DeviceState.NO_DEVICE, MSG_UNPLUGGED)
                except _Unresponsive as err:
                    self._lost(err, DeviceState.OFFLINE, MSG_SILENT)
                except Exception:  # a bug must not kill the owner thread silently
                    log.exception("ID-card reader session failed")
                    self._lost(DriverError("internal error"), DeviceState.OFFLINE, MSG_SILENT)
                finally:
                    link.close()
            if self._stop.wait(backoff):
                break
            backoff = min(backoff * 2, self.timing.backoff_max)

    def _lost(self, err: DriverError, state: DeviceState, message: str | None) -> None:
        was_usable = self.status.usable
        self.last_error = err
        level = logging.WARNING if self.status.state is not state else logging.DEBUG
        log.log(level, "ID-card reader %s: %s", self.name, err)
        self._set_status(state=state, media=MediaStatus.UNKNOWN, detail=str(err)[:200])
        if message and was_usable:
            error = DeviceTimeout if isinstance(err, _Unresponsive) else type(err)
            self._emit(DeviceErrorEvent(self.name, message, ErrorAction.SUSPEND, error))

    def _session(self, link: SamLink) -> bool:
        """Poll until stopped (returns True if the reader ever answered); raise on loss."""
        timing = self.timing
        answered = False
        card_done = False  # a card was read (or given up on) and has not left yet
        failures = 0
        next_sam_check = 0.0
        while not self._stop.is_set():
            try:
                if not card_done and time.monotonic() >= next_sam_check:
                    link.exchange(p.SAM_STATUS, timing.command_timeout)
                    next_sam_check = time.monotonic() + timing.sam_check_interval
                    if not answered or self.status.state is DeviceState.HARDWARE_ERROR:
                        media = MediaStatus.PRESENT if card_done else MediaStatus.NOT_PRESENT
                        self._set_status(state=DeviceState.ONLINE, media=media, detail="")
                    answered = True
                response = link.transact(p.FIND_CARD, timing.command_timeout)
                failures = 0
                if response.sw3 == p.SW3_FIND_OK:
                    if not card_done:
                        card_done = self._read(link)
                elif response.sw3 == p.SW3_NO_CARD:
                    if card_done or self.status.media is MediaStatus.PRESENT:
                        card_done = False
                        self._set_status(media=MediaStatus.NOT_PRESENT)
                        self._emit(CardRemoved(self.name))
                else:
                    response.raise_for_sw3(p.FIND_CARD.name)
            except SamFault as err:
                next_sam_check = time.monotonic() + timing.sam_check_interval
                self._sam_fault(err)
            except (ProtocolError, DeviceTimeout) as err:
                failures += 1
                log.info("ID-card poll failed (%d in a row): %s", failures, err)
                if failures >= timing.max_failures:
                    raise _Unresponsive(f"{failures} polls in a row failed, last: {err}") from err
            except (DeviceNotFound, _Unresponsive):
                raise
            except DriverError as err:  # another DeviceFault on find: report, keep polling
                self.last_error = err
                log.warning("ID-card reader fault: %s", err)
            self._stop.wait(timing.poll_interval)
        return answered

    def _sam_fault(self, err: SamFault) -> None:
        self.last_error = err
        if self.status.state is not DeviceState.HARDWARE_ERROR:
            log.warning("ID-card reader SAM fault: %s", err)
            self._set_status(state=DeviceState.HARDWARE_ERROR, detail=str(err)[:200])
            self._emit(DeviceErrorEvent(self.name, MSG_SAM, ErrorAction.MAINTENANCE, type(err)))

    def _read(self, link: SamLink) -> bool:
        """Read the card just found; return True if the card is to be left alone until it goes."""
        self._set_status(state=DeviceState.BUSY, media=MediaStatus.PRESENT)
        try:
            record = read_present_card(link, self.timing, self.with_fingerprint, found=True)
        except NoCard as err:
            self._read_failed(err, MSG_CARD_LEFT, MediaStatus.NOT_PRESENT)
            return False
        except CardDataInvalid as err:
            self._read_failed(err, MSG_INVALID, MediaStatus.PRESENT)
            return True
        except (CardReadFailed, ProtocolError, DeviceTimeout) as err:
            self._read_failed(err, MSG_READ_FAILED, MediaStatus.PRESENT)
            return True
        except SamFault as err:
            self._set_status(state=DeviceState.ONLINE)
            self._sam_fault(err)
            return True
        self.last_error = None
        self._set_status(state=DeviceState.ONLINE, media=MediaStatus.PRESENT)
        log.info("ID card read: %s", record.card_type.value)
        self._emit(CardRead(self.name, record))
        return True

    def _read_failed(self, err: DriverError, message: str, media: MediaStatus) -> None:
        if self._stop.is_set():
            return  # abandoned by close(), not a failure to report
        self.last_error = err
        log.info("ID card not read: %s", err)
        self._set_status(state=DeviceState.ONLINE, media=media)
        self._emit(DeviceErrorEvent(self.name, message, ErrorAction.CLEAR, type(err)))
