"""The printed layouts, through the real ESC/POS driver and the wire simulator.

What is on the paper is read back (the simulator's decoded lines, the QR decoded from the
PNG) and checked against what a resident must find there, and what must never be there.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image

from contract.wire import Delivery, IdType
from drivers.printer.document import Document, Text
from drivers.printer.encoder import EscposEncoder
from drivers.printer.profile import PROFILES
from drivers.printer.simwire import SimWirePrinter
from kiosk.config.settings import KioskConfig
from kiosk.messages import catalog_text
from kiosk.messages.locales import SOURCE_LANGUAGE
from kiosk.printing.pending_notice import build_pending_notice
from kiosk.printing.receipts import build_case_receipt
from kiosk.printing.test_page import build_test_page
from kiosk.session.identity import Identity
from kiosk.session.outcome import SubmittedCase
from kiosk.session.scanned_codes import new_lookup_token, receipt_lookup_text

FONT = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
CASE_NUMBER = "202611220010001"
NAME, ID_NUMBER = "欧阳𠀀丰", "32010219900101123X"


@pytest.fixture(scope="session")
def config(shipped_config: KioskConfig) -> KioskConfig:
    return shipped_config  # read only


@pytest.fixture
def case(config: KioskConfig) -> SubmittedCase:
    lookup = receipt_lookup_text(CASE_NUMBER, new_lookup_token(), config.centre.lookup_url)
    return SubmittedCase(CASE_NUMBER, config.items[0].name, "2026-11-22 14:05", Delivery.PICKUP, lookup)


@pytest.fixture
def identity() -> Identity:
    return Identity(IdType.RESIDENT, NAME, ID_NUMBER)


def print_on(profile: str, document: Document, tmp_path: Path) -> tuple[list[str], Image.Image]:
    """Print through the real driver; return the decoded text lines and the paper."""
    printer = SimWirePrinter(PROFILES[profile], tmp_path / profile, FONT if FONT.exists() else None)
    printer.open()
    try:
        printer.print_document(document)
        assert printer.simulator.overflows == 0 and printer.simulator.unknown_commands == []
        with Image.open(printer.printed[-1]) as paper:
            return list(printer.simulator.lines), paper.copy()
    finally:
        printer.close()


def assert_private(document: Document, lines: list[str]) -> None:
    text = document.plain_text() + "\n".join(lines)
    assert NAME not in text and ID_NUMBER not in text
    assert any("欧**丰" in line for line in lines)
    assert any("320102********123X" in line for line in lines)


@pytest.mark.parametrize("profile", ["80mm", "58mm"])
def test_case_receipt_on_paper(profile: str, config: KioskConfig, case, identity, tmp_path: Path) -> None:
    document = build_case_receipt(config.site, config.items[0], identity, case, centre_reachable=True,
                                  language=SOURCE_LANGUAGE)
    lines, paper = print_on(profile, document, tmp_path)
    assert "2026 1122 001 0001" in lines  # grouped, large, and on one line
    for expected in (config.site.name, "受理回执", config.items[0].name, "2026-11-22 14:05"):
        assert any(expected in line for line in lines), expected
    assert any(config.site.contact_phone in line for line in lines)
    assert any("到本中心窗口领取" in line for line in lines)
    assert_private(document, lines)
    assert [r.text for r in zxingcpp.read_barcodes(paper)] == [case.lookup_text]
    assert paper.width == PROFILES[profile].width_dots


@pytest.mark.parametrize("profile", ["80mm", "58mm"])
def test_pending_notice_on_paper(profile: str, config: KioskConfig, case, identity, tmp_path: Path) -> None:
    document = build_pending_notice(config.site, config.items[0], identity, case, SOURCE_LANGUAGE)
    lines, paper = print_on(profile, document, tmp_path)
    assert "2026 1122 001 0001" in lines
    assert any("待提交" in line for line in lines)
    assert "无需再次办理" in "".join(lines)
    assert_private(document, lines)
    assert [r.text for r in zxingcpp.read_barcodes(paper)] == [case.lookup_text]


@pytest.mark.parametrize("build", ["receipt", "pending"])
def test_the_paper_tells_once_what_to_bring_by_when_and_where(build: str, config: KioskConfig, case, identity,
                                                               tmp_path: Path) -> None:
    """一次告知: the materials the kiosk could not take, the site's working days, the place."""
    item = config.offer.item("senior-citizen-card")
    document = (build_case_receipt(config.site, item, identity, case, centre_reachable=True,
                                   language=SOURCE_LANGUAGE) if build == "receipt"
                else build_pending_notice(config.site, item, identity, case, SOURCE_LANGUAGE))
    text = "".join(print_on("80mm", document, tmp_path)[0])
    assert f"请在{config.site.bring_within_days}个工作日内将以下材料带到{config.site.name}窗口" in text
    assert "近期一寸免冠彩色照片（原件）" in text and "本市居住证（原件，如有）" in text
    assert "本人居民身份证" not in text  # the card was read: nothing to bring for it
    assert "领取地点：本中心综合受理窗口" in text


