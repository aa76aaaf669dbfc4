"""A technician's visit through the real Kivy window, with real touches, checked on every screen.

The hidden gesture (hold the top-left corner 2 s, then tap the bottom-right), a wrong PIN and
the right one on the pad, every section of the menu, every self-test against the simulated
devices (the developer controls place the card and scan a code, as the developer panel's
buttons would; the panel itself stays off so the PNGs show what a technician sees), then
leaving by hand and, after a second entry, by the auto-exit; last, a technician's code scanned
at attract opens maintenance without the PIN. With ``--camera`` the scanner is the camera
driver reading a folder of frames, and codes are held up to it as images. Used by
``test_maintenance_ui.py``; run alone it renders every screen to PNG in one orientation::

    python -m tests.ui.maintenance_tour --orientation landscape --camera --out docs/screens/maintenance

Kivy allows one window per process, so each orientation is a process of its own.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from contract import qr_codes
from drivers.idcard import samples
from drivers.simulated import SimulatedQrScanner
from kiosk.config.settings import KioskConfig
from kiosk.maintenance.pin import PinStore
from kiosk.modes import Mode
from kiosk.session.session import Step
from kiosk.terminal import Terminal
from tests.kiosk.kiosk_support import FakeClock

if TYPE_CHECKING:
    from tests.ui.ui_support import Script

PIN = "246813"
WRONG_PIN = "135790"
MIN_TARGET = 44  # dp (density 1 here): technicians get the standard size, not elder mode's
HOLD_S = 2.2  # the long press: at least two seconds
CORNER_INSET = 20  # px from the window's edges: well inside the gesture's corner squares
SLOW_S = 60  # the test page loads the rare-character fonts: seconds under a busy UI thread


@dataclasses.dataclass
class Visit:
    """What the tour needs: the running app, its terminal and clock, where the PNGs go."""

    app: Any
    terminal: Terminal
    clock: FakeClock
    orientation: str
    shots: Path | None
    stick: Path  # the folder standing in for a mounted USB stick
    camera: Path | None = None  # the camera's folder of frames, when the scanner is a camera
    technician_code: str = ""  # a signed technician code this kiosk trusts
    seen: dict[str, list[str]] = dataclasses.field(default_factory=dict)


def prepare(config: KioskConfig, tmp: Path, camera: Path | None = None) -> tuple[KioskConfig, str]:
    """The configuration for the tour and a technician code it trusts: a PIN set, a USB root with
    one stick in it, the technicians' issuer key; with ``camera``, the QR scanner is the camera
    driver reading that folder's frames (a test pattern, no code)."""
    media = tmp / "media"
    (media / "usb0").mkdir(parents=True, exist_ok=True)
    issuer = Ed25519PrivateKey.generate()
    maintenance = dataclasses.replace(
        config.maintenance, usb_roots=(media,), technician_public_keys=(issuer.public_key(),)
    )
    config = dataclasses.replace(config, maintenance=maintenance)
    now = datetime.now(UTC)
    code = qr_codes.issue_code(issuer, kind=qr_codes.KIND_TECHNICIAN, code_id="T-0042",
                               audience=config.site.code_audience, issued_at=now, expires_at=now + timedelta(hours=2))
    if camera is not None:
        camera.mkdir(parents=True, exist_ok=True)
        write_test_pattern(camera / "0-pattern.png")
        url = f"camera://{camera}?fps=5&loop=1&repeat_ms=1000"
        config = dataclasses.replace(config, devices=dataclasses.replace(config.devices, qr=url))
    Path(config.data_dir).mkdir(parents=True, exist_ok=True)
    PinStore(Path(config.data_dir)).set_pin(PIN)
    return config, code


def write_test_pattern(path: Path) -> None:
    """A camera frame with no code in it: colour bars and a grey ramp."""
    import cv2
    import numpy as np

    frame = np.zeros((480, 640, 3), dtype=np.uint8)
    bars = [(255, 255, 255), (0, 255, 255), (255, 255, 0), (0, 255, 0), (255, 0, 255), (0, 0, 255), (255, 0, 0)]
    for index, colour in enumerate(bars):
        frame[:320, index * 92 : (index + 1) * 92] = colour
    frame[320:, :] = np.linspace(0, 255, 640, dtype=np.uint8)[None, :, None]
    cv2.imwrite(str(path), frame)


