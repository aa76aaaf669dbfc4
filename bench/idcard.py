"""ID-card reader: card placed → record delivered, against wire time; decode throughput.

Latency: the real driver (``SerialIdCardReader``, default timing: find every 0.1 s) on a
pseudo-terminal, the wire simulator holding every frame for its time at 115,200 baud 8N1
(a pty itself moves bytes instantly). For each trial a card is placed at a random moment;
we take (a) the transaction, from the find-card that sees the card to the ``CardRead``
event, against the wire time of the same find/select/read frames counted in the same run
(goal: ≤ 1.1 × wire + 20 ms), and (b) placement to event, which adds the wait for the next
poll (0 to ``poll_interval``).

Idle CPU: with no card, the share of one core the reader's thread (and the whole process,
simulator included) uses while polling, at the old 0.5 s interval and at the default, in the
same run.

Decode: full 1295-byte read replies through frame decoding, base-info split and text-block
decoding, in frames per second, against the 115,200-baud wire's 8.9 frames per second.

``python -m bench idcard`` (``IDCARD_BENCH_TRIALS``, default 30).
"""

from __future__ import annotations

import os
import random
import statistics
import tempfile
import threading
import time

from drivers.device import CardRead, CardRemoved, DeviceEvent, DeviceState
from drivers.idcard import protocol as p
from drivers.idcard import samples
from drivers.idcard.sam_link import Timing
from drivers.idcard.serial_reader import SerialIdCardReader
from drivers.idcard.sim_transport import PtyReaderSimulator
from drivers.idcard.text_block import decode_text_block
from drivers.idcard.wire_simulator import CardImage, ReaderModel

BAUD = 115_200
_COMMAND_SIZES = {c.name: len(c.frame) for c in p.COMMANDS}


def _wait(flag: threading.Event, what: str, timeout: float = 5.0) -> None:
    if not flag.wait(timeout):
        raise SystemExit(f"bench.idcard: no {what} within {timeout} s")


def measure_latency(trials: int) -> list[tuple[float, float, float]]:
    """Return (transaction s, wire s, placement s) per trial."""
    model = ReaderModel()
    folder = tempfile.mkdtemp(prefix="idcard-bench-")
    sim = PtyReaderSimulator(model, link=os.path.join(folder, "ttyIDCARD"), baudrate=BAUD, pace=True)
    sim.start()
    reader = SerialIdCardReader(sim.port, "bench")
    read, removed = threading.Event(), threading.Event()
    delivered: list[float] = []

    def listen(event: DeviceEvent) -> None:
        if isinstance(event, CardRead):
            delivered.append(time.monotonic())
            read.set()
        elif isinstance(event, CardRemoved):
            removed.set()

    reader.subscribe(listen)
    reader.open()
    rng = random.Random(7)
    results = []
    try:
        deadline = time.monotonic() + 5
        while reader.status.state is not DeviceState.ONLINE and time.monotonic() < deadline:
            time.sleep(0.01)
        for trial in range(trials):
            card = samples.ALL[trial % len(samples.ALL)]
            time.sleep(rng.uniform(0, reader.timing.poll_interval))
            read.clear()
            placed = time.monotonic()
            model.place(card)
            _wait(read, "CardRead")
            done = delivered[-1]
            trace = [t for t in model.trace if t[0] >= placed]
            start = next(i for i, t in enumerate(trace) if t[1] == "find_card" and t[2] > 11)
            steps = trace[start : start + 3]
            wire_bytes = sum(_COMMAND_SIZES[name] + size for _, name, size in steps)
            results.append((done - steps[0][0], wire_bytes * 10 / BAUD, done - placed))
            removed.clear()
            model.remove()
            _wait(removed, "CardRemoved")
    finally:
        reader.close()
        sim.stop()
        os.rmdir(folder)
    return results


