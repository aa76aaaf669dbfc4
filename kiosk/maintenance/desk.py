"""``MaintenanceDesk``: everything a technician does in maintenance mode, as plain calls.

The maintenance screens call only this; it calls the terminal's devices, outbox, link and
configuration, and writes each action to the audit log. Its reports are the frozen
dataclasses of ``kiosk.maintenance.reports``.
Slow calls (a self-test, the link test, a log export) block: the screens run them off the
UI thread and show the report when it comes.
"""

from __future__ import annotations

import os
import queue
import socket
import ssl
import time
from collections.abc import Callable
from dataclasses import fields, is_dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from contract import qr_codes
from contract.wire import RatingLevel
from drivers.device import CardRead, DeviceErrorEvent, DeviceEvent, DeviceStatus
from drivers.errors import DriverError
from drivers.idcard.record import IdCardRecord, mask_middle
from drivers.qr.scanner import FrameCamera
from kiosk.config.settings import is_loopback
from kiosk.delivery.heartbeat import software_version
from kiosk.errors import CentreError, CentreRejected, CentreUnavailable, CentreUnreachable
from kiosk.maintenance.faults import error_words, status_fault
from kiosk.maintenance.logs import write_export
from kiosk.maintenance.paper_roll import RollState
from kiosk.maintenance.reports import (
    CountersReport,
    DeviceLine,
    ExportReport,
    LinkReport,
    LinkStep,
    PaperReport,
    QueueReport,
    SelfTestResult,
    VersionsReport,
)
from kiosk.printing.test_page import build_test_page
from kiosk.session.outcome import RATINGS

if TYPE_CHECKING:
    from kiosk.terminal import Terminal


