"""What a certificate certifies: its kinds, and where the facts come from.

A certificate kind is keyed by the catalogue item id (``KINDS``): its title, the department
that issues it and how long a printed copy is valid. The facts come from a
``CertificateSource``, the department's own system in production. ``DemoRecords`` is a
STAND-IN for those systems, for development, demonstrations and tests: it derives plausible
records from the ID number alone (the same number always gives the same record) and marks
every certificate it feeds as sample data. It knows nothing about any real person.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

from contract.wire import Applicant


class UnknownCertificate(LookupError):
    """The centre issues no certificate for this catalogue item."""


@dataclass(frozen=True)
class CertificateKind:
    """One kind of certificate: ``item_id`` is the catalogue item's id."""

    item_id: str
    title: str  # without the 《》
    department: str  # the issuing department (as the catalogue names it): printed, and in the e-copy line
    valid_days: int


KINDS: dict[str, CertificateKind] = {kind.item_id: kind for kind in (
    CertificateKind("social-insurance-certificate", "社会保险参保缴费证明", "区人力资源和社会保障局", 90),
    CertificateKind("housing-fund-certificate", "住房公积金缴存证明", "南京住房公积金管理中心江北新区分中心", 30),
    CertificateKind("medical-insurance-certificate", "医疗保险参保证明", "区医疗保障局", 90),
)}


def kind_of(item_id: str) -> CertificateKind:
    """The kind for ``item_id``; ``UnknownCertificate`` when there is none."""
    try:
        return KINDS[item_id]
    except KeyError:
        raise UnknownCertificate(item_id) from None


@dataclass(frozen=True)
class CertificateFacts:
    """What the department certifies: a sentence, labelled lines and an optional table."""

    statement: str  # "兹证明……情况如下：" without the name (the page adds it)
    lines: tuple[tuple[str, str], ...] = ()
    table_header: tuple[str, ...] = ()
    table_rows: tuple[tuple[str, ...], ...] = ()
    sample: bool = False  # True: not a real record (``DemoRecords``); the page says so
    notes: tuple[str, ...] = field(default_factory=tuple)


class CertificateSource(Protocol):
    """The department's system: the facts about one applicant for one kind of certificate."""

    def facts(self, kind: CertificateKind, applicant: Applicant, answers: dict[str, str],
              today: date) -> CertificateFacts:
        """The facts to certify; raise ``UnknownCertificate`` for a kind it does not hold."""
        ...


_EMPLOYERS = ("示例科技有限公司", "样本商贸有限责任公司", "演示物流股份有限公司",
              "虚拟建设工程有限公司", "模拟信息服务有限公司")
_SOCIAL_INSURANCES = ("企业职工基本养老保险", "职工基本医疗保险", "失业保险", "工伤保险")


class DemoRecords:
    """A stand-in for the departments' systems: deterministic sample records from the ID
    number. Never use it where real certificates are issued."""

    def facts(self, kind: CertificateKind, applicant: Applicant, answers: dict[str, str],
              today: date) -> CertificateFacts:
        rng = random.Random(hashlib.sha256(f"{kind.item_id}|{applicant.id_number}".encode()).digest())
        start = _first_year(applicant.id_number, rng, today)
        months = max(1, (today.year - start) * 12 + today.month - rng.randint(1, 12))
        employer = rng.choice(_EMPLOYERS)
        period = answers.get("period") or "近12个月"
        notes = ("本证明所列信息为演示数据，并非真实记录。",)
        if kind.item_id == "social-insurance-certificate":
            rows = tuple(
                (name, "正常参保", f"{start}年{rng.randint(1, 12):02d}月", str(months - rng.randint(0, 6)))
                for name in _SOCIAL_INSURANCES
            )
            return CertificateFacts(
                "参加本市社会保险及缴费情况如下：",
                lines=(("参保单位", employer), ("查询期间", period),
                       ("月缴费基数", f"{rng.randrange(4500, 18000, 100)}元")),
                table_header=("险种", "参保状态", "首次参保年月", "累计缴费月数"),
                table_rows=rows, sample=True, notes=notes,
            )
        if kind.item_id == "housing-fund-certificate":
            base = rng.randrange(4000, 20000, 100)
            rate = rng.choice((5, 7, 10, 12))
            monthly = base * rate * 2 // 100
            return CertificateFacts(
                "在本中心缴存住房公积金，情况如下：",
                lines=(("缴存单位", employer), ("账户状态", "正常缴存"),
                       ("开户年月", f"{start}年{rng.randint(1, 12):02d}月"),
                       ("缴存基数", f"{base}元"), ("缴存比例", f"单位{rate}%，个人{rate}%"),
                       ("月缴存额", f"{monthly}元"), ("连续缴存月数", str(min(months, rng.randint(6, 120)))),
                       ("查询期间", period)),
                sample=True, notes=notes,
            )
        if kind.item_id == "medical-insurance-certificate":
            return CertificateFacts(
                "参加本市基本医疗保险，情况如下：",
                lines=(("参保类别", "职工基本医疗保险"), ("参保状态", "正常参保"),
                       ("参保单位", employer), ("首次参保年月", f"{start}年{rng.randint(1, 12):02d}月"),
                       ("累计缴费月数", str(months)), ("查询期间", period)),
                sample=True, notes=notes,
            )
        raise UnknownCertificate(kind.item_id)


def _first_year(id_number: str, rng: random.Random, today: date) -> int:
    """A plausible first year of contributions: at 18 to 25 for a resident ID, else recent."""
    birth = id_number[6:10]
    if len(id_number) == 18 and birth.isdigit():
        year = int(birth) + rng.randint(18, 25)
    else:
        year = today.year - rng.randint(1, 15)
    return max(1995, min(year, today.year - 1))
