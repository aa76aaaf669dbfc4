"""Help call-backs (回电请求) between kiosks and the centre, defined once for both sides.

Outside a site's staffed hours "需要帮助" offers a call-back: the resident leaves a mobile
number and consents to be called; the kiosk sends it at once (retrying a little while, in
memory only: the number never touches the kiosk's disk) and staff see it in the console.

- ``POST {API_PREFIX}/kiosk/callbacks`` with a ``CallbackRequest`` → ``201 CallbackAck``;
  ``200`` with the same acknowledgement when the same idempotency key comes again. The site and
  the terminal are the calling kiosk's (from its token or its last heartbeat), never the body's.
  ``consent`` must be true: a request without it is refused (422) and nothing is stored.

The phone is personal data: the centre keeps it sealed (``central.crypto``), shows it only to
staff in the console, and deletes it when the call-back is done and a retention period passed.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from contract.appointments import PHONE_PATTERN
from contract.scalars import Moment, Text
from contract.wire import API_PREFIX, IDEMPOTENCY_KEY_PATTERN

CALLBACKS_PATH = f"{API_PREFIX}/kiosk/callbacks"


class CallbackRequest(BaseModel):
    """A resident at a kiosk asks to be called back."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    idempotency_key: Text = Field(pattern=IDEMPOTENCY_KEY_PATTERN)
    phone: Text = Field(pattern=PHONE_PATTERN, repr=False)
    consent: Literal[True]  # "同意工作人员回电" was ticked; nothing is sent without it
    site_name: Text = Field(min_length=1, max_length=100)  # where the kiosk stands, as it shows it
    requested_at: Moment


class CallbackAck(BaseModel):
    """The centre holds the request; ``reference`` names it for staff."""

    model_config = ConfigDict(extra="ignore", frozen=True)  # a reply the kiosk reads

    reference: int
