"""The service catalogue (事项清单): items, their guides (办事指南), forms and bundles (一件事).

Built by ``kiosk.catalog.loading`` from ``config/catalog/`` or from the document the centre
serves a site; a ``Catalog`` is immutable and validated. A site offers a subset of it in its
own order (``Catalog.for_site``). A form is a list of fields; fields the resident's ID already
answers carry ``prefill`` and are shown, not asked; a field with a ``condition`` is asked only
when an earlier answer calls for it; a ``group`` field repeats its sub-fields per member.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, replace

from contract.vocabulary import Delivery
from kiosk.catalog.fields import MULTI_SEPARATOR, SPECS, FieldKind, KindSpec, Mask
from kiosk.messages import DEFAULT_LANGUAGE, MessageId, message, say

PREFILL_SOURCES = ("name", "id_number", "gender", "birth_date", "address")
PREFILL_MASKS = {"name": Mask.NAME, "id_number": Mask.ID_NUMBER, "address": Mask.ADDRESS}
DELIVERY_WORDS = {
    Delivery.PICKUP: MessageId.DELIVERY_PICKUP,
    Delivery.EXPRESS: MessageId.DELIVERY_EXPRESS,
    Delivery.ELECTRONIC: MessageId.DELIVERY_ELECTRONIC,
    Delivery.ON_THE_SPOT: MessageId.DELIVERY_ON_THE_SPOT,
}
DELIVERY_LABELS = {delivery: say(words) for delivery, words in DELIVERY_WORDS.items()}  # in zh-Hans


def delivery_label(delivery: Delivery | None, language: str = DEFAULT_LANGUAGE) -> str:
    """How the result reaches the resident, in words ("" when nothing is delivered)."""
    return say(DELIVERY_WORDS[delivery], language) if delivery is not None else ""


def group_count_labels(most: int, language: str = DEFAULT_LANGUAGE) -> tuple[str, ...]:
    """What a repeating group's count question offers: none, 1 … ``most`` (没有, 1位, 2位 …)."""
    return (say(MessageId.GROUP_NONE, language),
            *(say(message(MessageId.GROUP_COUNT, count=n), language) for n in range(1, most + 1)))


class Channel(enum.StrEnum):
    """How the kiosk serves an item."""

    INTAKE = "intake"  # the resident applies here; a clerk handles the case
    INSTANT_PRINT = "instant_print"  # 即时打印: the certificate prints on the A4 printer now
    COUNTER = "counter"  # only at the counter: the guide, and an appointment


class Level(enum.StrEnum):
    DISTRICT = "district"
    STREET = "street"
    COMMUNITY = "community"


class MaterialForm(enum.StrEnum):
    ORIGINAL = "original"
    COPY = "copy"
    ORIGINAL_AND_COPY = "original_and_copy"
    ELECTRONIC = "electronic"


class Capture(enum.StrEnum):
    """How the kiosk takes a material, if it can."""

    CARD = "card"  # read from the ID card by the reader
    CAMERA = "camera"  # photographed on the document camera (高拍仪)
    NONE = "none"  # brought to the counter or sent later


@dataclass(frozen=True)
class Names:
    """An item's or bundle's name in each language; zh-Hans is always there."""

    zh_hans: str
    zh_hant: str
    en: str

    def get(self, language: str) -> str:
        return {"zh-Hant": self.zh_hant, "en": self.en}.get(language) or self.zh_hans


@dataclass(frozen=True)
class Condition:
    """Ask a field only when an earlier answer (``field``) is one of ``values``."""

    field: str
    values: tuple[str, ...]

    def holds(self, answers: dict[str, str]) -> bool:
        given = answers.get(self.field, "")
        return any(part in self.values for part in given.split(MULTI_SEPARATOR) if part)


@dataclass(frozen=True)
class Field:
    """One question of a form, or a value shown from the ID card when ``prefill`` is set."""

    id: str
    label: str
    kind: FieldKind  # SHOWN for a prefilled field
    hint: str = ""
    help: str = ""  # longer help behind the "?" button
    options: tuple[str, ...] = ()  # the values a choice stores
    option_labels: tuple[str, ...] = ()  # what the resident reads for each option, when not the value
    min_length: int = 1
    max_length: int = 20
    min_amount: float = 0.0
    max_amount: float = 1_000_000.0
    dates: str = "any"  # "past", "future" or "any": which days a date picker offers
    region_levels: int = 3  # 3: province → city → district; 4: down to the street
    required: bool = True
    prefill: str = ""  # an Identity attribute; then the field is shown, not asked
    condition: Condition | None = None
    group_of: tuple[Field, ...] = ()  # a repeating group's sub-fields (kind CHOICE: how many)
    member_label: str = ""  # a repeating group's member, e.g. "家庭成员"

    @property
    def asked(self) -> bool:
        return not self.prefill

    @property
    def is_group(self) -> bool:
        return bool(self.group_of)

    @property
    def spec(self) -> KindSpec:
        return SPECS[self.kind]

    @property
    def mask(self) -> Mask:
        """How this field's value is masked wherever it is shown."""
        return PREFILL_MASKS.get(self.prefill, Mask.NONE) if self.prefill else self.spec.mask

    def label_of(self, value: str) -> str:
        """What the resident reads for a stored answer (a choice's label, else the value)."""
        if self.kind is FieldKind.MULTI_CHOICE and value:
            return "、".join(self.label_of_option(part) for part in value.split(MULTI_SEPARATOR))
        if self.kind is FieldKind.REGION and value:
            from kiosk.catalog.regions import region_path_name

            return region_path_name(value)
        return self.label_of_option(value)

    def label_of_option(self, value: str) -> str:
        if self.option_labels and value in self.options:
            return self.option_labels[self.options.index(value)]
        return value

    def date_range(self, today: dt.date | None = None) -> tuple[dt.date, dt.date]:
        """The days a date answer may take."""
        today = today or dt.date.today()
        low, high = dt.date(1900, 1, 1), dt.date(today.year + 5, 12, 31)
        if self.dates == "past":
            return low, today
        if self.dates == "future":
            return today, high
        return low, high

    def member_fields(self, count: int) -> tuple[Field, ...]:
        """A repeating group's questions for ``count`` members: ``<group>.<n>.<field>``."""
        asked: list[Field] = []
        for number in range(1, count + 1):
            for sub in self.group_of:
                condition = None
                if sub.condition is not None:
                    condition = Condition(f"{self.id}.{number}.{sub.condition.field}", sub.condition.values)
                asked.append(replace(sub, id=f"{self.id}.{number}.{sub.id}",
                                     label=f"{self.member_label}{number}：{sub.label}", condition=condition))
        return tuple(asked)


