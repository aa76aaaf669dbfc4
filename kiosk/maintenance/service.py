"""In service, or taken out of service by a technician (at the kiosk or from the console).

Kept in ``service-state.json`` across restarts: a kiosk taken out for a broken printer stays
out after a power cut until someone puts it back. Residents see the out-of-service screen;
the technician's reason goes to the heartbeat (``contract.fleet.ServiceState``) and the
maintenance screens, never to the resident.
"""

from __future__ import annotations

import threading
from pathlib import Path

from contract.fleet import ServiceState
from kiosk.maintenance.state_file import read_state, write_state

SERVICE_FILE = "service-state.json"
REASON_MAX = 200


class ServiceSwitch:
    """The technician's in/out-of-service switch. Safe to share between threads."""

    def __init__(self, data_dir: Path) -> None:
        self.path = Path(data_dir) / SERVICE_FILE
        self._lock = threading.Lock()
        self._state: ServiceState | None = None

    @property
    def state(self) -> ServiceState:
        with self._lock:
            if self._state is None:
                saved = read_state(self.path) or {}
                try:
                    self._state = ServiceState.model_validate(saved)
                except ValueError:
                    self._state = ServiceState(in_service=False, reason="状态文件损坏")  # fail safe: stay out
            return self._state

    @property
    def in_service(self) -> bool:
        return self.state.in_service

    def take_out(self, reason: str) -> ServiceState:
        return self._set(ServiceState(in_service=False, reason=reason.strip()[:REASON_MAX] or "维护"))

    def put_back(self) -> ServiceState:
        return self._set(ServiceState())

    def _set(self, state: ServiceState) -> ServiceState:
        with self._lock:
            write_state(self.path, state.model_dump())
            self._state = state
        return state