class MaintenanceDesk:
    """The technician's handle on the kiosk; one per maintenance visit.

    Every method touches the visit (it counts as activity for the auto-exit). Every test and
    every change writes an audit entry with the visit's actor (``pin`` or ``code:<id>``),
    never personal data; merely looking (devices, paper, queue, versions, counters) does not,
    so a screen refreshing itself does not flood the log.
    """

    export_dir_name = "kiosk-logs"

    def __init__(self, terminal: Terminal, actor: str) -> None:
        self._terminal = terminal
        self.actor = actor
        self.is_mount: Callable[[Path], bool] = os.path.ismount  # tests stand a folder in for a stick

    # --- devices and self-tests ----------------------------------------------------------

    def devices(self) -> list[DeviceLine]:
        """Every device with its state and last error in technician wording."""
        self._touch()
        terminal = self._terminal
        lines = []
        for device in terminal.devices.all():
            status = device.status
            last = terminal.faults.last_error(device.name)
            lines.append(DeviceLine(
                name=device.name,
                label=DEVICE_LABELS.get(device.name, device.name),
                state=status.state.value,
                healthy=status_fault(status) is None,
                last_error=last.words if last is not None else "",
                last_error_at=last.at.strftime("%Y-%m-%d %H:%M") if last is not None else "",
            ))
        for name, fault in terminal.faults.standing_faults().items():  # e.g. a refused catalogue
            lines.append(DeviceLine(name=name, label=DEVICE_LABELS.get(name, name), state="fault", healthy=False,
                                    last_error=fault.words, last_error_at=fault.at.strftime("%Y-%m-%d %H:%M")))
        return lines

    def test_card(self, timeout_s: float = 20) -> SelfTestResult:
        """Wait for a card on the reader; show its fields masked (nothing of them is logged)."""
        self._touch()
        reader = self._terminal.devices.id_card
        down = self._unusable("card", reader.status)
        if down is not None:
            return down
        events: queue.Queue[DeviceEvent] = queue.Queue()
        unsubscribe = reader.subscribe(
            lambda event: events.put(event) if isinstance(event, CardRead | DeviceErrorEvent) else None
        )
        try:
            event = _next(events, timeout_s)
        finally:
            unsubscribe()
        self._touch()
        if isinstance(event, CardRead) and isinstance(event.record, IdCardRecord):
            record = event.record
            details = (
                ("证件类型", CARD_TYPE_LABELS.get(record.card_type.value, record.card_type.value)),
                ("姓名", mask_card_name(record.name)),
                ("证件号", mask_card_number(record.id_number)),
                ("数据校验", "通过" if record.valid else "未通过"),
            )
            result = SelfTestResult("card", True, "读卡成功", details)
            self._audit("selftest.card", detail=f"card_type={record.card_type.value} valid={record.valid}")
        elif isinstance(event, DeviceErrorEvent):
            code, words = error_words(event.error)
            result = SelfTestResult("card", False, words)
            self._audit("selftest.card", "failed", code)
        else:
            result = SelfTestResult("card", False, f"超时：{int(timeout_s)} 秒内未放卡（已放置的证件请取下重放）")
            self._audit("selftest.card", "failed", "timeout")
        return result

    def test_qr(self, timeout_s: float = 20) -> SelfTestResult:
        """Wait for a code; say what kind it is and how long, never what it says."""
        self._touch()
        scanner = self._terminal.devices.qr
        down = self._unusable("qr", scanner.status)
        if down is not None:
            return down
        text = scanner.read_code(timeout_s)
        self._touch()
        if text is None:
            self._audit("selftest.qr", "failed", "timeout")
            return SelfTestResult("qr", False, f"超时：{int(timeout_s)} 秒内未扫到码")
        kind = self._code_kind(text)
        self._audit("selftest.qr", detail=f"kind={kind} length={len(text)}")
        details = (("类型", CODE_KIND_LABELS.get(kind, kind)), ("长度", f"{len(text)} 字符"))
        return SelfTestResult("qr", True, "扫码成功", details)

    def test_print(self) -> SelfTestResult:
        """Print the test page."""
        self._touch()
        terminal = self._terminal
        printer = terminal.devices.printer
        page = build_test_page(printer.capabilities.model, printer.capabilities.features, terminal.now(),
                               terminal.config.terminal_id)
        try:
            printer.print_document(page)
        except DriverError as err:
            code, words = error_words(type(err))
            terminal.faults.error(printer.name, type(err), terminal.now())
            self._audit("selftest.print", "failed", code)
            return SelfTestResult("print", False, words)
        finally:
            self._touch()
        terminal.paper_roll.printed()
        self._audit("selftest.print")
        return SelfTestResult("print", True, "打印测试页完成")

    def test_camera(self) -> SelfTestResult:
        """Grab a frame from the camera (the QR camera), as a PNG."""
        self._touch()
        camera = self._terminal.devices.qr
        if not isinstance(camera, FrameCamera):
            self._audit("selftest.camera", "failed", "no_camera")
            return SelfTestResult("camera", False, "无摄像头：本机扫码器不是摄像头")
        image = camera.snapshot_png()
        if image is None:
            self._audit("selftest.camera", "failed", "no_frame")
            return SelfTestResult("camera", False, "摄像头未取得画面：请检查摄像头连接")
        self._audit("selftest.camera", detail=f"{len(image)} bytes")
        return SelfTestResult("camera", True, "已取得摄像头画面", image_png=image)

    # --- paper and the outbox --------------------------------------------------------------

    def paper(self) -> PaperReport:
        self._touch()
        return _paper_report(self._terminal.paper_roll.report())

    def paper_replaced(self) -> PaperReport:
        """A new roll is in: count from zero."""
        self._touch()
        report = _paper_report(self._terminal.paper_roll.replaced())
        self._audit("paper.replaced", detail=f"estimated_left={report.estimated_left}")
        return report

    def queue(self) -> QueueReport:
        """The unsent cases: how many, the oldest's age, quarantined rows, the last attempt."""
        self._touch()
        return self._queue_report()

    def send_now(self) -> QueueReport:
        """Try the refused rows again and wake the sender now."""
        self._touch()
        retried = self._terminal.send_now()
        report = self._queue_report()
        self._audit("queue.send_now", detail=f"unsent={report.unsent} retried={retried}")
        return report

    def _queue_report(self) -> QueueReport:
        link = self._terminal.link
        if link is None:
            return QueueReport(0, None, 0, "尚未连接中心（正在启动）")
        stats = link.stats()
        error = link.sender.last_error
        return QueueReport(
            unsent=stats.unsent,
            oldest_age_s=stats.oldest_pending_age_s,
            quarantined=stats.quarantined,
            last_attempt=centre_words(error) if error is not None else "",
        )

    # --- the centre link ---------------------------------------------------------------------

    def test_link(self) -> LinkReport:
        """DNS, TLS (certificate expiry), an authenticated request, and its round trip."""
        self._touch()
        terminal = self._terminal
        link = terminal.link
        base_url = link.client.base_url if link is not None else terminal.config.centre.url
        parts = urlsplit(base_url)
        host, local = parts.hostname or "", terminal.config.centre.embedded or is_loopback(base_url)
        steps: list[LinkStep] = []
        if local:
            steps.append(LinkStep("dns", True, "不适用（本机中心）"))
        else:
            steps.append(_dns_step(host))
        if parts.scheme != "https":
            steps.append(LinkStep("tls", True, "不适用（本机 http）"))
        elif steps[-1].ok:
            centre = terminal.config.centre
            steps.append(_tls_step(host, parts.port or 443, centre.ca_file, centre.client_cert))
        if link is None:
            steps.append(LinkStep("auth", False, "尚未连接中心（正在启动）"))
        else:
            started = time.perf_counter()
            try:
                link.client.last_case_number(terminal.now().strftime("%Y%m%d"))
            except CentreError as err:
                steps.append(LinkStep("auth", False, centre_words(err)))
            else:
                elapsed_ms = (time.perf_counter() - started) * 1000
                steps.append(LinkStep("auth", True, "令牌有效"))
                steps.append(LinkStep("round_trip", True, f"{elapsed_ms:.0f} ms"))
        self._touch()
        report = LinkReport(tuple(steps))
        failed = [step.name for step in steps if not step.ok]
        self._audit("selftest.link", "ok" if report.ok else "failed", ",".join(failed))
        return report

    # --- versions, configuration and counters ------------------------------------------------

    def versions(self) -> VersionsReport:
        """Software, catalogue and configuration versions; the configuration in force, secrets masked."""
        self._touch()
        config = self._terminal.config
        settings = tuple(
            (name, value) for name, value in _flatten("", config) if not name.startswith("catalog")
        )
        return VersionsReport(
            software=software_version(),
            catalog=self._terminal.session.catalog.version,  # the one in use (the centre's, once switched)
            config_file=str(config.source),
            settings=settings,
        )

    def counters(self) -> CountersReport:
        """业务量统计: the last seven days, and today's cases by item and ratings."""
        self._touch()
        terminal = self._terminal
        days = terminal.counters.recent(7)
        names = {item.id: item.name for item in terminal.config.items}
        today = days[0]
        return CountersReport(
            days=tuple(
                (d.day, d.sessions_started, sum(d.cases_by_item.values()), d.prints, d.read_failures) for d in days
            ),
            cases_by_item_today=tuple(
                (names.get(item, item), count)
                for item, count in sorted(today.cases_by_item.items(), key=lambda pair: -pair[1])
            ),
            ratings_today=tuple(
                (RATING_LABELS[level], today.ratings.get(level.value, 0)) for level in RatingLevel
            ),
        )

    # --- log export ------------------------------------------------------------------------------

    def usb_mounts(self) -> list[Path]:
        """Writable mounted folders under the configured roots (/media/usb, /run/media/<user>/<label>)."""
        found: list[Path] = []
        for root in self._terminal.config.maintenance.usb_roots:
            for candidate in _children(root) + [grand for child in _children(root) for grand in _children(child)]:
                if self.is_mount(candidate) and os.access(candidate, os.W_OK) and candidate not in found:
                    found.append(candidate)
        return found

    def export_logs(self, mount: Path | None = None) -> ExportReport:
        """Write the redacted logs and the audit log to the stick as ``kiosk-logs-<terminal>-<time>.jsonl.gz``."""
        self._touch()
        terminal = self._terminal
        if mount is None:
            mounts = self.usb_mounts()
            mount = mounts[0] if mounts else None
        if mount is None or not mount.is_dir():
            self._audit("logs.export", "failed", "no_usb")
            return ExportReport(False, "", 0, "未找到U盘：请插入U盘后重试")
        stamp = terminal.now().strftime("%Y%m%d-%H%M%S")
        name = f"{self.export_dir_name}-{terminal.config.terminal_id}-{stamp}.jsonl.gz"
        target = mount / name
        try:
            with target.open("wb") as out:
                lines = write_export(out, terminal.config.maintenance.logs_in(terminal.config.data_dir), terminal.audit)
                out.flush()
                os.fsync(out.fileno())
        except OSError as err:
            self._audit("logs.export", "failed", type(err).__name__)
            return ExportReport(False, "", 0, f"写入U盘失败：{err.strerror or type(err).__name__}")
        finally:
            self._touch()
        self._audit("logs.export", detail=f"{lines} lines")
        return ExportReport(True, str(target), lines, f"已导出 {lines} 行到 {target}")

    # --- service ---------------------------------------------------------------------------------

    def take_out_of_service(self, reason: str) -> None:
        self._touch()
        self._terminal.take_out_of_service(reason, self.actor)

    def put_back_in_service(self) -> None:
        self._touch()
        self._terminal.put_back_in_service(self.actor)

    def restart_app(self) -> bool:
        """End the app cleanly (exit code 0: the service manager starts it again); False when it cannot."""
        self._touch()
        return self._terminal.restart_app(self.actor)

    def leave(self) -> None:
        """Back to attract."""
        self._terminal.leave_maintenance()

    # --- helpers -----------------------------------------------------------------------------------

    def _touch(self) -> None:
        self._terminal.maintenance_touched()

    def _unusable(self, test: str, status: DeviceStatus) -> SelfTestResult | None:
        """A failed result at once when the device cannot work now (nothing to wait for)."""
        fault = status_fault(status)
        if fault is None:
            return None
        self._audit(f"selftest.{test}", "failed", fault[0])
        return SelfTestResult(test, False, fault[1])

    def _audit(self, action: str, outcome: str = "ok", detail: str = "") -> None:
        self._terminal.audit.append(self.actor, action, outcome, detail)

    def _code_kind(self, text: str) -> str:
        stripped = text.strip()
        if stripped.startswith((qr_codes.PREFIX, qr_codes.PREFIX_V1)):
            link = self._terminal.link
            trusts = [self._terminal.technician_trust] + ([link.code_trust] if link is not None else [])
            for trust in trusts:
                try:
                    return qr_codes.verify_code(stripped, trust, now=self._terminal.now()).kind
                except qr_codes.QrCodeError:
                    continue
            return "signed_unverified"
        if stripped.startswith(self._terminal.config.centre.lookup_url):
            return "receipt"
        if stripped.startswith(("http://", "https://")):
            return "url"
        return "other"


