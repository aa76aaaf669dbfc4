"""``simwire://``: the real serial driver talking to the wire simulator on a pseudo-terminal.

URL: ``simwire://?card=resident&pace=1&poll=0.05``

- ``card``: the card on the reader at start: ``none`` (default), ``resident``, ``hmt``
  ('J' permit), ``foreign2017`` ('I'), ``foreign2023`` ('Y'), ``rare`` (a resident card with
  rare characters inside UCS-2); the samples in ``samples``.
- ``pace``: ``1`` (default) the simulator holds every frame for its time on a 115200-baud
  wire; ``0`` instant.
- ``poll``: seconds between find-card polls (default 0.05, ``sam_link.Timing``).

The returned ``SimWireIdCardReader`` is a ``SerialIdCardReader`` on the pty (through a
stable symlink in a temporary folder), plus the developer methods of ``SimIdCardReader``:
``place_card``, ``remove_card``, ``fail_read``, ``unplug``, ``plug_in``.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile

from drivers.errors import UnsupportedBackend
from drivers.idcard import samples
from drivers.idcard.record import IdCardRecord
from drivers.idcard.sam_link import Timing, timing_from_url
from drivers.idcard.serial_reader import SerialIdCardReader
from drivers.idcard.sim_transport import PtyReaderSimulator
from drivers.idcard.wire_simulator import Fault, FaultKind, ReaderModel
from drivers.url import DeviceUrl

CARDS: dict[str, IdCardRecord | None] = {
    "none": None,
    "resident": samples.RESIDENT,
    "hmt": samples.HMT_RESIDENCE_PERMIT,
    "foreign2017": samples.FOREIGN_PERMANENT_2017,
    "foreign2023": samples.FOREIGN_PERMANENT_2023,
    "rare": samples.RARE_CHARACTERS,
}


class SimWireIdCardReader(SerialIdCardReader):
    """The serial driver on a simulated reader, with a developer's hands on the card."""

    def __init__(
        self,
        name: str = "idcard",
        card: IdCardRecord | None = None,
        *,
        pace: bool = True,
        timing: Timing | None = None,
    ) -> None:
        self._folder = tempfile.mkdtemp(prefix="idcard-sim-")
        self.model = ReaderModel(card)
        self.simulator = PtyReaderSimulator(self.model, link=os.path.join(self._folder, "ttyIDCARD"), pace=pace)
        super().__init__(self.simulator.port, name, timing)

    def open(self) -> None:
        self.simulator.start()
        super().open()

    def close(self) -> None:
        super().close()
        self.simulator.stop()
        with contextlib.suppress(OSError):
            shutil.rmtree(self._folder)

    def place_card(self, record: IdCardRecord) -> None:
        """Put a card on the reader; the driver finds and reads it at its next poll."""
        self.model.place(record)

    def remove_card(self) -> None:
        self.model.remove()

    def fail_read(self, message: str = "") -> None:
        """Put a card on the reader that cannot be read (SW3 0x41) until it is removed."""
        self.model.inject(Fault(FaultKind.READ_FAILS, times=0))
        self.model.place(samples.RESIDENT)

    def unplug(self) -> None:
        """Pull the cable: the pty disappears and the driver reconnects with back-off."""
        self.simulator.unplug()

    def plug_in(self) -> None:
        self.simulator.plug_in()


def make_simwire_reader(url: DeviceUrl, name: str) -> SimWireIdCardReader:
    """Build (not open) the simulated reader a ``simwire://`` URL describes."""
    card_name = url.options.get("card", "none")
    if card_name not in CARDS:
        raise UnsupportedBackend(f"{url.raw}: card must be one of {', '.join(CARDS)}")
    return SimWireIdCardReader(name, CARDS[card_name], pace=url.option_int("pace", 1) != 0, timing=timing_from_url(url))
