"""One JSON POST to a configured URL, tried a few times: what the alert and SMS notifiers share.

The URL must be http(s) (refused at start-up otherwise); no proxy from the environment is used
(as the kiosk's client); any 2xx is delivered; after ``attempts`` tries ``NotifyFailed`` says
why (the status or the error's type), never the body, which may hold a resident's phone.
"""

from __future__ import annotations

import time
import urllib.error
import urllib.request
from urllib.parse import urlsplit


class NotifyFailed(Exception):
    """The message was not delivered; the message says why, without the payload."""


class JsonWebhook:
    """POST JSON bodies to ``url`` (named ``setting`` in errors, e.g. ``CENTRAL_SMS_WEBHOOK``)."""

    def __init__(self, url: str, setting: str, *, timeout_s: float, attempts: int, pause_s: float) -> None:
        if urlsplit(url).scheme not in ("http", "https"):
            raise ValueError(f"{setting} must be an http(s) URL, not {url!r}")
        self.url, self.setting = url, setting
        self.timeout_s, self.attempts, self.pause_s = timeout_s, attempts, pause_s
        self._opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))

    def post(self, body: bytes) -> None:
        """Deliver ``body`` or raise ``NotifyFailed``."""
        why = ""
        for attempt in range(self.attempts):
            if attempt:
                time.sleep(self.pause_s * 2 ** (attempt - 1))
            request = urllib.request.Request(
                self.url, data=body, method="POST",
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
        raise NotifyFailed(f"{self.setting}: {why} after {self.attempts} attempts")