DEVICE_LABELS = {"idcard": "身份证阅读器", "qr": "扫码器", "printer": "凭条打印机", "camera": "摄像头",
                 "catalog": "事项目录", "clock": "时钟"}
CARD_TYPE_LABELS = {
    "resident": "居民身份证",
    "hmt_residence_permit": "港澳台居民居住证",
    "foreign_permanent_2017": "外国人永久居留身份证（2017）",
    "foreign_permanent_2023": "外国人永久居留身份证（2023）",
}
CODE_KIND_LABELS = {
    "login": "登录码", "appointment": "预约码", "certificate": "电子证照码", "technician": "维护人员码",
    "signed_unverified": "签名码（未通过验证）", "receipt": "回执查询码", "url": "网址", "other": "其他码",
}
RATING_LABELS = dict(zip(RatingLevel, RATINGS, strict=True))
SECRET_WORDS = ("token", "key", "secret", "password", "cert")
MASK = "••••"


def mask_card_name(name: str) -> str:
    """The self-test's name: the first character, then one star (张三丰 → 张*)."""
    return name[:1] + "*" if name else ""


def mask_card_number(number: str) -> str:
    """The self-test's ID number: the first 4 and the last 4 (1101**********123X)."""
    return mask_middle(number, 4, 4)


def centre_words(error: CentreError) -> str:
    """A centre error as a technician reads it (status codes only, never a reply's body)."""
    if isinstance(error, CentreRejected) and error.status_code in (401, 403):
        return f"{error.status_code}：令牌无效或无权限"
    if isinstance(error, CentreRejected):
        return f"中心拒收：{error.detail or error.status_code}"
    if isinstance(error, CentreUnavailable):
        return f"中心暂不可用：{error.detail or '5xx'}"
    if isinstance(error, CentreUnreachable):
        return f"网络不可达：{error.detail or '无应答'}"[:200]
    return f"{type(error).__name__}：{error.detail}"[:200]


