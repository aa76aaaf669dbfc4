"""Catalogue data as a resident reads it in a language: the same objects with their shown
texts translated (``kiosk.messages.catalog_text``).

A translated ``Field`` keeps its ``options`` (the values a choice stores) and carries the
translated words in ``option_labels``, so an answer chosen in English is stored, and
submitted, exactly as one chosen in Chinese. Nothing here is ever stored or sent.
"""

from __future__ import annotations

import functools
from dataclasses import replace

from kiosk.catalog.fields import MULTI_SEPARATOR, FieldKind
from kiosk.catalog.model import Field, Guide, Material, group_count_labels
from kiosk.messages import DEFAULT_LANGUAGE, MessageId, catalog_text, say

LIST_JOINTS = {"en": ", "}  # how a multi-choice answer's labels are joined ("、" in Chinese)
YES_NO_WORDS = {"yes": MessageId.ANSWER_YES, "no": MessageId.ANSWER_NO}


@functools.lru_cache(maxsize=1024)
def field_in(field: Field, language: str) -> Field:
    """``field`` with its label, hint, help, option and member labels in ``language``."""
    if language == DEFAULT_LANGUAGE:
        return field

    def text(words: str) -> str:
        return catalog_text(words, language)

    if field.is_group:
        labels = group_count_labels(len(field.options) - 1, language)
    elif field.kind is FieldKind.YES_NO:
        labels = tuple(say(YES_NO_WORDS[o], language) if o in YES_NO_WORDS else text(o) for o in field.options)
    else:
        labels = tuple(text(label) for label in field.option_labels or field.options)
    return replace(field, label=text(field.label), hint=text(field.hint), help=text(field.help),
                   option_labels=labels, member_label=text(field.member_label),
                   group_of=tuple(field_in(sub, language) for sub in field.group_of))


def shown_answer(field: Field, value: str, language: str) -> str:
    """What the resident reads for a stored answer: a choice's label in ``language``, else the value."""
    shown = field_in(field, language)
    if shown.kind is FieldKind.REGION and value:
        from kiosk.catalog.regions import region_path_name  # the region table loads on first use

        return region_path_name(value, language)
    if shown.kind is FieldKind.MULTI_CHOICE and value and language in LIST_JOINTS:
        return LIST_JOINTS[language].join(shown.label_of_option(part) for part in value.split(MULTI_SEPARATOR))
    return shown.label_of(value)


@functools.lru_cache(maxsize=256)
def guide_in(guide: Guide, language: str) -> Guide:
    """An item's guide with every text in ``language``."""
    if language == DEFAULT_LANGUAGE:
        return guide

    def text(words: str) -> str:
        return catalog_text(words, language)

    return replace(
        guide,
        who=text(guide.who),
        conditions=tuple(text(c) for c in guide.conditions),
        materials=tuple(_material_in(m, language) for m in guide.materials),
        fee=text(guide.fee),
        legal_limit=text(guide.legal_limit),
        promised_limit=text(guide.promised_limit),
        legal_basis=tuple(text(b) for b in guide.legal_basis),
        result=text(guide.result),
        result_delivery=text(guide.result_delivery),
        collect_at=text(guide.collect_at),
    )


def _material_in(material: Material, language: str) -> Material:
    return replace(material, name=catalog_text(material.name, language), note=catalog_text(material.note, language))
