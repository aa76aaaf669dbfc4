"""The desk's reports as sheets: one pure function per section, words from ``wording``.

Each function takes what the section shows (reports, what runs, what the last action came
to) and returns a ``Sheet``; ``MaintenancePanel`` keeps that state and calls them. Action ids
are ``<verb>`` or ``<verb>:<argument>`` strings the panel understands.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from kiosk.maintenance.reports import (
    CountersReport,
    DeviceLine,
    LinkReport,
    PaperReport,
    QueueReport,
    SelfTestResult,
    VersionsReport,
)
from kiosk.maintenance.sheet import Action, Row, Section, Sheet, Tone
from kiosk.maintenance.wording import Tech, tech

SECTION_TITLES: dict[Section, Tech] = {
    Section.MENU: Tech.MENU_TITLE,
    Section.DEVICES: Tech.DEVICES,
    Section.SELF_TEST: Tech.SELF_TEST,
    Section.PAPER: Tech.PAPER,
    Section.QUEUE: Tech.QUEUE,
    Section.LINK: Tech.LINK,
    Section.VERSIONS: Tech.VERSIONS,
    Section.COUNTERS: Tech.COUNTERS,
    Section.EXPORT: Tech.EXPORT,
    Section.SERVICE: Tech.SERVICE,
    Section.RESTART: Tech.RESTART,
}

STATE_WORDS: dict[str, Tech] = {
    "online": Tech.STATE_ONLINE,
    "offline": Tech.STATE_OFFLINE,
    "noDevice": Tech.STATE_NO_DEVICE,
    "busy": Tech.STATE_BUSY,
    "hardwareError": Tech.STATE_HARDWARE_ERROR,
    "userError": Tech.STATE_USER_ERROR,
}

SELF_TESTS: dict[str, tuple[Tech, Tech]] = {  # test: (button, what is happening while it runs)
    "card": (Tech.TEST_CARD, Tech.BUSY_CARD),
    "qr": (Tech.TEST_QR, Tech.BUSY_QR),
    "print": (Tech.TEST_PRINT, Tech.BUSY_PRINT),
    "camera": (Tech.TEST_CAMERA, Tech.BUSY_CAMERA),
}

LINK_STEPS: dict[str, Tech] = {
    "dns": Tech.STEP_DNS,
    "tls": Tech.STEP_TLS,
    "auth": Tech.STEP_AUTH,
    "round_trip": Tech.STEP_ROUND_TRIP,
}

OUT_OF_SERVICE_REASONS = (Tech.REASON_PRINTER, Tech.REASON_REPAIR, Tech.REASON_NETWORK, Tech.REASON_OTHER)


def title(section: Section) -> str:
    return tech(SECTION_TITLES[section])


def menu_sheet(terminal_id: str, site: str, software: str) -> Sheet:
    """The menu: which kiosk this is, and every section."""
    sections = [s for s in Section if s is not Section.MENU]
    return Sheet(
        section=Section.MENU,
        title=title(Section.MENU),
        rows=(
            Row("terminal", tech(Tech.TERMINAL), terminal_id),
            Row("site", tech(Tech.SITE), site),
            Row("software", tech(Tech.SOFTWARE), software),
        ),
        actions=tuple(Action(f"open:{s.value}", title(s)) for s in sections),
    )


def devices_sheet(lines: Sequence[DeviceLine]) -> Sheet:
    """Every device with its state in colour and its last error with the time."""
    rows = []
    for line in lines:
        state = tech(STATE_WORDS[line.state]) if line.state in STATE_WORDS else line.state
        if not line.healthy and line.state == "online":
            state = tech(Tech.STATE_ONLINE_FAULT)  # e.g. a printer out of paper answers, but cannot print
        if line.last_error:
            note = tech(Tech.DEVICE_LAST_ERROR, at=line.last_error_at or "—", error=line.last_error)
        else:
            note = tech(Tech.DEVICE_NO_ERROR)
        rows.append(Row(line.name, line.label, state, Tone.OK if line.healthy else Tone.ERROR, note))
    return Sheet(
        section=Section.DEVICES,
        title=title(Section.DEVICES),
        intro=tech(Tech.DEVICES_INTRO),
        actions=(Action("refresh", tech(Tech.DEVICES_REFRESH)),),
        rows=tuple(rows),
    )


def self_test_sheet(running: str | None, result: SelfTestResult | None, failure: str) -> Sheet:
    """Four test buttons; while one runs, what to do; then its result (masked fields, a frame)."""
    actions = tuple(
        Action(f"test:{test}", tech(button), enabled=running is None)  # the busy line says which runs
        for test, (button, _busy) in SELF_TESTS.items()
    )
    sheet = Sheet(
        section=Section.SELF_TEST,
        title=title(Section.SELF_TEST),
        intro=tech(Tech.SELF_TEST_INTRO),
        actions=actions,
    )
    if running is not None:
        return replace(sheet, busy=tech(SELF_TESTS[running][1]))
    if failure:
        return replace(sheet, outcome=failure, outcome_tone=Tone.ERROR)
    if result is None:
        return sheet
    name = tech(SELF_TESTS[result.test][0]) if result.test in SELF_TESTS else result.test
    rows: tuple[Row, ...] = (Row("result-of", tech(Tech.TEST_RESULT_OF, test=name), heading=True),)
    rows += tuple(Row(f"detail-{i}", label, value) for i, (label, value) in enumerate(result.details))
    return replace(
        sheet,
        outcome=tech(Tech.TEST_PASSED if result.ok else Tech.TEST_FAILED, summary=result.summary),
        outcome_tone=Tone.OK if result.ok else Tone.ERROR,
        rows=rows if result.details else (),
        image_png=result.image_png,
    )


def paper_sheet(report: PaperReport, just_replaced: bool) -> Sheet:
    left = tech(Tech.PAPER_LEFT_UNKNOWN) if report.estimated_left is None else _sheets(report.estimated_left)
    return Sheet(
        section=Section.PAPER,
        title=title(Section.PAPER),
        actions=(Action("paper:replaced", tech(Tech.PAPER_REPLACE), primary=True),),
        outcome=tech(Tech.PAPER_REPLACE_DONE) if just_replaced else "",
        outcome_tone=Tone.OK,
        rows=(
            Row(
                "paper-state",
                tech(Tech.PAPER_STATE),
                tech(Tech.PAPER_LOW if report.low else Tech.PAPER_ENOUGH),
                Tone.WARNING if report.low else Tone.OK,
            ),
            Row("printed", tech(Tech.PAPER_PRINTED), _sheets(report.printed_since_replaced)),
            Row("left", tech(Tech.PAPER_LEFT), left, Tone.WARNING if report.low else Tone.PLAIN),
            Row("replaced-at", tech(Tech.PAPER_REPLACED_AT), report.replaced_at or tech(Tech.PAPER_NEVER_REPLACED)),
        ),
    )


def queue_sheet(report: QueueReport, sending: bool, sent: bool, failure: str) -> Sheet:
    oldest = tech(Tech.NONE) if report.oldest_age_s is None else age(report.oldest_age_s)
    sheet = Sheet(
        section=Section.QUEUE,
        title=title(Section.QUEUE),
        actions=(Action("queue:send", tech(Tech.QUEUE_SEND_NOW), primary=True, enabled=not sending),),
        rows=(
            Row("unsent", tech(Tech.QUEUE_UNSENT), tech(Tech.QUEUE_CASES, count=report.unsent),
                Tone.WARNING if report.unsent else Tone.OK),
            Row("oldest", tech(Tech.QUEUE_OLDEST), oldest),
            Row("quarantined", tech(Tech.QUEUE_QUARANTINED), tech(Tech.QUEUE_CASES, count=report.quarantined),
                Tone.ERROR if report.quarantined else Tone.PLAIN,
                tech(Tech.QUEUE_QUARANTINED_NOTE) if report.quarantined else ""),
            Row("last-attempt", tech(Tech.QUEUE_LAST_ATTEMPT), report.last_attempt or tech(Tech.QUEUE_LAST_ATTEMPT_OK),
                Tone.WARNING if report.last_attempt else Tone.PLAIN),
        ),
    )
    if sending:
        return replace(sheet, busy=tech(Tech.BUSY_SEND))
    if failure:
        return replace(sheet, outcome=failure, outcome_tone=Tone.ERROR)
    if sent:
        return replace(sheet, outcome=tech(Tech.QUEUE_SENT, count=report.unsent),
                        outcome_tone=Tone.WARNING if report.unsent else Tone.OK)
    return sheet


def link_sheet(report: LinkReport | None, running: bool, failure: str) -> Sheet:
    sheet = Sheet(
        section=Section.LINK,
        title=title(Section.LINK),
        intro=tech(Tech.LINK_INTRO),
        actions=(Action("link:run", tech(Tech.LINK_RUN), primary=True, enabled=not running),),
    )
    if running:
        return replace(sheet, busy=tech(Tech.BUSY_LINK))
    if failure:
        return replace(sheet, outcome=failure, outcome_tone=Tone.ERROR)
    if report is None:
        return replace(sheet, outcome=tech(Tech.LINK_NOT_RUN), outcome_tone=Tone.MUTED)
    rows = tuple(
        Row(f"step-{step.name}", tech(LINK_STEPS[step.name]) if step.name in LINK_STEPS else step.name,
            ("✔ " if step.ok else "✘ ") + step.detail, Tone.OK if step.ok else Tone.ERROR)
        for step in report.steps
    )
    return replace(
        sheet,
        outcome=tech(Tech.LINK_OK if report.ok else Tech.LINK_FAILED),
        outcome_tone=Tone.OK if report.ok else Tone.ERROR,
        rows=rows,
    )


def versions_sheet(report: VersionsReport) -> Sheet:
    rows = (
        Row("software", tech(Tech.VERSIONS_SOFTWARE), report.software),
        Row("catalog", tech(Tech.VERSIONS_CATALOG), report.catalog),
        Row("config-file", tech(Tech.VERSIONS_CONFIG_FILE), report.config_file),
        Row("settings", tech(Tech.VERSIONS_SETTINGS), heading=True),
    ) + tuple(Row(f"setting-{key}", key, value) for key, value in report.settings)
    return Sheet(section=Section.VERSIONS, title=title(Section.VERSIONS), rows=rows)


def counters_sheet(report: CountersReport) -> Sheet:
    none: tuple[Row, ...] = (Row("none", tech(Tech.NONE), tone=Tone.MUTED),)
    rows: tuple[Row, ...] = (Row("by-day", tech(Tech.COUNTERS_BY_DAY), heading=True),)
    rows += tuple(
        Row(f"day-{day}", _day(day), tech(Tech.COUNTERS_DAY, sessions=s, cases=c, prints=p, failures=f))
        for day, s, c, p, f in report.days
    ) or none
    rows += (Row("items-today", tech(Tech.COUNTERS_ITEMS_TODAY), heading=True),)
    rows += tuple(
        Row(f"item-{i}", name, tech(Tech.QUEUE_CASES, count=count))
        for i, (name, count) in enumerate(report.cases_by_item_today)
    ) or none
    rows += (Row("ratings-today", tech(Tech.COUNTERS_RATINGS_TODAY), heading=True),)
    rows += tuple(
        Row(f"rating-{i}", level, tech(Tech.COUNTERS_TIMES, count=count))
        for i, (level, count) in enumerate(report.ratings_today)
    ) or none
    return Sheet(section=Section.COUNTERS, title=title(Section.COUNTERS), rows=rows)


def export_sheet(mounts: Sequence[Path], chosen: int | None, running: bool, outcome: str, ok: bool) -> Sheet:
    """The sticks plugged in, pick one, export; then where the file went or why not."""
    choices = tuple(
        Action(f"export:stick:{i}", str(mount), selected=i == chosen, enabled=not running)
        for i, mount in enumerate(mounts)
    )
    sheet = Sheet(
        section=Section.EXPORT,
        title=title(Section.EXPORT),
        intro=tech(Tech.EXPORT_INTRO),
        choices=choices,
        actions=(
            Action("export:run", tech(Tech.EXPORT_TO), primary=True, enabled=chosen is not None and not running),
            Action("export:refresh", tech(Tech.EXPORT_REFRESH), enabled=not running),
        ),
    )
    if running:
        return replace(sheet, busy=tech(Tech.BUSY_EXPORT))
    if outcome:
        return replace(sheet, outcome=outcome, outcome_tone=Tone.OK if ok else Tone.ERROR)
    if not mounts:
        return replace(sheet, outcome=tech(Tech.EXPORT_NO_USB), outcome_tone=Tone.WARNING)
    return sheet


def service_sheet(in_service: bool, reason: str, chosen: int | None, outcome: str) -> Sheet:
    """In service: pick a reason and take the kiosk out; out of service: the reason, and back."""
    state = tech(Tech.SERVICE_IN) if in_service else tech(Tech.SERVICE_OUT, reason=reason)
    rows = (Row("service-state", tech(Tech.SERVICE_STATE), state, Tone.OK if in_service else Tone.WARNING),)
    if not in_service:
        return Sheet(
            section=Section.SERVICE,
            title=title(Section.SERVICE),
            actions=(Action("service:back", tech(Tech.SERVICE_PUT_BACK), primary=True),),
            outcome=outcome,
            outcome_tone=Tone.WARNING,
            rows=rows,
        )
    return Sheet(
        section=Section.SERVICE,
        title=title(Section.SERVICE),
        intro=tech(Tech.SERVICE_CHOOSE),
        choices=tuple(
            Action(f"service:reason:{i}", tech(words), selected=i == chosen)
            for i, words in enumerate(OUT_OF_SERVICE_REASONS)
        ),
        actions=(Action("service:out", tech(Tech.SERVICE_TAKE_OUT), primary=True, enabled=chosen is not None),),
        outcome=outcome,
        outcome_tone=Tone.OK,
        rows=rows,
    )


def restart_sheet(asking: bool, restarting: bool) -> Sheet:
    sheet = Sheet(section=Section.RESTART, title=title(Section.RESTART), intro=tech(Tech.RESTART_INTRO))
    if restarting:
        return replace(sheet, busy=tech(Tech.RESTARTING))
    if asking:
        return replace(
            sheet,
            outcome=tech(Tech.RESTART_ASK),
            outcome_tone=Tone.WARNING,
            actions=(
                Action("restart:confirm", tech(Tech.RESTART_CONFIRM), primary=True),
                Action("restart:cancel", tech(Tech.RESTART_CANCEL)),
            ),
        )
    return replace(sheet, actions=(Action("restart:ask", tech(Tech.RESTART), primary=True),))


def age(seconds: float) -> str:
    """A waiting time as a technician reads it: 45 秒, 12 分钟, 3 小时 5 分, 2 天 4 小时."""
    whole = int(seconds)
    if whole < 60:
        return tech(Tech.AGE_SECONDS, seconds=whole)
    if whole < 3600:
        return tech(Tech.AGE_MINUTES, minutes=whole // 60)
    if whole < 86400:
        return tech(Tech.AGE_HOURS, hours=whole // 3600, minutes=whole % 3600 // 60)
    return tech(Tech.AGE_DAYS, days=whole // 86400, hours=whole % 86400 // 3600)


def _day(day: str) -> str:
    """20261202 → 2026-12-02."""
    return f"{day[:4]}-{day[4:6]}-{day[6:]}" if len(day) == 8 and day.isdigit() else day


def _sheets(count: int) -> str:
    return tech(Tech.PAPER_SHEETS, count=count)

