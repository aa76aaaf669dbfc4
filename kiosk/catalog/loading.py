"""Reading a catalogue: from ``config/catalog/`` (a folder of TOML files) or a centre document.

The folder holds ``catalog.toml`` (the version and the life-event categories), ``items/*.toml``
(``[[items]]``, one file per department) and ``bundles.toml`` (``[[bundles]]``). The centre
serves the same tables as one JSON document per site. Everything is validated once here;
every error names the file (or document), the item or bundle, and the field.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from contract.vocabulary import Delivery
from kiosk.catalog.fields import ASKED_KINDS, MULTI_SEPARATOR, FieldKind, Keyboard
from kiosk.catalog.model import (
    PREFILL_SOURCES,
    Bundle,
    Capture,
    Catalog,
    Category,
    Channel,
    Condition,
    Field,
    Guide,
    Item,
    Level,
    Material,
    MaterialForm,
    Names,
    group_count_labels,
)
from kiosk.config.reader import Reader, read_toml
from kiosk.errors import ConfigError
from kiosk.messages import MessageId, say

ID_PATTERN = r"^[a-z0-9-]{1,64}$"
FIELD_ID_PATTERN = r"^[a-z0-9_]{1,24}$"
GROUP_KIND = "group"
YES_NO = (("yes", "no"), (say(MessageId.ANSWER_YES), say(MessageId.ANSWER_NO)))  # labels in zh-Hans


def load_catalog(path: Path) -> Catalog:
    """Read and validate a catalogue folder (or a single TOML file holding every table)."""
    if path.is_dir():
        index = path / "catalog.toml"
        sources = [(index, read_toml(index))]
        sources += [(file, read_toml(file)) for file in sorted((path / "items").glob("*.toml"))]
        if (path / "bundles.toml").exists():
            sources.append((path / "bundles.toml", read_toml(path / "bundles.toml")))
    else:
        sources = [(path, read_toml(path))]
    return _build(sources)


def catalog_from_document(document: Mapping[str, Any], origin: str) -> Catalog:
    """Validate a catalogue the centre served (``origin`` names it in errors)."""
    if not isinstance(document, Mapping):
        raise ConfigError(f"{origin}: a catalogue must be an object")
    return _build([(Path(origin), dict(document))])


def _build(sources: list[tuple[Path, dict[str, Any]]]) -> Catalog:
    version = ""
    categories: list[Category] = []
    items: list[Item] = []
    bundles: list[Bundle] = []
    for file, data in sources:
        top = Reader(file, data)
        if "version" in data:
            if version:
                raise ConfigError(f"{file}: version: given twice (keep it in catalog.toml)")
            version = top.text("version", pattern=r"^[0-9A-Za-z.-]{1,64}$")
        categories += [_read_category(r) for r in top.tables("categories", default=[])]
        items += [_read_item(_named(r, "item")) for r in top.tables("items", default=[])]
        bundles += [_read_bundle(_named(r, "bundle")) for r in top.tables("bundles", default=[])]
        top.reject_unknown()
    if not version:
        raise ConfigError(f"{sources[0][0]}: version: missing")
    if not items:
        raise ConfigError(f"{sources[0][0]}: items: the catalogue has no items")
    catalog = Catalog(version, tuple(items), tuple(bundles), tuple(categories))
    _check_whole(catalog)
    return catalog


def _named(reader: Reader, what: str) -> Reader:
    """Re-label a table by its id, so errors say ``item senior-citizen-card`` not ``items[4]``."""
    item_id = reader.data.get("id")
    if not isinstance(item_id, str):
        raise ConfigError(f"{reader.file}: [{reader.where}] id: missing")
    return Reader(reader.file, reader.data, f"{what} {item_id}")


def _names(table: Reader) -> Names:
    return Names(table.text("name"), table.text("name_hant"), table.text("name_en"))


def _read_category(table: Reader) -> Category:
    category = Category(id=table.text("id", pattern=ID_PATTERN), names=_names(table),
                        icon=table.text("icon", pattern=r"^.{1,2}$"))
    table.reject_unknown()
    return category


def _read_item(table: Reader) -> Item:
    channel = Channel(table.choice("channel", tuple(c.value for c in Channel)))
    guide = _read_guide(table.table("guide"))
    fields = _read_fields(table, "fields")
    delivery = tuple(Delivery(d) for d in _delivery_names(table, channel))
    item = Item(
        id=table.text("id", pattern=ID_PATTERN),
        code=table.text("code", pattern=r"^[0-9A-Z-]{4,40}$"),
        names=_names(table),
        department=table.text("department"),
        level=Level(table.choice("level", tuple(v.value for v in Level))),
        channel=channel,
        icon=table.text("icon", pattern=r"^.{1,2}$"),
        categories=tuple(table.texts("categories", default=[], allow_empty=True)),
        keywords=tuple(table.texts("keywords", default=[], allow_empty=True)),
        guide=guide,
        fields=fields,
        delivery=delivery,
        commitments=tuple(table.texts("commitments", default=[], allow_empty=True)),
        source=str(table.file),
        face_check=table.flag("face_check", default=False),
    )
    if item.face_check and channel is not Channel.INTAKE:
        raise table._fail("face_check", f"a face check is for intake items (a clerk compares the pictures "
                                        f"before deciding), not {channel.value}")
    table.reject_unknown()
    return item


def _delivery_names(table: Reader, channel: Channel) -> list[str]:
    names = table.texts("delivery", default=[], allow_empty=True)
    allowed = tuple(d.value for d in Delivery if d is not Delivery.ON_THE_SPOT)  # that is instant_print's
    for name in names:
        if name not in allowed:
            raise table._fail("delivery", f"{name!r} is not one of {', '.join(allowed)}")
    if channel is Channel.INTAKE and not names:
        raise table._fail("delivery", "an intake item needs at least one way to deliver its result")
    if channel is not Channel.INTAKE and names:
        raise table._fail("delivery", f"only intake items deliver results later, not {channel.value}")
    return names


def _read_guide(guide: Reader) -> Guide:
    result = Guide(
        who=guide.text("who"),
        conditions=tuple(guide.texts("conditions")),
        materials=tuple(_read_material(m) for m in guide.tables("materials")),
        fee=guide.text("fee"),
        legal_limit=guide.text("legal_limit"),
        promised_limit=guide.text("promised_limit"),
        legal_basis=tuple(guide.texts("legal_basis")),
        result=guide.text("result"),
        result_delivery=guide.text("result_delivery"),
        collect_at=guide.text("collect_at", default=""),
    )
    guide.reject_unknown()
    return result


def _read_material(table: Reader) -> Material:
    form = MaterialForm(table.choice("form", tuple(f.value for f in MaterialForm)))
    wants_copies = form in (MaterialForm.COPY, MaterialForm.ORIGINAL_AND_COPY)
    material = Material(
        name=table.text("name"),
        form=form,
        copies=table.whole("copies", 1 if wants_copies else 0, 10, default=1 if wants_copies else 0),
        capture=Capture(table.choice("capture", tuple(c.value for c in Capture), default="none")),
        required=table.flag("required", default=True),
        note=table.text("note", default=""),
    )
    table.reject_unknown()
    return material


def _read_fields(table: Reader, key: str) -> tuple[Field, ...]:
    fields: list[Field] = []
    for raw in table.tables(key, default=[]):
        field_id = raw.data.get("id")
        reader = Reader(raw.file, raw.data, f"{table.where} field {field_id}")
        fields.append(_read_field(reader, fields))
    ids = [f.id for f in fields]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates or "delivery" in ids:
        raise ConfigError(f"{table.file}: [{table.where}] fields: id {(duplicates or ['delivery'])[0]!r} "
                          "is used twice or reserved")
    return tuple(fields)


def _read_field(field: Reader, earlier: list[Field]) -> Field:
    prefill = field.choice("prefill", ("",) + PREFILL_SOURCES, default="")
    kinds = (*ASKED_KINDS, GROUP_KIND)
    kind_name = "shown" if prefill else field.choice("kind", tuple(k.value if isinstance(k, FieldKind) else k
                                                                     for k in kinds))
    group: tuple[Field, ...] = ()
    options: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()
    member_label = ""
    if kind_name == GROUP_KIND:
        group = _read_fields(field, "fields")
        if not group or any(sub.is_group for sub in group):
            raise field._fail("fields", "a group needs sub-fields, and groups do not nest")
        member_label = field.text("member_label")
        most = field.whole("max_items", 1, 9)
        options = tuple(str(n) for n in range(most + 1))
        labels = group_count_labels(most)
        kind = FieldKind.CHOICE
    elif kind_name == FieldKind.YES_NO:
        kind = FieldKind.YES_NO
        options, labels = YES_NO
    else:
        kind = FieldKind(kind_name)
        if kind in (FieldKind.CHOICE, FieldKind.MULTI_CHOICE):
            options = tuple(field.texts("options"))
            if any(MULTI_SEPARATOR in o for o in options) or len(set(options)) != len(options):
                raise field._fail("options", f"options must be unique and must not contain {MULTI_SEPARATOR!r}")
            labels = tuple(field.texts("option_labels", default=[], allow_empty=True))
            if labels and len(labels) != len(options):
                raise field._fail("option_labels", "give one label per option, or none")
    result = Field(
        id=field.text("id", pattern=FIELD_ID_PATTERN),
        label=field.text("label"),
        kind=kind,
        hint=field.text("hint", default=""),
        help=field.text("help", default=""),
        options=options,
        option_labels=labels,
        min_length=field.whole("min_length", 0, 200, default=1),
        max_length=field.whole("max_length", 1, 200, default=_default_length(kind)),
        min_amount=float(field.whole("min_amount", 0, 10**9, default=0)),
        max_amount=float(field.whole("max_amount", 1, 10**12, default=1_000_000)),
        dates=field.choice("dates", ("any", "past", "future"), default="any"),
        region_levels=field.whole("region_levels", 1, 4, default=3),
        required=field.flag("required", default=True),
        prefill=prefill,
        condition=_read_condition(field, earlier),
        group_of=group,
        member_label=member_label,
    )
    field.reject_unknown()
    return result


def _default_length(kind: FieldKind) -> int:
    return {FieldKind.ADDRESS: 60, FieldKind.TEXT: 40, FieldKind.NAME: 20, FieldKind.ID_NUMBER: 18}.get(kind, 20)


def _read_condition(field: Reader, earlier: list[Field]) -> Condition | None:
    if "show_if" not in field.data:
        return None
    table = field.table("show_if")
    condition = Condition(table.text("field"), tuple(table.texts("values")))
    table.reject_unknown()
    target = next((f for f in earlier if f.id == condition.field), None)
    if target is None or target.spec.keyboard not in (Keyboard.OPTIONS, Keyboard.MULTI) or target.is_group:
        raise field._fail("show_if", f"{condition.field!r} must be an earlier choice field of this form")
    unknown = [v for v in condition.values if v not in target.options]
    if unknown:
        raise field._fail("show_if", f"{unknown[0]!r} is not an option of {condition.field!r}")
    return condition


def _read_bundle(table: Reader) -> Bundle:
    bundle = Bundle(
        id=table.text("id", pattern=ID_PATTERN),
        names=_names(table),
        icon=table.text("icon", pattern=r"^.{1,2}$"),
        categories=tuple(table.texts("categories", default=[], allow_empty=True)),
        keywords=tuple(table.texts("keywords", default=[], allow_empty=True)),
        summary=table.text("summary"),
        item_ids=tuple(table.texts("items")),
        source=str(table.file),
    )
    table.reject_unknown()
    return bundle


def _check_whole(catalog: Catalog) -> None:
    """What can only be checked across files: unique ids, references, bundles that fit.

    Items, bundles and categories share one namespace: a resident's tap or search names one."""
    seen: dict[str, str] = {c.id: "the categories" for c in catalog.categories}
    if len(seen) != len(catalog.categories):
        raise ConfigError("catalogue categories: an id is used twice")
    for thing in catalog.offers():
        if thing.id in seen:
            raise ConfigError(f"{thing.source}: id {thing.id!r} is also used in {seen[thing.id]}")
        seen[thing.id] = thing.source
    category_ids = {c.id for c in catalog.categories}
    for thing in catalog.offers():
        unknown = [c for c in thing.categories if c not in category_ids]
        if unknown:
            kind = "bundle" if isinstance(thing, Bundle) else "item"
            raise ConfigError(f"{thing.source}: [{kind} {thing.id}] categories: {unknown[0]!r} is not a category")
    for bundle in catalog.bundles:
        _check_bundle(catalog, bundle)


