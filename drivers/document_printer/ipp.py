"""A small IPP/1.1 client (RFC 8010 encoding, RFC 8011 operations) for talking to CUPS.

Only what the document printer needs: Print-Job, Get-Job-Attributes, Cancel-Job and
Get-Printer-Attributes, over HTTP ``POST`` with ``Content-Type: application/ipp``. A message
is a version, an operation or status code, a request id, then attribute groups of
``tag, name length, name, value length, value`` (a value with an empty name adds to the
attribute before it), ended by tag 0x03; Print-Job's document follows. Values this client
reads are decoded (integers, enums, booleans, text); others are kept as bytes.

Errors: ``IppUnreachable`` (no connection, timeout), ``IppProtocolError`` (not IPP, or an
HTTP error); an IPP status code is returned, not raised (``IppResponse.status``).
"""

from __future__ import annotations

import http.client
import itertools
import os
import pwd
import socket
import struct
from dataclasses import dataclass, field

PRINT_JOB = 0x0002
CANCEL_JOB = 0x0008
GET_JOB_ATTRIBUTES = 0x0009
GET_PRINTER_ATTRIBUTES = 0x000B

OPERATION_GROUP, JOB_GROUP, END, PRINTER_GROUP = 0x01, 0x02, 0x03, 0x04
INTEGER, BOOLEAN, ENUM = 0x21, 0x22, 0x23
TEXT, NAME, KEYWORD, URI, CHARSET, LANGUAGE, MIME = 0x41, 0x42, 0x44, 0x45, 0x47, 0x48, 0x49
_STRINGS = {0x41, 0x42, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49}

# Status codes (RFC 8011 13.1) this driver tells apart.
NOT_FOUND = 0x0406
NOT_POSSIBLE = 0x0404
NOT_ACCEPTING_JOBS = 0x0506

# Job states (RFC 8011 5.3.7).
JOB_PENDING, JOB_HELD, JOB_PROCESSING, JOB_STOPPED = 3, 4, 5, 6
JOB_CANCELED, JOB_ABORTED, JOB_COMPLETED = 7, 8, 9
# Printer states (5.4.12).
PRINTER_IDLE, PRINTER_PROCESSING, PRINTER_STOPPED = 3, 4, 5

Value = int | bool | str | bytes
_request_ids = itertools.count(1)


class IppError(Exception):
    """Talking IPP failed."""


class IppUnreachable(IppError):
    """No connection to the print server, or no answer in time."""


class IppProtocolError(IppError):
    """The answer is not IPP, or HTTP refused the request."""


