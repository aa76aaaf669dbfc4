"""The development centre reached through a fault proxy (``tests.central.fault_proxy``): a
terminal's ``centre`` connector whose answers a test or the soak can lose, slow or refuse."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from kiosk.cli.embedded_centre import EmbeddedCentreConnector
from kiosk.delivery.endpoint import CentreEndpoint
from tests.central.fault_proxy import Fault, FaultProxy


class ProxiedCentre:
    """Opens ``inner`` and puts a ``FaultProxy`` in front of it (``choose_by_head``: its faults
    by request; none by default). ``proxy`` is there once the terminal has opened the centre."""

    def __init__(self, inner: EmbeddedCentreConnector,
                 choose_by_head: Callable[[bytes], Fault | None] | None = None) -> None:
        self.inner = inner
        self.choose_by_head = choose_by_head
        self.proxy: FaultProxy | None = None

    def open(self) -> CentreEndpoint:
        endpoint = self.inner.open()
        port = int(endpoint.base_url.rsplit(":", 1)[1].split("/")[0])
        self.proxy = FaultProxy(port, choose_by_head=self.choose_by_head)
        return dataclasses.replace(endpoint, base_url=self.proxy.base_url)

    def close(self) -> None:
        if self.proxy is not None:
            self.proxy.stop()
        self.inner.close()