@dataclass(frozen=True)
class Material:
    name: str
    form: MaterialForm
    copies: int  # paper copies wanted (0 for originals and electronic ones)
    capture: Capture
    required: bool
    note: str = ""


@dataclass(frozen=True)
class Guide:
    """办事指南: what a resident must know before starting."""

    who: str  # who may apply (适用对象)
    conditions: tuple[str, ...]
    materials: tuple[Material, ...]
    fee: str
    legal_limit: str  # 法定办结时限
    promised_limit: str  # 承诺办结时限
    legal_basis: tuple[str, ...]
    result: str  # what the resident gets
    result_delivery: str  # how the result reaches them
    collect_at: str = ""  # where to collect it, when it is collected

    @property
    def time_limit(self) -> str:
        """The promised limit, which residents care about."""
        return self.promised_limit


@dataclass(frozen=True)
class Item:
    """A service item (事项)."""

    id: str
    code: str  # 事项编码
    names: Names
    department: str
    level: Level
    channel: Channel
    icon: str  # one or two characters drawn on the tile
    categories: tuple[str, ...]  # life-event category ids
    keywords: tuple[str, ...]  # search words and synonyms ("开店")
    guide: Guide
    fields: tuple[Field, ...]
    delivery: tuple[Delivery, ...]
    commitments: tuple[str, ...]  # 告知承诺: what the resident accepts before submitting
    source: str = ""  # the file (or centre document) it was read from
    # 人证比对: a card holder's face is compared with the card's photo by a clerk (intake items only;
    # never the only way: QR login and assisted mode stay open, docs/face-recognition.md)
    face_check: bool = False

    @property
    def name(self) -> str:
        return self.names.zh_hans

    def field(self, field_id: str) -> Field:
        for candidate in self.fields:
            if candidate.id == field_id:
                return candidate
        raise KeyError(field_id)

    @property
    def asked_fields(self) -> tuple[Field, ...]:
        return tuple(f for f in self.fields if f.asked)


@dataclass(frozen=True)
class Bundle:
    """一件事: several intake items applied for together, each question asked once."""

    id: str
    names: Names
    icon: str
    categories: tuple[str, ...]
    keywords: tuple[str, ...]
    summary: str  # one line on what the bundle gets done
    item_ids: tuple[str, ...]
    source: str = ""

    @property
    def name(self) -> str:
        return self.names.zh_hans


@dataclass(frozen=True)
class Category:
    """A life event (生育, 就业, 开店, 退休 …) grouping items and bundles on the choose screen."""

    id: str
    names: Names
    icon: str

    @property
    def name(self) -> str:
        return self.names.zh_hans


@dataclass(frozen=True)
class Catalog:
    version: str
    items: tuple[Item, ...]
    bundles: tuple[Bundle, ...] = ()
    categories: tuple[Category, ...] = ()

    def has(self, item_id: str) -> bool:
        return any(item.id == item_id for item in self.items)

    def item(self, item_id: str) -> Item:
        for item in self.items:
            if item.id == item_id:
                return item
        raise KeyError(item_id)

    def bundle(self, bundle_id: str) -> Bundle:
        for bundle in self.bundles:
            if bundle.id == bundle_id:
                return bundle
        raise KeyError(bundle_id)

    def has_bundle(self, bundle_id: str) -> bool:
        return any(bundle.id == bundle_id for bundle in self.bundles)

    def ids(self) -> list[str]:
        return [item.id for item in self.items]

    def items_of(self, bundle: Bundle) -> tuple[Item, ...]:
        return tuple(self.item(item_id) for item_id in bundle.item_ids)

    def departments(self) -> tuple[str, ...]:
        """The departments of the items, in the order they first appear."""
        return tuple(dict.fromkeys(item.department for item in self.items))

    def offers(self) -> tuple[Item | Bundle, ...]:
        """Bundles first, then items: everything a resident can choose."""
        return (*self.bundles, *self.items)

    def in_category(self, category_id: str) -> tuple[Item | Bundle, ...]:
        return tuple(x for x in self.offers() if category_id in x.categories)

    def for_site(self, item_ids: tuple[str, ...], bundle_ids: tuple[str, ...] = ()) -> Catalog:
        """What a site offers, in its order; bundles only when all their items are offered."""
        items = tuple(self.item(item_id) for item_id in item_ids)
        offered = set(item_ids)
        bundles = tuple(b for b in (self.bundle(i) for i in bundle_ids) if set(b.item_ids) <= offered)
        used = {c for x in items for c in x.categories} | {c for b in bundles for c in b.categories}
        categories = tuple(c for c in self.categories if c.id in used)
        return Catalog(self.version, items, bundles, categories)