HAN = re.compile(r"[\u3400-\u9fff\U00020000-\U0003ffff]")


@pytest.mark.parametrize("build", ["receipt", "pending"])
def test_an_english_session_takes_home_english_paper(build: str, config: KioskConfig, case, identity,
                                                     tmp_path: Path) -> None:
    """The paper is in the language the resident used: what to bring, by when and where too.
    Only the applicant's name stays in its own characters (masked)."""
    item = config.offer.item("senior-citizen-card")
    document = (build_case_receipt(config.site, item, identity, case, centre_reachable=True, language="en")
                if build == "receipt" else build_pending_notice(config.site, item, identity, case, "en"))
    lines, paper = print_on("80mm", document, tmp_path)
    text = " ".join(lines)
    assert [line for line in lines if HAN.search(line)] == ["Applicant: 欧**丰"]
    title = "Case receipt" if build == "receipt" else "Case registration notice"
    assert title in lines and "2026 1122 001 0001" in lines
    assert catalog_text(config.site.name, "en") in text and catalog_text(item.name, "en") in text
    assert f"Within {config.site.bring_within_days} working days" in text
    assert f"{catalog_text('近期一寸免冠彩色照片', 'en')} (Original)" in text
    assert f"Enquiry line: {config.site.contact_phone}" in text
    assert [r.text for r in zxingcpp.read_barcodes(paper)] == [case.lookup_text]


def test_a_traditional_chinese_session_takes_home_traditional_paper(config: KioskConfig, case, identity,
                                                                    tmp_path: Path) -> None:
    item = config.offer.item("senior-citizen-card")
    document = build_case_receipt(config.site, item, identity, case, centre_reachable=True, language="zh-Hant")
    text = "".join(print_on("80mm", document, tmp_path)[0])
    assert "受理回執" in text and "請妥善保管本回執" in text and "受理回执" not in text
    assert catalog_text(item.name, "zh-Hant") in text
    assert "工作日內將以下材料帶到" in text


def test_nothing_to_bring_says_nothing_about_the_counter(config: KioskConfig, case, identity) -> None:
    item = config.offer.item("social-insurance-certificate")
    text = build_case_receipt(config.site, item, identity, case, centre_reachable=True,
                              language=SOURCE_LANGUAGE).plain_text()
    assert "个工作日内将以下材料" not in text and "领取地点" not in text


def test_case_number_is_kept_on_one_line_by_narrowing() -> None:
    number = Text("2026 1122 001 0001", size=2, one_line=True)
    narrow = EscposEncoder(PROFILES["58mm"]).encode_block(number)
    assert b"\x1d\x21\x01" in narrow and narrow.count(b"\n") == 1  # width 1, height 2
    wide = EscposEncoder(PROFILES["80mm"]).encode_block(number)
    assert b"\x1d\x21\x11" in wide and wide.count(b"\n") == 1


@pytest.mark.parametrize("profile", ["80mm", "58mm", "80mm-big5"])
def test_test_page_on_paper(profile: str, tmp_path: Path) -> None:
    model, features = f"ESC/POS {profile}", PROFILES[profile].features
    document = build_test_page(model, features, datetime(2026, 11, 22, 14, 5, 0), terminal_id="JB-PZ-001")
    lines, paper = print_on(profile, document, tmp_path)
    assert "2026-11-22 14:05:00" in lines
    joined = "".join(lines)
    assert "政務服務自助終端歡迎您" in joined
    assert "，。、；：？！“”‘’（）《》【】—…·" in joined
    if profile != "80mm-big5":  # Big5 lacks simplified and rare characters: those lines are pictures
        assert lines[0] == "打印机自检页"
        assert "政务服务自助终端欢迎您" in joined and "𠀀" in joined
    assert len(zxingcpp.read_barcodes(paper)) == 1
