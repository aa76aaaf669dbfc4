"""The child process of ``bench.resident``: the real kiosk offscreen, driven through its simulators.

``python -m bench.resident_child TRIALS [POLL]`` runs the app on the default configuration
(the ``simwire://`` reader, scanner and printer; the printer paced to its 115,200-baud line;
the embedded centre; ``POLL`` overrides the reader's find-card interval), then measures in
turn: card placed → the greeting's first frame; login code on the scanner's wire → the same;
an elder-mode walk by touch of the site's three most used items (before the submits below,
which would make their item the most used here); tap on 提交 → the receipt's first frame
(with the outbox write inside it); print started → paper cut. It prints
one JSON object on the last line of stdout (``bench.resident`` reads it). Times are
``time.monotonic()`` seconds; a frame counts once ``glFinish`` says it is on screen.
"""

from __future__ import annotations

import dataclasses
import json
import os
import random
import shutil
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Callable, Generator, Iterator
from pathlib import Path
from typing import Any

os.environ.setdefault("SDL_VIDEODRIVER", "offscreen")
os.environ.setdefault("KIVY_NO_ARGS", "1")
os.environ.setdefault("KIVY_NO_CONSOLELOG", "1")
os.environ.setdefault("KIVY_NO_FILELOG", "1")

SUBMIT_ITEM = "resident-medical-insurance"  # the most used item with a printed intake receipt
WALKED = 3  # the site's most used items, walked by touch in elder mode
WARM_UP = 2  # first visits pay for building screens once; measured apart


@dataclasses.dataclass
class Frame:
    """Yielded by a script: resume with the time of the first frame drawn while ``shown()`` holds."""

    shown: Callable[[], bool]
    what: str
    timeout: float = 10.0


Script = Generator["float | Frame", "float | None", None]


class Runner:
    """Run a script on Kivy's clock; count touches and time each touch to the next frame."""

    def __init__(self, script: Script, done: Callable[[], None]) -> None:
        self.script = script
        self.done = done
        self.waiting: Frame | None = None
        self.touches: list[tuple[float, str]] = []  # (time, what was on screen) of each touch
        self.touch_to_frame: list[float] = []
        self.where: Callable[[], str] = lambda: ""
        self._touched: float | None = None
        self.finish_wait = 0.0  # the last frame's wait in glFinish

    def start(self) -> None:
        from kivy.clock import Clock
        from kivy.core.window import Window

        Window.bind(on_flip=self._flipped, on_touch_down=self._touch)
        Clock.schedule_once(lambda _dt: self._step(None), 0.5)

    def _touch(self, _window: object, _touch: object) -> None:
        now = time.monotonic()
        self.touches.append((now, self.where()))
        self._touched = now

    def _flipped(self, *_args: object) -> None:
        from kivy.clock import Clock
        from kivy.graphics.opengl import glFinish

        asked = time.monotonic()
        glFinish()  # the frame is on screen only when the (software) renderer is done
        now = time.monotonic()
        self.finish_wait = now - asked  # the renderer's own time for this frame, as the UI thread waited it
        if self._touched is not None:
            self.touch_to_frame.append(now - self._touched)
            self._touched = None
        frame = self.waiting
        if frame is not None and frame.shown():
            self.waiting = None
            Clock.schedule_once(lambda _dt: self._step(now), 0)

    def _step(self, value: float | None) -> None:
        from kivy.clock import Clock

        try:
            item = self.script.send(value)
        except StopIteration:
            self.done()
            return
        except BaseException:  # noqa: BLE001 - the bench must say why, then stop
            traceback.print_exc(file=sys.__stderr__)
            os._exit(1)
        if isinstance(item, Frame):
            self.waiting = item
            Clock.schedule_once(lambda _dt, f=item: self._late(f), item.timeout)
        else:
            Clock.schedule_once(lambda _dt: self._step(None), item)

    def _late(self, frame: Frame) -> None:
        if self.waiting is frame:
            print(f"bench.resident_child: no frame with {frame.what} within {frame.timeout} s", file=sys.__stderr__)
            os._exit(1)


