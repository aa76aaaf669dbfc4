"""Configuration: the shipped files load; every kind of bad file fails naming file and key."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from kiosk.catalog.fields import FieldKind, Keyboard
from kiosk.catalog.model import Channel
from kiosk.config.settings import SOURCE_CONFIG, load_config
from kiosk.devices.build import build_devices
from kiosk.errors import ConfigError
from kiosk.terminal import Terminal
from tests.kiosk.kiosk_support import CONFIG_DIR, MakeConfig, write_config
from tests.support import DELETE, edit_toml


def test_default_config_loads_with_the_sites_items_in_order() -> None:
    config = load_config()
    assert config.site.kind == "community"
    assert config.site.always_open
    assert [item.id for item in config.items] == list(config.site.item_ids)
    assert len(config.catalog.items) >= 5
    assert config.timeouts.warning >= 20 and config.timeouts.max_extensions >= 10


def test_bank_site_has_branch_hours_and_business_start_up(tmp_path: Path) -> None:
    config = load_config(write_config(tmp_path, {"site": "sites/bank.toml"}))
    assert config.site.kind == "bank"
    assert (config.site.opens, config.site.closes) == ("08:30", "17:00")
    assert config.items[0].id == "individual-business-registration"


def test_every_item_has_a_complete_guide_and_answerable_form() -> None:
    for item in load_config().catalog.items:
        assert item.guide.conditions and item.guide.materials and item.guide.time_limit
        assert bool(item.delivery) == (item.channel is Channel.INTAKE)
        for field in item.asked_fields:
            assert field.spec.keyboard is not Keyboard.NONE
            if field.kind in (FieldKind.CHOICE, FieldKind.MULTI_CHOICE, FieldKind.YES_NO):
                assert field.options


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        ("timeouts.warning", 5, "[timeouts] warning: 5 is out of range: allowed 20 to 300"),
        ("timeouts.max_extensions", 3, "[timeouts] max_extensions: 3 is out of range"),
        ("ui.orientation", "sideways", "[ui] orientation: 'sideways' is not allowed"),
        ("terminal_number", 1000, "terminal_number: 1000 is out of range"),
        ("centre.url", "ftp://x", "[centre] url: 'ftp://x' does not match"),
        ("ui.colour", 1, "[ui] colour: unknown key"),
        ("outbox.key_file", DELETE, "[outbox] key_file: missing"),
        ("ui.developer_panel", "yes", "[ui] developer_panel: must be true or false"),
        ("ui.font", "/nowhere/wqy-microhei.ttc", "[ui] font = '/nowhere"),
    ],
)
def test_a_bad_value_names_file_key_and_what_is_allowed(tmp_path: Path, key: str, value: object, expected: str) -> None:
    path = write_config(tmp_path, {key: value})
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert str(path) in str(caught.value)
    assert expected in str(caught.value)


def test_missing_file_and_broken_toml(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no such configuration file"):
        load_config(tmp_path / "absent.toml")
    broken = tmp_path / "broken.toml"
    broken.write_text("terminal_id = [\n")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config(broken)


def test_site_listing_an_unknown_item_is_refused(tmp_path: Path) -> None:
    path = write_config(tmp_path)
    site = path.parent / "sites" / "community.toml"
    items = tomllib.loads(site.read_text())["items"]
    edit_toml(site, {"items": ["no-such-item" if item == "senior-citizen-card" else item for item in items]})
    with pytest.raises(ConfigError, match="'no-such-item' is not in the catalogue"):
        load_config(path)


def test_catalogue_field_of_unknown_kind_is_refused_naming_file_item_and_field(tmp_path: Path) -> None:
    path = write_config(tmp_path)
    items = path.parent / "catalog" / "items" / "civil-affairs.toml"
    data = tomllib.loads(items.read_text())
    senior = next(i for i, item in enumerate(data["items"]) if item["id"] == "senior-citizen-card")
    phone = next(i for i, f in enumerate(data["items"][senior]["fields"]) if f["id"] == "phone")
    edit_toml(items, {f"items.{senior}.fields.{phone}.kind": "free_text"})
    expected = r"civil-affairs.toml: \[item senior-citizen-card field phone\] kind: 'free_text' is not allowed"
    with pytest.raises(ConfigError, match=expected):
        load_config(path)


def test_unknown_device_scheme_fails_loudly_not_with_a_simulator(kiosk_config: MakeConfig) -> None:
    config = kiosk_config(printer="carrier-pigeon://x")
    with pytest.raises(ConfigError, match=r"\[devices\] printer = 'carrier-pigeon://x': scheme must be one of"):
        Terminal(config)  # before any driver is loaded
    with pytest.raises(ConfigError, match="printer URL 'carrier-pigeon://x'"):
        build_devices(config)


def test_kiosk_run_with_a_bad_config_exits_2_with_the_reason(tmp_path: Path) -> None:
    path = write_config(tmp_path, {"timeouts.warning": 1})
    result = subprocess.run(
        [sys.executable, "-m", "kiosk", "run", "--config", str(path)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2
    assert "warning: 1 is out of range" in result.stderr


def test_the_shipped_config_folder_holds_no_secrets() -> None:
    names = {p.name for p in CONFIG_DIR.rglob("*")}
    assert not any(name.endswith(".key") for name in names)


def test_a_wheel_carries_the_configuration_and_screens(tmp_path: Path) -> None:
    import zipfile

    root = SOURCE_CONFIG.parent.parent
    command = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q"]
    subprocess.run([*command, "-w", str(tmp_path), str(root)], check=True, capture_output=True, timeout=300)
    (wheel,) = tmp_path.glob("gov_kiosk-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    data = "gov_kiosk-0.1.0.data/data/share/gov-kiosk/config/"
    for name in ("kiosk.toml", "catalog/catalog.toml", "catalog/items/civil-affairs.toml", "sites/community.toml",
                 "sites/bank.toml"):
        assert data + name in names
    assert "screens/receipt.kv" in names and "central/migrations/env.py" in names


def test_an_installed_kiosk_finds_the_config_under_its_prefix(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import kiosk.config.settings as config_module

    installed = tmp_path / "share" / "gov-kiosk" / "config"
    shutil.copytree(SOURCE_CONFIG.parent, installed)
    monkeypatch.setattr(config_module, "SOURCE_CONFIG", tmp_path / "no-checkout" / "kiosk.toml")
    monkeypatch.setattr(sys, "prefix", str(tmp_path))
    assert config_module.default_config_path() == installed / "kiosk.toml"
    assert load_config().source == installed / "kiosk.toml"


def test_centre_tls_files_must_exist_and_come_in_pairs(tmp_path: Path) -> None:
    cert = tmp_path / "kiosk.crt"
    cert.write_text("not checked here")
    path = write_config(tmp_path, {"centre.client_cert": str(cert)})
    with pytest.raises(ConfigError, match="client_cert and client_key go together"):
        load_config(path)
    path = write_config(tmp_path, {"centre.ca_file": "missing.pem"})
    with pytest.raises(ConfigError, match=r"\[centre\] ca_file = 'missing.pem': no such file"):
        load_config(path)
    path = write_config(tmp_path, {"centre.client_cert": str(cert), "centre.client_key": str(cert)})
    assert load_config(path).centre.client_cert == (cert, cert)
