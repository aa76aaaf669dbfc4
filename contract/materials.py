"""What a clerk may ask a resident to bring (补充材料): a short list, plus free lines.

A case moved to ``more_materials_needed`` names what is missing: entries of ``Material`` (stored
as the code, shown by its label) and free lines the clerk writes. Both are shown to the
resident in the status view and the receipt lookup, so a free line is written *for* the
resident: one line, short, and never a number long enough to be an ID or phone number
(``missing_line_problem``): the clerk writes what is missing, not whose.
"""

from __future__ import annotations

import enum
import re

from contract.display_text import name_problem

MISSING_LINE_MAX = 100
MISSING_MAX = 10  # entries from the list, and free lines, each
# Six digits in a row (spaces and dashes between them allowed) look like part of an ID card
# or phone number; a form's number ("表3") or a year ("2025年") is fine.
_LONG_NUMBER = re.compile(r"(?:\d[\s-]*){6}")


class Material(enum.StrEnum):
    """Materials clerks most often ask for; anything else is a free line."""

    ID_CARD_COPY = "id_card_copy"
    HOUSEHOLD_REGISTER = "household_register"
    PHOTO = "photo"
    PROOF_OF_RESIDENCE = "proof_of_residence"
    MARRIAGE_CERTIFICATE = "marriage_certificate"
    INCOME_PROOF = "income_proof"
    MEDICAL_PROOF = "medical_proof"
    SIGNED_FORM = "signed_form"


MATERIAL_LABELS: dict[Material, str] = {
    Material.ID_CARD_COPY: "居民身份证复印件",
    Material.HOUSEHOLD_REGISTER: "户口簿原件及复印件",
    Material.PHOTO: "近期一寸免冠照片",
    Material.PROOF_OF_RESIDENCE: "居住证明",
    Material.MARRIAGE_CERTIFICATE: "结婚证原件及复印件",
    Material.INCOME_PROOF: "收入证明",
    Material.MEDICAL_PROOF: "病历或诊断证明",
    Material.SIGNED_FORM: "本人签字的申请表",
}


def material_label(material: Material) -> str:
    """The words a resident reads for ``material``."""
    return MATERIAL_LABELS[material]


def missing_line_problem(value: str) -> str | None:
    """Why ``value`` cannot be a free line of what is missing, or ``None`` (plain words)."""
    if not value.strip():
        return "is empty"
    if len(value) > MISSING_LINE_MAX:
        return f"is longer than {MISSING_LINE_MAX} characters"
    problem = name_problem(value)  # one line: no line breaks, nothing invisible or reordering
    if problem is not None:
        return problem
    if _LONG_NUMBER.search(value):
        return "holds a long number (an ID or phone number?): the resident reads this line"
    return None


def missing_line(value: str) -> str:
    """Return ``value`` stripped, or raise ``ValueError`` saying why it cannot be shown (a validator)."""
    problem = missing_line_problem(value)
    if problem is not None:
        raise ValueError(f"a line of what is missing {problem}")
    return value.strip()


__all__ = [
    "MATERIAL_LABELS", "MISSING_LINE_MAX", "MISSING_MAX", "Material", "material_label", "missing_line",
    "missing_line_problem",
]
