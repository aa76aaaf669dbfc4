"""The releases page (版本): signed update bundles and their staged rollouts (``central.releases``).

- ``GET /console/releases``: each release with how many kiosks run it, are offered it and
  rolled it back, and its rollouts; the upload form and the rollout form.
- ``POST /console/releases/upload`` (multipart, ``bundle``): keep a bundle a release key signed.
- ``POST /console/releases/rollouts``: offer a version to named kiosks (a pilot), a site or all.
- ``POST /console/releases/rollouts/{id}``: pause, resume or stop a rollout.

Technicians act; supervisors look on; clerks see nothing (403).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import Engine
from starlette.datastructures import UploadFile

from central import releases
from central.auth import Role
from central.console.access import CONSOLE_PREFIX, CheckedForm, ConsoleUser, allow
from central.console.rendering import render

router = APIRouter(prefix=f"{CONSOLE_PREFIX}/releases", include_in_schema=False)

Viewer = Annotated[ConsoleUser, Depends(allow(Role.TECHNICIAN, Role.SUPERVISOR))]
Technician = Annotated[ConsoleUser, Depends(allow(Role.TECHNICIAN))]
NOTICES = {"uploaded": "更新包已验证并保存：版本 {v}。", "started": "已开始推送版本 {v}：目标终端下次心跳时收到。",
           "changed": "推送状态已更新。"}


def _engine(request: Request) -> Engine:
    engine: Engine = request.app.state.engine
    return engine


def _page(request: Request, user: ConsoleUser, *, error: str = "", notice: str = "",
          status_code: int = 200) -> Response:
    return render(request, "releases.html", user=user, section="releases", title="版本",
                  releases=releases.summaries(_engine(request)), scopes=releases.SCOPE_LABELS,
                  may_act=user.role is Role.TECHNICIAN, error=error, notice=notice,
                  status_code=status_code, max_mb=releases.RELEASE_MAX_BYTES // (1024 * 1024))


def _done(what: str, version: str = "") -> Response:
    return RedirectResponse(f"{CONSOLE_PREFIX}/releases?done={what}&v={version}", status_code=303)


@router.get("", response_class=HTMLResponse)
def releases_page(request: Request, user: Viewer, done: Annotated[str, Query(max_length=16)] = "",
                  v: Annotated[str, Query(max_length=32)] = "") -> Response:
    """Releases, their counts and rollouts."""
    version = v if releases.VERSION.fullmatch(v) else ""
    return _page(request, user, notice=NOTICES.get(done, "").format(v=version))


@router.post("/upload", response_class=HTMLResponse)
async def upload(request: Request, user: Technician, form: CheckedForm) -> Response:
    """Keep an uploaded bundle once its signature is checked."""
    bundle = form.get("bundle")
    try:
        if not isinstance(bundle, UploadFile):
            raise releases.ReleaseRefused("请选择一个更新包文件。")
        version = await run_in_threadpool(releases.store_release, _engine(request), request.app.state.release_dir,
                                          request.app.state.release_keys, bundle.file, user.staff)
    except releases.ReleaseRefused as err:
        return await run_in_threadpool(_page, request, user, error=str(err), status_code=422)
    finally:
        await form.close()  # the upload's temporary file
    return _done("uploaded", version)


@router.post("/rollouts", response_class=HTMLResponse)
def start(request: Request, user: Technician, form: CheckedForm) -> Response:
    """Start offering a version to a pilot, a site or every kiosk."""
    version, scope, targets = (str(form.get(name, "")) for name in ("version", "scope", "targets"))
    try:
        releases.start_rollout(_engine(request), version, scope, targets, user.staff)
    except releases.ReleaseRefused as err:
        return _page(request, user, error=str(err), status_code=422)
    request.app.state.rollouts.refresh()
    return _done("started", version)


@router.post("/rollouts/{rollout_id}", response_class=HTMLResponse)
def change(request: Request, user: Technician, form: CheckedForm,
           rollout_id: Annotated[int, Path(ge=1, le=2**62)]) -> Response:
    """Pause, resume or stop a rollout."""
    try:
        releases.change_rollout(_engine(request), rollout_id, str(form.get("status", "")), user.staff)
    except releases.ReleaseRefused as err:
        return _page(request, user, error=str(err), status_code=422)
    request.app.state.rollouts.refresh()
    return _done("changed")
