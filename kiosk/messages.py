"""What the kiosk says to a resident, in one place, keyed by message id.

The kiosk core never hands a screen free text: errors, refusals, notices and print outcomes
carry a ``Message`` (an id and its parameters), and ``say`` turns it into words in the
resident's language. A translation is one more table in ``WORDING``; a test checks that every
id has words in every language and that every template's parameters are given.

Parameters are plain values (a case number, a field's label from the catalogue) or other
message ids (a case state's label), which ``say`` renders in the same language. No personal
data ever goes into a message the core keeps: names and ID numbers are shown by screens,
masked (the one template with a name, ``ui.choose.greeting``, gets the masked name from its
screen and is rendered at once).

Screens keep no words of their own either: every title, button, hint and line they show is a
``ui.<screen>.<what>`` id below, said through ``app.say(id, app.language, **params)`` in
``.kv`` files (naming ``app.language`` makes Kivy re-evaluate when the language changes)
and ``KioskScreen.say`` in their ``.py`` files. Catalogue data (item names, guides, field
and delivery labels) is the site's, in ``config/``, and is shown as it is.
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
    TEXT_INVALID = "form.text_invalid"
    TEXT_LENGTH = "form.text_length"
    NAME_INVALID = "form.name_invalid"
    ID_NUMBER_FORM = "form.id_number_form"
    ID_NUMBER_CHECK = "form.id_number_check"
    DATE_INVALID = "form.date_invalid"
    DATE_RANGE = "form.date_range"
    AMOUNT_INVALID = "form.amount_invalid"
    AMOUNT_RANGE = "form.amount_range"
    REGION_INCOMPLETE = "form.region_incomplete"
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
    # counter appointments (预约取号) for items done only at the counter
    APPOINTMENT_NO_SLOTS = "appointment.no_slots"
    APPOINTMENT_SLOT_TAKEN = "appointment.slot_taken"
    APPOINTMENT_CENTRE_UNREACHABLE = "appointment.centre_unreachable"
    # printing
    PRINTER_UNAVAILABLE = "print.printer_unavailable"
    PAPER_OUT = "print.paper_out"
    COVER_OPEN = "print.cover_open"
    PRINTER_FAULT = "print.printer_fault"
    # instant printing of certificates on the A4 printer (即时打印)
    CERTIFICATE_PRINTED = "certificate.printed"
    CERTIFICATE_NO_PRINTER = "certificate.no_printer"
    CERTIFICATE_PAPER_OUT = "certificate.paper_out"
    CERTIFICATE_PRINT_FAILED = "certificate.print_failed"
    CERTIFICATE_PRINT_TIMEOUT = "certificate.print_timeout"
    CERTIFICATE_CENTRE_UNREACHABLE = "certificate.centre_unreachable"
    CERTIFICATE_NOT_ISSUED = "certificate.not_issued"
    # what the kiosk can do now (attract and out of service)
    ONLY_QR_LOGIN = "availability.only_qr_login"
    ONLY_CARD = "availability.only_card"
    NO_PRINTER = "availability.no_printer"
    SITE_CLOSED = "availability.site_closed"
    DISK_FULL = "availability.disk_full"
    UNDER_MAINTENANCE = "availability.under_maintenance"
    # ---- screens (ui.<screen>.<what>): every word a screen shows of its own ----
    # shared by several screens
    UI_ERROR_SUMMARY = "ui.common.error_summary"
    # the frame: header, countdown, footer, help
    UI_ELDER_MODE_ON = "ui.header.elder_mode_on"
    UI_ELDER_MODE_OFF = "ui.header.elder_mode_off"
    UI_COUNTDOWN_WARNING = "ui.countdown.warning"
    UI_COUNTDOWN_CONTINUE = "ui.countdown.continue"
    UI_FOOTER_BACK = "ui.footer.back"
    UI_FOOTER_HOME = "ui.footer.home"
    UI_FOOTER_HELP = "ui.footer.help"
    UI_HELP_HEADING = "ui.help.heading"
    UI_HELP_TEXT = "ui.help.text"
    # widgets
    UI_KEYPAD_CLEAR = "ui.keypad.clear"
    UI_KEYPAD_DELETE = "ui.keypad.delete"
    # attract
    UI_ATTRACT_TITLE = "ui.attract.title"
    UI_ATTRACT_SUBTITLE = "ui.attract.subtitle"
    UI_ATTRACT_CARD = "ui.attract.card"
    UI_ATTRACT_CARD_HINT = "ui.attract.card_hint"
    UI_ATTRACT_CARD_OFF = "ui.attract.card_off"
    UI_ATTRACT_QR = "ui.attract.qr"
    UI_ATTRACT_QR_HINT = "ui.attract.qr_hint"
    UI_ATTRACT_QR_OFF = "ui.attract.qr_off"
    UI_ATTRACT_NOTICES = "ui.attract.notices"
    UI_ATTRACT_START = "ui.attract.start"
    # identify
    UI_IDENTIFY_TITLE = "ui.identify.title"
    UI_IDENTIFY_NOTICE = "ui.identify.notice"
    UI_IDENTIFY_CARD = "ui.identify.card"
    UI_IDENTIFY_CARD_HINT = "ui.identify.card_hint"
    UI_IDENTIFY_CARD_OFF = "ui.identify.card_off"
    UI_IDENTIFY_QR = "ui.identify.qr"
    UI_IDENTIFY_QR_HINT = "ui.identify.qr_hint"
    UI_IDENTIFY_QR_OFF = "ui.identify.qr_off"
    UI_IDENTIFY_ASSISTED = "ui.identify.assisted"
    # choose
    UI_CHOOSE_GREETING = "ui.choose.greeting"
    UI_CHOOSE_TITLE = "ui.choose.title"
    UI_CHOOSE_FREQUENT = "ui.choose.frequent"
    UI_CHOOSE_BY_DEPARTMENT = "ui.choose.by_department"
    UI_CHOOSE_DEPARTMENTS = "ui.choose.departments"
    UI_CHOOSE_SEARCH_PLACEHOLDER = "ui.choose.search_placeholder"
    UI_CHOOSE_SEARCH_RESULTS = "ui.choose.search_results"
    UI_CHOOSE_NO_RESULTS = "ui.choose.no_results"
    UI_CHOOSE_NO_RESULTS_HINT = "ui.choose.no_results_hint"
    UI_CHOOSE_BUNDLE = "ui.choose.bundle"
    UI_CHOOSE_BUNDLE_ITEMS = "ui.choose.bundle_items"
    UI_CHOOSE_KEY_BACKSPACE = "ui.choose.key_backspace"
    UI_CHOOSE_KEY_CLEAR = "ui.choose.key_clear"
    UI_CHOOSE_KEY_DONE = "ui.choose.key_done"
    # guide
    UI_GUIDE_DEPARTMENT = "ui.guide.department"
    UI_GUIDE_CONDITIONS = "ui.guide.conditions"
    UI_GUIDE_MATERIALS = "ui.guide.materials"
    UI_GUIDE_FEE = "ui.guide.fee"
    UI_GUIDE_TIME_LIMIT = "ui.guide.time_limit"
    UI_GUIDE_RESULT = "ui.guide.result"
    UI_GUIDE_START = "ui.guide.start"
    UI_GUIDE_WHO = "ui.guide.who"
    UI_GUIDE_LEGAL_LIMIT = "ui.guide.legal_limit"
    UI_GUIDE_PROMISED_LIMIT = "ui.guide.promised_limit"
    UI_GUIDE_LEGAL_BASIS = "ui.guide.legal_basis"
    UI_GUIDE_RESULT_DELIVERY = "ui.guide.result_delivery"
    UI_GUIDE_COLLECT_AT = "ui.guide.collect_at"
    UI_GUIDE_MATERIAL_ORIGINAL = "ui.guide.material.original"
    UI_GUIDE_MATERIAL_COPY = "ui.guide.material.copy"
    UI_GUIDE_MATERIAL_ORIGINAL_AND_COPY = "ui.guide.material.original_and_copy"
    UI_GUIDE_MATERIAL_ELECTRONIC = "ui.guide.material.electronic"
    UI_GUIDE_MATERIAL_OPTIONAL = "ui.guide.material.optional"
    UI_GUIDE_CAPTURE_CARD = "ui.guide.capture.card"
    UI_GUIDE_CAPTURE_CAMERA = "ui.guide.capture.camera"
    UI_GUIDE_CAPTURE_NONE = "ui.guide.capture.none"
    # form
    UI_FORM_PROGRESS = "ui.form.progress"
    UI_FORM_KEYPAD_EMPTY = "ui.form.keypad_empty"
    UI_FORM_NEXT = "ui.form.next"
    UI_FORM_HELP = "ui.form.help"
    UI_FORM_HELP_CLOSE = "ui.form.help_close"
    UI_FORM_MULTI_HINT = "ui.form.multi_hint"
    UI_FORM_YUAN = "ui.form.yuan"
    UI_FORM_DATE_YEAR = "ui.form.date_year"
    UI_FORM_DATE_MONTH = "ui.form.date_month"
    UI_FORM_DATE_DAY = "ui.form.date_day"
    UI_FORM_DATE_CHOSEN = "ui.form.date_chosen"
    UI_FORM_REGION_UP = "ui.form.region_up"
    UI_FORM_REGION_PROVINCE = "ui.form.region_province"
    UI_FORM_REGION_CITY = "ui.form.region_city"
    UI_FORM_REGION_DISTRICT = "ui.form.region_district"
    UI_FORM_REGION_STREET = "ui.form.region_street"
    UI_FORM_REGION_CHOSEN = "ui.form.region_chosen"
    UI_FORM_TEXT_EMPTY = "ui.form.text_empty"
    # review
    UI_REVIEW_TITLE = "ui.review.title"
    UI_REVIEW_ITEM = "ui.review.item"
    UI_REVIEW_CHANGE = "ui.review.change"
    UI_REVIEW_COMMITMENTS = "ui.review.commitments"
    UI_REVIEW_COMMITTED = "ui.review.committed"
    UI_REVIEW_TO_COMMIT = "ui.review.to_commit"
    UI_REVIEW_SUBMIT = "ui.review.submit"
    # receipt
    UI_RECEIPT_TITLE = "ui.receipt.title"
    UI_RECEIPT_CASE_NUMBER = "ui.receipt.case_number"
    UI_RECEIPT_PRINT = "ui.receipt.print"
    UI_RECEIPT_NOT_PRINTED = "ui.receipt.not_printed"
    UI_RECEIPT_PRINT_PENDING = "ui.receipt.print_pending"
    UI_RECEIPT_PRINTING = "ui.receipt.printing"
    UI_RECEIPT_PRINTED = "ui.receipt.printed"
    UI_RECEIPT_PRINT_FAILED = "ui.receipt.print_failed"
    UI_RECEIPT_QR_HINT = "ui.receipt.qr_hint"
    UI_RECEIPT_QR_PHOTO = "ui.receipt.qr_photo"
    UI_RECEIPT_SENT = "ui.receipt.sent"
    UI_RECEIPT_SAVED = "ui.receipt.saved"
    UI_RECEIPT_DELIVERY = "ui.receipt.delivery"
    UI_RECEIPT_PHONE = "ui.receipt.phone"
    UI_RECEIPT_REPRINT = "ui.receipt.reprint"
    UI_RECEIPT_DONE = "ui.receipt.done"
    # rating: the five levels (非常满意 first), the reasons for a low one, in the session's order
    UI_RATING_TITLE = "ui.rating.title"
    UI_RATING_INTRO = "ui.rating.intro"
    UI_RATING_VERY_SATISFIED = "ui.rating.level.very_satisfied"
    UI_RATING_SATISFIED = "ui.rating.level.satisfied"
    UI_RATING_FAIRLY_SATISFIED = "ui.rating.level.fairly_satisfied"
    UI_RATING_DISSATISFIED = "ui.rating.level.dissatisfied"
    UI_RATING_VERY_DISSATISFIED = "ui.rating.level.very_dissatisfied"
    UI_RATING_REASONS = "ui.rating.reasons"
    UI_RATING_REASON_LONG_WAIT = "ui.rating.reason.long_wait"
    UI_RATING_REASON_HARD_TO_USE = "ui.rating.reason.hard_to_use"
    UI_RATING_REASON_ITEM_NOT_FOUND = "ui.rating.reason.item_not_found"
    UI_RATING_REASON_GUIDE_UNCLEAR = "ui.rating.reason.guide_unclear"
    UI_RATING_REASON_DEVICE_FAULT = "ui.rating.reason.device_fault"
    UI_RATING_REASON_OTHER = "ui.rating.reason.other"
    UI_RATING_SEND = "ui.rating.send"
    UI_RATING_SKIP = "ui.rating.skip"
    # farewell
    UI_FAREWELL_TITLE = "ui.farewell.title"
    UI_FAREWELL_TAKE_CARD = "ui.farewell.take_card"
    UI_FAREWELL_TAKE_ALL = "ui.farewell.take_all"
    UI_FAREWELL_WIPED = "ui.farewell.wiped"
    UI_FAREWELL_FINISH = "ui.farewell.finish"
    # out of service
    UI_OUT_OF_SERVICE_TITLE = "ui.out_of_service.title"
    UI_OUT_OF_SERVICE_CALL = "ui.out_of_service.call"
    # booking a slot at the counter, and the slip
    UI_GUIDE_BOOK = "ui.guide.book"
    UI_GUIDE_COUNTER_ONLY = "ui.guide.counter_only"
    UI_APPOINTMENT_TITLE = "ui.appointment.title"
    UI_APPOINTMENT_INTRO = "ui.appointment.intro"
    UI_APPOINTMENT_LOADING = "ui.appointment.loading"
    UI_APPOINTMENT_BOOKING = "ui.appointment.booking"
    UI_APPOINTMENT_SLOT = "ui.appointment.slot"
    UI_APPOINTMENT_PROBLEM = "ui.appointment.problem"
    UI_APPOINTMENT_BOOKED = "ui.appointment.booked"
    UI_APPOINTMENT_NUMBER = "ui.appointment.number"
    UI_APPOINTMENT_WHEN = "ui.appointment.when"
    UI_APPOINTMENT_BRING = "ui.appointment.bring"
    UI_CERTIFICATE_PRINTING = "ui.certificate.printing"
    UI_CERTIFICATE_PENDING = "ui.certificate.pending"
    UI_CERTIFICATE_HEADING = "ui.certificate.heading"


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
    MessageId.TEXT_INVALID: "{label}中有不能使用的字符，请删除后重新输入",
    MessageId.TEXT_LENGTH: "{label}请填写{low}到{high}个字",
    MessageId.NAME_INVALID: "{label}请只填写汉字，少数民族姓名各部分之间用“·”隔开",
    MessageId.ID_NUMBER_FORM: "{label}应为18位，前17位是数字，最后一位是数字或X",
    MessageId.ID_NUMBER_CHECK: "{label}有误，请核对每一位后重新输入",
    MessageId.DATE_INVALID: "请选择{label}",
    MessageId.DATE_RANGE: "{label}应在{low}到{high}之间",
    MessageId.AMOUNT_INVALID: "{label}请填写金额（元），最多两位小数，例如 1200.50",
    MessageId.AMOUNT_RANGE: "{label}应在{low}元到{high}元之间",
    MessageId.REGION_INCOMPLETE: "请逐级选择{label}，直到最后一级",
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
    MessageId.APPOINTMENT_NO_SLOTS: (
        "未来{days}天窗口暂无可预约的时段。请在窗口服务时间内直接到窗口取号办理，或过几天再来预约。"
    ),
    MessageId.APPOINTMENT_SLOT_TAKEN: "您选的时段刚刚被约满，请另选一个时段。",
    MessageId.APPOINTMENT_CENTRE_UNREACHABLE: (
        "暂时无法连接服务中心，未能预约。请在窗口服务时间内直接到窗口取号办理，或稍后再试。"
    ),
    MessageId.PRINTER_UNAVAILABLE: "打印机暂停使用，未能打印回执。",
    MessageId.PAPER_OUT: "打印机缺纸，未能打印回执。",
    MessageId.COVER_OPEN: "打印机盖未关好，未能打印回执。",
    MessageId.PRINTER_FAULT: "打印机故障，未能打印回执。",
    MessageId.CERTIFICATE_PRINTED: "证明已打印，请从A4出纸口取走。",
    MessageId.CERTIFICATE_NO_PRINTER: "本机暂时不能打印A4证明。请凭回执上的受理编号到服务窗口领取纸质证明。",
    MessageId.CERTIFICATE_PAPER_OUT: "A4打印机缺纸，未能打印证明。请凭回执上的受理编号到服务窗口领取纸质证明。",
    MessageId.CERTIFICATE_PRINT_FAILED: "A4打印机故障，未能打印证明。请凭回执上的受理编号到服务窗口领取纸质证明。",
    MessageId.CERTIFICATE_PRINT_TIMEOUT: (
        "证明未能及时打印，已取消打印，不会再出纸。请凭回执上的受理编号到服务窗口领取纸质证明。"
    ),
    MessageId.CERTIFICATE_CENTRE_UNREACHABLE: "暂时无法连接服务中心，未能出具证明。请稍后再试，或到窗口办理。",
    MessageId.CERTIFICATE_NOT_ISSUED: "该证明暂不能在本机出具，请到窗口办理。",
    MessageId.ONLY_QR_LOGIN: "身份证阅读器暂停使用，请使用政务服务App扫码登录。",
    MessageId.ONLY_CARD: "扫码功能暂停使用，请刷身份证办理。",
    MessageId.NO_PRINTER: "打印机暂停使用：办理后将在屏幕上显示受理编号和查询二维码。",
    MessageId.SITE_CLOSED: "本网点自助服务暂未开放。",
    MessageId.DISK_FULL: "本机存储空间不足，暂停受理。",
    MessageId.UNDER_MAINTENANCE: "设备维护中，暂停服务。",
    # ---- screens ----
    MessageId.UI_ERROR_SUMMARY: "请检查以下内容",
    MessageId.UI_ELDER_MODE_ON: "长辈模式",
    MessageId.UI_ELDER_MODE_OFF: "标准模式",
    MessageId.UI_COUNTDOWN_WARNING: "您已较长时间未操作，{seconds} 秒后将返回首页并清除您的信息。",
    MessageId.UI_COUNTDOWN_CONTINUE: "继续办理",
    MessageId.UI_FOOTER_BACK: "返回上一步",
    MessageId.UI_FOOTER_HOME: "回到首页",
    MessageId.UI_FOOTER_HELP: "需要帮助",
    MessageId.UI_HELP_HEADING: "需要帮助",
    MessageId.UI_HELP_TEXT: "请到服务台找工作人员，或拨打 {phone}。工作人员可为您代办。",
    MessageId.UI_KEYPAD_CLEAR: "清空",
    MessageId.UI_KEYPAD_DELETE: "删除",
    # attract
    MessageId.UI_ATTRACT_TITLE: "欢迎使用24小时政务自助服务",
    MessageId.UI_ATTRACT_SUBTITLE: "社保、医保、居住证、老年人优待证等事项，刷身份证或扫码即可办理",
    MessageId.UI_ATTRACT_CARD: "刷身份证",
    MessageId.UI_ATTRACT_CARD_HINT: "请将身份证平放在屏幕下方的感应区",
    MessageId.UI_ATTRACT_CARD_OFF: "身份证阅读器暂停使用",
    MessageId.UI_ATTRACT_QR: "扫码登录",
    MessageId.UI_ATTRACT_QR_HINT: "打开政务服务App，出示登录码，对准扫码窗口",
    MessageId.UI_ATTRACT_QR_OFF: "扫码功能暂停使用",
    MessageId.UI_ATTRACT_NOTICES: "温馨提示",
    MessageId.UI_ATTRACT_START: "点击屏幕开始办理",
    # identify
    MessageId.UI_IDENTIFY_TITLE: "请验证您的身份",
    MessageId.UI_IDENTIFY_NOTICE: "查询结果",
    MessageId.UI_IDENTIFY_CARD: "方式一：刷身份证",
    MessageId.UI_IDENTIFY_CARD_HINT: (
        "请将身份证平放在屏幕下方的感应区，听到提示音前不要移动。"
        "支持居民身份证、港澳台居民居住证和外国人永久居留身份证。"
    ),
    MessageId.UI_IDENTIFY_CARD_OFF: "身份证阅读器暂停使用，请扫码登录。",
    MessageId.UI_IDENTIFY_QR: "方式二：扫码登录",
    MessageId.UI_IDENTIFY_QR_HINT: (
        "打开政务服务App，点击“亮码”，将登录码对准扫码窗口。扫描回执上的二维码可查询办理进度。"
    ),
    MessageId.UI_IDENTIFY_QR_OFF: "扫码功能暂停使用，请刷身份证。",
    MessageId.UI_IDENTIFY_ASSISTED: "没有证件或不会操作？请点“需要帮助”，工作人员可为您代办。",
    # choose ({name} is the masked name, filled by the screen and shown at once)
    MessageId.UI_CHOOSE_GREETING: "您好，{name}",
    MessageId.UI_CHOOSE_TITLE: "请选择要办理的事项",
    MessageId.UI_CHOOSE_FREQUENT: "常用事项",
    MessageId.UI_CHOOSE_BY_DEPARTMENT: "按部门",
    MessageId.UI_CHOOSE_DEPARTMENTS: "请选择承办部门",
    MessageId.UI_CHOOSE_SEARCH_PLACEHOLDER: "点此搜索：可输入拼音或首字母",
    MessageId.UI_CHOOSE_SEARCH_RESULTS: "“{text}”的搜索结果：{count} 项",
    MessageId.UI_CHOOSE_NO_RESULTS: "没有找到“{text}”相关的事项。",
    MessageId.UI_CHOOSE_NO_RESULTS_HINT: "试试输入拼音首字母，如 sbzm（社保证明）；或收起键盘，按分类查找。",
    MessageId.UI_CHOOSE_BUNDLE: "一件事",
    MessageId.UI_CHOOSE_BUNDLE_ITEMS: "{count}个事项一次办",
    MessageId.UI_CHOOSE_KEY_BACKSPACE: "删除",
    MessageId.UI_CHOOSE_KEY_CLEAR: "清空",
    MessageId.UI_CHOOSE_KEY_DONE: "收起键盘",
    # guide
    MessageId.UI_GUIDE_DEPARTMENT: "承办部门：{department}",
    MessageId.UI_GUIDE_CONDITIONS: "办理条件",
    MessageId.UI_GUIDE_MATERIALS: "所需材料",
    MessageId.UI_GUIDE_FEE: "收费标准",
    MessageId.UI_GUIDE_TIME_LIMIT: "办理时限",
    MessageId.UI_GUIDE_RESULT: "办理结果",
    MessageId.UI_GUIDE_START: "我已了解，开始办理",
    MessageId.UI_GUIDE_WHO: "适用对象",
    MessageId.UI_GUIDE_LEGAL_LIMIT: "法定办结时限：{limit}",
    MessageId.UI_GUIDE_PROMISED_LIMIT: "承诺办结时限：{limit}",
    MessageId.UI_GUIDE_LEGAL_BASIS: "办理依据",
    MessageId.UI_GUIDE_RESULT_DELIVERY: "送达方式：{delivery}",
    MessageId.UI_GUIDE_COLLECT_AT: "领取地点：{place}",
    MessageId.UI_GUIDE_MATERIAL_ORIGINAL: "原件",
    MessageId.UI_GUIDE_MATERIAL_COPY: "复印件{copies}份",
    MessageId.UI_GUIDE_MATERIAL_ORIGINAL_AND_COPY: "原件及复印件{copies}份",
    MessageId.UI_GUIDE_MATERIAL_ELECTRONIC: "电子材料",
    MessageId.UI_GUIDE_MATERIAL_OPTIONAL: "（如有）",
    MessageId.UI_GUIDE_CAPTURE_CARD: "本机刷身份证即可",
    MessageId.UI_GUIDE_CAPTURE_CAMERA: "可在本机高拍仪拍照",
    MessageId.UI_GUIDE_CAPTURE_NONE: "请到窗口提交",
    # form
    MessageId.UI_FORM_PROGRESS: "第 {step} 步，共 {steps} 步",
    MessageId.UI_FORM_KEYPAD_EMPTY: "请用数字键输入",
    MessageId.UI_FORM_NEXT: "下一步",
    MessageId.UI_FORM_HELP: "？说明",
    MessageId.UI_FORM_HELP_CLOSE: "我知道了",
    MessageId.UI_FORM_MULTI_HINT: "可以选多项，选好后点“下一步”",
    MessageId.UI_FORM_YUAN: "元",
    MessageId.UI_FORM_DATE_YEAR: "年",
    MessageId.UI_FORM_DATE_MONTH: "月",
    MessageId.UI_FORM_DATE_DAY: "日",
    MessageId.UI_FORM_DATE_CHOSEN: "{year}年{month}月{day}日",
    MessageId.UI_FORM_REGION_UP: "返回上一级",
    MessageId.UI_FORM_REGION_PROVINCE: "请选择省份",
    MessageId.UI_FORM_REGION_CITY: "请选择城市",
    MessageId.UI_FORM_REGION_DISTRICT: "请选择区县",
    MessageId.UI_FORM_REGION_STREET: "请选择街道（乡镇）",
    MessageId.UI_FORM_REGION_CHOSEN: "已选：{region}",
    MessageId.UI_FORM_TEXT_EMPTY: "请输入",
    # review
    MessageId.UI_REVIEW_TITLE: "请核对信息",
    MessageId.UI_REVIEW_ITEM: "办理事项：{item}",
    MessageId.UI_REVIEW_CHANGE: "修改",
    MessageId.UI_REVIEW_COMMITMENTS: "承诺事项（请点击勾选）",
    MessageId.UI_REVIEW_COMMITTED: "✔ 已承诺：{statement}",
    MessageId.UI_REVIEW_TO_COMMIT: "□ 点击勾选：{statement}",
    MessageId.UI_REVIEW_SUBMIT: "确认无误，提交申请",
    # receipt ({problem} is one of the print.* messages, already in words)
    MessageId.UI_RECEIPT_TITLE: "申请已提交",
    MessageId.UI_RECEIPT_CASE_NUMBER: "受理编号",
    MessageId.UI_RECEIPT_PRINT: "打印",
    MessageId.UI_RECEIPT_NOT_PRINTED: "未能打印回执",
    MessageId.UI_RECEIPT_PRINT_PENDING: "正在准备打印回执……",
    MessageId.UI_RECEIPT_PRINTING: "正在打印回执，请稍候……",
    MessageId.UI_RECEIPT_PRINTED: "回执已打印，请从出纸口取走。",
    MessageId.UI_RECEIPT_PRINT_FAILED: "{problem}您的申请已保存，不受影响。",
    MessageId.UI_RECEIPT_QR_HINT: "扫码查询办理进度",
    MessageId.UI_RECEIPT_QR_PHOTO: "请用手机拍下受理编号和二维码",
    MessageId.UI_RECEIPT_SENT: "已送达后台，等待审核。",
    MessageId.UI_RECEIPT_SAVED: "已保存在本机，正在提交后台（网络中断时将自动重试）。",
    MessageId.UI_RECEIPT_DELIVERY: "领取方式：{delivery}",
    MessageId.UI_RECEIPT_PHONE: "咨询电话：{phone}",
    MessageId.UI_RECEIPT_REPRINT: "重新打印回执",
    MessageId.UI_RECEIPT_DONE: "完成，去评价",
    # rating
    MessageId.UI_RATING_TITLE: "请您对本次服务进行评价",
    MessageId.UI_RATING_INTRO: "您的评价将随受理编号一起送达，差评会有专人回访。",
    MessageId.UI_RATING_VERY_SATISFIED: "非常满意",
    MessageId.UI_RATING_SATISFIED: "满意",
    MessageId.UI_RATING_FAIRLY_SATISFIED: "基本满意",
    MessageId.UI_RATING_DISSATISFIED: "不满意",
    MessageId.UI_RATING_VERY_DISSATISFIED: "非常不满意",
    MessageId.UI_RATING_REASONS: "请选择不满意的原因（可多选）",
    MessageId.UI_RATING_REASON_LONG_WAIT: "等待时间长",
    MessageId.UI_RATING_REASON_HARD_TO_USE: "操作不方便",
    MessageId.UI_RATING_REASON_ITEM_NOT_FOUND: "事项找不到",
    MessageId.UI_RATING_REASON_GUIDE_UNCLEAR: "指南看不懂",
    MessageId.UI_RATING_REASON_DEVICE_FAULT: "设备故障",
    MessageId.UI_RATING_REASON_OTHER: "其他",
    MessageId.UI_RATING_SEND: "提交评价",
    MessageId.UI_RATING_SKIP: "跳过评价",
    # farewell
    MessageId.UI_FAREWELL_TITLE: "感谢您的使用",
    MessageId.UI_FAREWELL_TAKE_CARD: "请取走您的身份证！",
    MessageId.UI_FAREWELL_TAKE_ALL: "请带好您的身份证和回执。",
    MessageId.UI_FAREWELL_WIPED: "您的信息已从本机屏幕清除。",
    MessageId.UI_FAREWELL_FINISH: "结束",
    # out of service
    MessageId.UI_OUT_OF_SERVICE_TITLE: "暂停服务",
    MessageId.UI_OUT_OF_SERVICE_CALL: "给您带来不便，敬请谅解。如需办理，请联系工作人员：{phone}",
    MessageId.UI_GUIDE_BOOK: "预约到窗口办理",
    MessageId.UI_GUIDE_COUNTER_ONLY: "此事项需要到窗口办理，本机可为您预约到窗口的时间。",
    MessageId.UI_APPOINTMENT_TITLE: "预约窗口办理时间",
    MessageId.UI_APPOINTMENT_INTRO: "请选择您方便来窗口的时间，本机将打印预约凭条。",
    MessageId.UI_APPOINTMENT_LOADING: "正在查询可预约的时间，请稍候…",
    MessageId.UI_APPOINTMENT_BOOKING: "正在为您预约 {slot}，请稍候…",
    MessageId.UI_APPOINTMENT_SLOT: "{time}　剩余{free}个",
    MessageId.UI_APPOINTMENT_PROBLEM: "未能预约",
    MessageId.UI_APPOINTMENT_BOOKED: "预约成功",
    MessageId.UI_APPOINTMENT_NUMBER: "预约号",
    MessageId.UI_APPOINTMENT_WHEN: "{when}　{place}",
    MessageId.UI_APPOINTMENT_BRING: "请提前10分钟到达，携带身份证原件和办事指南所列材料。",
    MessageId.UI_CERTIFICATE_HEADING: "证明打印",
    MessageId.UI_CERTIFICATE_PRINTING: "正在打印证明，请稍候，不要离开…",
    MessageId.UI_CERTIFICATE_PENDING: "正在出具证明…",
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
