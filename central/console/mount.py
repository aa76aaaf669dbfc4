"""``install_console(app, key)``: the console's pages, static files, errors and headers.

Each section is a router of its own, listed in ``SECTION_ROUTERS``; its pages use
``central.console.access`` for who may see them and ``rendering.render`` to draw them.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from urllib.parse import quote

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

from central.console import (
    appointment_pages,
    callback_pages,
    case_pages,
    face_check_pages,
    fleet_pages,
    rating_pages,
    release_pages,
    routes_login,
    stats_pages,
)
from central.console.access import CONSOLE_PREFIX, Forbidden, LoginRequired, session_user
from central.console.login_throttle import LoginThrottle
from central.console.rendering import render
from central.console.staff_sessions import SessionSigner

SECTION_ROUTERS: list[APIRouter] = [
    fleet_pages.router, release_pages.router, case_pages.router, appointment_pages.router, callback_pages.router,
    rating_pages.router,
    stats_pages.router, face_check_pages.router]

# Pages load only their own scripts, styles and images; no frames, no sniffing, no caching.
SECURITY_HEADERS = {
    "Content-Security-Policy": ("default-src 'self'; img-src 'self' data:; style-src 'self'; "
                                "script-src 'self'; frame-ancestors 'none'; form-action 'self'; "
                                "base-uri 'none'"),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",  # "no-referrer" makes chromium post Origin: null
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
}


def install_console(app: FastAPI, key: bytes) -> None:
    """Serve the console under ``/console/``; ``key`` signs its session cookies."""
    app.state.console_signer = SessionSigner(key)
    app.state.console_logins = LoginThrottle()
    app.include_router(routes_login.router)
    for router in SECTION_ROUTERS:
        app.include_router(router)
    app.state.console_sections = frozenset(router.prefix for router in SECTION_ROUTERS)
    app.mount(f"{CONSOLE_PREFIX}/static", StaticFiles(directory=Path(__file__).parent / "static"),
              name="console-static")

    @app.exception_handler(LoginRequired)
    async def to_login(_request: Request, err: LoginRequired) -> Response:
        return RedirectResponse(f"{CONSOLE_PREFIX}/login?next={quote(err.next_path)}",
                                status_code=303)

    @app.exception_handler(Forbidden)
    async def forbidden(request: Request, err: Forbidden) -> Response:
        return render(request, "error.html", user=session_user(request), status_code=403,
                      title="无权访问", message=err.why)

    @app.middleware("http")
    async def security_headers(request: Request,
                               call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        response = await call_next(request)
        if request.url.path.startswith(CONSOLE_PREFIX):
            for name, value in SECURITY_HEADERS.items():
                response.headers.setdefault(name, value)
        return response
