"""``kiosk catalog check`` and ``kiosk catalog search``, run as a technician runs them."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

from kiosk.catalog.loading import load_catalog
from kiosk.config.settings import load_site

CONFIG = Path(__file__).resolve().parents[2] / "config"


def kiosk(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kiosk", "catalog", *args],
                          capture_output=True, text=True, timeout=120)


def test_check_describes_the_shipped_catalogue_and_what_each_site_offers() -> None:
    catalog = load_catalog(CONFIG / "catalog")
    done = kiosk("check", str(CONFIG / "catalog"), "--json")
    assert done.returncode == 0, done.stderr
    held = json.loads(done.stdout)
    assert held["items"] == len(catalog.items) and held["bundles"] == len(catalog.bundles)
    assert held["categories"] == len(catalog.categories)
    assert sum(held["channels"].values()) == sum(held["departments"].values()) == len(catalog.items)
    profiles = sorted((CONFIG / "sites").glob("*.toml"))
    expected = {site.id: list(site.item_ids) for site in (load_site(p, catalog) for p in profiles)}
    assert held["sites"] == expected and len(expected) == len(profiles) >= 2

    text = kiosk("check")  # the configured catalogue, for people
    assert text.returncode == 0, text.stderr
    assert f"{len(catalog.items)} items, {len(catalog.bundles)} bundles" in text.stdout
    for site_id, item_ids in expected.items():
        assert re.search(rf"^site {site_id} .*: {len(item_ids)} items", text.stdout, re.MULTILINE)


def test_a_broken_catalogue_exits_2_naming_the_file_the_item_and_the_field(tmp_path: Path) -> None:
    broken = tmp_path / "catalog"
    shutil.copytree(CONFIG / "catalog", broken, ignore=shutil.ignore_patterns(".*"))
    target = broken / "items" / "household.toml"
    item_id = tomllib.loads(target.read_text(encoding="utf-8"))["items"][0]["id"]
    text, count = re.subn(r'^channel = "[a-z_]+"', 'channel = "teleport"', target.read_text(encoding="utf-8"),
                          count=1, flags=re.MULTILINE)
    assert count == 1
    target.write_text(text, encoding="utf-8")

    done = kiosk("check", str(broken), "--json")
    assert done.returncode == 2 and done.stdout == ""
    assert str(target) in done.stderr and f"item {item_id}" in done.stderr and "channel" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_missing_catalogue_exits_2_without_a_traceback(tmp_path: Path) -> None:
    done = kiosk("check", str(tmp_path / "nowhere"))
    assert done.returncode == 2 and "Traceback" not in done.stderr and str(tmp_path / "nowhere") in done.stderr


def test_search_ranks_what_a_site_offers() -> None:
    done = kiosk("search", "sbzm", "--site", "jbxq-puzhu-community", "--json")
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    assert found[0]["id"] == "social-insurance-certificate" and found[0]["name"] == "社保参保证明打印"
    assert found[0]["kind"] == "item"

    # What a site does not offer is not found there.
    catalog = load_catalog(CONFIG / "catalog")
    bank = load_site(CONFIG / "sites" / "bank.toml", catalog)
    assert "residence-permit" not in bank.item_ids
    at_bank = kiosk("search", "juzhuzheng", "--site", bank.id, "--json")
    assert "residence-permit" not in [m["id"] for m in json.loads(at_bank.stdout or "[]")]

    text = kiosk("search", "开店", "--site", bank.id)
    assert text.returncode == 0 and "个体工商户设立登记" in text.stdout


def test_search_finding_nothing_says_so_and_an_unknown_site_exits_2() -> None:
    nothing = kiosk("search", "qqqqqq")
    assert nothing.returncode == 1 and "matches" in nothing.stdout
    unknown = kiosk("search", "sbzm", "--site", "no-such-site")
    assert unknown.returncode == 2 and "no-such-site" in unknown.stderr and "Traceback" not in unknown.stderr
