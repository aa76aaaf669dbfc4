"""The catalogue refresh's cost: reading a centre document against reading the TOML folder, and
a refresh that fetches, checks and caches a new catalogue against one answered 304.

``python -m bench catalog_refresh``. The document is the whole shipped catalogue (every item and
bundle: the largest a site can be sent). Each pair runs interleaved in one loop so load on the
machine hits both alike; medians are printed with the ratio and the load average.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from central.server import create_app, serve_in_thread
from kiosk.catalog.export import site_document
from kiosk.catalog.loading import catalog_from_document, load_catalog
from kiosk.config.settings import SOURCE_CONFIG
from kiosk.delivery.catalog_refresh import CatalogRefresh
from kiosk.delivery.centre_client import CentreClient

ROUNDS = 15
SITE = "bench-site"
TOKEN = "bench-kiosk-token-0123456789"


def _pair(first: Callable[[], object], second: Callable[[], object]) -> tuple[float, float]:
    """Median milliseconds of ``first`` and ``second``, run alternately."""
    a: list[float] = []
    b: list[float] = []
    for _ in range(ROUNDS):
        for run, into in ((first, a), (second, b)):
            start = time.perf_counter()
            run()
            into.append((time.perf_counter() - start) * 1000)
    return statistics.median(a), statistics.median(b)


def main() -> None:
    folder = SOURCE_CONFIG.parent / "catalog"
    catalog = load_catalog(folder)
    document = site_document(catalog, tuple(catalog.ids()), tuple(b.id for b in catalog.bundles))
    doc_ms, toml_ms = _pair(lambda: catalog_from_document(document, "bench"), lambda: load_catalog(folder))
    print(f"catalogue of {len(catalog.items)} items, {len(catalog.bundles)} bundles")
    print(f"  read a centre document  {doc_ms:7.1f} ms")
    print(f"  read the TOML folder    {toml_ms:7.1f} ms   (baseline; ratio {doc_ms / toml_ms:.2f})")

    with tempfile.TemporaryDirectory() as scratch:
        app = create_app(f"sqlite:///{Path(scratch) / 'centre.db'}",
                         {TOKEN: {"terminal_id": "B001", "terminal_number": 1}}, catalog={SITE: document})
        running = serve_in_thread(app)
        client = CentreClient(running.base_url, TOKEN)
        try:
            fresh = CatalogRefresh(client, SITE, Path(scratch) / "fresh", "0", on_accepted=lambda c: None,
                                   on_refused=print)
            current = CatalogRefresh(client, SITE, Path(scratch) / "current", "0", on_accepted=lambda c: None,
                                     on_refused=print)
            current.fetch()

            def fetch_new() -> None:
                fresh.etag = None  # as a kiosk whose copy is older
                assert fresh.fetch()

            new_ms, same_ms = _pair(fetch_new, lambda: current.fetch())
        finally:
            client.close()
            running.stop()
    print(f"  refresh: fetch, check, cache a new one  {new_ms:7.1f} ms")
    print(f"  refresh: 304, the one held is current   {same_ms:7.1f} ms   (baseline; ratio {new_ms / same_ms:.1f})")
    print(f"load average {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
