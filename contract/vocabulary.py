"""The value sets of the wire format: plain enums with no dependencies.

``central.wire`` builds its messages on these; the kiosk's start-up path (catalogue,
identity, session) uses them without loading pydantic.
"""

from __future__ import annotations

import enum

HEARTBEAT_INTERVAL_S = 30  # a kiosk beats this often; the centre expects it


class IdType(enum.StrEnum):
    """How the applicant proved who they are."""

    RESIDENT = "resident"
    HMT_RESIDENCE_PERMIT = "hmt_residence_permit"
    FOREIGN_PERMANENT_2017 = "foreign_permanent_2017"
    FOREIGN_PERMANENT_2023 = "foreign_permanent_2023"
    QR_LOGIN = "qr_login"


class Delivery(enum.StrEnum):
    """How the result reaches the applicant (快递送达 / 就近自领 / 电子证照 / 当场打印)."""

    PICKUP = "pickup"
    EXPRESS = "express"
    ELECTRONIC = "electronic"
    ON_THE_SPOT = "on_the_spot"  # printed by the kiosk there and then (即时打印)


class CaseState(enum.StrEnum):
    RECEIVED = "received"
    CLAIMED = "claimed"
    ACCEPTED = "accepted"
    MORE_MATERIALS_NEEDED = "more_materials_needed"
    REJECTED = "rejected"
    COMPLETED = "completed"
    QUARANTINED = "quarantined"  # stored, but its payload cannot be read: kept for a technician
