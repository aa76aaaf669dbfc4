"""The kiosk API's maintenance side (``contract.fleet``): a kiosk's audit log and its
answers to screenshot and log commands. A kiosk acts only as itself.

- ``POST /api/v1/terminals/self/audit`` with an ``AuditBatch`` → ``AuditAck``: each
  ``(terminal, seq)`` kept once, so a batch sent twice is harmless; ``403`` for a batch
  naming another terminal.
- ``PUT /api/v1/terminals/self/uploads/{command_id}`` with a PNG or gzip body → ``204``:
  ``404`` for a command that is not this kiosk's (the same as none), ``409`` for a command
  that takes no upload, ``415`` for the wrong media type, ``413`` above ``UPLOAD_MAX_BYTES``,
  ``422`` for a body that is not what its type says.
- ``GET /api/v1/terminals/self/updates/{version}`` → the signed bundle, streamed: only for a
  kiosk an active rollout of that version targets (``central.releases``); ``404`` otherwise,
  the same as for a version the centre does not hold.

The heartbeat (``routes_kiosk``) carries the rest: counters, faults, service state, and the
commands both ways.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Header, HTTPException, Path, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse

from central import kiosk_audit, releases, uploads
from central.routes_kiosk import ERRORS, Db, Kiosk, require_terminal
from contract.fleet import (
    AUDIT_PATH,
    ROW_ID_MAX,
    UPLOAD_MAX_BYTES,
    UPLOADS_PATH,
    AuditAck,
    AuditBatch,
)
from contract.update_bundles import UPDATES_PATH, VERSION_PATTERN
from contract.wire import API_PREFIX

router = APIRouter(prefix=API_PREFIX, tags=["kiosk"])

UPLOAD_ANSWERS: dict[int | str, dict[str, Any]] = {
    204: {"description": "kept"},
    404: {"description": "no such command for this kiosk"},
    409: {"description": "the command takes no upload"},
    413: {"description": f"larger than {UPLOAD_MAX_BYTES} bytes"},
    415: {"description": "not the command's media type"},
    422: {"description": "the body is not what its media type says"},
}


@router.post(AUDIT_PATH, response_model=AuditAck, responses=ERRORS)
def audit(batch: AuditBatch, caller: Kiosk, engine: Db) -> AuditAck:
    """Keep the kiosk's audit entries, each sequence number once."""
    require_terminal(caller, batch.terminal_id)
    return kiosk_audit.store(engine, batch.terminal_id, batch.entries)


@router.put(f"{UPLOADS_PATH}/{{command_id}}", status_code=204,
            responses={**UPLOAD_ANSWERS, **ERRORS},
            openapi_extra={"requestBody": {"content": {
                "image/png": {"schema": {"type": "string", "format": "binary"}},
                "application/gzip": {"schema": {"type": "string", "format": "binary"}}}}})
async def upload(command_id: Annotated[int, Path(ge=1, le=ROW_ID_MAX)], caller: Kiosk, engine: Db,
                 request: Request,
                 content_type: Annotated[str, Header(max_length=200)] = "") -> Response:
    """Keep a screenshot or logs answering one of this kiosk's commands."""
    try:  # refused before the body is read: a wrong command or type costs no upload
        await run_in_threadpool(uploads.check, engine, caller.name, command_id, content_type)
        body = await request.body()
        await run_in_threadpool(uploads.store, engine, caller.name, command_id, content_type,
                                body)
    except uploads.UploadRefused as err:
        raise HTTPException(status_code=err.status, detail=err.why) from err
    return Response(status_code=204)


@router.get(f"{UPDATES_PATH}/{{version}}", response_class=FileResponse,
            responses={200: {"content": {"application/octet-stream": {}}, "description": "the signed bundle"},
                       404: {"description": "no rollout offers this version to this kiosk"}, **ERRORS})
def update_bundle(version: Annotated[str, Path(pattern=VERSION_PATTERN, max_length=32)], caller: Kiosk,
                  engine: Db, request: Request) -> FileResponse:
    """The bundle of ``version``, for a kiosk a rollout of it targets."""
    path = releases.bundle_path(request.app.state.release_dir, version)
    if not releases.may_download(engine, caller.name, version) or not path.is_file():
        raise HTTPException(status_code=404, detail="no update of this version for this kiosk")
    return FileResponse(path, media_type="application/octet-stream", filename=f"gov-kiosk-{version}.bundle")
