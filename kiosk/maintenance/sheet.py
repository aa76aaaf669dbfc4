"""``Sheet``: one maintenance section as display-ready rows and buttons.

The panel (``kiosk.maintenance.panel``) turns the desk's reports into a sheet; one screen
draws any sheet, so every section looks alike and the wording is tested without a window.
A sheet holds no personal data: a card's fields arrive masked from the desk.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Section(enum.StrEnum):
    """The parts of maintenance mode, as the menu lists them."""

    MENU = "menu"
    DEVICES = "devices"
    SELF_TEST = "self_test"
    PAPER = "paper"
    QUEUE = "queue"
    LINK = "link"
    VERSIONS = "versions"
    COUNTERS = "counters"
    EXPORT = "export"
    SERVICE = "service"
    RESTART = "restart"


class Tone(enum.StrEnum):
    """How a value reads: plain, or a status colour (green, amber, red are for status only)."""

    PLAIN = "plain"
    OK = "ok"
    WARNING = "warning"
    ERROR = "error"
    MUTED = "muted"


@dataclass(frozen=True)
class Row:
    """A label and its value; ``note`` is a second, smaller line; a heading row has no value."""

    key: str  # for tests: the screen names the row ``row-<key>``
    label: str
    value: str = ""
    tone: Tone = Tone.PLAIN
    note: str = ""
    heading: bool = False


@dataclass(frozen=True)
class Action:
    """A button: ``id`` goes back to ``MaintenancePanel.act``; a choice shows ``selected``."""

    id: str
    label: str
    primary: bool = False
    enabled: bool = True
    selected: bool = False


@dataclass(frozen=True)
class Sheet:
    """Everything one section shows right now."""

    section: Section
    title: str
    intro: str = ""
    choices: tuple[Action, ...] = ()  # a pick-one row (a stick, a reason)
    actions: tuple[Action, ...] = ()  # what the technician can do here, above the rows
    busy: str = ""  # while a slow call runs: what is happening ("请放置身份证……")
    outcome: str = ""  # what the last action came to
    outcome_tone: Tone = Tone.PLAIN
    rows: tuple[Row, ...] = ()
    image_png: bytes | None = None  # a camera frame
