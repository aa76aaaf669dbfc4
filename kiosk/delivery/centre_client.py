"""The kiosk's HTTP client for the centre's kiosk API (``central.wire``), over ``requests``.

Every call has a connect and a read timeout, verifies TLS (or trusts the CA bundle named by
``verify``), and presents the kiosk's credential: a bearer token, and optionally a client
certificate. Whatever goes wrong comes out as a ``kiosk.errors.CentreError``:

====================================  ======================  ==========
what happened                         raised                  retryable
====================================  ======================  ==========
refused, reset, timed out, TLS error  ``CentreUnreachable``   yes
5xx, 408, 429, an unreadable answer   ``CentreUnavailable``   yes
409                                   ``CentreConflict``      no
any other 4xx                         ``CentreRejected``      no
a booking's slot full, begun, closed  ``SlotTaken``           no
====================================  ======================  ==========

A reply's body never reaches ``CentreError.detail`` (which the outbox keeps in ``last_error``
and the sender logs): it may echo the case's names and numbers back. The detail is the status
code and, for a validation error, the paths of the fields at fault (``HTTP 422 at
applicant.name``); transport errors are passed through ``contract.redaction``.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import requests
from pydantic import BaseModel, ValidationError

from contract.appointments import (
    APPOINTMENTS_PATH,
    SLOTS_PATH,
    AppointmentConfirmation,
    AppointmentRequest,
    BookingRefusal,
    SlotList,
)
from contract.callbacks import CALLBACKS_PATH, CallbackAck, CallbackRequest
from contract.captured_pages import PAGES_PATH, CapturedPage, CapturedPageAck
from contract.certificates import (
    CERTIFICATES_PATH,
    PDF_MEDIA_TYPE,
    CertificatePdf,
    CertificateRequest,
    read_certificate_reply,
)
from contract.face_checks import FACE_CHECKS_PATH, FaceCheckAck, FaceCheckSubmission
from contract.fleet import AUDIT_PATH, UPLOADS_PATH, AuditAck, AuditBatch
from contract.receipt_sms import ReceiptSmsAck, ReceiptSmsRequest, receipt_sms_path
from contract.redaction import redact
from contract.status_lookup import (
    STATUS_BY_CARD_PATH,
    STATUS_BY_NUMBER_PATH,
    CardLookup,
    NumberLookup,
    ResidentCaseList,
)
from contract.vocabulary import IdType
from contract.wire import (
    API_PREFIX,
    LOOKUP_TOKEN_HEADER,
    CaseAck,
    CaseSubmission,
    CatalogDocument,
    Heartbeat,
    HeartbeatAck,
    IssuedQrCode,
    LastCaseNumber,
    QrCodeRequest,
    QrKeys,
    Rating,
    RatingAck,
    ResidentCaseView,
)
from kiosk.errors import (
    CentreConflict,
    CentreError,
    CentreRejected,
    CentreUnavailable,
    CentreUnreachable,
    SlotTaken,
)
from kiosk.messages import MessageId

Model = TypeVar("Model", bound=BaseModel)

RETRYABLE_4XX = frozenset({408, 425, 429})
_PATH_PART = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")
MAX_PATHS = 10


@dataclass(frozen=True)
class CatalogReply:
    """A site's catalogue as fetched: ``document`` is None when the kiosk's copy is current."""

    document: CatalogDocument | None
    etag: str


class _ThreadMarker:
    """Lives in one thread's local storage: freed when the thread ends."""


