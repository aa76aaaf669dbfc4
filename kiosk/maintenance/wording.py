"""What the maintenance screens say to a technician, in one place, keyed by id.

Technicians read Chinese only, so there is one table; the ids keep the words out of the
screens (``tests/ui/test_wording.py`` checks that screen files hold none) and let a test
check every template's parameters. Resident wording stays in ``kiosk.messages``.
"""

from __future__ import annotations

import enum
import string


class Tech(enum.StrEnum):
    # the frame
    MENU_TITLE = "menu.title"
    MENU_BACK = "menu.back"
    LEAVE = "menu.leave"
    AUTO_EXIT = "menu.auto_exit"
    AUTO_EXIT_SOON = "menu.auto_exit_soon"
    TERMINAL = "menu.terminal"
    SITE = "menu.site"
    SOFTWARE = "menu.software"
    TASK_FAILED = "menu.task_failed"
    BUSY_ELSEWHERE = "menu.busy_elsewhere"
    NONE = "menu.none"
    # the PIN pad
    PIN_TITLE = "pin.title"
    PIN_PROMPT = "pin.prompt"
    PIN_OK = "pin.ok"
    PIN_CANCEL = "pin.cancel"
    PIN_WRONG = "pin.wrong"
    PIN_LOCKED = "pin.locked"
    PIN_NOT_SET = "pin.not_set"
    PIN_REFUSED = "pin.refused"
    PIN_SHORT = "pin.short"
    # sections, as the menu lists them
    DEVICES = "devices.title"
    SELF_TEST = "self_test.title"
    PAPER = "paper.title"
    QUEUE = "queue.title"
    LINK = "link.title"
    VERSIONS = "versions.title"
    COUNTERS = "counters.title"
    EXPORT = "export.title"
    SERVICE = "service.title"
    RESTART = "restart.title"
    # device status
    DEVICES_INTRO = "devices.intro"
    DEVICES_REFRESH = "devices.refresh"
    DEVICE_LAST_ERROR = "devices.last_error"
    DEVICE_NO_ERROR = "devices.no_error"
    STATE_ONLINE = "devices.state.online"
    STATE_OFFLINE = "devices.state.offline"
    STATE_NO_DEVICE = "devices.state.noDevice"
    STATE_BUSY = "devices.state.busy"
    STATE_HARDWARE_ERROR = "devices.state.hardwareError"
    STATE_USER_ERROR = "devices.state.userError"
    STATE_ONLINE_FAULT = "devices.state.online_fault"
    # self-tests
    SELF_TEST_INTRO = "self_test.intro"
    TEST_CARD = "self_test.card"
    TEST_QR = "self_test.qr"
    TEST_PRINT = "self_test.print"
    TEST_CAMERA = "self_test.camera"
    BUSY_CARD = "self_test.busy.card"
    BUSY_QR = "self_test.busy.qr"
    BUSY_PRINT = "self_test.busy.print"
    BUSY_CAMERA = "self_test.busy.camera"
    TEST_PASSED = "self_test.passed"
    TEST_FAILED = "self_test.failed"
    TEST_RESULT_OF = "self_test.result_of"
    # paper roll
    PAPER_PRINTED = "paper.printed"
    PAPER_LEFT = "paper.left"
    PAPER_LEFT_UNKNOWN = "paper.left_unknown"
    PAPER_SHEETS = "paper.sheets"
    PAPER_REPLACED_AT = "paper.replaced_at"
    PAPER_NEVER_REPLACED = "paper.never_replaced"
    PAPER_STATE = "paper.state"
    PAPER_LOW = "paper.low"
    PAPER_ENOUGH = "paper.enough"
    PAPER_REPLACE = "paper.replace"
    PAPER_REPLACE_DONE = "paper.replace_done"
    # unsent cases
    QUEUE_UNSENT = "queue.unsent"
    QUEUE_CASES = "queue.cases"
    QUEUE_OLDEST = "queue.oldest"
    QUEUE_QUARANTINED = "queue.quarantined"
    QUEUE_QUARANTINED_NOTE = "queue.quarantined_note"
    QUEUE_LAST_ATTEMPT = "queue.last_attempt"
    QUEUE_LAST_ATTEMPT_OK = "queue.last_attempt_ok"
    QUEUE_SEND_NOW = "queue.send_now"
    BUSY_SEND = "queue.busy_send"
    QUEUE_SENT = "queue.sent"
    AGE_SECONDS = "queue.age.seconds"
    AGE_MINUTES = "queue.age.minutes"
    AGE_HOURS = "queue.age.hours"
    AGE_DAYS = "queue.age.days"
    # centre link
    LINK_INTRO = "link.intro"
    LINK_RUN = "link.run"
    BUSY_LINK = "link.busy"
    LINK_OK = "link.ok"
    LINK_FAILED = "link.failed"
    LINK_NOT_RUN = "link.not_run"
    STEP_DNS = "link.step.dns"
    STEP_TLS = "link.step.tls"
    STEP_AUTH = "link.step.auth"
    STEP_ROUND_TRIP = "link.step.round_trip"
    # versions and configuration
    VERSIONS_SOFTWARE = "versions.software"
    VERSIONS_CATALOG = "versions.catalog"
    VERSIONS_CONFIG_FILE = "versions.config_file"
    VERSIONS_SETTINGS = "versions.settings"
    # counters
    COUNTERS_BY_DAY = "counters.by_day"
    COUNTERS_DAY = "counters.day"
    COUNTERS_ITEMS_TODAY = "counters.items_today"
    COUNTERS_RATINGS_TODAY = "counters.ratings_today"
    COUNTERS_TIMES = "counters.times"
    # log export
    EXPORT_INTRO = "export.intro"
    EXPORT_NO_USB = "export.no_usb"
    EXPORT_REFRESH = "export.refresh"
    EXPORT_TO = "export.to"
    EXPORT_STICK = "export.stick"
    BUSY_EXPORT = "export.busy"
    # out of service
    SERVICE_STATE = "service.state"
    SERVICE_IN = "service.in"
    SERVICE_OUT = "service.out"
    SERVICE_CHOOSE = "service.choose"
    REASON_PRINTER = "service.reason.printer"
    REASON_REPAIR = "service.reason.repair"
    REASON_NETWORK = "service.reason.network"
    REASON_OTHER = "service.reason.other"
    SERVICE_TAKE_OUT = "service.take_out"
    SERVICE_PUT_BACK = "service.put_back"
    SERVICE_TAKEN_OUT = "service.taken_out"
    SERVICE_PUT_BACK_DONE = "service.put_back_done"
    # restart
    RESTART_INTRO = "restart.intro"
    RESTART_ASK = "restart.ask"
    RESTART_CONFIRM = "restart.confirm"
    RESTART_CANCEL = "restart.cancel"
    RESTARTING = "restart.restarting"
    # the clock, against the centre's (``kiosk.maintenance.clock_check``)
    CLOCK_AHEAD = "clock.ahead"
    CLOCK_BEHIND = "clock.behind"


