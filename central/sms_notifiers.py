"""Where residents' text messages go: an ``SmsNotifier`` takes one ``SmsMessage`` and hands it
to an SMS gateway, or raises ``NotifyFailed``.

- ``WebhookSmsNotifier(url)``: POSTs ``{"phone", "text", "case_number"}`` as JSON to ``url``
  (``CENTRAL_SMS_WEBHOOK``, the gateway's adapter), with a timeout, trying ``attempts`` times
  with a growing pause; any 2xx is handed over.
- ``LogSmsNotifier``: for a centre without a gateway (development): logs that an SMS would go,
  with the masked phone and the case number only; the centre counts it as sent, so a centre
  serving residents needs the webhook (``kiosk central`` says so at start-up).

``sms_notifier_from_env()`` picks the webhook when ``CENTRAL_SMS_WEBHOOK`` names an http(s)
URL, the log otherwise; a URL of another scheme is refused at start-up.

A message carries a resident's phone and a lookup link: neither ever goes into a log line,
an exception's text or a ``repr`` (``masked`` is what may be logged).
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass, field
from typing import Protocol

from central.callbacks import mask_phone
from central.webhook import JsonWebhook, NotifyFailed

log = logging.getLogger(__name__)

__all__ = ["LogSmsNotifier", "NotifyFailed", "SmsMessage", "SmsNotifier", "WebhookSmsNotifier",
           "mask_phone", "sms_notifier_from_env"]


@dataclass(frozen=True)
class SmsMessage:
    """One text to one resident; only ``case_number`` and ``masked`` may be logged."""

    case_number: str
    phone: str = field(repr=False)
    text: str = field(repr=False)

    @property
    def masked(self) -> str:
        return mask_phone(self.phone)

    def json_bytes(self) -> bytes:
        body = {"phone": self.phone, "text": self.text, "case_number": self.case_number}
        return json.dumps(body, ensure_ascii=False).encode("utf-8")


class SmsNotifier(Protocol):
    def send(self, message: SmsMessage) -> None:
        """Hand ``message`` to the gateway or raise ``NotifyFailed`` (saying why, without the message)."""


class LogSmsNotifier:
    """A centre without a gateway (development): the SMS goes to the log, as the case number and
    the masked phone only, and counts as sent."""

    def send(self, message: SmsMessage) -> None:
        log.warning("receipt SMS of case %s to %s: no SMS gateway (CENTRAL_SMS_WEBHOOK), logged only",
                    message.case_number, message.masked)


class WebhookSmsNotifier:
    """POST each SMS as JSON to one URL (the SMS gateway's adapter, ``CENTRAL_SMS_WEBHOOK``)."""

    def __init__(self, url: str, *, timeout_s: float = 3.0, attempts: int = 2, pause_s: float = 0.5) -> None:
        self.webhook = JsonWebhook(url, "CENTRAL_SMS_WEBHOOK", timeout_s=timeout_s, attempts=attempts,
                                   pause_s=pause_s)

    def send(self, message: SmsMessage) -> None:
        self.webhook.post(message.json_bytes())


def sms_notifier_from_env() -> SmsNotifier:
    """The webhook named by ``CENTRAL_SMS_WEBHOOK``, or the log."""
    url = os.environ.get("CENTRAL_SMS_WEBHOOK", "").strip()
    return WebhookSmsNotifier(url) if url else LogSmsNotifier()
