"""The WLT photo stays bytes unless a vendor decoder is registered."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from drivers.idcard import samples
from drivers.idcard.photo import (
    PhotoDecoderMissing,
    WltDecoder,
    decode_photo,
    register_wlt_decoder,
)
from drivers.idcard.sam_link import read_card_once
from drivers.idcard.sim_transport import PtyReaderSimulator
from drivers.idcard.wire_simulator import ReaderModel


class FakeVendorLibrary:
    def decode(self, wlt: bytes) -> bytes:
        return b"BM" + len(wlt).to_bytes(4, "little")


@pytest.fixture(autouse=True)
def no_decoder() -> Iterator[None]:
    register_wlt_decoder(None)
    yield
    register_wlt_decoder(None)


def test_without_a_vendor_library_the_photo_is_not_decoded() -> None:
    with pytest.raises(PhotoDecoderMissing):
        decode_photo(bytes(1024))


def test_a_registered_decoder_is_used() -> None:
    library = FakeVendorLibrary()
    assert isinstance(library, WltDecoder)
    register_wlt_decoder(library)
    assert decode_photo(bytes(1024)) == b"BM\x00\x04\x00\x00"


def test_rare_character_card_over_the_wire(model: ReaderModel, pty_sim: PtyReaderSimulator) -> None:
    wlt = bytes(range(256)) * 4
    model.place(samples.RARE_CHARACTERS.__class__(**{**samples.RARE_CHARACTERS.__dict__, "photo_wlt": wlt}))
    record = read_card_once(pty_sim.port, wait=1.0)
    assert record.name == "邓䶮" and "㙟" in record.address and record.valid
    assert record.photo_wlt == wlt