ZH_HANS: dict[Tech, str] = {
    Tech.MENU_TITLE: "维护菜单",
    Tech.MENU_BACK: "返回维护菜单",
    Tech.LEAVE: "退出维护",
    Tech.AUTO_EXIT: "无操作 {minutes} 分 {seconds:02d} 秒后自动退出维护",
    Tech.AUTO_EXIT_SOON: "{seconds}秒后自动退出维护，点击屏幕任意处继续",
    Tech.TERMINAL: "终端编号",
    Tech.SITE: "网点",
    Tech.SOFTWARE: "软件版本",
    Tech.TASK_FAILED: "操作出错：{error}",
    Tech.BUSY_ELSEWHERE: "另一项测试正在进行，请等它结束",
    Tech.NONE: "无",
    Tech.PIN_TITLE: "维护登录",
    Tech.PIN_PROMPT: "请输入维护密码",
    Tech.PIN_OK: "确定",
    Tech.PIN_CANCEL: "取消",
    Tech.PIN_WRONG: "密码错误，还可尝试 {tries} 次",
    Tech.PIN_LOCKED: "已锁定，请 {minutes} 分 {seconds} 秒后再试",
    Tech.PIN_NOT_SET: "未设置维护密码：请用 kiosk provision 设置后再进入维护",
    Tech.PIN_REFUSED: "正在为居民服务：请在待机画面进入维护",
    Tech.PIN_SHORT: "维护密码为 {low} 至 {high} 位数字",
    Tech.DEVICES: "设备状态",
    Tech.SELF_TEST: "自检",
    Tech.PAPER: "纸卷",
    Tech.QUEUE: "待发送",
    Tech.LINK: "中心连接测试",
    Tech.VERSIONS: "版本与配置",
    Tech.COUNTERS: "业务量统计",
    Tech.EXPORT: "导出日志",
    Tech.SERVICE: "暂停/恢复服务",
    Tech.RESTART: "重启应用",
    Tech.DEVICES_INTRO: "各设备的当前状态；有错误的设备显示最近一次错误及时间。",
    Tech.DEVICES_REFRESH: "刷新",
    Tech.DEVICE_LAST_ERROR: "最近错误：{error}\n发生于 {at}",
    Tech.DEVICE_NO_ERROR: "无错误记录",
    Tech.STATE_ONLINE: "正常",
    Tech.STATE_OFFLINE: "离线",
    Tech.STATE_NO_DEVICE: "未连接",
    Tech.STATE_BUSY: "忙",
    Tech.STATE_HARDWARE_ERROR: "硬件故障",
    Tech.STATE_USER_ERROR: "需人工处理",
    Tech.STATE_ONLINE_FAULT: "在线，需处理",
    Tech.SELF_TEST_INTRO: "选择要测试的设备。读卡结果只显示遮挡后的信息。",
    Tech.TEST_CARD: "读卡",
    Tech.TEST_QR: "扫码",
    Tech.TEST_PRINT: "打印测试页",
    Tech.TEST_CAMERA: "摄像头",
    Tech.BUSY_CARD: "请放置身份证……",
    Tech.BUSY_QR: "请将二维码对准扫码窗口……",
    Tech.BUSY_PRINT: "正在打印测试页……",
    Tech.BUSY_CAMERA: "正在拍摄一帧画面……",
    Tech.TEST_PASSED: "✔ 通过：{summary}",
    Tech.TEST_FAILED: "✘ 未通过：{summary}",
    Tech.TEST_RESULT_OF: "{test}测试结果",
    Tech.PAPER_PRINTED: "更换纸卷后已打印",
    Tech.PAPER_LEFT: "预计剩余",
    Tech.PAPER_LEFT_UNKNOWN: "未知（未设置纸卷长度）",
    Tech.PAPER_SHEETS: "{count} 张",
    Tech.PAPER_REPLACED_AT: "上次更换",
    Tech.PAPER_NEVER_REPLACED: "未记录",
    Tech.PAPER_STATE: "纸量",
    Tech.PAPER_LOW: "纸将用尽，请更换纸卷",
    Tech.PAPER_ENOUGH: "充足",
    Tech.PAPER_REPLACE: "已更换纸卷",
    Tech.PAPER_REPLACE_DONE: "已记录更换纸卷，计数从零开始",
    Tech.QUEUE_UNSENT: "待发送办件",
    Tech.QUEUE_CASES: "{count} 件",
    Tech.QUEUE_OLDEST: "最早一件已等待",
    Tech.QUEUE_QUARANTINED: "已隔离（无法发送）",
    Tech.QUEUE_QUARANTINED_NOTE: "隔离的办件不会自动重发，请导出日志交给运维人员",
    Tech.QUEUE_LAST_ATTEMPT: "最近一次发送",
    Tech.QUEUE_LAST_ATTEMPT_OK: "正常",
    Tech.QUEUE_SEND_NOW: "立即发送",
    Tech.BUSY_SEND: "正在发送待发送办件……",
    Tech.QUEUE_SENT: "发送完成，还有 {count} 件待发送",
    Tech.AGE_SECONDS: "{seconds} 秒",
    Tech.AGE_MINUTES: "{minutes} 分钟",
    Tech.AGE_HOURS: "{hours} 小时 {minutes} 分",
    Tech.AGE_DAYS: "{days} 天 {hours} 小时",
    Tech.LINK_INTRO: "依次检查域名解析、TLS 连接、身份认证和往返时间。",
    Tech.LINK_RUN: "开始测试",
    Tech.BUSY_LINK: "正在测试与中心的连接……",
    Tech.LINK_OK: "✔ 与中心连接正常",
    Tech.LINK_FAILED: "✘ 与中心连接异常，请查看标 ✘ 的步骤",
    Tech.LINK_NOT_RUN: "尚未测试",
    Tech.STEP_DNS: "域名解析",
    Tech.STEP_TLS: "TLS 连接",
    Tech.STEP_AUTH: "身份认证",
    Tech.STEP_ROUND_TRIP: "往返时间",
    Tech.VERSIONS_SOFTWARE: "软件版本",
    Tech.VERSIONS_CATALOG: "事项目录版本",
    Tech.VERSIONS_CONFIG_FILE: "配置文件",
    Tech.VERSIONS_SETTINGS: "生效配置（密钥已隐藏）",
    Tech.COUNTERS_BY_DAY: "按日统计",
    Tech.COUNTERS_DAY: "会话 {sessions} · 办件 {cases} · 打印 {prints} · 读卡失败 {failures}",
    Tech.COUNTERS_ITEMS_TODAY: "今日各事项办件",
    Tech.COUNTERS_RATINGS_TODAY: "今日评价",
    Tech.COUNTERS_TIMES: "{count} 次",
    Tech.EXPORT_INTRO: "插入U盘，选择它，再点“导出到所选U盘”。导出的日志不含个人信息。",
    Tech.EXPORT_NO_USB: "未找到U盘：请插入U盘后点“刷新”",
    Tech.EXPORT_REFRESH: "刷新",
    Tech.EXPORT_TO: "导出到所选U盘",
    Tech.EXPORT_STICK: "U盘",
    Tech.BUSY_EXPORT: "正在导出日志……",
    Tech.SERVICE_STATE: "当前状态",
    Tech.SERVICE_IN: "正常服务",
    Tech.SERVICE_OUT: "暂停服务：{reason}",
    Tech.SERVICE_CHOOSE: "选择暂停原因，再点“暂停服务”。退出维护后首页显示暂停服务。",
    Tech.REASON_PRINTER: "更换打印机",
    Tech.REASON_REPAIR: "设备维修",
    Tech.REASON_NETWORK: "网络故障",
    Tech.REASON_OTHER: "其他",
    Tech.SERVICE_TAKE_OUT: "暂停服务",
    Tech.SERVICE_PUT_BACK: "恢复服务",
    Tech.SERVICE_TAKEN_OUT: "已暂停服务（{reason}）",
    Tech.SERVICE_PUT_BACK_DONE: "已恢复服务",
    Tech.RESTART_INTRO: "重启会关闭并重新启动自助终端程序，约需10秒。未发送的办件保存在本机，不受影响。",
    Tech.RESTART_ASK: "确定要重启应用吗？",
    Tech.RESTART_CONFIRM: "确认重启",
    Tech.RESTART_CANCEL: "取消",
    Tech.RESTARTING: "正在重启应用……",
    Tech.CLOCK_AHEAD: "本机时钟比中心快 {amount}：二维码和证件有效期会判断错误，请校准时钟（检查 NTP 时间同步）",
    Tech.CLOCK_BEHIND: "本机时钟比中心慢 {amount}：二维码和证件有效期会判断错误，请校准时钟（检查 NTP 时间同步）",
}


def tech(text_id: Tech, **params: str | int) -> str:
    """The words of ``text_id`` with ``params`` filled in."""
    return ZH_HANS[text_id].format(**params)


def template_fields(text_id: Tech) -> set[str]:
    """The parameter names a template uses (for the wording test)."""
    return {name for _, name, _, _ in string.Formatter().parse(ZH_HANS[text_id]) if name}
