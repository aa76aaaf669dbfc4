"""Receipt (提交成功): the case number large, the lookup QR, printing progress, what's next."""

from __future__ import annotations

from kivy.properties import BooleanProperty, StringProperty

from kiosk.catalog.model import DELIVERY_LABELS
from kiosk.session.privacy import group_case_number
from kiosk.session.session import PrintState
from screens.base import KioskScreen


class ReceiptScreen(KioskScreen):
    case_number = StringProperty("")
    item_name = StringProperty("")
    delivery = StringProperty("")
    lookup = StringProperty("")
    print_line = StringProperty("")
    print_failed = BooleanProperty(False)
    can_reprint = BooleanProperty(False)
    sent_line = StringProperty("")
    phone = StringProperty("")
    printing = BooleanProperty(False)
    qr_hint = StringProperty("")

    @property
    def show_back(self) -> bool:
        return False

    @property
    def show_home(self) -> bool:
        return not self.session.printing

    def refresh(self) -> None:
        case = self.session.case
        if case is None:
            return
        self.case_number = group_case_number(case.case_number)
        self.item_name = case.item_name
        self.delivery = DELIVERY_LABELS[case.delivery]
        self.lookup = case.lookup_text
        self.phone = self.terminal.config.site.contact_phone
        self.printing = case.print_state is PrintState.PRINTING
        self.print_failed = case.print_state is PrintState.FAILED
        availability = self.terminal.availability
        self.can_reprint = self.print_failed and bool(availability and availability.printer)
        self.print_line = {
            PrintState.PENDING: "正在准备打印回执……",
            PrintState.PRINTING: "正在打印回执，请稍候……",
            PrintState.PRINTED: "回执已打印，请从出纸口取走。",
            PrintState.FAILED: f"{self.session.say(case.print_problem)}您的申请已保存，不受影响。",
        }[case.print_state]
        self.qr_hint = "请用手机拍下受理编号和二维码" if self.print_failed else "扫码查询办理进度"
        if case.sent_to_centre:
            self.sent_line = "已送达后台，等待审核。"
        else:
            self.sent_line = "已保存在本机，正在提交后台（网络中断时将自动重试）。"

    def clear(self) -> None:
        self.case_number = self.item_name = self.lookup = self.print_line = self.sent_line = ""
