"""Heartbeat latency while slow clients hold connections, against none (``central.slow_clients``).

The centre runs as ``kiosk central`` on SQLite with its default client limits. First the
baseline: ``BEATERS`` kiosks post heartbeats back to back for ``STEP_S`` seconds. Then the
same while ``SLOW`` hostile clients hold connections: four in five send half a request line
and then nothing, one in five sends its headers and dribbles the body a byte a second; each
opens a new connection as soon as the centre cuts it off, so ``SLOW`` are held all along.
Printed: p50/p99 of each, and the p99 ratio (with / without). Bounded: about half a minute.
"""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path

from bench.centre_load import Tally, _beat, closed_loop
from bench.centre_process import CentreProcess

SLOW = 500
BEATERS = 16
STEP_S = 5.0
WARM_UP_S = 1.0


async def _stalled(host: str, port: int, dribble: bool, stop: asyncio.Event,
                   held: list[int]) -> None:
    while not stop.is_set():
        try:
            reader, writer = await asyncio.open_connection(host, port)
        except OSError:
            await asyncio.sleep(0.1)
            continue
        held[0] += 1
        try:
            if dribble:
                writer.write(b"POST /api/v1/heartbeats HTTP/1.1\r\nHost: centre\r\n"
                             b"Content-Type: application/json\r\nContent-Length: 100000\r\n\r\n")
            else:
                writer.write(b"POST /api/v1/heartbeats HTTP/1.1\r\nHo")
            while not stop.is_set():
                if dribble:
                    writer.write(b" ")
                try:
                    if not await asyncio.wait_for(reader.read(4096), 1.0):
                        break  # cut off: open another
                except TimeoutError:
                    continue
        except OSError:
            pass
        finally:
            held[0] -= 1
            writer.close()


async def _with_slow_clients(url: str, token: str) -> tuple[Tally, int]:
    host, port = url.removeprefix("http://").split(":")
    stop = asyncio.Event()
    held = [0]
    slow = [asyncio.create_task(_stalled(host, int(port), n % 5 == 0, stop, held))
            for n in range(SLOW)]
    await asyncio.sleep(WARM_UP_S)
    holding = held[0]
    tally = await closed_loop([url], _beat(1, token), connections=BEATERS, duration=STEP_S)
    stop.set()
    await asyncio.gather(*slow, return_exceptions=True)
    return tally, holding


def p99_ms(tally: Tally) -> float:
    ordered = sorted(tally.latencies) or [0.0]
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="bench-slow-") as folder, \
            CentreProcess(f"sqlite:///{Path(folder) / 'central.db'}") as centre:
        url, token = centre.base_url, centre.token
        asyncio.run(closed_loop([url], _beat(1, token), connections=BEATERS, duration=1.0))
        baseline = asyncio.run(closed_loop([url], _beat(1, token), connections=BEATERS,
                                           duration=STEP_S))
        print(baseline.line("none"))
        loaded, holding = asyncio.run(_with_slow_clients(url, token))
        print(loaded.line(f"{SLOW} slow"))
        print(f"  {holding} slow connections held at the start of the measurement")
        ratio = p99_ms(loaded) / max(1e-9, p99_ms(baseline))
        print(f"  heartbeat p99 {p99_ms(loaded):.1f} ms with {SLOW} slow clients vs "
              f"{p99_ms(baseline):.1f} ms with none: {ratio:.2f}x; errors "
              f"{loaded.errors} (baseline {baseline.errors})")


if __name__ == "__main__":
    main()
