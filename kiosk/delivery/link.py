"""The kiosk's link to the centre: the outbox, the centre client, the sender, the ratings
and the heartbeats.

Opened by the terminal in the background once the first frame is on screen, so the heavy
imports here (pydantic, requests, and a development centre) never delay the attract screen.
The outbox is opened first: if the centre cannot be started or reached, cases are still kept.
Then the terminal's case numbering is lifted past every number the outbox and the centre hold
for the day (``CaseNumbers.raise_to``), so a wiped data folder never repeats a number; when the
centre cannot be asked, the outbox's floor still applies.
Knows nothing of the resident session: a case arrives as wire values.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from contract.captured_pages import CapturedPage
from contract.qr_codes import CodeTrust, load_public_key
from contract.vocabulary import HEARTBEAT_INTERVAL_S, Delivery
from contract.wire import Applicant, CaseSubmission, Heartbeat, HeartbeatAck, ResidentCaseView
from kiosk.config.settings import KioskConfig
from kiosk.delivery.case_numbers import CaseNumbers
from kiosk.delivery.centre_client import CentreClient
from kiosk.delivery.endpoint import CentreConnector, LoginCodeIssuer
from kiosk.delivery.heartbeat import Heartbeats
from kiosk.delivery.housekeeping import Housekeeping
from kiosk.delivery.outbox import Outbox, OutboxState, OutboxStats
from kiosk.delivery.private_files import load_or_create_key
from kiosk.delivery.ratings import RatingQueue
from kiosk.delivery.sender import Sender
from kiosk.errors import CentreError

log = logging.getLogger(__name__)


class CentreLink:
    """Everything between a submitted case and the centre's acknowledgement."""

    def __init__(
        self,
        config: KioskConfig,
        centre: CentreConnector,
        on_change: Callable[[], None],
        make_beat: Callable[[OutboxStats], Heartbeat],
        heartbeat_interval: float = HEARTBEAT_INTERVAL_S,
        numbers: CaseNumbers | None = None,
        today: date | None = None,
        on_beat_ack: Callable[[Heartbeat, HeartbeatAck], None] | None = None,
        technician_keys: tuple[Ed25519PublicKey, ...] = (),
    ) -> None:
        self.config = config
        data_dir = Path(config.data_dir)
        data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        self.outbox = Outbox(
            data_dir / "outbox.sqlite3",
            load_or_create_key(config.outbox_key_file),
            min_free_bytes=config.outbox_min_free_bytes,
        )
        if self.outbox.recovered:
            log.info("returned %d in-flight cases to pending after a restart", self.outbox.recovered)
        prefix = numbers.prefix(today or date.today()) if numbers is not None else ""
        if numbers is not None:
            held = self.outbox.highest_case_number(prefix)
            if held is not None:
                numbers.raise_to(held)
        self.centre = centre
        endpoint = centre.open()
        tls = config.centre
        self.client = CentreClient(
            endpoint.base_url,
            endpoint.token,
            verify=str(tls.ca_file) if tls.ca_file else True,
            client_cert=(str(tls.client_cert[0]), str(tls.client_cert[1])) if tls.client_cert else None,
        )
        if numbers is not None:
            self._follow_centre_numbers(numbers, prefix[:8])
        published: tuple[Ed25519PublicKey, ...] = ()
        if endpoint.trust_published_keys:  # a development centre: trust the keys it serves
            try:
                published = tuple(load_public_key(text) for text in self.client.qr_keys().keys)
            except CentreError as err:
                log.warning("could not fetch the centre's code keys: %s", err.detail or type(err).__name__)
        # Login codes verify only against identity-authority keys, the others only against
        # centre keys (``contract.qr_codes``): the centre's published keys never log anyone in.
        self.code_trust: CodeTrust = config.site.code_trust(
            extra_centre_keys=published, extra_identity_keys=endpoint.identity_keys,
            technician_keys=technician_keys,
        )
        self.login_issuer: LoginCodeIssuer | None = endpoint.login_issuer
        self.sender = Sender(
            self.outbox,
            self.client,
            on_change=on_change,
            alert_after_s=config.alert_after_minutes * 60,  # the sender logs the alert
        )
        self.sender.start()
        self.ratings = RatingQueue(data_dir / "ratings.sqlite3", self.client, case_delivered=self.is_sent)
        self.ratings.start()
        self.housekeeping = Housekeeping(self.outbox)
        self.heartbeats = Heartbeats(
            self.client, lambda: make_beat(self.outbox.stats()), heartbeat_interval, on_ack=on_beat_ack,
            between_beats=self.housekeeping.run_if_due,
        )
        self.heartbeats.start()

    def _follow_centre_numbers(self, numbers: CaseNumbers, day: str) -> None:
        """Lift the numbering past the centre's highest number for this terminal today."""
        try:
            held = self.client.last_case_number(day)
        except CentreError as err:
            log.warning("could not ask the centre for this terminal's last case number (%s); "
                        "numbering goes on from this kiosk's own records", err.detail or type(err).__name__)
            return
        if held is not None:
            numbers.raise_to(held)

    def store(self, **case: Any) -> None:
        """Write one case durably to the outbox (raises ``OutboxFull``), then wake the sender.

        Takes the keywords of ``new_case``, and optionally ``pages`` (``store_all``)."""
        self.store_all([case])

    def store_all(self, cases: list[dict[str, Any]]) -> None:
        """Write several cases (a bundle's) durably in one go, with the document camera's
        pages of each (an optional ``"pages": list[CapturedPage]``): all of them or none."""
        submissions, pages = [], {}
        for case in cases:
            fields = dict(case)  # the caller's dict is left as it was
            of_case: list[CapturedPage] = fields.pop("pages", None) or []
            submission = self.new_case(**fields)
            submissions.append(submission)
            if of_case:
                pages[submission.case_number] = of_case
        self.outbox.enqueue_all(submissions, pages)
        self.sender.wake()

    def new_case(
        self,
        *,
        case_number: str,
        item_id: str,
        applicant: Applicant,
        answers: dict[str, str],
        commitments: list[str],
        delivery: Delivery,
        submitted_at: datetime,
        lookup_token_sha256: str | None = None,
        catalog_version: str | None = None,
        bundle_id: str | None = None,
        bundle_cases: tuple[str, ...] = (),
        assisted_by: str | None = None,
    ) -> CaseSubmission:
        """The submission of one case from this kiosk.

        ``lookup_token_sha256`` is the digest of the receipt's lookup token; the token itself
        is printed, never stored or sent. ``catalog_version`` is the catalogue the resident saw
        (the shipped one when not given)."""
        return CaseSubmission(
            idempotency_key=uuid.uuid4().hex,
            case_number=case_number,
            site_id=self.config.site.id,
            terminal_id=self.config.terminal_id,
            item_id=item_id,
            catalog_version=catalog_version or self.config.catalog.version,
            submitted_at=submitted_at,
            applicant=applicant,
            answers=answers,
            commitments=commitments,
            delivery=delivery,
            lookup_token_sha256=lookup_token_sha256,
            bundle_id=bundle_id,
            bundle_cases=list(bundle_cases),
            assisted_by=assisted_by,  # the helping staff member's number (帮办), never an ID number
        )

    def is_sent(self, case_number: str) -> bool:
        return self.outbox.state_of(case_number) == OutboxState.SENT

    def has_room(self) -> bool:
        """Whether the outbox can take another case (the disk is not nearly full)."""
        return self.outbox.has_room()

    def stats(self) -> OutboxStats:
        return self.outbox.stats()

    def reachable(self) -> bool:
        """False while the sender's last attempt found the centre down or unreachable."""
        error = self.sender.last_error
        return error is None or not error.retryable

    def case_status(self, case_number: str) -> ResidentCaseView:
        """One of this kiosk's cases, as its receipt's holder may see it."""
        return self.client.case_status(case_number)

    def rate(self, case_number: str, level: int, reasons: tuple[str, ...]) -> None:
        """Keep the resident's rating of a case; it follows the case to the centre."""
        self.ratings.record(case_number, level, reasons)

    def close(self) -> None:
        self.heartbeats.stop()
        self.ratings.stop()
        self.sender.stop(timeout=5)
        self.client.close()
        self.centre.close()
        self.outbox.close()
