"""Helpers for the update tests: tiny gov-kiosk wheels that stand in for a version, signing keys,
a kiosk configuration whose ``[updates]`` points into a temporary folder, and one "start of the
service" (the watchdog, then ``<root>/current/bin/kiosk``) as real processes.

A stand-in version's ``kiosk`` behaves as the environment says (``FAKE_KIOSK_<0_2_0>``):

- ``serve``: print that it serves and exit 0 (the old version, or a good one after its commit);
- ``good``: run the real health check and commit path (``kiosk.updates.runtime``) with every
  sign of health present, then serve;
- ``unhealthy``: the same path with the centre never reached: it gives up at its limit, exit 2;
- ``crash``: exit 1 at once (an import error, say);
- ``hang``: sleep (a hung start; the test kills it as systemd's start timeout would).
"""

from __future__ import annotations

import base64
import hashlib
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from kiosk.updates.slots import INSTALLED, Slots
from tests.kiosk.kiosk_support import write_config

REPO = Path(__file__).resolve().parents[2]

FAKE_MODULE = '''
import os, sys, time

VERSION = {version!r}


def main():
    behaviour = os.environ.get("FAKE_KIOSK_" + VERSION.replace(".", "_"), "serve")
    if behaviour == "crash":
        print(VERSION, "crashed at start", flush=True)
        return 1
    if behaviour == "hang":
        print(VERSION, "hangs", flush=True)
        time.sleep(3600)
    if behaviour in ("good", "unhealthy"):
        sys.path[:0] = os.environ["FAKE_KIOSK_PATH"].split(os.pathsep)
        from datetime import datetime
        from pathlib import Path
        from kiosk.config.settings import load_config
        from kiosk.updates.runtime import Action, AppUpdates

        config = load_config(Path(os.environ["FAKE_KIOSK_CONFIG"]))
        updates = AppUpdates(config.updates, config.site, now=lambda: datetime.now().astimezone())
        print(VERSION, "on trial" if updates.on_trial else "not on trial", flush=True)
        while True:
            action = updates.tick(first_frame=True, devices_open=True,
                                  centre_reached=behaviour == "good", quiet=False)
            if action is Action.FAIL:
                print(VERSION, "gave up:", updates.failure, flush=True)
                return 2
            if not updates.on_trial:
                break
            time.sleep(0.05)
    print(VERSION, "serving", flush=True)
    return 0
'''


def fake_wheel(folder: Path, version: str) -> Path:
    """A gov-kiosk wheel of ``version`` whose ``kiosk`` command is the stand-in above."""
    folder.mkdir(parents=True, exist_ok=True)
    dist = f"gov_kiosk-{version}.dist-info"
    files = {
        "gov_kiosk_stand_in.py": FAKE_MODULE.format(version=version),
        f"{dist}/METADATA": f"Metadata-Version: 2.1\nName: gov-kiosk\nVersion: {version}\n",
        f"{dist}/WHEEL": "Wheel-Version: 1.0\nGenerator: tests\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
        f"{dist}/entry_points.txt": "[console_scripts]\nkiosk = gov_kiosk_stand_in:main\n",
    }
    record = []
    for name, text in files.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(text.encode()).digest()).rstrip(b"=").decode()
        record.append(f"{name},sha256={digest},{len(text.encode())}")
    record.append(f"{dist}/RECORD,,")
    files[f"{dist}/RECORD"] = "\n".join(record) + "\n"
    wheel = folder / f"gov_kiosk-{version}-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return wheel


def new_key() -> tuple[Ed25519PrivateKey, str]:
    """A signing key and its public half as the configuration lists it (base64)."""
    key = Ed25519PrivateKey.generate()
    raw = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    return key, base64.b64encode(raw).decode()


def updates_config(tmp_path: Path, public_key: str, **updates: object) -> Path:
    """The shipped configuration with ``[updates]`` under ``tmp_path`` (root ``tmp_path/opt``)."""
    changes = {"updates.root": str(tmp_path / "opt"), "updates.public_keys": [public_key]}
    changes.update({f"updates.{key}": value for key, value in updates.items()})
    return write_config(tmp_path, changes)


def first_install(root: Path, version: str, tmp_path: Path) -> None:
    """Install ``version`` as the kiosk's first (the installer's job) and make it current."""
    slots = Slots(root)
    wheel = fake_wheel(tmp_path / f"wheels-{version}", version)
    slots.install(version, wheel.parent, wheel.name)
    slots.switch_to(version)
    assert (slots.slot(version) / INSTALLED).exists()


def copy_slot(template: Path, root: Path, version: str) -> None:
    """Put ``version``'s slot, installed once under ``template`` for the session, under ``root``.

    Saves pip's second or two per test where the install is not what is tested: the slot is
    copied and its ``kiosk`` script pointed at its new place (the one absolute path in it).
    """
    source, target = Slots(template).slot(version), Slots(root).slot(version)
    shutil.copytree(source, target, symlinks=True)
    script = target / "bin" / "kiosk"
    script.write_text(script.read_text().replace(str(source), str(target), 1))


def kiosk_command(*args: str) -> subprocess.CompletedProcess[str]:
    """``kiosk ARGS`` from this checkout, as a technician (or ExecStartPre=) runs it."""
    env = {**os.environ, "KIVY_NO_ARGS": "1"}
    return subprocess.run([sys.executable, "-m", "kiosk", *args], capture_output=True, text=True, env=env,
                          cwd=REPO, timeout=60, check=False)


def start_service(root: Path, config: Path, behaviours: dict[str, str], timeout: float = 20) -> tuple[str, int]:
    """One start of gov-kiosk.service: the watchdog (ExecStartPre=), then ``current/bin/kiosk``.

    Returns what the started version printed and its exit code; a version that hangs past
    ``timeout`` is killed (-9), as systemd's start timeout would.
    """
    check = kiosk_command("update", "check-trial", "--config", str(config))
    assert check.returncode == 0, check.stderr
    env = {**os.environ, "FAKE_KIOSK_PATH": os.pathsep.join([str(REPO), *sys.path[1:]]),
           "FAKE_KIOSK_CONFIG": str(config)}
    env.update({f"FAKE_KIOSK_{version.replace('.', '_')}": what for version, what in behaviours.items()})
    process = subprocess.Popen([str(root / "current" / "bin" / "kiosk")], stdout=subprocess.PIPE, text=True,
                               env=env, cwd=REPO)
    try:
        out, _ = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        out, _ = process.communicate()
    return out, process.returncode
