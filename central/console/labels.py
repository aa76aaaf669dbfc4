"""The words the console's clerk and supervisor pages show for stored values.

Values are stored as enums (``contract``); the pages show these labels, never the other way
round. The notices after an action are keyed by id (``NOTICES``, ``PROBLEMS``): a redirect
carries the id, the page looks the words up.
"""

from __future__ import annotations

import re

from contract.vocabulary import CaseState, Delivery, IdType
from contract.wire import RatingLevel

STATE_LABELS: dict[CaseState, str] = {
    CaseState.RECEIVED: "待认领",
    CaseState.CLAIMED: "已认领，审核中",
    CaseState.ACCEPTED: "已受理",
    CaseState.MORE_MATERIALS_NEEDED: "需补充材料",
    CaseState.REJECTED: "不予受理",
    CaseState.COMPLETED: "已办结",
    CaseState.QUARANTINED: "数据无法读取（待技术处理）",
}

# The button (and heading) for moving a case to each state.
MOVE_LABELS: dict[CaseState, str] = {
    CaseState.ACCEPTED: "受理",
    CaseState.MORE_MATERIALS_NEEDED: "要求补充材料",
    CaseState.REJECTED: "不予受理",
    CaseState.COMPLETED: "办结",
}

DELIVERY_LABELS: dict[Delivery, str] = {
    Delivery.PICKUP: "就近自领",
    Delivery.EXPRESS: "快递送达",
    Delivery.ELECTRONIC: "电子证照",
    Delivery.ON_THE_SPOT: "当场打印",
}

ID_TYPE_LABELS: dict[IdType, str] = {
    IdType.RESIDENT: "居民身份证",
    IdType.HMT_RESIDENCE_PERMIT: "港澳台居民居住证",
    IdType.FOREIGN_PERMANENT_2017: "外国人永久居留身份证（2017 版）",
    IdType.FOREIGN_PERMANENT_2023: "外国人永久居留身份证（2023 版）",
    IdType.QR_LOGIN: "政务服务App扫码登录",
}

RATING_LABELS: dict[RatingLevel, str] = {
    RatingLevel.VERY_SATISFIED: "非常满意",
    RatingLevel.SATISFIED: "满意",
    RatingLevel.BASICALLY_SATISFIED: "基本满意",
    RatingLevel.DISSATISFIED: "不满意",
    RatingLevel.VERY_DISSATISFIED: "非常不满意",
}

NOTICES: dict[str, str] = {
    "claimed": "已认领，请办理。",
    "released": "已放回队列，其他工作人员可以认领。",
    "moved": "办件状态已更新。",
    "reassigned": "已转交。",
    "rectified": "整改情况已登记。",
    "called_back": "回访记录已登记。",
    "closed": "已办结这条整改回访。",
}

PROBLEMS: dict[str, str] = {
    "none_waiting": "目前没有待认领的办件。",
    "not_waiting": "该办件已被他人认领或已在办理中，不能认领。",
    "not_held": "只有认领该办件的工作人员可以放回队列。",
}

# The centre's own notes on a case's steps (``central.claims``), in the console's words.
_STEP_NOTES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"claim released"), "放回队列"),
    (re.compile(r"reassigned to (.+)"), r"转交给 \1"),
    (re.compile(r"claim of (.+) expired"), r"\1 的认领已过期"),
    (re.compile(r"payload (?:cannot be decrypted|does not validate): kept for a technician"),
     "数据无法读取，留待技术人员处理"),
)


def step_note(note: str) -> str:
    """A step's note as the console shows it: the centre's own notes translated, a clerk's as written."""
    for pattern, words in _STEP_NOTES:
        if pattern.fullmatch(note):
            return pattern.sub(words, note)
    return note
