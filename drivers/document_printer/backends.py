"""The A4 document printer's backends, by URL scheme (see ``drivers.backends``).

- ``cups:///QUEUE`` (the local CUPS through ``/run/cups/cups.sock``, or ``?socket=PATH``) or
  ``cups://HOST:PORT/QUEUE`` (TCP), ``?poll=250`` ms: a CUPS queue over IPP
  (``drivers.document_printer.cups_printer``).
- ``none:``: the site has no A4 printer; every job fails with ``NO_PRINTER``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from drivers.backends import Backend, BackendTable
from drivers.errors import UnsupportedBackend
from drivers.url import DeviceUrl

LOCAL_SOCKET = "/run/cups/cups.sock"

if TYPE_CHECKING:
    from drivers.document_printer.printer import DocumentPrinter


def _cups(url: DeviceUrl, name: str, **_: Any) -> DocumentPrinter:
    from urllib.parse import urlsplit

    from drivers.document_printer.cups_printer import CupsDocumentPrinter

    parts = urlsplit(url.raw)
    queue = parts.path.strip("/")
    if not queue or "/" in queue:
        raise UnsupportedBackend(f"document printer URL {url.raw!r}: name one CUPS queue, e.g. cups:///A4")
    try:
        port = parts.port or 631
    except ValueError:
        raise UnsupportedBackend(f"document printer URL {url.raw!r}: the port must be a number") from None
    local = not parts.hostname
    return CupsDocumentPrinter(queue, parts.hostname or "localhost", port, name=name,
                               poll_interval=url.option_int("poll", 250) / 1000,
                               unix_socket=url.options.get("socket", LOCAL_SOCKET) if local else None)


def _none(url: DeviceUrl, name: str, **_: Any) -> DocumentPrinter:
    from drivers.document_printer.printer import NoDocumentPrinter

    return NoDocumentPrinter(name)


BACKENDS: BackendTable[DocumentPrinter] = BackendTable(
    "document printer",
    (
        Backend(("cups",), _cups, "a CUPS queue, over IPP"),
        Backend(("none",), _none, "no A4 printer at this site"),
    ),
)