@dataclass
class IppResponse:
    status: int
    groups: list[tuple[int, dict[str, list[Value]]]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.status < 0x0100

    def first(self, name: str) -> Value | None:
        """The first value of ``name`` in any group, or None."""
        for _, attributes in self.groups:
            if name in attributes and attributes[name]:
                return attributes[name][0]
        return None

    def values(self, name: str) -> list[Value]:
        for _, attributes in self.groups:
            if name in attributes:
                return attributes[name]
        return []


def _attribute(tag: int, name: str, value: Value) -> bytes:
    if isinstance(value, bool):
        data = b"\x01" if value else b"\x00"
    elif isinstance(value, int):
        data = struct.pack(">i", value)
    elif isinstance(value, str):
        data = value.encode("utf-8")
    else:
        data = value
    encoded = name.encode("ascii")
    return struct.pack(">BH", tag, len(encoded)) + encoded + struct.pack(">H", len(data)) + data


def encode_request(operation: int, attributes: list[tuple[int, str, Value | list[Value]]],
                   request_id: int | None = None) -> bytes:
    """An IPP/1.1 request with ``attributes`` in the operation group (charset and language first)."""
    out = bytearray(struct.pack(">BBHI", 1, 1, operation, request_id or next(_request_ids)))
    out.append(OPERATION_GROUP)
    out += _attribute(CHARSET, "attributes-charset", "utf-8")
    out += _attribute(LANGUAGE, "attributes-natural-language", "en")
    for tag, name, value in attributes:
        values = value if isinstance(value, list) else [value]
        for index, one in enumerate(values):
            out += _attribute(tag, name if index == 0 else "", one)
    out.append(END)
    return bytes(out)


def decode_response(data: bytes) -> IppResponse:
    """Parse an IPP response; ``IppProtocolError`` if it is cut short or malformed."""
    if len(data) < 9:
        raise IppProtocolError(f"IPP answer of {len(data)} bytes is too short")
    status = struct.unpack(">H", data[2:4])[0]
    response = IppResponse(status)
    offset, last = 8, ""
    current: dict[str, list[Value]] | None = None
    try:
        while offset < len(data):
            tag = data[offset]
            offset += 1
            if tag == END:
                return response
            if tag < 0x10:  # a new attribute group
                current = {}
                response.groups.append((tag, current))
                continue
            name_length = struct.unpack(">H", data[offset:offset + 2])[0]
            name = data[offset + 2:offset + 2 + name_length].decode("utf-8", "replace")
            offset += 2 + name_length
            value_length = struct.unpack(">H", data[offset:offset + 2])[0]
            raw = data[offset + 2:offset + 2 + value_length]
            offset += 2 + value_length
            if len(raw) != value_length:
                raise IppProtocolError("IPP answer cut short")
            if current is None:
                raise IppProtocolError("IPP attribute outside any group")
            if name:
                last = name
            current.setdefault(last, []).append(_decode_value(tag, raw))
    except struct.error as err:
        raise IppProtocolError("IPP answer cut short") from err
    raise IppProtocolError("IPP answer has no end tag")


def _decode_value(tag: int, raw: bytes) -> Value:
    if tag in (INTEGER, ENUM) and len(raw) == 4:
        return int(struct.unpack(">i", raw)[0])
    if tag == BOOLEAN and len(raw) == 1:
        return raw != b"\x00"
    if tag in _STRINGS:
        return raw.decode("utf-8", "replace")
    return raw


class _UnixConnection(http.client.HTTPConnection):
    """HTTP over a Unix domain socket (CUPS's ``/run/cups/cups.sock``)."""

    def __init__(self, path: str, timeout: float) -> None:
        super().__init__("localhost", timeout=timeout)
        self.path = path

    def connect(self) -> None:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(self.timeout)
        try:
            sock.connect(self.path)
        except OSError:
            sock.close()
            raise
        self.sock = sock


def local_user() -> str:
    """The name of the user this process runs as (the owner of the jobs it submits)."""
    try:
        return pwd.getpwuid(os.geteuid()).pw_name
    except KeyError:
        return str(os.geteuid())


class IppClient:
    """IPP requests to one print server, each on a fresh HTTP connection: over TCP to
    ``host:port``, or over the Unix socket ``unix_socket`` with CUPS's ``PeerCred``
    authentication (the server checks the socket's peer user, as for libcups' own clients),
    so that CUPS's default policy (``Require user @OWNER`` for Cancel-Job) knows the owner."""

    def __init__(self, host: str, port: int, timeout: float = 5.0, unix_socket: str | None = None) -> None:
        self.host, self.port, self.timeout, self.unix_socket = host, port, timeout, unix_socket
        self.user = local_user()

    @property
    def where(self) -> str:
        return self.unix_socket or f"{self.host}:{self.port}"

    def uri(self, resource: str) -> str:
        if self.unix_socket:
            return f"ipp://localhost{resource}"
        return f"ipp://{self.host}:{self.port}{resource}"

    def request(self, resource: str, operation: int, attributes: list[tuple[int, str, Value | list[Value]]],
                document: bytes = b"") -> IppResponse:
        """Send one request to ``resource`` (e.g. ``/printers/A4``); return the decoded answer."""
        body = encode_request(operation, attributes) + document
        headers = {"Content-Type": "application/ipp"}
        connection: http.client.HTTPConnection
        if self.unix_socket:
            connection = _UnixConnection(self.unix_socket, self.timeout)
            headers["Authorization"] = f"PeerCred {self.user}"
        else:
            connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        try:
            connection.request("POST", resource, body=body, headers=headers)
            answer = connection.getresponse()
            data = answer.read()
        except (OSError, http.client.HTTPException) as err:
            raise IppUnreachable(f"{type(err).__name__} talking to {self.where}") from err
        finally:
            connection.close()
        if answer.status != 200:
            raise IppProtocolError(f"HTTP {answer.status} from {self.where}{resource}")
        return decode_response(data)
