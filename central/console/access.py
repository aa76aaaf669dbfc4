"""Who is asking, and may they: the console's user, the roles a page needs, the CSRF check.

A page declares what it needs as a parameter type::

    @router.get("/fleet")
    def fleet_page(user: Annotated[ConsoleUser, Depends(allow(Role.TECHNICIAN))]) -> ...

Without a valid session a page answers with a redirect to the login page (``LoginRequired``);
with the wrong role, a 403 page (``Forbidden``). A form post also needs ``CheckedForm``: the
session's CSRF token in the ``csrf`` field, and no foreign ``Origin``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from starlette.datastructures import FormData

from central.auth import Clerk, Role
from central.console.staff_sessions import COOKIE_NAME, SessionSigner, StaffSession

CONSOLE_PREFIX = "/console"


class LoginRequired(Exception):
    """No valid session: the page sends the browser to the login page, then back."""

    def __init__(self, next_path: str) -> None:
        super().__init__(next_path)
        self.next_path = next_path


class Forbidden(Exception):
    """A valid session, but not one allowed here; ``why`` is shown to the user."""

    def __init__(self, why: str) -> None:
        super().__init__(why)
        self.why = why


@dataclass(frozen=True)
class ConsoleUser:
    """A logged-in member of staff: who (``staff``), their session and its CSRF token."""

    staff: Clerk
    session: StaffSession
    csrf: str

    @property
    def name(self) -> str:
        return self.staff.name

    @property
    def role(self) -> Role:
        return self.staff.role


ROLE_LABELS = {Role.CLERK: "窗口人员", Role.SUPERVISOR: "主管", Role.TECHNICIAN: "运维人员"}


def signer_of(request: Request) -> SessionSigner:
    signer: SessionSigner = request.app.state.console_signer
    return signer


def session_user(request: Request) -> ConsoleUser | None:
    """The logged-in user, or None."""
    signer = signer_of(request)
    session = signer.read(request.cookies.get(COOKIE_NAME))
    if session is None:
        return None
    staff: Clerk | None = request.app.state.clerk_tokens.find_by_digest(session.token_digest)
    if staff is None:  # the token was withdrawn since the login
        return None
    return ConsoleUser(staff, session, signer.csrf_token(session))


async def current_user(request: Request) -> ConsoleUser:
    """The logged-in user; otherwise off to the login page."""
    user = session_user(request)
    if user is None:
        next_path = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        raise LoginRequired(next_path if request.method == "GET" else CONSOLE_PREFIX + "/")
    return user


Staff = Annotated[ConsoleUser, Depends(current_user)]


def allow(*roles: Role) -> Callable[[ConsoleUser], Awaitable[ConsoleUser]]:
    """A dependency that lets in only ``roles``."""
    async def check(user: Staff) -> ConsoleUser:
        if user.role not in roles:
            allowed = "、".join(ROLE_LABELS[role] for role in roles)
            raise Forbidden(f"此页仅供{allowed}使用。")
        return user
    return check


def same_origin(request: Request) -> bool:
    """A browser names the page a post came from; it must be this console."""
    origin = request.headers.get("origin")
    if origin is None:  # not sent by a browser for this post; the CSRF token still must match
        return True
    return origin == f"{request.url.scheme}://{request.url.netloc}"


async def checked_form(request: Request, user: Staff) -> FormData:
    """The posted form, once its CSRF token and origin are checked."""
    form = await request.form()
    token = form.get("csrf")
    if not same_origin(request) or not signer_of(request).csrf_ok(
            user.session, token if isinstance(token, str) else None):
        raise Forbidden("表单已过期或来源不明：请刷新页面后重试。")
    return form


CheckedForm = Annotated[FormData, Depends(checked_form)]


def safe_next(path: str | None) -> str:
    """Where to go after logging in: a console page, never another site."""
    if path and path.startswith(CONSOLE_PREFIX + "/") and not path.startswith("//") \
            and "\\" not in path and "\r" not in path and "\n" not in path:
        return path
    return CONSOLE_PREFIX + "/"
