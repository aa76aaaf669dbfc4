"""Two installs from one repository: the wheel installed as a kiosk and as a centre server.

The wheel is built once from a copy of this checkout, then installed into two fresh venvs
(no system site packages): ``wheel[kiosk]`` and ``wheel[central]``, in parallel. Each side
is then shown to work and to lack the other side's packages. Installing fetches from the
configured package indexes (``pip config list``); about a minute on a warm machine.

``KIOSK_SKIP_INSTALLS=1`` skips the module. Without it, the tests skip only when pip says it
could not reach an index; any other failed install fails.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DIST = "gov-kiosk"
SERVER_PACKAGES = ["fastapi", "starlette", "uvicorn", "sqlalchemy", "alembic", "psycopg", "psycopg-binary"]
KIOSK_PACKAGES = ["kivy", "opencv-python-headless", "pyzbar", "zxing-cpp", "pyserial"]
# Top-level modules that must not load on the other side.
SERVER_MODULES = ["central", "fastapi", "starlette", "uvicorn", "sqlalchemy", "alembic", "psycopg"]
KIOSK_MODULES = ["kiosk", "drivers", "screens", "kivy", "cv2", "pyzbar", "zxingcpp", "serial", "PIL"]
# What pip prints when it cannot reach an index (the only reason to skip rather than fail).
UNREACHABLE = re.compile(
    r"NewConnectionError|Failed to establish a new connection|Temporary failure in name resolution"
    r"|Name or service not known|Network is unreachable|No route to host|ConnectTimeoutError"
    r"|ProxyError|Could not fetch URL|Read timed out"
)
INSTALL_TIMEOUT = 480  # seconds per install; network permitting, it takes well under a minute

pytestmark = [
    pytest.mark.skipif(os.environ.get("KIOSK_SKIP_INSTALLS") == "1", reason="KIOSK_SKIP_INSTALLS=1"),
    pytest.mark.timeout(INSTALL_TIMEOUT + 120),
]


@dataclass(frozen=True)
class Venv:
    root: Path
    work: Path  # a working folder outside the checkout, so `python -c` never imports the source

    @property
    def python(self) -> Path:
        return self.root / "bin" / "python"

    def script(self, name: str) -> Path:
        return self.root / "bin" / name

    def run(self, *args: str | Path, timeout: float = 60, **extra_env: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(a) for a in args], cwd=self.work, env=clean_env(**extra_env), capture_output=True, text=True,
            timeout=timeout, check=False,
        )

    def installed(self, names: list[str]) -> list[str]:
        """Which of ``names`` ``pip show`` finds here."""
        shown = self.run(self.python, "-m", "pip", "show", *names)
        return sorted(name.lower() for name in re.findall(r"^Name: (.+)$", shown.stdout, flags=re.MULTILINE))

    def loaded_after(self, code: str, watched: list[str]) -> list[str]:
        """The watched top-level modules in ``sys.modules`` after running ``code``."""
        probe = f"{code}\nimport json, sys\nprint(json.dumps(sorted({{m.split('.')[0] for m in sys.modules}})))"
        result = self.run(self.python, "-c", probe, SDL_VIDEODRIVER="offscreen")
        assert result.returncode == 0, result.stderr
        return sorted(set(json.loads(result.stdout.splitlines()[-1])) & set(watched))


def clean_env(**extra: str) -> dict[str, str]:
    """This environment without what would let the source tree or the dev venv leak in."""
    env = {k: v for k, v in os.environ.items()
           if k not in {"PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME"} and not k.startswith("CENTRAL_")}
    return {**env, "KIVY_NO_ARGS": "1", "KIVY_NO_CONSOLELOG": "1", "KIVY_NO_FILELOG": "1", **extra}


def ignored(folder: str, names: list[str]) -> set[str]:
    skip = {".git", ".venv", "var", "build", "__pycache__", ".mypy_cache", ".ruff_cache", ".pytest_cache",
            ".hypothesis", ".import_linter_cache"}
    return {n for n in names if n in skip or n.endswith(".egg-info")}


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel, built from a copy of the checkout (setuptools' build/ keeps deleted files)."""
    base = tmp_path_factory.mktemp("wheel")
    source = base / "src"
    shutil.copytree(REPO, source, ignore=ignored)
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(base / "dist"),
         str(source)],
        capture_output=True, text=True, timeout=300, check=False, env=clean_env(),
    )
    assert built.returncode == 0, built.stdout + built.stderr
    (found,) = (base / "dist").glob("gov_kiosk-*.whl")
    return found


def make_venv(wheel: Path, extra: str, root: Path) -> Venv | str:
    """A fresh venv with ``wheel[extra]`` installed; a string (why) when no index was reachable."""
    work = root / "work"
    work.mkdir(parents=True)
    venv = Venv(root / "venv", work)
    subprocess.run([sys.executable, "-m", "venv", str(venv.root)], check=True, timeout=120, env=clean_env())
    started = time.monotonic()
    # --no-compile: byte-compiling NumPy, OpenCV and Kivy is most of pip's time and tests nothing here.
    result = venv.run(venv.python, "-m", "pip", "install", "--no-compile", "--retries", "2", "--timeout", "60",
                      f"{wheel}[{extra}]", timeout=INSTALL_TIMEOUT)
    output = result.stdout + result.stderr
    if result.returncode != 0:
        if UNREACHABLE.search(output):
            return f"pip could not reach a package index installing [{extra}]:\n{output[-2000:]}"
        pytest.fail(f"pip install {wheel.name}[{extra}] failed:\n{output[-6000:]}")
    print(f"installed [{extra}] in {time.monotonic() - started:.0f} s")
    return venv


