"""Help call-backs in the kiosk API (``contract.callbacks``), and the purge of done ones.

A kiosk asks for a call-back at its own site only: the site its token names, else its last
heartbeat's (``routes_appointments.kiosk_site``). The phone is never logged; the reply names
the request by its reference only.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import APIRouter, FastAPI, Response

from central import callbacks
from central.periodic import Periodic
from central.routes_appointments import kiosk_site
from central.routes_kiosk import ERRORS, Cipher, Db, Kiosk
from contract.callbacks import CALLBACKS_PATH, CallbackAck, CallbackRequest

log = logging.getLogger(__name__)

router = APIRouter(prefix=CALLBACKS_PATH, tags=["kiosk"])
PURGE_EVERY_S = 3600.0
RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"model": CallbackAck, "description": "the same request again"},
    409: {"description": "no_site: the centre does not know this kiosk's site yet"},
    422: {"description": "a malformed request, or one without consent"},
    **ERRORS,
}


@router.post("", status_code=201, response_model=CallbackAck, responses=RESPONSES)
def request_callback(body: CallbackRequest, caller: Kiosk, engine: Db, cipher: Cipher,
                     response: Response) -> CallbackAck:
    """Keep a resident's call-back request from the calling kiosk, once per idempotency key."""
    site_id = kiosk_site(engine, caller)
    ack, created = callbacks.store(engine, body, site_id=site_id, terminal_id=caller.name, cipher=cipher)
    if created:
        log.info("call-back %d requested at %s (%s)", ack.reference, caller.name, site_id)
    else:
        response.status_code = 200
    return ack


def install_callbacks(app: FastAPI, every_s: float = PURGE_EVERY_S) -> None:
    """Serve the kiosk route and delete done requests past their retention every ``every_s``."""
    app.include_router(router)
    engine = app.state.engine
    app.state.callback_purge = Periodic("callback-purge", every_s, lambda: callbacks.purge(engine))
    app.state.callback_purge.start()