class CentreClient:
    """Talk to the centre as one kiosk. Safe to share between threads (one session each)."""

    def __init__(
        self,
        base_url: str,
        token: str,
        connect_timeout: float = 3.05,
        read_timeout: float = 10,
        verify: bool | str = True,
        client_cert: tuple[str, str] | str | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = (connect_timeout, read_timeout)
        self._token = token
        self._verify = verify
        self._client_cert = client_cert
        self._local = threading.local()
        self._sessions: list[requests.Session] = []
        self._sessions_lock = threading.Lock()

    @property
    def _session(self) -> requests.Session:
        session: requests.Session | None = getattr(self._local, "session", None)
        if session is None:
            session = requests.Session()
            session.verify = self._verify
            if self._client_cert is not None:
                session.cert = self._client_cert
            session.headers.update({
                "Authorization": f"Bearer {self._token}",
                "Accept": "application/json",
                "User-Agent": "gov-kiosk",
            })
            session.trust_env = False  # no proxies from the environment on a kiosk
            self._local.session = session
            # A short-lived worker (a slot fetch, a booking, a lookup) ends with its thread: its
            # thread-local marker goes then, and takes the session and its open socket with it.
            # Kept in the list until then, each one held a connection for good (the soak's leak).
            self._local.marker = marker = _ThreadMarker()
            weakref.finalize(marker, self._retire, session)
            with self._sessions_lock:
                self._sessions.append(session)
        return session

    def _retire(self, session: requests.Session) -> None:
        with self._sessions_lock:
            if session in self._sessions:
                self._sessions.remove(session)
        session.close()

    def close(self) -> None:
        with self._sessions_lock:
            sessions, self._sessions = self._sessions, []
        for session in sessions:
            session.close()

    def submit(self, submission: CaseSubmission) -> CaseAck:
        """Deliver a case; the centre's acknowledgement means it is stored for good."""
        return _parse(self._post_json("/cases", submission), CaseAck)

    def case_status(self, case_number: str) -> ResidentCaseView:
        """Ask for one of this kiosk's cases as its receipt's holder may see it."""
        response = self._request("GET", f"/cases/{case_number}")
        return _parse(response, ResidentCaseView)

    def lookup(self, case_number: str, token: str) -> ResidentCaseView:
        """The anonymous receipt lookup: the token from the receipt, and no kiosk credential."""
        headers = {LOOKUP_TOKEN_HEADER: token, "Authorization": None}  # None drops the bearer
        response = self._request("GET", f"/lookup/{case_number}", headers=headers)
        return _parse(response, ResidentCaseView)

    def status_by_number(self, case_number: str, phone_tail: str) -> ResidentCaseView:
        """A typed case number with its mobile number's last 4 digits (``contract.status_lookup``):
        no such case or other digits is ``CentreRejected`` (404); too many tries carries
        ``LOOKUP_TOO_MANY``."""
        lookup = NumberLookup(case_number=case_number, phone_tail=phone_tail)
        return _parse(self._status(STATUS_BY_NUMBER_PATH, lookup), ResidentCaseView)

    def status_by_card(self, id_type: IdType, id_number: str) -> tuple[ResidentCaseView, ...]:
        """The card holder's cases of the last 90 days, newest first (the ID goes in the body)."""
        lookup = CardLookup(id_type=id_type, id_number=id_number)
        return tuple(_parse(self._status(STATUS_BY_CARD_PATH, lookup), ResidentCaseList).cases)

    def _status(self, path: str, lookup: BaseModel) -> requests.Response:
        try:
            return self._post_json(path.removeprefix(API_PREFIX), lookup)
        except CentreUnavailable as err:
            if err.detail.startswith("HTTP 429"):
                raise CentreUnavailable(MessageId.LOOKUP_TOO_MANY, detail=err.detail) from err
            raise

    def last_case_number(self, day: str) -> str | None:
        """The highest case number the centre holds for this kiosk's terminal on ``day``
        (``YYYYMMDD``), or None."""
        response = self._request("GET", "/terminals/self/last-case-number", params={"day": day})
        return _parse(response, LastCaseNumber).case_number

    def heartbeat(self, beat: Heartbeat) -> HeartbeatAck:
        """Send the kiosk's beat; the answer names the site's current catalogue version."""
        return _parse(self._post_json("/heartbeats", beat), HeartbeatAck)

    def send_audit(self, batch: AuditBatch) -> AuditAck:
        """Send audit entries; the centre keeps each (terminal, seq) once and says how far it holds."""
        return _parse(self._post_json(AUDIT_PATH, batch), AuditAck)

    def upload(self, command_id: int, media_type: str, body: bytes) -> None:
        """Answer a ``screenshot`` or ``upload_logs`` command with its file (``204`` on success)."""
        self._request("PUT", f"{UPLOADS_PATH}/{command_id}", data=body, headers={"Content-Type": media_type})

    def download(self, path: str, target: Path, max_bytes: int) -> str:
        """Stream ``path`` (under the API) into the new file ``target``; return its sha256.

        More than ``max_bytes`` is ``CentreUnavailable`` (and no ``target`` is left).
        """
        digest, size = hashlib.sha256(), 0
        try:
            with self._request("GET", path, stream=True) as response, target.open("xb") as out:
                for chunk in response.iter_content(1 << 20):
                    size += len(chunk)
                    if size > max_bytes:
                        raise CentreUnavailable(detail=f"download larger than the {max_bytes} bytes offered")
                    digest.update(chunk)
                    out.write(chunk)
        except requests.exceptions.RequestException as err:
            target.unlink(missing_ok=True)
            raise CentreUnreachable(detail=redact(f"{type(err).__name__}: {err}")) from err
        except BaseException:
            target.unlink(missing_ok=True)
            raise
        return digest.hexdigest()

    def rate(self, case_number: str, rating: Rating) -> RatingAck:
        """Send the case's one rating (好差评); the same rating again is harmless."""
        return _parse(self._post_json(f"/cases/{case_number}/rating", rating), RatingAck)

    def request_callback(self, request: CallbackRequest) -> CallbackAck:
        """Ask the centre to call a resident back (help outside staffed hours); the same key again is harmless."""
        return _parse(self._post_json(CALLBACKS_PATH.removeprefix(API_PREFIX), request), CallbackAck)

    def ask_receipt_sms(self, case_number: str, request: ReceiptSmsRequest) -> ReceiptSmsAck:
        """Ask the centre to text the case's receipt (one SMS per case, however often asked)."""
        return _parse(self._post_json(receipt_sms_path(case_number).removeprefix(API_PREFIX), request), ReceiptSmsAck)

    def send_page(self, case_number: str, number: int, page: CapturedPage) -> None:
        """Deliver page ``number`` of an acknowledged case (``contract.captured_pages``); the same
        page again is harmless. 404: the centre does not have the case (yet)."""
        response = self._request("PUT", f"/cases/{case_number}{PAGES_PATH}/{number}",
                                 data=page.model_dump_json().encode("utf-8"),
                                 headers={"Content-Type": "application/json"})
        ack = _parse(response, CapturedPageAck)
        if (ack.case_number, ack.number) != (case_number, number):
            raise CentreUnavailable(detail=f"HTTP {response.status_code}: the answer names another page")

    def send_face_check(self, case_number: str, check: FaceCheckSubmission) -> FaceCheckAck:
        """Send the case's face capture with the card photo (人证比对) at once, never queued:
        if the centre cannot take it, the resident is offered another way."""
        return _parse(self._post_json(f"{FACE_CHECKS_PATH}/{case_number}", check), FaceCheckAck)

    def catalog(self, site_id: str, etag: str | None = None) -> CatalogReply:
        """Fetch a site's catalogue; with the ETag of the copy held, None if it is current."""
        headers = {"If-None-Match": etag} if etag else {}
        response = self._request("GET", f"/sites/{site_id}/catalog", headers=headers)
        new_etag = response.headers.get("ETag", "")
        if response.status_code == 304:
            return CatalogReply(None, new_etag or (etag or ""))
        return CatalogReply(_parse(response, CatalogDocument), new_etag)

    def issue_qr_code(self, request: QrCodeRequest) -> IssuedQrCode:
        """Have the centre sign an appointment code (it refuses login codes: 403)."""
        return _parse(self._post_json("/qr-codes", request), IssuedQrCode)

    def qr_keys(self) -> QrKeys:
        """The public keys that verify the centre's codes."""
        return _parse(self._request("GET", "/qr-keys"), QrKeys)

    def appointment_slots(self, item_id: str, days: int = 7) -> SlotList:
        """The counter slots of this kiosk's site for ``item_id``, ``days`` local days ahead.

        No answer or a failing centre carries ``APPOINTMENT_CENTRE_UNREACHABLE`` (come to the
        counter in its hours); an unknown item is ``CentreRejected``."""
        with _appointment_words():
            response = self._request("GET", SLOTS_PATH.removeprefix(API_PREFIX),
                                     params={"item_id": item_id, "days": days})
            return _parse(response, SlotList)

    def book_appointment(self, request: AppointmentRequest) -> AppointmentConfirmation:
        """Book a counter slot; the same request again (same key) gets the same confirmation.

        A slot that filled up, began or left the counter's hours meanwhile is ``SlotTaken``
        (offer the next one); no answer, a failing centre, or one that does not know this kiosk's
        site yet is ``CentreUnreachable``/``CentreUnavailable`` with
        ``APPOINTMENT_CENTRE_UNREACHABLE``; the same request may be sent again."""
        with _appointment_words():
            return self._book(request)

    def _book(self, request: AppointmentRequest) -> AppointmentConfirmation:
        response = self._exchange(
            "POST", APPOINTMENTS_PATH.removeprefix(API_PREFIX),
            data=request.model_dump_json().encode("utf-8"),
            headers={"Content-Type": "application/json"})
        if response.status_code >= 400:
            code = refusal_code(response.content)
            detail = f"HTTP {response.status_code}: {code}" if code else ""
            if code in _SLOT_GONE:
                raise SlotTaken(reason=str(code), detail=detail)
            if code == BookingRefusal.NO_SITE:  # the kiosk's first heartbeat has not arrived
                raise CentreUnavailable(detail=detail)
            raise _failure(response)
        return _parse(response, AppointmentConfirmation)

    def certificate(self, request: CertificateRequest) -> CertificatePdf:
        """Have the centre draw a certificate to print now (即时打印); ``CentreRejected`` (404)
        when it issues none for the item, ``CentreUnavailable`` when the reply is no certificate."""
        response = self._request(
            "POST", CERTIFICATES_PATH.removeprefix(API_PREFIX), data=request.model_dump_json().encode("utf-8"),
            headers={"Content-Type": "application/json", "Accept": PDF_MEDIA_TYPE})
        try:
            return read_certificate_reply(response.headers, response.content)
        except ValueError as err:
            raise CentreUnavailable(detail=f"HTTP {response.status_code}: {err}") from err

    def _post_json(self, path: str, model: BaseModel) -> requests.Response:
        return self._request(
            "POST", path, data=model.model_dump_json().encode("utf-8"),
            headers={"Content-Type": "application/json"},
        )

    def _request(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        response = self._exchange(method, path, **kwargs)
        if response.status_code >= 400:
            raise _failure(response)
        return response

    def _exchange(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        """Send one request and read its answer, whatever its status; no answer is
        ``CentreUnreachable``."""
        url = f"{self.base_url}{API_PREFIX}{path}"
        try:
            response = self._session.request(method, url, timeout=self.timeout, **kwargs)
            if not kwargs.get("stream") or response.status_code >= 400:
                response.content  # noqa: B018 - read the whole body here, inside the try
        except requests.exceptions.SSLError as err:
            raise CentreUnreachable(detail=redact(f"TLS: {err}")) from err
        except requests.exceptions.Timeout as err:
            raise CentreUnreachable(detail=redact(f"timeout: {err}")) from err
        except requests.exceptions.RequestException as err:
            raise CentreUnreachable(detail=redact(f"{type(err).__name__}: {err}")) from err
        return response


def _failure(response: requests.Response) -> CentreError:
    """The error for an answer of 400 or more (the table in the module's docstring)."""
    status = response.status_code
    detail = error_detail(status, response.content)
    if status == 409:
        return CentreConflict(detail=detail)
    if status >= 500 or status in RETRYABLE_4XX:
        return CentreUnavailable(detail=detail)
    return CentreRejected(detail=detail, status_code=status)


def error_detail(status: int, body: bytes) -> str:
    """``HTTP <status>``, with the paths of the fields at fault when the body names them
    (FastAPI's ``{"detail": [{"loc": [...]}, ...]}``); never a value from the body."""
    try:
        errors = json.loads(body).get("detail")
    except (ValueError, AttributeError):
        return f"HTTP {status}"
    if not isinstance(errors, list):
        return f"HTTP {status}"
    paths: list[str] = []
    for error in errors:
        loc = error.get("loc") if isinstance(error, dict) else None
        if not isinstance(loc, list):
            continue
        parts = loc[1:] if loc and loc[0] in ("body", "path", "query", "header") else loc
        path = ".".join(
            str(part) if isinstance(part, int) or (isinstance(part, str) and _PATH_PART.match(part))
            else "?"
            for part in parts
        ) or "(body)"
        if path not in paths:
            paths.append(path)
    if not paths:
        return f"HTTP {status}"
    return redact(f"HTTP {status} at {', '.join(paths[:MAX_PATHS])}")


@contextmanager
def _appointment_words() -> Iterator[None]:
    """Give a retryable failure the appointment's words: come to the counter in its hours."""
    try:
        yield
    except (CentreUnreachable, CentreUnavailable) as err:
        raise type(err)(MessageId.APPOINTMENT_CENTRE_UNREACHABLE, detail=err.detail) from err


_SLOT_GONE = frozenset({BookingRefusal.SLOT_FULL, BookingRefusal.SLOT_PAST, BookingRefusal.CLOSED})


def refusal_code(body: bytes) -> str | None:
    """The centre's refusal code (``{"detail": {"code": ...}}``, ``contract.appointments``), if
    it is one of the known ``BookingRefusal`` codes; never any other value from the body."""
    try:
        detail = json.loads(body).get("detail")
    except (ValueError, AttributeError):
        return None
    code = detail.get("code") if isinstance(detail, dict) else None
    return code if code in BookingRefusal.__members__.values() else None


def _parse(response: requests.Response, model: type[Model]) -> Model:
    try:
        return model.model_validate_json(response.content)
    except ValidationError as err:
        raise CentreUnavailable(
            detail=f"HTTP {response.status_code}: unreadable answer ({err.error_count()} errors)"
        ) from err


__all__ = ["CatalogReply", "CentreClient", "CentreError"]