def until(condition: Callable[[], object], what: str, timeout: float = 20.0) -> Iterator[float]:
    """Let Kivy run until ``condition`` holds (polled every 20 ms)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        yield 0.02


class PlacedLater:
    """The sample card put on ``reader`` ``delay`` seconds from now, by a thread of its own."""

    def __init__(self, reader: Any, delay: float) -> None:
        from drivers.idcard import samples

        self._at: float | None = None
        self._thread = threading.Thread(target=self._place, args=(reader, samples.RESIDENT, delay), daemon=True)
        self._thread.start()

    def _place(self, reader: Any, card: Any, delay: float) -> None:
        time.sleep(delay)
        self._at = time.monotonic()
        reader.place_card(card)

    def at(self) -> float:
        """When the card was put down."""
        self._thread.join()
        assert self._at is not None
        return self._at


def paced_write(write: Callable[[bytes], None], data: bytes, baudrate: int, chunk: int = 8) -> None:
    """Send ``data`` as a scanner's UART would: ``chunk`` bytes at a time, at ``baudrate`` 8N1."""
    start = time.monotonic()
    for offset in range(0, len(data), chunk):
        piece = data[offset : offset + chunk]
        due = start + (offset + len(piece)) * 10 / baudrate
        time.sleep(max(0.0, due - time.monotonic()))
        write(piece)


def with_option(url: str, option: str) -> str:
    """``url`` with ``option`` (``key=value``) added to its query."""
    url = url.rstrip("?&")
    return f"{url}{'&' if '?' in url else '?'}{option}"


def make_app(poll: float | None) -> tuple[Any, Any, Path]:
    from kiosk.app import kiosk_app
    from kiosk.cli.embedded_centre import centre_connector
    from kiosk.config.settings import load_config

    config = load_config()
    data = Path(tempfile.mkdtemp(prefix="bench-resident-"))
    devices = config.devices
    id_card = devices.id_card if poll is None else with_option(devices.id_card, f"poll={poll}")
    config = dataclasses.replace(
        config,
        data_dir=data,
        outbox_key_file=data / "outbox.key",
        # The bench writes the scanner's bytes from a thread of this process: a stall of it under
        # load must not read as the line going idle (the code ends on its CR suffix anyway).
        devices=dataclasses.replace(devices, id_card=id_card, qr=with_option(devices.qr, "idle_ms=1000"),
                                    printer=with_option(devices.printer, "pace=1")),
        ui=dataclasses.replace(config.ui, developer_panel=False),
    )
    # Windowed: the screen's configured size (1080x1920 portrait). "Full screen" on the offscreen
    # driver is its own small default display, where elder mode fits one tile to a page.
    app, terminal, _failures = kiosk_app(config, centre_connector(config), windowed=True)
    return app, terminal, data


def log_warnings() -> None:
    """Drivers' and the kiosk's warnings to the real stderr (Kivy takes over the root logger)."""
    import logging

    handler = logging.StreamHandler(sys.__stderr__)
    handler.setLevel(logging.WARNING)
    handler.setFormatter(logging.Formatter("%(asctime)s %(name)s: %(message)s"))
    for name in ("drivers", "kiosk"):
        logging.getLogger(name).addHandler(handler)