def show_code(folder: Path, text: str) -> Path:
    """Put a code in front of the camera: a QR image among its frames (written whole, then named)."""
    from kiosk.printing.qr_image import make_qr

    draft, shown = folder / "1-code.part", folder / "1-code.png"
    make_qr(text).save(str(draft), kind="png", scale=8, border=4)
    draft.replace(shown)
    return shown


def tour(visit: Visit) -> Callable[[], Script]:
    """The script ``run_with_script`` plays (Kivy is imported here: ``main`` sets it up first)."""
    from kivy.tests.common import UnitTestTouch

    from kiosk.devices.developer import DeveloperControls
    from screens.screenshot import save_screen
    from tests.ui.ui_support import exists, find, small_touch_targets, tap, texts, until

    app, terminal, clock = visit.app, visit.terminal, visit.clock

    def screen() -> str:
        return str(app.root.manager.current)

    def text(name: str) -> str:
        return str(find(app.root, name).text)

    def shot(name: str) -> None:
        visit.seen[name] = texts(app.root.manager.current_screen)
        if visit.shots is not None:
            save_screen(app.root, str(visit.shots / f"{name}-{visit.orientation}.png"))

    def gesture():  # type: ignore[no-untyped-def]
        width, height = app.root.size
        held = UnitTestTouch(CORNER_INSET, height - CORNER_INSET)
        held.touch_down()
        pressed = time.monotonic()
        while time.monotonic() - pressed < HOLD_S:  # the Kivy clock counts from the frame's start
            yield 0.1
        held.touch_up()
        yield 0.2
        tapped = UnitTestTouch(width - CORNER_INSET, CORNER_INSET)
        tapped.touch_down()
        tapped.touch_up()
        yield from until(lambda: screen() == "maintenance_pin")

    def type_pin(pin: str):  # type: ignore[no-untyped-def]
        for digit in pin:
            tap(find(app.root, f"pin-{digit}"))
        yield 0.1
        assert text("pin-dots") == "●" * len(pin)
        tap(find(app.root, "pin-ok"))
        yield 0.3

    def open_section(action: str, title: str):  # type: ignore[no-untyped-def]
        if exists(app.root, "back"):
            tap(find(app.root, "back"))
            yield from until(lambda: text("mt-title") == "维护菜单")
        tap(find(app.root, f"mt-open-{action}"))
        yield from until(lambda: text("mt-title") == title)

    def self_test(test: str, busy: str, outcome: str, device_action: str | None):  # type: ignore[no-untyped-def]
        tap(find(app.root, f"mt-test-{test}"))
        if device_action is not None:
            yield from until(lambda: text("mt-busy") == busy)
            assert all(not b.enabled for b in (find(app.root, f"mt-test-{t}") for t in ("card", "qr", "print")))
            shot(f"self-test-{test}-waiting")
            DeveloperControls(terminal).run(device_action)
        yield from until(lambda: text("mt-outcome").startswith(outcome), timeout=SLOW_S)
        assert text("mt-busy") == ""
        shot(f"self-test-{test}")

    def script():  # type: ignore[no-untyped-def]
        root = app.root
        yield from until(lambda: screen() == "attract" and terminal.started)
        tap(find(root, "elder-toggle"))  # a resident left elder mode on at attract
        yield from until(lambda: terminal.session.elder_mode)

        # The gesture opens the PIN pad; a wrong PIN says how many tries are left.
        yield from gesture()
        assert text("pin-title") == "维护登录" and text("pin-dots") == ""
        assert not root.header.show_elder and not root.footer.show_help
        yield from type_pin(WRONG_PIN)
        assert text("pin-message") == "密码错误，还可尝试 2 次"
        assert screen() == "maintenance_pin" and terminal.mode is not Mode.MAINTENANCE
        shot("pin-wrong")
        yield from type_pin(PIN)
        yield from until(lambda: screen() == "maintenance")

        # The menu: which kiosk, the countdown to the auto-exit, every section; standard sizes.
        assert text("mt-title") == "维护菜单"
        assert text("row-terminal") == terminal.config.terminal_id
        assert text("row-site") == terminal.config.site.name
        assert "后自动退出维护" in text("mt-auto-exit")
        assert app.theme.body == 36, "maintenance keeps the standard sizes even in elder mode"
        assert small_touch_targets(root.manager, MIN_TARGET) == []
        assert find(root, "home").text == "退出维护" and not root.footer.show_back
        shot("menu")

        yield from open_section("devices", "设备状态")
        assert text("row-idcard") == "正常" and text("row-printer") == "正常"
        assert find(root, "back").text == "返回维护菜单"
        shot("devices")
        DeveloperControls(terminal).run("paper:0")  # the roll runs out while the technician looks
        yield from until(lambda: text("row-printer") == "在线，需处理")
        shot("devices-fault")
        DeveloperControls(terminal).run("paper:200")
        tap(find(root, "mt-refresh"))
        yield from until(lambda: text("row-printer") == "正常")

        yield from open_section("self_test", "自检")
        shot("self-test")
        yield from self_test("card", "请放置身份证……", "✔ 通过：读卡成功", "card:0")
        resident = samples.ALL[0]
        assert text("row-detail-1") == resident.name[0] + "*"  # the name, masked
        assert text("row-detail-2") == resident.id_number[:4] + "*" * 10 + resident.id_number[-4:]
        assert terminal.session.step is Step.ATTRACT, "a self-test's card is not a resident's"
        DeveloperControls(terminal).run("card:remove")
        if visit.camera is None:
            yield from self_test("qr", "请将二维码对准扫码窗口……", "✔ 通过：扫码成功", "qr:garbage")
        else:  # the technician holds a code to the camera, then takes it away
            tap(find(root, "mt-test-qr"))
            yield from until(lambda: text("mt-busy") == "请将二维码对准扫码窗口……")
            shot("self-test-qr-waiting")
            code = show_code(visit.camera, "https://example.com/camera-test")
            yield from until(lambda: text("mt-outcome").startswith("✔ 通过：扫码成功"), timeout=20)
            code.unlink()
            shot("self-test-qr")
        yield from self_test("print", "", "✔ 通过：打印测试页完成", None)
        if visit.camera is None:
            yield from self_test("camera", "", "✘ 未通过：无摄像头", None)
        else:
            yield from self_test("camera", "", "✔ 通过：已取得摄像头画面", None)
            assert find(root, "mt-frame").texture is not None, "the frame is shown"

        yield from open_section("paper", "纸卷")
        shot("paper")
        tap(find(root, "mt-paper-replaced"))
        yield from until(lambda: text("mt-outcome") == "已记录更换纸卷，计数从零开始")
        assert text("row-printed") == "0 张"
        shot("paper-replaced")

        yield from open_section("queue", "待发送")
        tap(find(root, "mt-queue-send"))
        yield from until(lambda: text("mt-outcome").startswith("发送完成"))
        assert text("row-unsent") == "0 件"
        shot("queue")

        yield from open_section("link", "中心连接测试")
        tap(find(root, "mt-link-run"))
        yield from until(lambda: text("mt-outcome").startswith("✔ 与中心连接正常"), timeout=20)
        assert text("row-step-auth").startswith("✔")
        shot("link")

        yield from open_section("versions", "版本与配置")
        assert text("row-catalog") == terminal.config.catalog.version
        shot("versions")

        yield from open_section("counters", "业务量统计")
        assert exists(root, "row-by-day")
        shot("counters")

        yield from open_section("export", "导出日志")
        terminal.desk.is_mount = lambda path: path == visit.stick  # type: ignore[union-attr]
        tap(find(root, "mt-export-refresh"))
        yield from until(lambda: exists(root, "mt-export-stick-0"))
        assert find(root, "mt-export-stick-0").selected, "one stick: already chosen"
        tap(find(root, "mt-export-run"))
        yield from until(lambda: text("mt-outcome").startswith("已导出"), timeout=20)
        assert any(visit.stick.iterdir()), "the export is on the stick"
        shot("export")

        yield from open_section("service", "暂停/恢复服务")
        tap(find(root, "mt-service-reason-0"))
        yield 0.1
        assert find(root, "mt-service-reason-0").selected
        shot("service")
        tap(find(root, "mt-service-out"))
        yield from until(lambda: text("row-service-state") == "暂停服务：更换打印机")
        shot("service-out")
        tap(find(root, "mt-service-back"))
        yield from until(lambda: text("row-service-state") == "正常服务")

        yield from open_section("restart", "重启应用")
        tap(find(root, "mt-restart-ask"))
        yield from until(lambda: text("mt-outcome") == "确定要重启应用吗？")
        shot("restart")
        tap(find(root, "mt-restart-cancel"))
        yield from until(lambda: exists(root, "mt-restart-ask"))

        # Leaving by hand: back at attract, the resident's frame again.
        tap(find(root, "home"))
        yield from until(lambda: screen() == "attract")
        assert terminal.mode is Mode.RESIDENT and root.header.show_elder and root.footer.show_help
        png = terminal.take_screenshot()
        assert png is not None and png.startswith(b"\x89PNG"), "the remote screenshot hook draws the screen"

        # In again; left alone, the countdown shows in the last minute, then maintenance ends.
        yield from gesture()
        yield from type_pin(PIN)
        yield from until(lambda: screen() == "maintenance")
        clock.advance(terminal.config.maintenance.idle_exit_s - 30)
        yield from until(lambda: "点击屏幕任意处继续" in text("mt-auto-exit"), timeout=3)
        assert 25 <= int(text("mt-auto-exit").partition("秒")[0]) <= 31, text("mt-auto-exit")
        shot("menu-auto-exit")
        clock.advance(31)
        yield from until(lambda: screen() == "attract", timeout=3)
        assert terminal.mode is Mode.RESIDENT

        # A technician's code scanned at attract opens maintenance with no PIN.
        if visit.camera is None:
            scanner = terminal.devices.qr
            assert isinstance(scanner, SimulatedQrScanner)
            scanner.scan(visit.technician_code)
            yield from until(lambda: screen() == "maintenance")
        else:
            code = show_code(visit.camera, visit.technician_code)
            yield from until(lambda: screen() == "maintenance", timeout=SLOW_S)
            code.unlink()
        assert text("mt-title") == "维护菜单"
        tap(find(root, "home"))
        yield from until(lambda: screen() == "attract")

    return script


