"""Where alerts go: a ``Notifier`` takes one ``AlertMessage`` and delivers it or raises
``NotifyFailed``.

- ``WebhookNotifier(url)``: POSTs the message as JSON to ``url`` (``CENTRAL_ALERT_WEBHOOK``),
  with a timeout, trying ``attempts`` times with a growing pause; any 2xx is delivered.
- ``LogNotifier``: writes it to the centre's log (a warning), for a centre with no webhook.

``notifier_from_env()`` picks the webhook when ``CENTRAL_ALERT_WEBHOOK`` names an http(s)
URL, the log otherwise; a URL of another scheme is refused at start-up.

A message names the kiosk, its site, what happened and when; never a resident.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import asdict, dataclass
from typing import Protocol

from central.webhook import JsonWebhook, NotifyFailed

log = logging.getLogger(__name__)

__all__ = ["AlertMessage", "LogNotifier", "Notifier", "NotifyFailed", "WebhookNotifier", "notifier_from_env"]


@dataclass(frozen=True)
class AlertMessage:
    """One alert as sent: ``state`` is ``open`` (or ``cleared``)."""

    alert_id: int
    kind: str  # kiosk_red, case_unsent
    state: str
    terminal_id: str
    site_id: str
    detail: str
    opened_at: str  # ISO 8601, UTC

    def json_bytes(self) -> bytes:
        return json.dumps(asdict(self), ensure_ascii=False).encode("utf-8")


class Notifier(Protocol):
    def send(self, message: AlertMessage) -> None:
        """Deliver ``message`` or raise ``NotifyFailed``."""


class LogNotifier:
    """Alerts into the centre's log."""

    def send(self, message: AlertMessage) -> None:
        log.warning("fleet alert %s: %s at %s (%s): %s", message.state, message.kind,
                    message.terminal_id, message.site_id, message.detail)


class WebhookNotifier:
    """POST each alert as JSON to one URL (``CENTRAL_ALERT_WEBHOOK``)."""

    def __init__(self, url: str, *, timeout_s: float = 5.0, attempts: int = 3, pause_s: float = 0.5) -> None:
        self.webhook = JsonWebhook(url, "CENTRAL_ALERT_WEBHOOK", timeout_s=timeout_s, attempts=attempts,
                                   pause_s=pause_s)

    def send(self, message: AlertMessage) -> None:
        self.webhook.post(message.json_bytes())


def notifier_from_env() -> Notifier:
    """The webhook named by ``CENTRAL_ALERT_WEBHOOK``, or the log."""
    url = os.environ.get("CENTRAL_ALERT_WEBHOOK", "").strip()
    return WebhookNotifier(url) if url else LogNotifier()
