"""What a resident holding the receipt may read about a case: fixed words per state.

A status read (the kiosk's own ``GET /api/v1/cases/{n}``, or the anonymous receipt lookup
``GET /api/v1/lookup/{n}``) answers with the state, one of these fixed messages and the next
step: never the clerk's note, which is written for the case file and may name people or
documents, and never anything from the submission.
"""

from __future__ import annotations

from contract.vocabulary import CaseState

# state -> (message, next step)
RESIDENT_WORDS: dict[CaseState, tuple[str, str]] = {
    CaseState.RECEIVED: ("已提交，等待受理", "无需操作，受理后将短信通知您。"),
    CaseState.CLAIMED: ("工作人员正在审核", "无需操作，审核结果将短信通知您。"),
    CaseState.ACCEPTED: ("已受理", "请等待办理结果，办结后将短信通知您。"),
    CaseState.MORE_MATERIALS_NEEDED: (
        "需要补充材料",
        "请留意短信通知，按通知携带回执到服务窗口补充材料。",
    ),
    CaseState.REJECTED: ("不予受理", "请留意短信通知中的原因，或拨打咨询电话。"),
    CaseState.COMPLETED: ("已办结", "请按您选择的领取方式领取结果。"),
    # A case the centre holds but cannot read yet is the centre's matter, not the resident's.
    CaseState.QUARANTINED: ("已提交，等待受理", "无需操作，受理后将短信通知您。"),
}


def resident_words(state: CaseState) -> tuple[str, str]:
    """The fixed message and next step a resident reads for ``state``."""
    return RESIDENT_WORDS[state]