@pytest.fixture(scope="module")
def venvs(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Venv]:
    root = tmp_path_factory.mktemp("venvs")
    with ThreadPoolExecutor(2) as pool:
        made = dict(zip(("kiosk", "central"),
                        pool.map(lambda extra: make_venv(wheel, extra, root / extra), ("kiosk", "central")),
                        strict=True))
    for outcome in made.values():
        if isinstance(outcome, str):
            pytest.skip(outcome)
    return made  # type: ignore[return-value]


def test_the_wheel_carries_the_shipped_configuration_and_the_screens_kv_files(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    data = "gov_kiosk-0.1.0.data/data/share/gov-kiosk/config/"
    for shipped in ("kiosk.toml", "catalog/catalog.toml", "catalog/items/civil-affairs.toml", "sites/community.toml",
                    "sites/bank.toml"):
        assert data + shipped in names
    for kv in (REPO / "screens").glob("*.kv"):
        assert f"screens/{kv.name}" in names
    assert "central/migrations/versions/0001_initial.py" in names
    for language in ("zh_Hant", "en"):  # make compiles them; kiosk.messages.locales finds them here
        for domain in ("kiosk", "catalog"):
            assert f"gov_kiosk-0.1.0.data/data/share/gov-kiosk/locale/{language}/LC_MESSAGES/{domain}.mo" in names
    assert "contract/wire.py" in names


def test_the_kiosk_install_has_no_server_packages(venvs: dict[str, Venv]) -> None:
    kiosk = venvs["kiosk"]
    assert kiosk.installed(SERVER_PACKAGES) == []
    assert kiosk.installed(KIOSK_PACKAGES) == sorted(KIOSK_PACKAGES)
    imports = (
        "import kiosk.terminal, kiosk.delivery.link, kiosk.delivery.centre_client, kiosk.app, kiosk.cli.demo\n"
        "import kiosk.cli.embedded_centre, kiosk.cli.main\n"
        "kiosk.cli.main.build_parser()\n"
        "from importlib.resources import files\n"
        "assert files('screens').joinpath('attract.kv').is_file()"
    )
    assert kiosk.loaded_after(imports, SERVER_MODULES) == []


def test_the_kiosk_install_decodes_a_qr_code_and_prints_a_test_page(
        venvs: dict[str, Venv], tmp_path: Path) -> None:
    import segno

    kiosk = venvs["kiosk"]
    image = tmp_path / "code.png"
    segno.make_qr("GOV-KIOSK-PACKAGING").save(str(image), scale=8, border=4)
    decoded = kiosk.run(kiosk.script("kiosk"), "device", "decode", image)
    assert decoded.returncode == 0, decoded.stderr
    assert "GOV-KIOSK-PACKAGING" in decoded.stdout

    printed = kiosk.run(kiosk.script("kiosk"), "device", "print-test", "simwire://")
    assert printed.returncode == 0, printed.stderr
    assert "test page printed" in printed.stdout


def test_the_kiosk_install_refuses_an_embedded_centre_naming_the_extra(venvs: dict[str, Venv]) -> None:
    kiosk = venvs["kiosk"]
    ran = kiosk.run(kiosk.script("kiosk"), "run", SDL_VIDEODRIVER="offscreen")
    assert ran.returncode == 2, ran.stdout + ran.stderr
    assert "share/gov-kiosk/config/kiosk.toml" in ran.stderr  # the shipped default, url = "embedded"
    assert "gov-kiosk[central]" in ran.stderr
    assert "fastapi" in ran.stderr


def test_the_centre_install_has_no_kiosk_packages(venvs: dict[str, Venv]) -> None:
    centre = venvs["central"]
    assert centre.installed(KIOSK_PACKAGES) == []
    assert centre.loaded_after("import central.server, central.cli", KIOSK_MODULES) == []


def test_the_centre_install_serves_the_api(venvs: dict[str, Venv], tmp_path: Path) -> None:
    centre = venvs["central"]
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    log = (tmp_path / "central.log").open("w+")
    tokens = tmp_path / "kiosk-tokens.json"  # a centre fails closed without its kiosks' tokens
    tokens.write_text(json.dumps({"packaging-test-kiosk-token": {"terminal_id": "T001", "terminal_number": 1}}))
    server = subprocess.Popen(
        [str(centre.script("kiosk-central")), "--host", "127.0.0.1", "--port", str(port),
         "--database", f"sqlite:///{tmp_path / 'central.sqlite3'}"],
        cwd=centre.work, env=clean_env(CENTRAL_KIOSK_TOKENS=str(tokens)), stdout=log, stderr=subprocess.STDOUT,
    )
    try:
        api = fetch_openapi(f"http://127.0.0.1:{port}/openapi.json", server)
        log.seek(0)
        assert api is not None, log.read()
        assert "/api/v1/cases" in api["paths"]
        assert "/api/v1/heartbeats" in api["paths"]
        # the console's templates and styles are package data: they must be in the wheel
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/console/login", timeout=10) as page:
            assert "登录控制台" in page.read().decode("utf-8")
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/console/static/console.css",
                                    timeout=10) as css:
            assert css.status == 200
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


def fetch_openapi(url: str, server: subprocess.Popen[bytes], wait: float = 60) -> dict | None:
    """The API description once the server answers 200; None if it exits or never does."""
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline and server.poll() is None:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return json.load(response)
        except OSError:
            time.sleep(0.2)
    return None
