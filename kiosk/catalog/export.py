"""A site's catalogue as the document the centre serves it (``kiosk catalog export``).

``site_document`` writes what ``kiosk.catalog.loading.catalog_from_document`` reads: the
catalogue's version, the life-event categories the site's offer uses (in the common list's
order), then the site's own items and bundles in the site's order. Plain JSON-able values
only; a key is written only where the loader reads it (a shown field has no ``kind``, a group
its ``max_items`` instead of options), so the document reads back to ``Catalog.for_site``.
"""

from __future__ import annotations

from typing import Any

from kiosk.catalog.fields import FieldKind
from kiosk.catalog.model import Bundle, Catalog, Category, Field, Guide, Item, Material, Names

Document = dict[str, Any]


def site_document(catalog: Catalog, site_item_ids: tuple[str, ...], site_bundle_ids: tuple[str, ...] = ()) -> Document:
    """The document for a site offering ``site_item_ids`` and ``site_bundle_ids`` (in that order)."""
    offer = catalog.for_site(tuple(site_item_ids), tuple(site_bundle_ids))
    return {
        "version": offer.version,
        "categories": [_category(category) for category in offer.categories],
        "items": [_item(item) for item in offer.items],
        "bundles": [_bundle(bundle) for bundle in offer.bundles],
    }


def _names(names: Names) -> Document:
    return {"name": names.zh_hans, "name_hant": names.zh_hant, "name_en": names.en}


def _category(category: Category) -> Document:
    return {"id": category.id, **_names(category.names), "icon": category.icon}


def _item(item: Item) -> Document:
    return {
        "id": item.id,
        "code": item.code,
        **_names(item.names),
        "department": item.department,
        "level": item.level.value,
        "channel": item.channel.value,
        "icon": item.icon,
        "categories": list(item.categories),
        "keywords": list(item.keywords),
        "guide": _guide(item.guide),
        "fields": [_field(field) for field in item.fields],
        "delivery": [way.value for way in item.delivery],
        "commitments": list(item.commitments),
        "face_check": item.face_check,
    }


def _guide(guide: Guide) -> Document:
    return {
        "who": guide.who,
        "conditions": list(guide.conditions),
        "materials": [_material(material) for material in guide.materials],
        "fee": guide.fee,
        "legal_limit": guide.legal_limit,
        "promised_limit": guide.promised_limit,
        "legal_basis": list(guide.legal_basis),
        "result": guide.result,
        "result_delivery": guide.result_delivery,
        "collect_at": guide.collect_at,
    }


def _material(material: Material) -> Document:
    return {
        "name": material.name,
        "form": material.form.value,
        "copies": material.copies,
        "capture": material.capture.value,
        "required": material.required,
        "note": material.note,
    }


def _field(field: Field) -> Document:
    written: Document = {"id": field.id, "label": field.label}
    if field.prefill:
        written["prefill"] = field.prefill
    elif field.is_group:
        written.update(kind="group", member_label=field.member_label, max_items=len(field.options) - 1,
                       fields=[_field(sub) for sub in field.group_of])
    else:
        written["kind"] = field.kind.value
        if field.kind in (FieldKind.CHOICE, FieldKind.MULTI_CHOICE):
            written["options"] = list(field.options)
            if field.option_labels:
                written["option_labels"] = list(field.option_labels)
    written.update(
        hint=field.hint,
        help=field.help,
        min_length=field.min_length,
        max_length=field.max_length,
        min_amount=int(field.min_amount),
        max_amount=int(field.max_amount),
        dates=field.dates,
        region_levels=field.region_levels,
        required=field.required,
    )
    if field.condition is not None:
        written["show_if"] = {"field": field.condition.field, "values": list(field.condition.values)}
    return written


def _bundle(bundle: Bundle) -> Document:
    return {
        "id": bundle.id,
        **_names(bundle.names),
        "icon": bundle.icon,
        "categories": list(bundle.categories),
        "keywords": list(bundle.keywords),
        "summary": bundle.summary,
        "items": list(bundle.item_ids),
    }
