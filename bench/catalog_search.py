"""Catalogue search over a generated 500-item catalogue: p99 per query against a plain name scan.

The catalogue is made from the shipped items by varying their names and keywords (a prefix
and a suffix from short lists, so the words and their pinyin differ), then searched with what
residents type: Chinese words, synonyms, full pinyin, initials, mixed, English, nothing found
and a very long input. The baseline, in the same run, is a plain substring scan of the names
(what a search without pinyin or ranking would cost). Goal: search p99 ≤ 10 ms.
"""

from __future__ import annotations

import dataclasses
import statistics
import time
from pathlib import Path

from kiosk.catalog.loading import load_catalog
from kiosk.catalog.model import Catalog, Item, Names
from kiosk.catalog.search import CatalogSearch

SIZE = 500
ROUNDS = 40
PREFIXES = ("", "补办", "变更", "注销", "延续", "网上", "异地", "预约", "加急", "代办")
SUFFIXES = ("", "（个人）", "（单位）", "查询", "打印", "续期", "备案", "审核", "复核", "登记")
QUERIES = ("sbzm", "shebao", "社保", "开店", "jzz", "居住证", "yibao", "gtgs", "residence", "社保zm",
           "laonianren", "80", "shebaozhengming", "qqqq", "火箭", "z", "x" * 200)
CATALOG = Path(__file__).resolve().parents[1] / "config" / "catalog"


def generated_catalog(size: int = SIZE) -> Catalog:
    """``size`` items varied from the shipped ones (ids, names and keywords all distinct)."""
    shipped = load_catalog(CATALOG)
    items: list[Item] = []
    for number in range(size):
        base = shipped.items[number % len(shipped.items)]
        prefix = PREFIXES[(number // len(shipped.items)) % len(PREFIXES)]
        suffix = SUFFIXES[(number // (len(shipped.items) * len(PREFIXES))) % len(SUFFIXES)]
        names = Names(prefix + base.names.zh_hans + suffix, prefix + base.names.zh_hant + suffix,
                      f"{base.names.en} {number}")
        keywords = tuple(prefix + word for word in base.keywords)
        items.append(dataclasses.replace(base, id=f"{base.id}-{number}", names=names, keywords=keywords))
    return Catalog("bench", tuple(items), shipped.bundles, shipped.categories)


def substring_scan(catalog: Catalog, text: str) -> list[str]:
    """The baseline: names holding the text as written, in the catalogue's order."""
    query = text.strip().lower()
    return [item.id for item in catalog.items
            if query and (query in item.names.zh_hans or query in item.names.zh_hant or query in item.names.en.lower())]


def timed(call, clock=time.perf_counter, rounds: int = ROUNDS) -> list[float]:  # type: ignore[no-untyped-def]
    """Seconds per query by ``clock``: wall time, or the thread's CPU time (which a busy machine's
    other processes do not inflate)."""
    latencies = []
    for _ in range(rounds):
        for query in QUERIES:
            began = clock()
            call(query)
            latencies.append(clock() - began)
    return latencies


def p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, int(len(ordered) * 0.99) - 1)]


def main() -> None:
    catalog = generated_catalog()
    began = time.perf_counter()
    search = CatalogSearch(catalog)
    built = time.perf_counter() - began
    usage = {item.id: number % 7 for number, item in enumerate(catalog.items)}
    found = {q: len(search.search(q, usage)) for q in ("sbzm", "开店", "qqqq")}
    print(f"catalogue: {len(catalog.items)} generated items; index built in {built * 1000:.0f} ms "
          f"(pypinyin's import included); matches {found}")
    for clock_name, clock in (("wall", time.perf_counter), ("CPU", time.thread_time)):
        ours = timed(lambda q: search.search(q, usage), clock)
        plain = timed(lambda q: substring_scan(catalog, q), clock)
        for name, values in (("substring scan of names (baseline)", plain), ("CatalogSearch.search", ours)):
            print(f"{clock_name} time, {name}: median {statistics.median(values) * 1000:.2f} ms, "
                  f"p99 {p99(values) * 1000:.2f} ms over {len(values)} queries")
        print(f"{clock_name} time p99 ratio search/scan: {p99(ours) / p99(plain):.1f}x (goal: search p99 <= 10 ms)")


if __name__ == "__main__":
    main()
