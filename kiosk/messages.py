"""What the kiosk says to a resident, in one place, keyed by message id.

The kiosk core never hands a screen free text: errors, refusals, notices and print outcomes
carry a ``Message`` (an id and its parameters), and ``say`` turns it into words in the
resident's language. A translation is one more table in ``WORDING``; a test checks that every
id has words in every language and that every template's parameters are given.

Parameters are plain values (a case number, a field's label from the catalogue) or other
message ids (a case state's label), which ``say`` renders in the same language. No personal
data ever goes into a message: names and ID numbers are shown by screens, masked.
"""

from __future__ import annotations

import enum
import string
from collections.abc import Mapping
from dataclasses import dataclass, field

DEFAULT_LANGUAGE = "zh-Hans"


class MessageId(enum.StrEnum):
    # identification
    CARD_READ_FAILED = "identify.card_read_failed"
    CARD_READER_UNAVAILABLE = "identify.card_reader_unavailable"
    CARD_READER_FAULT = "identify.card_reader_fault"
    CARD_DATA_INVALID = "identify.card_data_invalid"
    CARD_EXPIRED = "identify.card_expired"
    CARD_INCOMPLETE = "identify.card_incomplete"
    LOGIN_CODE_INCOMPLETE = "identify.login_code_incomplete"
    LOGIN_CODE_NAME_REFUSED = "identify.login_code_name_refused"
    CODE_NOT_FOR_LOGIN = "identify.code_not_for_login"
    CODE_EMPTY = "code.empty"
    CODE_UNKNOWN = "code.unknown"
    CODE_MALFORMED = "code.malformed"
    CODE_FORGED = "code.forged"
    CODE_EXPIRED = "code.expired"
    CODE_NOT_YET_VALID = "code.not_yet_valid"
    CODE_OVERSIZED = "code.oversized"
    CODE_UNSUPPORTED_KIND = "code.unsupported_kind"
    # case status lookup (a receipt's QR)
    LOOKUP_RESULT = "lookup.result"
    LOOKUP_FAILED = "lookup.failed"
    CASE_RECEIVED = "case_state.received"
    CASE_CLAIMED = "case_state.claimed"
    CASE_ACCEPTED = "case_state.accepted"
    CASE_MORE_MATERIALS_NEEDED = "case_state.more_materials_needed"
    CASE_REJECTED = "case_state.rejected"
    CASE_COMPLETED = "case_state.completed"
    # the form and the review
    ENTER_VALUE = "form.enter_value"
    CHOOSE_VALUE = "form.choose_value"
    PHONE_INVALID = "form.phone_invalid"
    DIGITS_ONLY = "form.digits_only"
    DIGITS_LENGTH = "form.digits_length"
    CHOOSE_FROM_LIST = "form.choose_from_list"
    REVIEW_MISSING = "review.missing"
    REVIEW_COMMITMENTS = "review.commitments"
    FIELD_FROM_CARD = "review.field_from_card"
    CHOOSE_DELIVERY = "review.choose_delivery"
    CHOOSE_RATING = "rating.choose_level"
    ITEM_NOT_OFFERED = "choose.item_not_offered"
    STEP_EXPIRED = "session.step_expired"
    # submitting
    STARTING_UP = "submit.starting_up"
    DAILY_LIMIT_REACHED = "submit.daily_limit_reached"
    NUMBERING_BROKEN = "submit.numbering_broken"
    OUTBOX_FULL = "submit.outbox_full"
    OUTBOX_FAULT = "submit.outbox_fault"
    CANNOT_TAKE_CASES = "submit.cannot_take_cases"
    DUPLICATE_CASE_NUMBER = "submit.duplicate_case_number"
    CONFIGURATION_BROKEN = "kiosk.configuration_broken"
    # the centre
    CENTRE_UNREACHABLE = "centre.unreachable"
    CENTRE_REJECTED = "centre.rejected"
    CENTRE_CONFLICT = "centre.conflict"
    # printing
    PRINTER_UNAVAILABLE = "print.printer_unavailable"
    PAPER_OUT = "print.paper_out"
    COVER_OPEN = "print.cover_open"
    PRINTER_FAULT = "print.printer_fault"
    # what the kiosk can do now (attract and out of service)
    ONLY_QR_LOGIN = "availability.only_qr_login"
    ONLY_CARD = "availability.only_card"
    NO_PRINTER = "availability.no_printer"
    SITE_CLOSED = "availability.site_closed"
    DISK_FULL = "availability.disk_full"
    UNDER_MAINTENANCE = "availability.under_maintenance"