def main(trials: int, poll: float | None) -> None:
    from drivers.device import CardRead, CodeScanned, DeviceEvent, DeviceState, MediaStatus
    from drivers.idcard import protocol as p
    from drivers.idcard import samples
    from drivers.idcard.simwire import SimWireIdCardReader
    from drivers.printer.simwire import BAUD as PRINTER_BAUD
    from drivers.printer.simwire import SimWirePrinter
    from drivers.qr.wire_simulator import SimWireQrScanner
    from kiosk.catalog.model import Channel
    from kiosk.session.outcome import PrintState
    from kiosk.session.session import Step
    from tests.kiosk.catalog_answers import answer_for

    app, terminal, data = make_app(poll)
    log_warnings()
    session = terminal.session
    results: dict[str, Any] = {"card": [], "card_warm_up": [], "qr": [], "submit": [], "print": [], "print_failed": [],
                               "walk": []}
    seen: dict[str, float] = {}

    def heard(event: DeviceEvent) -> None:
        if isinstance(event, CardRead | CodeScanned):
            seen[type(event).__name__] = time.monotonic()

    def screen() -> str:
        return str(app.root.manager.current)

    def greeting_shown() -> bool:
        return screen() == "choose" and bool(app.root.manager.current_screen.greeting)

    def named(test_name: str) -> Any:
        found = [w for w in app.root.walk() if getattr(w, "test_name", None) == test_name and w.opacity > 0]
        assert len(found) == 1, f"{len(found)} widgets named {test_name!r} on {screen()}"
        return found[0]

    def to_attract(reader: SimWireIdCardReader) -> Iterator[float]:
        if session.step is not Step.ATTRACT:
            yield from until(lambda: not session.printing, "the print to finish")
            session.home()
        yield from until(lambda: screen() == "attract" and reader.status.media is MediaStatus.NOT_PRESENT,
                         "attract with an empty reader")
        yield 0.1

    def card_trials(reader: SimWireIdCardReader) -> Script:
        sizes = {c.name: len(c.frame) for c in p.COMMANDS}
        rng = random.Random(13)
        for trial in range(WARM_UP + trials):
            yield from to_attract(reader)
            # Land anywhere in the poll cycle, as a hand does. The loop gets here in step with
            # the find that saw the last card leave, and Kivy's clock runs a wait on its 60 Hz
            # frames, so a wait on the clock keeps a phase (it put the placing 15 ms later in the
            # cycle than chance): a thread of its own places the card, up to ten cycles on.
            placing = PlacedLater(reader, rng.uniform(0, 10 * reader.timing.poll_interval))
            shown = yield Frame(greeting_shown, "the greeting")
            placed = placing.at()
            assert shown is not None
            trace = [t for t in reader.model.trace if t[0] >= placed]
            start = next(i for i, t in enumerate(trace) if t[1] == "find_card" and t[2] > 11)  # the find that saw it
            wire = sum(sizes[name] + size for _, name, size in trace[start : start + 3]) * 10 / 115200
            finish_wait = runner.finish_wait  # the greeting frame's, read before any other frame
            row = [shown - placed, wire, seen["CardRead"] - placed, trace[start][0] - placed]
            yield 0.3  # settled: then the same screen drawn again, nothing changed (the renderer's floor)
            from kivy.core.window import Window  # only once the app made it at its size

            asked = time.monotonic()
            Window.canvas.ask_update()
            redrawn = yield Frame(lambda: True, "a redraw")
            assert redrawn is not None
            row += [redrawn - asked, finish_wait]
            results["card" if trial >= WARM_UP else "card_warm_up"].append(row)
            reader.remove_card()

    def qr_trials(reader: SimWireIdCardReader, scanner: SimWireQrScanner) -> Script:
        issuer = terminal.link.login_issuer
        baudrate = scanner.settings.baudrate
        for _ in range(trials):
            yield from to_attract(reader)
            data = issuer.login_code(samples.RESIDENT.name, samples.RESIDENT.id_number).encode()
            data += scanner.simulator.suffix.bytes
            began = time.monotonic()
            threading.Thread(target=paced_write, args=(scanner.simulator.write, data, baudrate), daemon=True).start()
            shown = yield Frame(greeting_shown, "the greeting after a login code")
            assert shown is not None
            results["qr"].append([shown - began, len(data) * 10 / baudrate, seen["CodeScanned"] - began, len(data)])

    def submit_trials(reader: SimWireIdCardReader, printer: SimWirePrinter) -> Script:
        link = terminal.link
        stored: list[float] = []
        started: list[tuple[float, int]] = []
        store_all, print_document = link.store_all, printer.print_document

        def timed_store(cases: Any) -> Any:
            began = time.monotonic()
            try:
                return store_all(cases)
            finally:
                stored.append(time.monotonic() - began)

        def timed_print(document: Any) -> None:
            started.append((time.monotonic(), printer.simulator.received))
            print_document(document)

        link.store_all, printer.print_document = timed_store, timed_print
        try:
            for trial in range(WARM_UP + trials):
                yield from to_attract(reader)
                reader.place_card(samples.RESIDENT)
                yield from until(greeting_shown, "the greeting")
                reader.remove_card()
                session.choose(SUBMIT_ITEM)
                session.start_form()
                while session.step is Step.FORM:
                    assert session.item is not None
                    assert session.answer(answer_for(session.question, session.item.asked_fields)), session.error
                session.accept_commitments(True)
                yield from until(lambda: screen() == "review", "the review")
                yield 0.3  # laid out and idle, as a resident's finger finds it
                button = named("submit")
                x, y = button.to_window(*button.center)
                from kivy.tests.common import UnitTestTouch

                touch = UnitTestTouch(x, y)
                tapped = time.monotonic()
                touch.touch_down()
                touch.touch_up()
                shown = yield Frame(lambda: screen() == "receipt", "the receipt")
                assert shown is not None and session.case is not None
                case = session.case
                yield from until(lambda c=case: c.print_state is not PrintState.PRINTING, "the receipt printed")
                if case.print_state is not PrintState.PRINTED:  # counted and said; the next trial goes on
                    results["print_failed"].append(session.say(case.print_problem) if case.print_problem else "")
                    printer.set_paper(200)  # whatever it was, a technician would have put it right
                    continue
                cut_at, cut_bytes = printer.simulator.cut_trace[-1]
                print_began, bytes_before = started[-1]
                if trial >= WARM_UP:
                    results["submit"].append([shown - tapped, stored[-1]])
                    wire = (cut_bytes - bytes_before) * 10 / PRINTER_BAUD
                    results["print"].append([cut_at - print_began, wire, cut_bytes - bytes_before])
        finally:
            link.store_all, printer.print_document = store_all, print_document

    def elder_walk(reader: SimWireIdCardReader, runner: Runner) -> Script:
        from tests.ui.test_catalog_walk_ui import answer_by_touch, finger
        from tests.ui.ui_support import find, seek, tap, turn_to

        root = app.root
        runner.where = lambda: f"{screen()}:{session.question.id}" if session.step is Step.FORM else screen()
        items = [i for i in session.items if i.channel is not Channel.COUNTER][:WALKED]  # listed most used first
        for item in items:
            yield from to_attract(reader)
            first_touch, first_wait = len(runner.touches), len(runner.touch_to_frame)
            tap(find(root, "elder-toggle"))
            yield from until(lambda: session.elder_mode, "elder mode")
            yield 0.2
            placed = time.monotonic()
            reader.place_card(samples.RESIDENT)
            shown = yield Frame(greeting_shown, "the greeting (elder mode)")
            assert shown is not None
            card_wait = shown - placed
            reader.remove_card()
            yield 0.3  # the tiles are laid out
            yield from turn_to(root, f"item-{item.id}")
            yield from finger(find(root, f"item-{item.id}"))
            yield from until(lambda: screen() == "guide", "the guide")
            yield 0.2
            tap(find(root, "start-form"))
            while True:
                yield from until(lambda: screen() in ("form", "review"), "the form or the review")
                if screen() == "review":
                    break
                question, number = session.question, session.form_index
                yield from until(lambda q=question: find(root, "form-question").text == q.label, "the question")
                yield 0.15  # the answer widget is laid out a frame after the question shows
                assert session.item is not None
                yield from answer_by_touch(root, question, session.item.asked_fields)
                yield from until(lambda q=question, n=number: session.step is not Step.FORM or session.form_index != n
                                 or session.question.id != q.id or bool(session.error),
                                 f"the next question after {item.id}: {question.id} ({question.kind.value})")
                assert not session.error, f"{item.id}: {question.id}: {session.error}"
            if session.commitments:
                yield from seek(root, "commitments")
                tap(find(root, "commitments"))
                yield from until(lambda: all(session.commitments), "the commitments ticked")
            yield 0.2
            tap(find(root, "submit"))
            yield from until(lambda: screen() == "receipt", "the receipt (elder mode)")
            yield 0.2
            touches = [where for _, where in runner.touches[first_touch:]]
            asked = [q for q in session.questions]
            results["walk"].append({
                "item": item.id,
                "touches": touches,
                "questions": [[q.id, q.kind.value] for q in asked],
                "waits": runner.touch_to_frame[first_wait:],
                "card_wait": card_wait,
            })
        runner.where = lambda: ""

    def script() -> Script:
        yield from until(lambda: terminal.started and terminal.link is not None
                         and terminal.identification.parser is not None, "the terminal", timeout=60)
        devices = terminal.devices
        reader, scanner, printer = devices.id_card, devices.qr, devices.printer
        assert isinstance(reader, SimWireIdCardReader) and isinstance(scanner, SimWireQrScanner)
        assert isinstance(printer, SimWirePrinter)
        yield from until(lambda: all(d.status.state is DeviceState.ONLINE for d in (reader, scanner, printer)),
                         "every device online", timeout=30)
        reader.subscribe(heard)
        scanner.subscribe(heard)
        results["poll"] = reader.timing.poll_interval
        results["scanner_baud"] = scanner.settings.baudrate
        yield from card_trials(reader)
        yield from qr_trials(reader, scanner)
        yield from elder_walk(reader, runner)  # before the submits, which would rank their item first
        yield from submit_trials(reader, printer)
        yield from to_attract(reader)

    def done() -> None:
        print(json.dumps(results), flush=True)
        terminal.stop()
        shutil.rmtree(data, ignore_errors=True)  # the outbox, receipts' PNGs, logs of this run
        os._exit(0)

    runner = Runner(script(), done)
    runner.start()
    app.run()


if __name__ == "__main__":
    main(int(sys.argv[1]), float(sys.argv[2]) if len(sys.argv) > 2 else None)
