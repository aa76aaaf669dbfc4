"""Backend tables: which URL schemes a device class accepts and what builds each.

Each device package has one table (``drivers/idcard/backends.py``, ``drivers/qr/backends.py``,
``drivers/printer/backends.py``). The same table answers the cheap start-up question ("is
this URL's scheme one we have?", ``check``, which imports no driver) and builds the driver
(``build``, which imports the one backend's modules inside its builder). A scheme no row
claims raises ``UnsupportedBackend`` naming the ones that are allowed; nothing falls back
to a simulator.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from drivers.errors import UnsupportedBackend
from drivers.url import DeviceUrl, parse_device_url

T = TypeVar("T")


@dataclass(frozen=True)
class Backend(Generic[T]):
    """One way to reach a device: the schemes that select it and its builder.

    ``build(url, name, **context)`` makes (does not open) the device; it imports the
    driver modules it needs when called, so a table costs nothing to import.
    """

    schemes: tuple[str, ...]
    build: Callable[..., T]
    summary: str = ""


@dataclass(frozen=True)
class BackendTable(Generic[T]):
    """The backends of one device class, e.g. ``"ID-card reader"``."""

    device: str
    backends: tuple[Backend[T], ...]

    @property
    def schemes(self) -> tuple[str, ...]:
        return tuple(scheme for backend in self.backends for scheme in backend.schemes)

    def backend_for(self, url: str | DeviceUrl) -> tuple[Backend[T], DeviceUrl]:
        """The backend that claims ``url``'s scheme; ``UnsupportedBackend`` if none does."""
        parsed = url if isinstance(url, DeviceUrl) else parse_device_url(url)
        for backend in self.backends:
            if parsed.scheme in backend.schemes:
                return backend, parsed
        raise UnsupportedBackend(f"{self.device} URL {parsed.raw!r}: scheme must be one of {', '.join(self.schemes)}")

    def check(self, url: str) -> DeviceUrl:
        """Refuse ``url`` unless a backend claims its scheme, importing no driver."""
        return self.backend_for(url)[1]

    def build(self, url: str, name: str, **context: Any) -> T:
        """Build (not open) the device ``url`` names."""
        backend, parsed = self.backend_for(url)
        return backend.build(parsed, name, **context)
