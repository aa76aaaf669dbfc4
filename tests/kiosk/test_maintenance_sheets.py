"""What each maintenance section shows, from the desk's reports, without a window.

The sheets are pure functions of real report values.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.maintenance import sheets
from kiosk.maintenance.reports import (
    CountersReport,
    DeviceLine,
    LinkReport,
    LinkStep,
    PaperReport,
    QueueReport,
    SelfTestResult,
    VersionsReport,
)
from kiosk.maintenance.sheet import Section, Sheet, Tone
from kiosk.maintenance.wording import ZH_HANS, Tech, tech, template_fields


def row(sheet: Sheet, key: str):  # type: ignore[no-untyped-def]
    return next(r for r in sheet.rows if r.key == key)


def test_the_menu_names_the_kiosk_and_opens_every_section() -> None:
    sheet = sheets.menu_sheet("JB-PZ-001", "浦珠社区", "1.4.0")
    assert [r.value for r in sheet.rows] == ["JB-PZ-001", "浦珠社区", "1.4.0"]
    assert [a.id for a in sheet.actions] == [f"open:{s.value}" for s in Section if s is not Section.MENU]
    assert [a.label for a in sheet.actions][:3] == ["设备状态", "自检", "纸卷"]


def test_devices_show_state_in_colour_and_the_last_error_with_its_time() -> None:
    sheet = sheets.devices_sheet([
        DeviceLine("id_card", "身份证阅读器", "online", True, "", ""),
        DeviceLine("printer", "打印机", "hardwareError", False, "打印机缺纸：请更换纸卷", "2026-12-02 08:14"),
    ])
    card, printer = sheet.rows
    assert (card.label, card.value, card.tone, card.note) == ("身份证阅读器", "正常", Tone.OK, "无错误记录")
    assert (printer.value, printer.tone) == ("硬件故障", Tone.ERROR)
    assert printer.note == "最近错误：打印机缺纸：请更换纸卷\n发生于 2026-12-02 08:14"
    out_of_paper = DeviceLine("printer", "打印机", "online", False, "打印机缺纸：请更换纸卷", "2026-12-02 08:14")
    assert sheets.devices_sheet([out_of_paper]).rows[0].value == "在线，需处理", "never 正常 in red"


def test_a_self_test_says_what_to_do_while_it_runs_then_shows_masked_fields() -> None:
    running = sheets.self_test_sheet("card", None, "")
    assert running.busy == "请放置身份证……"
    assert [a.enabled for a in running.actions] == [False] * 4
    result = SelfTestResult("card", True, "读卡成功", (("姓名", "张*丰"), ("证件号", "320111********0010")))
    done = sheets.self_test_sheet(None, result, "")
    assert done.busy == "" and done.outcome == "✔ 通过：读卡成功" and done.outcome_tone is Tone.OK
    assert [(r.label, r.value) for r in done.rows[1:]] == [("姓名", "张*丰"), ("证件号", "320111********0010")]
    frame = sheets.self_test_sheet(None, SelfTestResult("camera", True, "已取得摄像头画面", image_png=b"png"), "")
    assert frame.image_png == b"png" and frame.rows == ()
    failed = sheets.self_test_sheet(None, SelfTestResult("qr", False, "超时：20 秒内未扫到码"), "")
    assert failed.outcome == "✘ 未通过：超时：20 秒内未扫到码" and failed.outcome_tone is Tone.ERROR


def test_paper_warns_when_low_and_says_when_the_roll_was_replaced() -> None:
    low = sheets.paper_sheet(PaperReport(231, 19, True, "2026-11-28 09:12"), just_replaced=False)
    assert (row(low, "paper-state").value, row(low, "paper-state").tone) == ("纸将用尽，请更换纸卷", Tone.WARNING)
    assert row(low, "left").value == "19 张" and row(low, "printed").value == "231 张"
    unknown = sheets.paper_sheet(PaperReport(0, None, False, ""), just_replaced=True)
    assert row(unknown, "left").value == "未知（未设置纸卷长度）"
    assert row(unknown, "replaced-at").value == "未记录"
    assert unknown.outcome == "已记录更换纸卷，计数从零开始"


def test_the_queue_counts_ages_and_quarantined_rows() -> None:
    sheet = sheets.queue_sheet(QueueReport(3, 4000.0, 1, "网络不可达"), sending=False, sent=False, failure="")
    assert row(sheet, "unsent").value == "3 件" and row(sheet, "oldest").value == "1 小时 6 分"
    assert row(sheet, "quarantined").tone is Tone.ERROR and "导出日志" in row(sheet, "quarantined").note
    assert row(sheet, "last-attempt").value == "网络不可达"
    sent = sheets.queue_sheet(QueueReport(0, None, 0, ""), sending=False, sent=True, failure="")
    assert sent.outcome == "发送完成，还有 0 件待发送" and row(sent, "oldest").value == "无"
    assert sheets.queue_sheet(QueueReport(0, None, 0, ""), True, False, "").busy == "正在发送待发送办件……"


@pytest.mark.parametrize(("seconds", "words"), [(45, "45 秒"), (720, "12 分钟"), (11100, "3 小时 5 分"),
                                                (187200, "2 天 4 小时")])
def test_ages_read_as_a_technician_says_them(seconds: float, words: str) -> None:
    assert sheets.age(seconds) == words


def test_the_link_test_marks_each_step() -> None:
    report = LinkReport((LinkStep("dns", True, "10.0.0.5"), LinkStep("auth", False, "401：令牌无效")))
    sheet = sheets.link_sheet(report, running=False, failure="")
    assert [(r.label, r.value, r.tone) for r in sheet.rows] == [
        ("域名解析", "✔ 10.0.0.5", Tone.OK), ("身份认证", "✘ 401：令牌无效", Tone.ERROR)]
    assert sheet.outcome_tone is Tone.ERROR
    assert sheets.link_sheet(None, running=True, failure="").busy == "正在测试与中心的连接……"


def test_versions_list_the_configuration_in_force_as_given() -> None:
    sheet = sheets.versions_sheet(VersionsReport("1.4.0", "2026.11", "/etc/kiosk.toml", (("centre.token", "••••"),)))
    assert row(sheet, "setting-centre.token").value == "••••"
    assert row(sheet, "settings").heading


def test_counters_show_days_items_and_ratings_or_none() -> None:
    sheet = sheets.counters_sheet(CountersReport((("20261202", 40, 12, 14, 1),), (("居住证申领", 7),), ()))
    assert row(sheet, "day-20261202").value == "会话 40 · 办件 12 · 打印 14 · 读卡失败 1"
    assert row(sheet, "item-0").value == "7 件"
    assert sheet.rows[-1].label == "无"


def test_export_needs_a_stick_and_says_where_the_file_went() -> None:
    none = sheets.export_sheet([], None, running=False, outcome="", ok=False)
    assert none.outcome == "未找到U盘：请插入U盘后点“刷新”" and not none.actions[0].enabled
    chosen = sheets.export_sheet([Path("/media/usb0")], 0, running=False, outcome="已导出 12 行", ok=True)
    assert chosen.choices[0].selected and chosen.actions[0].enabled and chosen.outcome_tone is Tone.OK


def test_out_of_service_needs_a_reason_and_back_in_service_shows_it() -> None:
    in_service = sheets.service_sheet(True, "", None, "")
    assert [c.label for c in in_service.choices] == ["更换打印机", "设备维修", "网络故障", "其他"]
    assert not in_service.actions[0].enabled
    assert sheets.service_sheet(True, "", 2, "").actions[0].enabled
    out = sheets.service_sheet(False, "更换打印机", None, "")
    assert row(out, "service-state").value == "暂停服务：更换打印机" and out.actions[0].id == "service:back"


def test_restart_asks_first() -> None:
    assert [a.id for a in sheets.restart_sheet(False, False).actions] == ["restart:ask"]
    asking = sheets.restart_sheet(True, False)
    assert asking.outcome == "确定要重启应用吗？"
    assert [a.id for a in asking.actions] == ["restart:confirm", "restart:cancel"]


def test_every_technician_template_is_filled_by_its_callers() -> None:
    assert set(ZH_HANS) == set(Tech)
    assert template_fields(Tech.PIN_LOCKED) == {"minutes", "seconds"}
    assert tech(Tech.AUTO_EXIT, minutes=1, seconds=5) == "无操作 1 分 05 秒后自动退出维护"
