"""The case receipt (受理回执) as a device-neutral document."""

from __future__ import annotations

from drivers.printer.document import Align, Cut, Document, Feed, QrCode, Rule, Text
from kiosk.catalog.application import Application
from kiosk.catalog.model import delivery_label
from kiosk.config.settings import Site
from kiosk.printing.pending_notice import assisted_lines, build_pending_notice, bundle_lines, counter_lines
from kiosk.session.identity import ID_TYPE_LABELS, Identity
from kiosk.session.outcome import SubmittedCase
from kiosk.session.privacy import group_case_number, mask_id_number, mask_name


def build_case_receipt(
    site: Site, item: Application, identity: Identity, case: SubmittedCase, centre_reachable: bool
) -> Document:
    """The receipt a resident takes home: what was applied for, its number, what comes next.

    While the centre cannot be reached the resident gets the pending notice instead, which
    says plainly that the case waits in the kiosk and will be sent by itself.
    """
    if not centre_reachable:
        return build_pending_notice(site, item, identity, case)
    next_steps = "您的申请已受理登记，工作人员将尽快审核，结果会短信通知您。"
    return Document(
        kind="receipt",
        blocks=(
            Text(site.name, align=Align.CENTER),
            Text("受理回执", size=2, bold=True, align=Align.CENTER),
            Rule(),
            Text(f"事项：{item.name}"),
            Text(f"承办部门：{item.department}"),
            Text("受理编号：", bold=True),
            Text(
                group_case_number(case.case_number),
                size=2,
                bold=True,
                align=Align.CENTER,
                one_line=True,  # never split a number people copy; narrowed on 58 mm paper
            ),
            *bundle_lines(case),
            Text(f"受理时间：{case.submitted_at}"),
            Text(f"申请人：{mask_name(identity.name)}"),
            Text(f"{ID_TYPE_LABELS[identity.id_type]}：{mask_id_number(identity.id_number)}"),
            Text(f"领取方式：{delivery_label(case.delivery)}"),
            Text(f"办理时限：{item.guide.time_limit}"),
            *counter_lines(site, item.guide, case.photographed),
            *assisted_lines(case),
            Rule(),
            Text(next_steps),
            Text("扫描下方二维码可查询办理进度", align=Align.CENTER),
            QrCode(case.lookup_text),
            Text("二维码即查询凭证，请勿拍照外传", align=Align.CENTER),
            Text(f"咨询电话：{site.contact_phone}", align=Align.CENTER),
            Text("请妥善保管本回执", align=Align.CENTER),
            Feed(2),
            Cut(),
        ),
    )

