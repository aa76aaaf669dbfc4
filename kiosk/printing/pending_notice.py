"""The notice for a case still waiting to be sent (待提交凭证).

Printed instead of the case receipt when the case is safe in the outbox but the centre
could not be reached yet. It says so plainly, gives the case number to keep, and tells
the resident they need not come back: the kiosk sends the case itself.
"""

from __future__ import annotations

from drivers.printer.document import Align, Cut, Document, Feed, QrCode, Rule, Text
from kiosk.catalog.application import Application
from kiosk.catalog.model import Guide, delivery_label
from kiosk.catalog.still_to_bring import material_words, still_to_bring
from kiosk.config.settings import Site
from kiosk.messages import say
from kiosk.session.identity import ID_TYPE_LABELS, Identity
from kiosk.session.outcome import SubmittedCase
from kiosk.session.privacy import group_case_number, mask_id_number, mask_name


def bundle_lines(case: SubmittedCase) -> tuple[Text, ...]:
    """A bundle's cases, each item with its own number (nothing for a single case)."""
    if len(case.lines) < 2:
        return ()
    lines = [Text(f"本次一并办理{len(case.lines)}个事项：", bold=True)]
    lines += [Text(f"{group_case_number(line.case_number)}  {line.item_name}") for line in case.lines]
    return tuple(lines)


def counter_lines(site: Site, guide: Guide, photographed: tuple[str, ...] = ()) -> tuple[Text, ...]:
    """一次告知: what the kiosk photographed, what it could not take (to bring to the counter by
    when), and where the result is collected (nothing when there is nothing to say)."""
    lines: list[Text] = []
    if photographed:
        lines.append(Text(f"已拍照提交：{'、'.join(photographed)}"))
    materials = [m for m in still_to_bring(guide) if m.name not in photographed]
    if materials:
        lines.append(Text(f"请在{site.bring_within_days}个工作日内将以下材料带到{site.name}窗口：", bold=True))
        lines += [Text(f"· {m.name}（{say(material_words(m))}{'' if m.required else '，如有'}）") for m in materials]
    if guide.collect_at:
        lines.append(Text(f"领取地点：{guide.collect_at}"))
    return tuple(lines)


def assisted_lines(case: SubmittedCase) -> tuple[Text, ...]:
    """Who helped the resident (assisted mode): the staff number only."""
    return (Text(f"帮办人员：工号 {case.assisted_by}"),) if case.assisted_by else ()


def build_pending_notice(
    site: Site, item: Application, identity: Identity, case: SubmittedCase
) -> Document:
    """The notice a resident takes home when the case has not reached the centre yet."""
    return Document(
        kind="pending-notice",
        blocks=(
            Text(site.name, align=Align.CENTER),
            Text("受理登记凭证", size=2, bold=True, align=Align.CENTER),
            Text("（待提交）", bold=True, align=Align.CENTER),
            Rule(),
            Text("受理编号", align=Align.CENTER),
            Text(
                group_case_number(case.case_number),
                size=2,
                bold=True,
                align=Align.CENTER,
                one_line=True,
            ),
            Rule(),
            Text(f"事项：{item.name}"),
            *bundle_lines(case),
            Text(f"登记时间：{case.submitted_at}"),
            Text(f"申请人：{mask_name(identity.name)}"),
            Text(f"{ID_TYPE_LABELS[identity.id_type]}：{mask_id_number(identity.id_number)}"),
            Text(f"领取方式：{delivery_label(case.delivery)}"),
            *counter_lines(site, item.guide, case.photographed),
            *assisted_lines(case),
            Rule(),
            Text("网络暂时中断。您的申请已安全保存在本机，", bold=True),
            Text("网络恢复后将自动提交，无需再次办理。"),
            Text("提交成功后将短信通知您，办理时限自提交之日起算。"),
            Text("提交后可扫描下方二维码查询进度：", align=Align.CENTER),
            QrCode(case.lookup_text),
            Text("二维码即查询凭证，请勿拍照外传", align=Align.CENTER),
            Text(f"咨询电话：{site.contact_phone}", align=Align.CENTER),
            Text("请妥善保管本凭证", align=Align.CENTER),
            Feed(2),
            Cut(),
        ),
    )
