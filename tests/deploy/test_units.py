"""deploy/: the systemd units, the watchdog drop-in, the kiosk user and the udev rules.

systemd's own tools judge the files where they can (``systemd-analyze verify``, ``systemd-sysusers
--dry-run``, ``systemd-analyze timespan``); the udev rules, which no tool of this systemd checks
offline, are checked for form and for the three names the kiosk's configuration relies on.
"""

from __future__ import annotations

import configparser
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
SERVICES = sorted(DEPLOY.glob("*.service"))
RULES = sorted(DEPLOY.glob("*.rules"))
DEVICE_NAMES = {"kiosk-idcard", "kiosk-printer", "kiosk-qr"}
SYSTEMD_UNITS = next((p for p in (Path("/usr/lib/systemd/system"), Path("/lib/systemd/system")) if p.is_dir()), None)


def systemd_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"{name} not found: install the Debian package systemd (install-system-packages.sh --with-tests)")
    return path


def unit_settings(path: Path) -> dict[str, list[str]]:
    """``Section.Key`` → its values, in order (a unit may repeat a key, as DeviceAllow=)."""
    settings: dict[str, list[str]] = {}
    section = ""
    for line in path.read_text().splitlines():
        line = line.strip()
        if not line or line[0] in "#;":
            continue
        if line.startswith("["):
            section = line.strip("[]")
            continue
        key, _, value = line.partition("=")
        settings.setdefault(f"{section}.{key.strip()}", []).append(value.strip())
    return settings


def verify(units: list[Path], root: Path) -> subprocess.CompletedProcess[str]:
    """``systemd-analyze verify`` the units installed in a scratch root holding their programs.

    A root of its own, because verify insists that ExecStart's program exists and the kiosk's
    install (/opt/gov-kiosk/venv) is not on a development machine; the root gets this
    machine's stock units (sysinit.target and the like) and an empty program at that path.
    """
    tool = systemd_tool("systemd-analyze")
    if SYSTEMD_UNITS is None:
        pytest.skip("no /usr/lib/systemd/system here to verify the units against")
    shutil.copytree(SYSTEMD_UNITS, root / "usr/lib/systemd/system", symlinks=True)
    installed = root / "etc/systemd/system"
    installed.mkdir(parents=True)
    for unit in units:
        shutil.copy(unit, installed / unit.name)
        for command in unit_settings(unit).get("Service.ExecStart", []):
            program = root / command.lstrip("-@:+!").split()[0].lstrip("/")
            program.parent.mkdir(parents=True, exist_ok=True)
            program.write_text("#!/bin/sh\n")
            program.chmod(0o755)
    return subprocess.run(
        [tool, "verify", "--man=no", f"--root={root}", *(f"/etc/systemd/system/{u.name}" for u in units)],
        capture_output=True, text=True, timeout=60,
    )


def test_the_services_pass_systemd_analyze_verify(tmp_path: Path) -> None:
    assert SERVICES, "deploy/ has no .service files"
    run = verify(SERVICES, tmp_path)
    # verify only warns (exit 0) about unknown keys and bad values: any word from it is a fault.
    assert run.returncode == 0 and not (run.stdout + run.stderr).strip(), run.stdout + run.stderr


def test_verify_would_catch_a_misspelt_key(tmp_path: Path) -> None:
    broken = tmp_path / "broken" / "gov-kiosk.service"
    broken.parent.mkdir()
    broken.write_text(SERVICES[0].read_text().replace("Restart=always", "Restartt=always"))
    run = verify([broken], tmp_path / "root")
    assert "Restartt" in run.stdout + run.stderr


def test_the_kiosk_service_is_supervised_by_its_watchdog() -> None:
    unit = unit_settings(DEPLOY / "gov-kiosk.service")
    # the main process is kiosk-session; the kiosk, cage's child, says READY and pings
    assert unit["Service.Type"] == ["notify"] and unit["Service.NotifyAccess"] == ["all"]
    assert unit["Service.KillMode"] == ["mixed"]  # kiosk-session hands the stop to the kiosk
    assert unit["Service.Restart"] == ["always"] and unit["Unit.StartLimitIntervalSec"] == ["0"]
    assert unit["Service.WatchdogSec"] == ["30s"]
    assert unit["Service.User"] == ["kiosk"] and unit["Service.NoNewPrivileges"] == ["yes"]
    assert re.fullmatch(r"/\S+/bin/kiosk-session /\S+/bin/kiosk run( .*)?", unit["Service.ExecStart"][0])
    # the hardening still lets it open the display, the touch screen and the /dev/kiosk-* devices
    allowed = {value.split()[0] for value in unit["Service.DeviceAllow"]}
    assert {"char-drm", "char-input", "char-ttyUSB", "char-ttyACM", "char-usb"} <= allowed
    assert "Service.PrivateDevices" not in unit


