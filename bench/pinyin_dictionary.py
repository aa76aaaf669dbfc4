"""Which dictionary the pinyin keyboard uses: every candidate source on one ground truth.

``python -m bench pinyin_dictionary``. The ground truth (``bench/data/pinyin_phrases.tsv``):
100 common words, 108 personal names (polyphone and compound surnames, rare characters) and
100 address fragments, each with its full pinyin. For each source: how often the wanted text
is the first candidate (top-1) and among the first five (top-5) when the whole pinyin is
typed, the time and memory to get ready, and the time per lookup (median and 99th
percentile). Each source runs in a child process of its own, so imports, load time and
memory (growth of the peak resident set) are its alone.

Sources: this engine (``kiosk.pinyin``, the shipped lexicon: pypinyin readings weighted by
jieba counts), in both modes; the same data built at first use from pypinyin and jieba
(``kiosk.pinyin.build_lexicon``), which is the baseline for the load time; pypinyin's own
phrase table (readings, no frequencies); pypinyin + wordfreq's Chinese frequencies;
pypinyin-dict's larger phrase table; Pinyin2Hanzi (an HMM/DAG converter; it cannot split
letters, so it is handed the syllables); pinyinIME (a Rime-like engine with a pickled index).
A source not installed prints as such (``pip install`` it to measure; see the engine's doc).
"""

from __future__ import annotations

import json
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

GROUND_TRUTH = Path(__file__).resolve().parent / "data" / "pinyin_phrases.tsv"
KINDS = ("word", "name", "address")
Lookup = Callable[[str, list[str]], list[str]]  # (letters, syllables) → candidates, best first


def ground_truth() -> list[tuple[str, str, list[str]]]:
    """(kind, text, syllables) for every row of the ground-truth file."""
    rows = []
    for line in GROUND_TRUTH.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            kind, text, spelled = line.split("\t")
            rows.append((kind, text, spelled.split("'")))
    return rows


def _engine(names: bool) -> Lookup:
    from kiosk.pinyin.engine import PinyinEngine

    engine = PinyinEngine(names=names)
    return lambda letters, _syllables: [c.text for c in engine.candidates(letters, limit=5)]


def _index(entries: list[tuple[str, str, float]]) -> Lookup:
    """A plain dictionary: whole toneless pinyin → words, heaviest first."""
    index: dict[str, list[tuple[float, str]]] = {}
    for text, spelled, weight in entries:
        index.setdefault(spelled.replace(" ", "").replace("'", ""), []).append((-weight, text))
    ranked = {key: [t for _, t in sorted(found)] for key, found in index.items()}
    return lambda letters, _syllables: ranked.get(letters, [])[:5]


def _first_use_jieba() -> Lookup:
    from kiosk.pinyin.build_lexicon import build, ordered

    return _index([(t, s, float(w)) for t, s, w in ordered(build())])


def _toneless(phrases: dict[str, list[list[str]]]) -> list[tuple[str, str, float]]:
    from pypinyin import Style
    from pypinyin.style import convert

    entries: list[tuple[str, str, float]] = []
    for text, readings in phrases.items():
        spelled = "".join(convert(r[0], Style.NORMAL, strict=True) for r in readings).replace("ü", "v")
        entries.append((text, spelled, 0.0))
    return entries


def _pypinyin_phrases() -> Lookup:
    from pypinyin.phrases_dict import phrases_dict

    return _index(_toneless(phrases_dict))


def _pypinyin_dict_large() -> Lookup:
    from pypinyin_dict.phrase_pinyin_data import large_pinyin

    phrases: dict[str, list[list[str]]] = {}
    for part in range(11):
        module = __import__(f"pypinyin_dict.phrase_pinyin_data.large_pinyin_{part}", fromlist=["phrases_dict"])
        phrases.update(module.phrases_dict)
    del large_pinyin
    return _index(_toneless(phrases))