def main(argv: list[str] | None = None) -> int:
    """Play the tour in one orientation, saving a PNG of each screen under ``--out``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orientation", choices=("portrait", "landscape"), default="portrait")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--camera", action="store_true", help="the QR scanner is a camera (a folder of frames)")
    args = parser.parse_args(argv)
    for name, value in (("SDL_VIDEODRIVER", "offscreen"), ("KIVY_NO_ARGS", "1"), ("KIVY_NO_CONSOLELOG", "1")):
        os.environ.setdefault(name, value)
    from kiosk.app import build_app, prepare_kivy
    from kiosk.cli.embedded_centre import centre_connector
    from kiosk.config.settings import load_config
    from tests.kiosk.kiosk_support import config_under
    from tests.ui.ui_support import run_with_script

    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        camera = tmp / "camera" if args.camera else None
        config, code = prepare(config_under(load_config(), tmp), tmp, camera)
        clock = FakeClock()
        terminal = Terminal(config, clock=clock, centre=centre_connector(config))
        prepare_kivy(config, args.orientation)
        terminal.start()
        app = build_app(config, terminal, developer_panel=False)
        visit = Visit(app, terminal, clock, args.orientation, args.out, stick=tmp / "media" / "usb0", camera=camera,
                      technician_code=code)
        try:
            run_with_script(app, tour(visit))
        except Exception:  # Kivy's logging swallows the traceback otherwise
            traceback.print_exc(file=sys.__stderr__)
            return 1
        finally:
            terminal.stop()
    for name in visit.seen:
        print(args.out / f"{name}-{args.orientation}.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