def test_the_kiosk_session_is_locked_down() -> None:
    """cage with no decorations and no console switching, as the kiosk user on tty1 alone."""
    unit = unit_settings(DEPLOY / "gov-kiosk.service")
    session = (DEPLOY / "kiosk-session").read_text()
    cage = [line.split() for line in session.splitlines() if line.startswith("/usr/bin/cage ")]
    assert len(cage) == 1 and cage[0][1] == "-d" and "-s" not in cage[0], cage
    assert "SDL_VIDEODRIVER=x11" in session  # Kivy's SDL has no Wayland: it draws through Xwayland
    assert os.access(DEPLOY / "kiosk-session", os.X_OK)
    assert unit["Service.TTYPath"] == ["/dev/tty1"] and unit["Unit.Conflicts"] == ["getty@tty1.service"]
    assert unit["Service.PAMName"] == ["login"] and unit["Service.RuntimeDirectory"] == ["gov-kiosk"]


def test_the_hardware_watchdog_drop_in_sets_valid_time_spans() -> None:
    drop_ins = sorted((DEPLOY / "system.conf.d").glob("*.conf"))
    assert drop_ins
    for drop_in in drop_ins:
        parser = configparser.ConfigParser()
        parser.optionxform = str  # type: ignore[assignment,method-assign]
        parser.read(drop_in)
        assert parser.sections() == ["Manager"]
        assert "RuntimeWatchdogSec" in parser["Manager"]
        tool = systemd_tool("systemd-analyze")
        for key, value in parser["Manager"].items():
            run = subprocess.run([tool, "timespan", value], capture_output=True, text=True, timeout=30)
            assert run.returncode == 0, f"{drop_in.name}: {key}={value}: {run.stderr}"


def test_the_kiosk_user_is_a_valid_sysusers_file(tmp_path: Path) -> None:
    tool = systemd_tool("systemd-sysusers")
    run = subprocess.run(
        [tool, "--dry-run", f"--root={tmp_path}", str(DEPLOY / "gov-kiosk.sysusers.conf")],
        capture_output=True, text=True, timeout=30,
    )
    assert run.returncode == 0, run.stderr
    assert "Creating user 'kiosk'" in run.stdout + run.stderr
    assert not list(tmp_path.iterdir()), "a dry run wrote files"


RULE_TERM = re.compile(r'\s*([A-Z_]+(?:\{[^}]+\})?)\s*(==|!=|\+=|-=|:=|=)\s*"([^"]*)"\s*(?:,|$)')


def rules_of(path: Path) -> list[list[tuple[str, str, str]]]:
    """Each rule line as its (key, operator, value) terms; fail on a line that does not parse."""
    rules = []
    for number, line in enumerate(path.read_text().splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        terms, end = [], 0
        while end < len(line):
            match = RULE_TERM.match(line, end)
            assert match, f"{path.name}:{number}: cannot parse {line[end:]!r}"
            terms.append(match.groups())
            end = match.end()
        rules.append(terms)
    return rules


def test_the_udev_rules_name_each_device_from_its_usb_ids() -> None:
    assert RULES
    named: set[str] = set()
    ids: set[str] = set()
    for path in RULES:
        rules = rules_of(path)
        labels = {value for rule in rules for key, _, value in rule if key == "LABEL"}
        for rule in rules:
            terms = {key: value for key, _, value in rule}
            assert all(value in labels for key, _, value in rule if key == "GOTO"), rule
            if "SYMLINK" in terms:
                assert terms["SYMLINK"] in DEVICE_NAMES, rule
                named.add(terms["SYMLINK"])
            for key, op, value in rule:
                if key in ("ATTRS{idVendor}", "ATTRS{idProduct}", "ATTR{idVendor}"):
                    assert op == "==" and re.fullmatch(r"[0-9a-f]{4}", value), rule
            if "ATTRS{idVendor}" in terms or "ATTR{idVendor}" in terms:
                vendor = terms.get("ATTRS{idVendor}") or terms["ATTR{idVendor}"]
                ids.add(f"{vendor}:{terms['ATTRS{idProduct}']}" if "ATTRS{idProduct}" in terms else vendor)
    assert named == DEVICE_NAMES
    documented = (DEPLOY / "README.md").read_text()
    assert not [i for i in ids if f"`{i}" not in documented], "every USB id a rule uses is listed in deploy/README.md"
