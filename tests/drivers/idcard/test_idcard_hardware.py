"""Against a real reader, opt-in: ``pytest tests/drivers/idcard --hw-idcard=/dev/ttyUSB0``.

Put any ID card on the reader before running; the record is checked, never printed.
"""

from __future__ import annotations

import pytest

from drivers.idcard import protocol as p
from drivers.idcard.sam_link import SamLink, open_port, read_card_once

pytestmark = pytest.mark.hw


def test_sam_answers(hw_idcard_port: str) -> None:
    link = SamLink(open_port(hw_idcard_port))
    try:
        assert link.exchange(p.SAM_STATUS, 2.0).sw3 == p.SW3_SUCCESS
        assert link.transact(p.FIND_CARD, 2.0).sw3 in (p.SW3_FIND_OK, p.SW3_NO_CARD)
    finally:
        link.close()


def test_reads_the_card_on_the_reader(hw_idcard_port: str) -> None:
    record = read_card_once(hw_idcard_port, wait=10.0)
    assert record.valid, record.problems
    assert len(record.photo_wlt) == 1024