Param = str | int | MessageId


@dataclass(frozen=True)
class Message:
    """A message id with its parameters; ``say`` gives its words."""

    id: MessageId
    params: Mapping[str, Param] = field(default_factory=dict)

    def __hash__(self) -> int:
        return hash((self.id, tuple(sorted(self.params.items()))))


def message(message_id: MessageId, **params: Param) -> Message:
    """Build a ``Message``: ``message(MessageId.DIGITS_LENGTH, label="…", low=1, high=8)``."""
    return Message(message_id, dict(params))


_SHOW_APP = "请出示政务服务App中的登录码、预约码或电子证照码，或本机回执上的查询码。"

ZH_HANS: dict[MessageId, str] = {
    MessageId.CARD_READ_FAILED: "未能读取证件，请将身份证平放在感应区，不要移动。",
    MessageId.CARD_READER_UNAVAILABLE: "身份证阅读器暂停使用，请使用政务服务App扫码登录，或联系工作人员。",
    MessageId.CARD_READER_FAULT: "身份证阅读器故障，请使用政务服务App扫码登录，或联系工作人员。",
    MessageId.CARD_DATA_INVALID: "证件信息校验未通过，请到人工窗口办理。",
    MessageId.CARD_EXPIRED: "您的证件已超过有效期，请到人工窗口办理。",
    MessageId.CARD_INCOMPLETE: "未能读出证件信息，请将证件重新放在感应区。",
    MessageId.LOGIN_CODE_INCOMPLETE: "登录码中没有完整的身份信息，请在政务服务App中刷新登录码，或刷身份证办理。",
    MessageId.LOGIN_CODE_NAME_REFUSED: (
        "登录码中的姓名含有不能显示或打印的字符，本机无法使用。请刷身份证办理，或到人工窗口办理。"
    ),
    MessageId.CODE_NOT_FOR_LOGIN: "这是预约码或电子证照码，请先刷身份证或扫描登录码。",
    MessageId.CODE_EMPTY: "没有读到二维码内容，请将二维码对准扫码窗口再试一次。",
    MessageId.CODE_UNKNOWN: "无法识别此二维码。" + _SHOW_APP,
    MessageId.CODE_MALFORMED: "二维码内容不完整，请在政务服务App中刷新二维码后再扫。",
    MessageId.CODE_FORGED: "此二维码未通过校验，不能使用。请在政务服务App中重新打开二维码，或联系工作人员。",
    MessageId.CODE_EXPIRED: "此二维码已过期，请在政务服务App中刷新二维码后再扫。",
    MessageId.CODE_NOT_YET_VALID: "此二维码暂不能使用，请联系工作人员。",
    MessageId.CODE_OVERSIZED: "二维码内容过长，无法识别。" + _SHOW_APP,
    MessageId.CODE_UNSUPPORTED_KIND: "本机暂不支持此类二维码，请到服务窗口办理或联系工作人员。",
    MessageId.LOOKUP_RESULT: "受理编号 {case_number}：{status}",
    MessageId.LOOKUP_FAILED: "暂时无法查询受理编号 {case_number}，请稍后再试，或拨打咨询电话。",
    MessageId.CASE_RECEIVED: "已提交，等待受理",
    MessageId.CASE_CLAIMED: "工作人员正在审核",
    MessageId.CASE_ACCEPTED: "已受理",
    MessageId.CASE_MORE_MATERIALS_NEEDED: "需要补充材料，请留意短信通知",
    MessageId.CASE_REJECTED: "不予受理，请留意短信通知",
    MessageId.CASE_COMPLETED: "已办结",
    MessageId.ENTER_VALUE: "请输入{label}",
    MessageId.CHOOSE_VALUE: "请选择{label}",
    MessageId.PHONE_INVALID: "请输入11位手机号码，以1开头，例如 13812345678",
    MessageId.DIGITS_ONLY: "{label}只能填写数字",
    MessageId.DIGITS_LENGTH: "{label}请填写{low}到{high}位数字",
    MessageId.CHOOSE_FROM_LIST: "请从列表中选择{label}",
    MessageId.REVIEW_MISSING: "请检查以下内容：{label}未填写",
    MessageId.REVIEW_COMMITMENTS: "请阅读并勾选承诺事项后再提交",
    MessageId.FIELD_FROM_CARD: "这一项来自您的证件，不能修改。",
    MessageId.CHOOSE_DELIVERY: "请选择领取方式",
    MessageId.CHOOSE_RATING: "请选择一个评价等级",
    MessageId.ITEM_NOT_OFFERED: "该事项暂不能在本机办理，请咨询工作人员。",
    MessageId.STEP_EXPIRED: "操作已过期，请重新开始。",
    MessageId.STARTING_UP: "本机正在启动，请稍候几秒再提交。",
    MessageId.DAILY_LIMIT_REACHED: "本机今日受理量已达上限，请到人工窗口办理。",
    MessageId.NUMBERING_BROKEN: "本机受理编号记录损坏，暂停受理，请联系工作人员。",
    MessageId.OUTBOX_FULL: "本机存储空间不足，暂停受理，请联系工作人员",
    MessageId.OUTBOX_FAULT: "本机存储故障，暂停受理，请联系工作人员",
    MessageId.CANNOT_TAKE_CASES: (
        "本机存储空间不足或故障，暂时无法受理，您的申请未提交。请到人工窗口办理，或拨打 {phone}。"
    ),
    MessageId.DUPLICATE_CASE_NUMBER: "受理编号重复，请联系工作人员",
    MessageId.CONFIGURATION_BROKEN: "本机配置有误，暂停受理，请联系工作人员",
    MessageId.CENTRE_UNREACHABLE: "暂时无法连接服务中心，您的办件已安全保存，将自动补发",
    MessageId.CENTRE_REJECTED: "服务中心未接收该办件，请联系工作人员",
    MessageId.CENTRE_CONFLICT: "服务中心已有编号相同但内容不同的办件，请联系工作人员",
    MessageId.PRINTER_UNAVAILABLE: "打印机暂停使用，未能打印回执。",
    MessageId.PAPER_OUT: "打印机缺纸，未能打印回执。",
    MessageId.COVER_OPEN: "打印机盖未关好，未能打印回执。",
    MessageId.PRINTER_FAULT: "打印机故障，未能打印回执。",
    MessageId.ONLY_QR_LOGIN: "身份证阅读器暂停使用，请使用政务服务App扫码登录。",
    MessageId.ONLY_CARD: "扫码功能暂停使用，请刷身份证办理。",
    MessageId.NO_PRINTER: "打印机暂停使用：办理后将在屏幕上显示受理编号和查询二维码。",
    MessageId.SITE_CLOSED: "本网点自助服务暂未开放。",
    MessageId.DISK_FULL: "本机存储空间不足，暂停受理。",
    MessageId.UNDER_MAINTENANCE: "设备维护中，暂停服务。",
}

WORDING: dict[str, dict[MessageId, str]] = {DEFAULT_LANGUAGE: ZH_HANS}


def say(msg: Message | MessageId | None, language: str = DEFAULT_LANGUAGE) -> str:
    """The words of ``msg`` in ``language`` ("" for None)."""
    if msg is None:
        return ""
    if isinstance(msg, MessageId):
        msg = Message(msg)
    table = WORDING.get(language, ZH_HANS)
    template = table.get(msg.id) or ZH_HANS[msg.id]
    params = {key: say(value, language) if isinstance(value, MessageId) else str(value)
              for key, value in msg.params.items()}
    return template.format_map(params)


def template_fields(message_id: MessageId, language: str = DEFAULT_LANGUAGE) -> set[str]:
    """The parameter names a message's words use (for tests and translators)."""
    template = WORDING[language][message_id]
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}