def _next(events: queue.Queue[DeviceEvent], timeout_s: float) -> DeviceEvent | None:
    try:
        return events.get(timeout=timeout_s)
    except queue.Empty:
        return None


def _paper_report(state: RollState) -> PaperReport:
    return PaperReport(state.printed_since_replaced, state.estimated_left, state.low, state.replaced_at)


def _dns_step(host: str) -> LinkStep:
    started = time.perf_counter()
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except OSError as err:
        return LinkStep("dns", False, f"无法解析 {host}：{err.strerror or type(err).__name__}")
    address = str(infos[0][4][0]) if infos else "?"
    return LinkStep("dns", True, f"{host} → {address}（{(time.perf_counter() - started) * 1000:.0f} ms）")


def _tls_step(host: str, port: int, ca_file: Path | None, client_cert: tuple[Path, Path] | None) -> LinkStep:
    try:
        context = ssl.create_default_context(cafile=str(ca_file) if ca_file else None)
        if client_cert is not None:
            context.load_cert_chain(str(client_cert[0]), str(client_cert[1]))
        with socket.create_connection((host, port), timeout=5) as raw:
            with context.wrap_socket(raw, server_hostname=host) as tls:
                cert = tls.getpeercert() or {}
    except ssl.SSLCertVerificationError as err:
        return LinkStep("tls", False, f"证书无效：{err.verify_message}")
    except (OSError, ssl.SSLError) as err:
        return LinkStep("tls", False, f"TLS 握手失败：{type(err).__name__}")
    not_after = cert.get("notAfter")
    if not isinstance(not_after, str):
        return LinkStep("tls", True, "握手成功")
    expires = datetime.fromtimestamp(ssl.cert_time_to_seconds(not_after))
    return LinkStep("tls", True, f"证书有效至 {expires:%Y-%m-%d}")


def _children(folder: Path) -> list[Path]:
    try:
        return sorted(p for p in folder.iterdir() if p.is_dir())
    except OSError:
        return []


def _flatten(prefix: str, value: object) -> list[tuple[str, str]]:
    """(dotted name, display value) for each setting, with secrets masked."""
    if is_dataclass(value) and not isinstance(value, type):
        rows: list[tuple[str, str]] = []
        for field in fields(value):
            name = f"{prefix}.{field.name}" if prefix else field.name
            if field.name == "catalog" or field.name == "items":
                continue
            rows += _flatten(name, getattr(value, field.name))
        return rows
    last = prefix.rsplit(".", 1)[-1]
    if any(word in last for word in SECRET_WORDS):
        shown = MASK if value not in (None, "", ()) else "（未设置）"
    elif isinstance(value, tuple | list):
        shown = "、".join(str(v) for v in value) or "（无）"
    else:
        shown = "（未设置）" if value is None else str(value)
    return [(prefix, shown)]
