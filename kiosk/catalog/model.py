"""The service catalogue (事项清单): items, their guides (办事指南) and their forms.

Loaded from ``config/catalog.toml``. A site offers a subset of the items (its profile lists
them). A form is a list of fields; fields the resident's ID already answers carry
``prefill`` and are shown, not asked.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from contract.vocabulary import Delivery
from kiosk.catalog.fields import ASKED_KINDS, SPECS, FieldKind, KindSpec, Mask
from kiosk.config.reader import Reader, read_toml
from kiosk.errors import ConfigError

PREFILL_SOURCES = ("name", "id_number", "gender", "birth_date", "address")
PREFILL_MASKS = {"name": Mask.NAME, "id_number": Mask.ID_NUMBER, "address": Mask.ADDRESS}
DELIVERY_LABELS = {
    Delivery.PICKUP: "到本中心窗口领取",
    Delivery.EXPRESS: "快递寄送到身份证地址",
    Delivery.ELECTRONIC: "电子证照（在政务服务App中查看）",
}


@dataclass(frozen=True)
class Field:
    """One question of a form, or a value shown from the ID card when ``prefill`` is set."""

    id: str
    label: str
    kind: FieldKind  # SHOWN for a prefilled field
    hint: str = ""
    options: tuple[str, ...] = ()  # the values a choice stores
    option_labels: tuple[str, ...] = ()  # what the resident reads for each option, when not the value
    min_length: int = 1
    max_length: int = 20
    required: bool = True
    prefill: str = ""  # an Identity attribute; then the field is shown, not asked

    @property
    def asked(self) -> bool:
        return not self.prefill

    @property
    def spec(self) -> KindSpec:
        return SPECS[self.kind]

    @property
    def mask(self) -> Mask:
        """How this field's value is masked wherever it is shown."""
        return PREFILL_MASKS.get(self.prefill, Mask.NONE) if self.prefill else self.spec.mask

    def label_of(self, value: str) -> str:
        """What the resident reads for a stored answer (a choice's label, else the value)."""
        if self.option_labels and value in self.options:
            return self.option_labels[self.options.index(value)]
        return value


@dataclass(frozen=True)
class Guide:
    """办事指南: what a resident must know before starting."""

    conditions: tuple[str, ...]
    materials: tuple[str, ...]
    fee: str
    time_limit: str
    result: str


@dataclass(frozen=True)
class Item:
    """A service item (事项)."""

    id: str
    name: str
    department: str
    icon: str  # one or two characters drawn on the tile
    guide: Guide
    fields: tuple[Field, ...]
    delivery: tuple[Delivery, ...]
    commitments: tuple[str, ...]

    def field(self, field_id: str) -> Field:
        for candidate in self.fields:
            if candidate.id == field_id:
                return candidate
        raise KeyError(field_id)

    @property
    def asked_fields(self) -> tuple[Field, ...]:
        return tuple(f for f in self.fields if f.asked)


@dataclass(frozen=True)
class Catalog:
    version: str
    items: tuple[Item, ...]

    def has(self, item_id: str) -> bool:
        return any(item.id == item_id for item in self.items)

    def item(self, item_id: str) -> Item:
        for item in self.items:
            if item.id == item_id:
                return item
        raise KeyError(item_id)

    def ids(self) -> list[str]:
        return [item.id for item in self.items]


def load_catalog(path: Path) -> Catalog:
    """Read and validate the catalogue file."""
    top = Reader(path, read_toml(path))
    version = top.text("version", pattern=r"^[0-9A-Za-z.-]{1,64}$")
    items = tuple(_read_item(reader) for reader in top.tables("items"))
    top.reject_unknown()
    ids = [item.id for item in items]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise ConfigError(f"{path}: items: id {duplicates[0]!r} is used twice")
    return Catalog(version=version, items=items)


def _read_item(item: Reader) -> Item:
    guide = item.table("guide")
    fields = tuple(_read_field(reader) for reader in item.tables("fields", default=[]))
    delivery_names = item.texts("delivery")
    allowed = tuple(d.value for d in Delivery)
    for name in delivery_names:
        if name not in allowed:
            raise ConfigError(f"{item.file}: [{item.where}] delivery: {name!r} is not one of {', '.join(allowed)}")
    field_ids = [f.id for f in fields]
    if "delivery" in field_ids or len(set(field_ids)) != len(field_ids):
        raise ConfigError(f"{item.file}: [{item.where}] fields: ids must be unique and not 'delivery'")
    result = Item(
        id=item.text("id", pattern=r"^[a-z0-9-]{1,64}$"),
        name=item.text("name"),
        department=item.text("department"),
        icon=item.text("icon", pattern=r"^.{1,2}$"),
        guide=Guide(
            conditions=tuple(guide.texts("conditions")),
            materials=tuple(guide.texts("materials")),
            fee=guide.text("fee"),
            time_limit=guide.text("time_limit"),
            result=guide.text("result"),
        ),
        fields=fields,
        delivery=tuple(Delivery(name) for name in delivery_names),
        commitments=tuple(item.texts("commitments", default=[], allow_empty=True)),
    )
    item.reject_unknown()
    guide.reject_unknown()
    return result


def _read_field(field: Reader) -> Field:
    prefill = field.choice("prefill", ("",) + PREFILL_SOURCES, default="")
    kind = FieldKind.SHOWN if prefill else FieldKind(field.choice("kind", ASKED_KINDS))
    result = Field(
        id=field.text("id", pattern=r"^[a-z0-9_]{1,32}$"),
        label=field.text("label"),
        kind=kind,
        hint=field.text("hint", default=""),
        options=tuple(field.texts("options")) if kind is FieldKind.CHOICE else (),
        min_length=field.whole("min_length", 1, 64, default=1),
        max_length=field.whole("max_length", 1, 64, default=20),
        required=field.flag("required", default=True),
        prefill=prefill,
    )
    field.reject_unknown()
    return result
