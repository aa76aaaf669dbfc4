"""Fuzz the ID-card frame decoder: random and mutated frames, only declared errors allowed.

``python -m bench idcard_fuzz`` runs 1,000,000 frames (``IDCARD_FUZZ_FRAMES`` overrides):
a quarter random bytes, a quarter mutated real frames, a quarter mutated frames re-wrapped
with a correct length and checksum, and a quarter read replies with a damaged text block
but a valid frame, so that the base-info and text-block decoders are reached. Every
frame goes through the one-frame decoder and the streaming decoder. Any exception that is
not a ``DriverError`` is a failure; the count and time are printed.
"""

from __future__ import annotations

import os
import random
import time
from dataclasses import dataclass, field

from drivers.errors import DriverError
from drivers.idcard import protocol as p
from drivers.idcard import samples
from drivers.idcard.record import IdCardRecord
from drivers.idcard.text_block import decode_text_block
from drivers.idcard.wire_simulator import CardImage


@dataclass
class FuzzResult:
    frames: int = 0
    decoded: int = 0  # frames that became a record
    answered: int = 0  # frames that decoded to a reply but not to a record
    rejected: int = 0  # frames refused with a declared error
    seconds: float = 0.0
    undeclared: list[str] = field(default_factory=list)


def seed_frames() -> list[bytes]:
    """Real reader replies: every SW3 code, find/select, reads of all four card types."""
    frames = [p.Response(0, 0, sw3).encode() for sw3 in (*p.SW3_MEANINGS, 0x00, 0xFF)]
    frames += [p.Response(0, 0, 0x9F, bytes(4)).encode(), p.Response(0, 0, 0x90, bytes(8)).encode()]
    for sample in samples.ALL:
        card = CardImage.of(IdCardRecord(**{**sample.__dict__, "fingerprint": b"\x46" * 1024}))
        info = p.BaseInfo(card.text, card.photo, card.fingerprint)
        for with_fp in (False, True):
            frames.append(p.Response(0, 0, 0x90, p.encode_base_info(info, with_fp)).encode())
    return frames


def _mutate(frame: bytes, rng: random.Random) -> bytearray:
    data = bytearray(frame)
    for _ in range(rng.randint(1, 4)):
        choice = rng.randrange(7)
        n = len(data)
        if choice == 0 and n:
            data[rng.randrange(n)] ^= 1 << rng.randrange(8)
        elif choice == 1 and n:
            data[rng.randrange(n)] = rng.randrange(256)
        elif choice == 2:
            at = rng.randint(0, n)
            data[at:at] = rng.randbytes(rng.randint(1, 16))
        elif choice == 3 and n:
            at = rng.randrange(n)
            del data[at : at + rng.randint(1, 64)]
        elif choice == 4:
            del data[rng.randint(0, n) :]
        elif choice == 5 and n:
            at = rng.randint(0, n)
            data[at:at] = p.PREAMBLE
        elif choice == 6 and n > 14:
            # Hit the text block and length fields, where the deep decoders look.
            at = rng.randrange(7, min(n, 300))
            data[at] = rng.choice((0x00, 0x20, 0xFF, 0xD8, 0xDC, ord("J"), ord("I"), ord("Y")))
    return data


def _frame(rng: random.Random, seeds: list[bytes]) -> bytes:
    kind = rng.randrange(4)
    if kind == 3:  # a read reply whose text block alone is damaged, frame still valid
        seed = rng.choice([s for s in seeds if len(s) > 1000])
        payload = bytearray(seed[p.HEADER_SIZE : -1])
        for _ in range(rng.randint(1, 8)):
            payload[rng.randrange(7, 7 + 256)] = rng.randrange(256)
        return p.encode_frame(bytes(payload))
    if kind == 0:
        size = rng.choice((rng.randint(0, 20), rng.randint(0, 1400)))
        data = rng.randbytes(size)
        return p.PREAMBLE + data if rng.random() < 0.5 else data
    mutated = _mutate(rng.choice(seeds), rng)
    if kind == 1:
        return bytes(mutated)
    return p.encode_frame(bytes(mutated[p.HEADER_SIZE : -1] or b"\x00\x00\x90"))


def _decode(frame: bytes) -> bool:
    """Run every decoder on ``frame``; True if a record came out."""
    made_record = False
    decoder = p.FrameDecoder(min_len=p.MIN_RESPONSE_LEN)
    decoder.feed(frame)
    for _ in range(8):
        try:
            if decoder.next_payload() is None:
                break
        except DriverError:
            continue
    response = p.decode_response(frame)
    if response.sw3 == p.SW3_SUCCESS and len(response.data) >= 4:
        for with_fp in (False, True):
            try:
                info = p.parse_base_info(response.data, with_fp)
            except DriverError:
                continue
            decode_text_block(info.text, info.photo, info.fingerprint)
            made_record = True
    return made_record


def fuzz(count: int, rng: random.Random) -> FuzzResult:
    """Decode ``count`` generated frames; collect anything but a declared error."""
    seeds = seed_frames()
    result = FuzzResult()
    start = time.perf_counter()
    for _ in range(count):
        frame = _frame(rng, seeds)
        result.frames += 1
        try:
            if _decode(frame):
                result.decoded += 1
            else:
                result.answered += 1
        except DriverError:
            result.rejected += 1
        except Exception as err:  # the finding this fuzz run exists for
            result.undeclared.append(f"{type(err).__name__}: {err} <- {frame[:40].hex()}")
    result.seconds = time.perf_counter() - start
    return result


def main() -> None:
    count = int(os.environ.get("IDCARD_FUZZ_FRAMES", "1000000"))
    result = fuzz(count, random.Random(int(os.environ.get("IDCARD_FUZZ_SEED", "1"))))
    print(
        f"fuzz: {result.frames:,} frames in {result.seconds:.1f} s "
        f"({result.frames / result.seconds:,.0f} frames/s): {result.decoded:,} decoded to a "
        f"record, {result.answered:,} to another reply, {result.rejected:,} refused with a declared error, "
        f"{len(result.undeclared)} undeclared exceptions"
    )
    for line in result.undeclared[:20]:
        print("  UNDECLARED", line)
    if result.undeclared:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
