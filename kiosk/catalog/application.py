"""What a resident applies for: one item, or a bundle (一件事) of items asked as one.

A bundle shows one merged guide, asks each shared question once (fields with the same id),
lists each material once, takes one set of commitments (one signature) and submits one case
per item, linked by the bundle's id. ``Application`` has the face of an ``Item`` the screens
read (name, department, guide, fields, delivery, commitments), so they need not care which.
"""

from __future__ import annotations

from dataclasses import dataclass

from contract.vocabulary import Delivery
from kiosk.catalog.model import Bundle, Catalog, Channel, Field, Guide, Item, Material, Names


@dataclass(frozen=True)
class Application:
    id: str  # the item's or the bundle's id
    names: Names
    department: str
    channel: Channel
    guide: Guide
    fields: tuple[Field, ...]  # each id once, in the order first asked
    delivery: tuple[Delivery, ...]
    commitments: tuple[str, ...]
    items: tuple[Item, ...]
    bundle: Bundle | None = None

    @property
    def name(self) -> str:
        return self.names.zh_hans

    @property
    def asked_fields(self) -> tuple[Field, ...]:
        return tuple(f for f in self.fields if f.asked)

    @property
    def face_check(self) -> bool:
        """Whether any of its items asks for a face check (人证比对) of a card holder."""
        return any(item.face_check for item in self.items)

    def field(self, field_id: str) -> Field:
        for candidate in self.fields:
            if candidate.id == field_id:
                return candidate
        raise KeyError(field_id)

    def answers_for(self, item: Item, answers: dict[str, str]) -> dict[str, str]:
        """The answers that belong to one item's case (a group's member answers with it)."""
        own = {f.id for f in item.fields}
        return {key: value for key, value in answers.items() if key.split(".", 1)[0] in own}


def application_for(catalog: Catalog, chosen_id: str) -> Application:
    """The application for an item or bundle id of ``catalog`` (KeyError when it has neither)."""
    if catalog.has(chosen_id):
        item = catalog.item(chosen_id)
        delivery = (Delivery.ON_THE_SPOT,) if item.channel is Channel.INSTANT_PRINT else item.delivery
        return Application(item.id, item.names, item.department, item.channel, item.guide, item.fields,
                           delivery, item.commitments, (item,))
    bundle = catalog.bundle(chosen_id)
    items = catalog.items_of(bundle)
    fields: dict[str, Field] = {}
    for item in items:
        for field in item.fields:
            fields.setdefault(field.id, field)
    ways = [way for way in items[0].delivery if all(way in item.delivery for item in items[1:])]
    departments = "、".join(dict.fromkeys(item.department for item in items))
    return Application(bundle.id, bundle.names, departments, Channel.INTAKE, merged_guide(bundle, items),
                       tuple(fields.values()), tuple(ways), _once(c for item in items for c in item.commitments),
                       items, bundle)


def merged_guide(bundle: Bundle, items: tuple[Item, ...]) -> Guide:
    """One guide for a bundle: each condition and material once; limits and fees per item."""
    materials: dict[str, Material] = {}
    for item in items:
        for material in item.guide.materials:
            kept = materials.get(material.name)
            if kept is None or material.copies > kept.copies:
                materials[material.name] = material
    return Guide(
        who=bundle.summary,
        conditions=_once(c for item in items for c in item.guide.conditions),
        materials=tuple(materials.values()),
        fee="；".join(f"{item.name}：{item.guide.fee}" for item in items),
        legal_limit="；".join(f"{item.name}：{item.guide.legal_limit}" for item in items),
        promised_limit="；".join(f"{item.name}：{item.guide.promised_limit}" for item in items),
        legal_basis=_once(b for item in items for b in item.guide.legal_basis),
        result="；".join(f"{item.name}：{item.guide.result}" for item in items),
        result_delivery=_once_text(item.guide.result_delivery for item in items),
        collect_at=_once_text(item.guide.collect_at for item in items if item.guide.collect_at),
    )


def _once(texts: object) -> tuple[str, ...]:
    return tuple(dict.fromkeys(texts))  # type: ignore[call-overload]


def _once_text(texts: object) -> str:
    return "；".join(_once(texts))