def _wordfreq() -> Lookup:
    import wordfreq
    from pypinyin import Style, lazy_pinyin

    entries: list[tuple[str, str, float]] = []
    for word in wordfreq.iter_wordlist("zh"):
        if len(entries) >= 100_000:
            break
        if all("\u4e00" <= c <= "\u9fff" for c in word):
            spelled = "".join(lazy_pinyin(word, style=Style.NORMAL)).replace("ü", "v")
            entries.append((word, spelled, wordfreq.word_frequency(word, "zh")))
    return _index(entries)


def _pinyin2hanzi() -> Lookup:
    from Pinyin2Hanzi import DefaultDagParams, dag

    params = DefaultDagParams()
    return lambda _letters, syllables: ["".join(r.path) for r in dag(params, syllables, path_num=5)]


def _pinyinime() -> Lookup:
    from pinyinIME.engine import PinyinEngine

    engine = PinyinEngine(load_emoji=False)
    return lambda letters, _syllables: [text for text, _, _ in engine.lookup(letters, top_n=5)]


SOURCES: dict[str, tuple[str, Callable[[], Lookup]]] = {
    "engine": ("this engine, shipped lexicon", lambda: _engine(False)),
    "engine-names": ("this engine, names mode", lambda: _engine(True)),
    "first-use-jieba": ("pypinyin+jieba built at first use", _first_use_jieba),
    "pypinyin": ("pypinyin phrase table, no freq.", _pypinyin_phrases),
    "pypinyin-dict": ("pypinyin-dict large_pinyin phrases", _pypinyin_dict_large),
    "wordfreq": ("pypinyin + wordfreq zh (100k)", _wordfreq),
    "pinyin2hanzi": ("Pinyin2Hanzi DAG (given syllables)", _pinyin2hanzi),
    "pinyinime": ("pinyinIME (pickled index)", _pinyinime),
}


def measure(source: str) -> dict[str, object]:
    """In this process: load ``source``, look up every ground-truth row, report as a dict."""
    rows = ground_truth()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    began = time.perf_counter()
    lookup = SOURCES[source][1]()
    load = time.perf_counter() - began
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    hits: dict[str, list[int]] = {kind: [0, 0, 0] for kind in KINDS}  # top-1, top-5, rows
    times = []
    for kind, text, syllables in rows:
        letters = "".join(syllables)
        started = time.perf_counter()
        found = lookup(letters, syllables)
        times.append(time.perf_counter() - started)
        hits[kind][0] += bool(found) and found[0] == text
        hits[kind][1] += text in found[:5]
        hits[kind][2] += 1
    times.sort()
    return {
        "hits": hits, "load_s": load, "rss_mb": grown_mb,
        "median_ms": statistics.median(times) * 1000, "p99_ms": times[int(len(times) * 0.99)] * 1000,
    }


def _child(source: str) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-m", "bench.pinyin_dictionary", source], capture_output=True, text=True, timeout=600,
    )
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["failed"])[-1]
        return {"error": last[:70]}
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def main() -> None:
    rows = ground_truth()
    counts = {kind: sum(1 for k, _, _ in rows if k == kind) for kind in KINDS}
    print(f"ground truth: {counts['word']} words, {counts['name']} names, {counts['address']} address fragments")
    print(f"{'source':38} {'top-1 w/n/a (%)':>17} {'top-5 w/n/a (%)':>17} {'load s':>7} {'mem MB':>7}"
          f" {'med ms':>7} {'p99 ms':>7}")
    for source, (label, _) in SOURCES.items():
        result = _child(source)
        if "error" in result:
            print(f"{label:38} not measured: {result['error']}")
            continue
        hits = result["hits"]
        assert isinstance(hits, dict)
        top1 = "/".join(f"{100 * hits[k][0] / hits[k][2]:.0f}" for k in KINDS)
        top5 = "/".join(f"{100 * hits[k][1] / hits[k][2]:.0f}" for k in KINDS)
        print(f"{label:38} {top1:>17} {top5:>17} {result['load_s']:7.2f} {result['rss_mb']:7.0f}"
              f" {result['median_ms']:7.2f} {result['p99_ms']:7.2f}")
    print("first-use-jieba is the baseline for load time: the shipped lexicon is the same data, prebuilt.")


if __name__ == "__main__":
    print(json.dumps(measure(sys.argv[1])))
