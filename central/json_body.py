"""Strict JSON bodies, and 422 answers that name fields but never echo what was sent.

Python's ``json`` module, which FastAPI parses bodies with, accepts ``NaN``, ``Infinity`` and
``-Infinity``, reads ``1e400`` as infinity and ``"\\ud800"`` as a lone surrogate. Pydantic then
refuses the value and FastAPI's 422 answer echoes it back as ``input``: JSON cannot encode a
non-finite float nor UTF-8 a lone surrogate, so the answer itself failed with a 500 (and the
connection with it). The echo was wrong anyway: a body's values may be personal data.

- ``StrictJsonBody`` (ASGI middleware, inside ``BodyLimit`` so the body is bounded) reads
  the whole body of a request that FastAPI would parse as JSON (``POST``/``PUT``/``PATCH``
  with a JSON content type or none) and refuses with 422 a body that is not UTF-8, not JSON,
  nested deeper than ``MAX_DEPTH``, or that holds a non-finite number, an integer too long
  to read, a lone surrogate, or the same key twice in one object. The refusal gives the
  path of the first fault (``["body", "applicant", "name"]``), never its value, and leaves the
  connection open for the next request. Other bodies are handed on unchanged.
- ``install_error_handlers(app)`` replaces FastAPI's 422 answer with one that keeps each
  error's ``loc``, ``msg`` and ``type`` only (no ``input``, no ``ctx``).

In both, a ``loc`` part is kept only when it is an index or a name the API declares (a
property or parameter in its OpenAPI document); any other (a key of ``answers``, which the
sender chose) is given as ``"*"``.

Both answer ``{"detail": [{"loc": [...], "msg": "...", "type": "..."}]}``, the shape FastAPI
documents for 422.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

MAX_DEPTH = 32  # a case is four levels deep
BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})
_LOC_WORDS = frozenset({"body", "path", "query", "header", "cookie", "[key]"})


class BodyFault(Exception):
    """Where a body breaks the rules (a path of keys and indexes), and how."""

    def __init__(self, loc: Sequence[str | int], kind: str, msg: str) -> None:
        super().__init__(msg)
        self.loc, self.kind, self.msg = list(loc), kind, msg

    def detail(self, names: frozenset[str]) -> list[dict[str, Any]]:
        return [{"loc": ["body", *(_safe_loc(part, names) for part in self.loc)],
                 "msg": self.msg, "type": self.kind}]


class _Unreadable:
    """A number JSON allows but a float cannot hold (or an integer too long to parse)."""

    def __init__(self, kind: str, msg: str) -> None:
        self.kind, self.msg = kind, msg


_NON_FINITE = _Unreadable("finite_number", "Numbers must be finite (no NaN or Infinity)")
_INT_TOO_LONG = _Unreadable("int_too_long", "Integer has too many digits")


class _Object(dict[str, Any]):
    duplicate: str | None = None


def _pairs(pairs: list[tuple[str, Any]]) -> _Object:
    found = _Object()
    for key, value in pairs:
        if key in found and found.duplicate is None:
            found.duplicate = key
        found[key] = value
    return found


def _float(text: str) -> float | _Unreadable:
    value = float(text)
    return value if math.isfinite(value) else _NON_FINITE


def _int(text: str) -> int | _Unreadable:
    try:
        return int(text)
    except ValueError:  # longer than sys.get_int_max_str_digits()
        return _INT_TOO_LONG


def _constant(_name: str) -> _Unreadable:
    return _NON_FINITE


def _lone_surrogate(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _check(value: Any, loc: list[str | int]) -> None:
    if len(loc) > MAX_DEPTH:
        raise BodyFault(loc[:MAX_DEPTH], "json_too_deep", f"Nested deeper than {MAX_DEPTH}")
    if isinstance(value, _Unreadable):
        raise BodyFault(loc, value.kind, value.msg)
    if isinstance(value, str):
        if _lone_surrogate(value):
            raise BodyFault(loc, "string_unicode", "Text must be valid Unicode")
    elif isinstance(value, _Object):
        if value.duplicate is not None:
            raise BodyFault([*loc, value.duplicate], "duplicate_key",
                            "The same key appears twice in one object")
        for key, item in value.items():
            if _lone_surrogate(key):
                raise BodyFault([*loc, "*", "[key]"], "string_unicode",
                                "Text must be valid Unicode")
            _check(item, [*loc, key])
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _check(item, [*loc, index])


def check_body(body: bytes) -> None:
    """Raise ``BodyFault`` unless ``body`` is strict JSON (see the module docstring)."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as err:
        raise BodyFault([err.start], "json_invalid", "The body is not UTF-8") from err
    try:
        parsed = json.loads(text, object_pairs_hook=_pairs, parse_float=_float,
                            parse_int=_int, parse_constant=_constant)
    except json.JSONDecodeError as err:
        raise BodyFault([err.pos], "json_invalid", "JSON decode error") from err
    except RecursionError as err:
        raise BodyFault([], "json_too_deep", f"Nested deeper than {MAX_DEPTH}") from err
    _check(parsed, [])


