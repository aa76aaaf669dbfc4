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
import time
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass
from typing import Protocol
from urllib.parse import urlsplit

log = logging.getLogger(__name__)


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


class NotifyFailed(Exception):
    """The message was not delivered; the message says why, without the payload."""


class Notifier(Protocol):
    def send(self, message: AlertMessage) -> None:
        """Deliver ``message`` or raise ``NotifyFailed``."""


class LogNotifier:
    """Alerts into the centre's log."""

    def send(self, message: AlertMessage) -> None:
        log.warning("fleet alert %s: %s at %s (%s): %s", message.state, message.kind,
                    message.terminal_id, message.site_id, message.detail)


class WebhookNotifier:
    """POST each alert as JSON to one URL."""

    def __init__(self, url: str, *, timeout_s: float = 5.0, attempts: int = 3,
                 pause_s: float = 0.5) -> None:
        if urlsplit(url).scheme not in ("http", "https"):
            raise ValueError(f"CENTRAL_ALERT_WEBHOOK must be an http(s) URL, not {url!r}")
        self.url, self.timeout_s, self.attempts, self.pause_s = url, timeout_s, attempts, pause_s
        # Straight to the URL: no proxy from the environment (as the kiosk's client does).
        self._opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))

    def send(self, message: AlertMessage) -> None:
        why = ""
        for attempt in range(self.attempts):
            if attempt:
                time.sleep(self.pause_s * 2 ** (attempt - 1))
            request = urllib.request.Request(
                self.url, data=message.json_bytes(), method="POST",
                headers={"Content-Type": "application/json", "User-Agent": "gov-kiosk-centre"})
            try:
                with self._opener.open(request, timeout=self.timeout_s) as answer:
                    if 200 <= answer.status < 300:
                        return
                    why = f"HTTP {answer.status}"
            except urllib.error.HTTPError as err:
                why = f"HTTP {err.code}"
            except (urllib.error.URLError, OSError) as err:
                why = type(getattr(err, "reason", err)).__name__
        raise NotifyFailed(f"webhook: {why} after {self.attempts} attempts")


def notifier_from_env() -> Notifier:
    """The webhook named by ``CENTRAL_ALERT_WEBHOOK``, or the log."""
    url = os.environ.get("CENTRAL_ALERT_WEBHOOK", "").strip()
    return WebhookNotifier(url) if url else LogNotifier()