def idle_cpu(poll: float, seconds: float) -> tuple[float, float]:
    """Return the % of one core the reader's thread and the whole process use, polling an empty reader."""
    folder = tempfile.mkdtemp(prefix="idcard-idle-")
    sim = PtyReaderSimulator(ReaderModel(), link=os.path.join(folder, "ttyIDCARD"), baudrate=BAUD, pace=True)
    sim.start()
    reader = SerialIdCardReader(sim.port, "idle", Timing(poll_interval=poll))
    reader.open()
    try:
        deadline = time.monotonic() + 5
        while reader.status.state is not DeviceState.ONLINE and time.monotonic() < deadline:
            time.sleep(0.01)
        thread = next(t for t in threading.enumerate() if t.name == f"{reader.thread_label}-idle")
        assert thread.ident is not None
        clock = time.pthread_getcpuclockid(thread.ident)
        thread_before, process_before, began = time.clock_gettime(clock), time.process_time(), time.monotonic()
        time.sleep(seconds)
        elapsed = time.monotonic() - began
        thread_cpu = time.clock_gettime(clock) - thread_before
        process_cpu = time.process_time() - process_before
    finally:
        reader.close()
        sim.stop()
        os.rmdir(folder)
    return 100 * thread_cpu / elapsed, 100 * process_cpu / elapsed


def measure_decode(count: int) -> float:
    """Return full read replies decoded per second."""
    frames = []
    for sample in samples.ALL:
        card = CardImage.of(sample)
        body = p.encode_base_info(p.BaseInfo(card.text, card.photo))
        frames.append(p.Response(0, 0, 0x90, body).encode())
    start = time.perf_counter()
    for i in range(count):
        info = p.parse_base_info(p.decode_response(frames[i % 4]).data)
        decode_text_block(info.text, info.photo)
    return count / (time.perf_counter() - start)


def main() -> None:
    trials = int(os.environ.get("IDCARD_BENCH_TRIALS", "30"))
    results = measure_latency(trials)
    transaction = [r[0] for r in results]
    wire = statistics.median(r[1] for r in results)
    placement = [r[2] for r in results]
    goal = 1.1 * wire + 0.020
    median = statistics.median(transaction)
    p95 = sorted(transaction)[max(0, round(0.95 * len(transaction)) - 1)]
    print(
        f"latency ({trials} trials, 115200 baud pty, poll {Timing().poll_interval} s, load average "
        f"{os.getloadavg()[0]:.1f}): wire time of find+select+read {wire * 1000:.1f} ms (baseline)"
    )
    print(
        f"  find-that-sees-the-card → CardRead: median {median * 1000:.1f} ms "
        f"(ratio {median / wire:.3f}), p95 {p95 * 1000:.1f} ms (ratio {p95 / wire:.3f}), "
        f"max {max(transaction) * 1000:.1f} ms"
    )
    print(
        f"  goal ≤ 1.1 × wire + 20 ms = {goal * 1000:.1f} ms: median "
        f"{'met' if median <= goal else 'NOT met'}, p95 {'met' if p95 <= goal else 'NOT met'}"
    )
    print(
        f"  card placed → CardRead (adds the wait for the next poll): median "
        f"{statistics.median(placement) * 1000:.1f} ms, max {max(placement) * 1000:.1f} ms"
    )
    seconds = float(os.environ.get("IDCARD_BENCH_IDLE_S", "10"))
    default = Timing().poll_interval
    for label, poll in (("before, every 0.5 s", 0.5), (f"default, every {default} s", default)):
        thread, process = idle_cpu(poll, seconds)
        print(f"idle CPU polling an empty reader ({label}, {seconds:.0f} s): reader thread {thread:.2f} % of a core, "
              f"process with its simulator {process:.2f} %")
    rate = measure_decode(int(os.environ.get("IDCARD_BENCH_DECODES", "20000")))
    wire_rate = BAUD / 10 / 1295
    print(
        f"decode: {rate:,.0f} read replies/s (1295-byte frame → record); the 115200-baud wire "
        f"carries {wire_rate:.1f}/s (baseline); ratio {rate / wire_rate:,.0f}×"
    )


if __name__ == "__main__":
    main()
