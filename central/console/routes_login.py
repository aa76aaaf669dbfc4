"""Login, logout and the console's home page.

A member of staff logs in with the token the centre issued them (the same one the API
takes); the browser then holds a session cookie (``staff_sessions``), never the token.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from central.auth import Clerk
from central.console.access import CONSOLE_PREFIX, CheckedForm, Staff, safe_next, session_user, signer_of
from central.console.login_throttle import LoginThrottle
from central.console.rendering import render, sections_for
from central.console.staff_sessions import COOKIE_NAME

router = APIRouter(prefix=CONSOLE_PREFIX, include_in_schema=False)


def _address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


@router.get("/", response_class=HTMLResponse)
def home(request: Request, user: Staff) -> Response:
    """Straight to the one section a role has; a list when it has several."""
    sections = sections_for(request, user.role)
    if len(sections) == 1:
        return RedirectResponse(sections[0].path, status_code=303)
    return render(request, "home.html", user=user, sections_list=sections)


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, next: str = "") -> Response:  # noqa: A002 - the query's name
    if session_user(request) is not None:
        return RedirectResponse(safe_next(next), status_code=303)
    return render(request, "login.html", user=None, next=safe_next(next), error="")


@router.post("/login", response_class=HTMLResponse)
def log_in(request: Request, token: Annotated[str, Form(max_length=256)] = "",
           next: Annotated[str, Form(max_length=512)] = "") -> Response:  # noqa: A002
    throttle: LoginThrottle = request.app.state.console_logins
    address = _address(request)
    wait = throttle.retry_after(address)
    if wait > 0:
        response = render(request, "login.html", user=None, next=safe_next(next),
                          error=f"尝试次数过多，请 {int(wait) + 1} 秒后再试。", status_code=429)
        response.headers["Retry-After"] = str(int(wait) + 1)
        return response
    staff: Clerk | None = request.app.state.clerk_tokens.find(token)
    if staff is None:
        throttle.failed(address)
        return render(request, "login.html", user=None, next=safe_next(next),
                      error="令牌无效：请核对后重新输入，或联系管理员。", status_code=401)
    throttle.succeeded(address)
    signer = signer_of(request)
    redirect = RedirectResponse(safe_next(next), status_code=303)
    redirect.set_cookie(
        COOKIE_NAME, signer.issue(request.app.state.clerk_tokens.token_digest(token)),
        max_age=int(signer.max_age_s), path=CONSOLE_PREFIX, httponly=True, samesite="strict",
        secure=request.url.scheme == "https",
    )
    return redirect


@router.post("/logout")
def log_out(_form: CheckedForm) -> Response:
    response = RedirectResponse(f"{CONSOLE_PREFIX}/login", status_code=303)
    response.delete_cookie(COOKIE_NAME, path=CONSOLE_PREFIX)
    return response
