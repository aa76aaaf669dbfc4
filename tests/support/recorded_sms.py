"""An ``SmsNotifier`` for tests: keeps every SMS the centre hands it, and fails on request."""

from __future__ import annotations

import threading

from central.sms_notifiers import NotifyFailed, SmsMessage


class RecordedSms:
    """Records each SMS sent; the first ``failures`` sends raise ``NotifyFailed`` instead."""

    def __init__(self, failures: int = 0) -> None:
        self.failures = failures
        self.sent: list[SmsMessage] = []
        self.tries = 0
        self._lock = threading.Lock()

    def send(self, message: SmsMessage) -> None:
        with self._lock:
            self.tries += 1
            if self.failures:
                self.failures -= 1
                raise NotifyFailed("SMS webhook: HTTP 503 after 1 attempts")
            self.sent.append(message)