def _parsed_as_json(scope: Scope) -> bool:
    if scope["method"] not in BODY_METHODS:
        return False
    for name, value in scope["headers"]:
        if name == b"content-type":
            media = value.split(b";", 1)[0].strip().lower()
            return media == b"application/json" or (
                media.startswith(b"application/") and media.endswith(b"+json"))
    return True  # FastAPI parses a body without a content type as JSON


class StrictJsonBody:
    """ASGI middleware: refuse with 422 a JSON body that is not strict JSON."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not _parsed_as_json(scope):
            await self.app(scope, receive, send)
            return
        chunks: list[bytes] = []
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return  # the client went away before its body was complete
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        if body:
            try:
                check_body(body)
            except BodyFault as fault:
                names = declared_names(scope["app"]) if "app" in scope else frozenset()
                await _answer(send, 422, {"detail": fault.detail(names)})
                return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


async def _answer(send: Send, status: int, content: dict[str, Any]) -> None:
    body = json.dumps(content, ensure_ascii=True).encode("ascii")
    await send({"type": "http.response.start", "status": status, "headers": [
        (b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
    ]})
    await send({"type": "http.response.body", "body": body})


def declared_names(app: Any) -> frozenset[str]:
    """The property and parameter names of ``app``'s OpenAPI document (computed once)."""
    names: frozenset[str] | None = getattr(app.state, "declared_names", None)
    if names is None:
        found: set[str] = set(_LOC_WORDS)
        _collect(app.openapi(), found)
        names = app.state.declared_names = frozenset(found)
    return names


def _collect(node: Any, found: set[str]) -> None:
    if isinstance(node, dict):
        properties = node.get("properties")
        if isinstance(properties, dict):
            found.update(properties)
        if isinstance(node.get("in"), str) and isinstance(node.get("name"), str):
            found.add(node["name"])
        for child in node.values():
            _collect(child, found)
    elif isinstance(node, list):
        for child in node:
            _collect(child, found)


def _safe_loc(part: Any, names: frozenset[str]) -> str | int:
    if isinstance(part, int) and not isinstance(part, bool):
        return part
    return part if isinstance(part, str) and part in names else "*"


def _safe_text(text: Any) -> str:
    return text.encode("utf-8", "replace").decode("utf-8") if isinstance(text, str) else ""


def public_errors(errors: Sequence[Any], names: frozenset[str]) -> list[dict[str, Any]]:
    """Return validation errors with their place, message and type only: no input, no ctx;
    of the place, only indexes and the ``names`` the API declares."""
    return [{"loc": [_safe_loc(part, names) for part in error.get("loc", ())],
             "msg": _safe_text(error.get("msg", "")), "type": _safe_text(error.get("type", ""))}
            for error in errors]


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    names = declared_names(request.app)
    return JSONResponse(status_code=422, content={"detail": public_errors(exc.errors(), names)})


def install_error_handlers(app: FastAPI) -> None:
    """Answer request validation errors without echoing any value sent."""
    app.add_exception_handler(RequestValidationError, _validation_error)