def _check_bundle(catalog: Catalog, bundle: Bundle) -> None:
    where = f"{bundle.source}: [bundle {bundle.id}] items"
    if len(bundle.item_ids) < 2 or len(set(bundle.item_ids)) != len(bundle.item_ids):
        raise ConfigError(f"{where}: a bundle lists at least two different items")
    shared: dict[str, tuple[str, Field]] = {}
    for item_id in bundle.item_ids:
        if not catalog.has(item_id):
            raise ConfigError(f"{where}: {item_id!r} is not in the catalogue")
        item = catalog.item(item_id)
        if item.channel is not Channel.INTAKE:
            raise ConfigError(f"{where}: {item_id!r} is {item.channel.value}; a bundle holds intake items only")
        for field in item.fields:
            if field.id in shared:
                first_item, first = shared[field.id]
                if (first.kind, first.options, first.prefill) != (field.kind, field.options, field.prefill):
                    raise ConfigError(f"{where}: field {field.id!r} of {item_id!r} differs from the one in "
                                      f"{first_item!r}; a shared question must be asked the same way")
            else:
                shared[field.id] = (item_id, field)
    ways = set(catalog.item(bundle.item_ids[0]).delivery)
    for item_id in bundle.item_ids[1:]:
        ways &= set(catalog.item(item_id).delivery)
    if not ways:
        raise ConfigError(f"{where}: its items share no way to deliver the result")
