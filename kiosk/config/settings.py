"""Configuration: ``config/kiosk.toml``, a site profile and the catalogue, parsed once.

Everything is validated at start-up into frozen objects; a bad file, key or value raises
``ConfigError`` naming the file, the key and what is allowed. Nothing here runs at import.
Relative paths in a file are resolved against that file's folder, except ``data_dir``,
which is relative to the working directory (so a developer's ``var/`` stays in the checkout).
"""

from __future__ import annotations

import ipaddress
import re
import sys
from dataclasses import dataclass
from datetime import time
from pathlib import Path
from urllib.parse import urlsplit

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from contract.qr_codes import KIOSK_AUDIENCE, CodeTrust, load_public_key
from kiosk.catalog.loading import load_catalog
from kiosk.catalog.model import Catalog, Item
from kiosk.config.reader import Reader, read_toml
from kiosk.config.voice import VoiceSettings, load_voice
from kiosk.errors import ConfigError

SOURCE_CONFIG = Path(__file__).resolve().parents[2] / "config" / "kiosk.toml"
INSTALLED_CONFIG = Path("share") / "gov-kiosk" / "config" / "kiosk.toml"  # under sys.prefix


def default_config_path() -> Path:
    """``config/kiosk.toml`` beside the source (a checkout, an editable install), else the copy
    a wheel installs under ``<prefix>/share/gov-kiosk/config``."""
    if SOURCE_CONFIG.exists():
        return SOURCE_CONFIG
    return Path(sys.prefix) / INSTALLED_CONFIG
ORIENTATIONS = ("portrait", "landscape")
KEY_FILE_NAME = r"^[A-Za-z0-9_-][A-Za-z0-9._-]{0,63}$"  # a plain file name: the key lives in data_dir
SITE_KINDS = ("community", "street", "bank")
HOURS_PATTERN = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-4]):([0-5]\d)$")


@dataclass(frozen=True)
class Branding:
    title: str
    primary_colour: str


@dataclass(frozen=True)
class Site:
    """A site profile: where the kiosk stands and what it offers there."""

    id: str
    name: str
    kind: str
    contact_phone: str
    opens: str  # "HH:MM"
    closes: str  # "HH:MM", "24:00" for midnight
    item_ids: tuple[str, ...]
    bundle_ids: tuple[str, ...]  # 一件事 bundles offered, in order
    branding: Branding
    centre_public_keys: tuple[Ed25519PublicKey, ...]  # verify appointment/certificate codes
    identity_public_keys: tuple[Ed25519PublicKey, ...]  # verify login codes (identity authority)
    code_audience: str  # the audience a code must name to be accepted here
    staffed: tuple[str, str] = ("00:00", "24:00")  # when staff are at the desk ("HH:MM"); help calls back outside
    bring_within_days: int = 5  # working days to bring what the kiosk could not take to the counter (一次告知)

    def staffed_at(self, moment: time) -> bool:
        """Whether staff are at the site's desk at ``moment`` (local time)."""
        return _within(moment, *self.staffed)

    def open_at(self, moment: time) -> bool:
        """Whether the kiosk serves residents at ``moment`` (local time)."""
        return _within(moment, self.opens, self.closes)

    def code_trust(self, *, extra_centre_keys: tuple[Ed25519PublicKey, ...] = (),
                   extra_identity_keys: tuple[Ed25519PublicKey, ...] = (),
                   technician_keys: tuple[Ed25519PublicKey, ...] = ()) -> CodeTrust:
        """Which keys this site trusts for which kind of code (``contract.qr_codes``)."""
        return CodeTrust.for_kiosk(
            self.code_audience,
            centre_keys=self.centre_public_keys + extra_centre_keys,
            identity_keys=self.identity_public_keys + extra_identity_keys,
            technician_keys=technician_keys,
        )

    @property
    def always_open(self) -> bool:
        return self.opens == "00:00" and self.closes == "24:00"


def _within(moment: time, start: str, end: str) -> bool:
    """Whether ``moment`` falls in ``start``-``end`` ("HH:MM", "24:00" for midnight; may wrap past it)."""
    now = moment.strftime("%H:%M")
    return start <= now < end if start <= end else (now >= start or now < end)


@dataclass(frozen=True)
class Devices:
    id_card: str
    qr: str
    printer: str
    a4_printer: str = "none:"  # the A4 printer for instant prints (cups:///QUEUE), or none
    face_camera: str = "none:"  # 人证比对: camera://0, camera:///folder/ (recorded frames), or none
    document_camera: str = "none:"  # 高拍仪: camera://1, camera:///folder/ (recorded frames), or none


@dataclass(frozen=True)
class Centre:
    url: str  # "embedded" or an https:// base URL
    token: str
    lookup_url: str  # the receipt QR points here, followed by the case number
    ca_file: Path | None  # trust these CAs instead of the system's
    client_cert: tuple[Path, Path] | None  # certificate and key, where the centre wants them

    @property
    def embedded(self) -> bool:
        return self.url == "embedded"


@dataclass(frozen=True)
class Timeouts:
    """Seconds of inactivity before the countdown starts, and the countdown itself."""

    default: int
    form: int
    warning: int
    max_extensions: int

    def idle_limit(self, step: str) -> int:
        return self.form if step in ("form", "review") else self.default


@dataclass(frozen=True)
class Ui:
    orientation: str
    font: Path
    fallback_fonts: tuple[Path, ...]  # for rare characters the main font lacks (生僻字)
    developer_panel: bool


@dataclass(frozen=True)
class Maintenance:
    """Maintenance mode (``[maintenance]``, optional; every key has a default)."""

    receipts_per_roll: int | None = None  # receipts a new paper roll holds; None: unknown
    paper_low_at: int = 30  # the paper estimate is "low" under this many receipts
    idle_exit_s: int = 120  # leave maintenance after this long without a touch
    technician_public_keys: tuple[Ed25519PublicKey, ...] = ()  # verify technician codes (their own issuer)
    usb_roots: tuple[Path, ...] = (Path("/media"), Path("/run/media"))  # where USB sticks are mounted
    log_dir: Path | None = None  # the kiosk's log files (exported with the audit log); None: data_dir/logs
    daily_restart: time | None = time(4, 0)  # restart daily after this local time (``kiosk.daily_restart``); None: off

    def logs_in(self, data_dir: Path) -> Path:
        return self.log_dir if self.log_dir is not None else Path(data_dir) / "logs"


@dataclass(frozen=True)
class Updates:
    """Signed updates (``[updates]``, optional; ``kiosk.updates``): who signs them, where versions go."""

    public_keys: tuple[Ed25519PublicKey, ...] = ()  # verify update bundles (the release key, not the centre's)
    root: Path = Path("/opt/gov-kiosk")  # versions/<version>/, the current and previous links
    health_limit_s: int = 120  # a new version commits only if healthy within this long
    trial_starts: int = 2  # starts a new version gets to pass its health check before it is rolled back


@dataclass(frozen=True)
class KioskConfig:
    source: Path
    terminal_id: str
    terminal_number: int
    data_dir: Path
    outbox_key_file: Path
    outbox_min_free_bytes: int
    alert_after_minutes: int
    site: Site
    devices: Devices
    centre: Centre
    timeouts: Timeouts
    ui: Ui
    catalog: Catalog
    maintenance: Maintenance = Maintenance()
    updates: Updates = Updates()
    voice: VoiceSettings = VoiceSettings()

    @property
    def items(self) -> tuple[Item, ...]:
        """The catalogue items this site offers, in the site's order."""
        return self.offer.items

    @property
    def offer(self) -> Catalog:
        """What this site offers from the shipped catalogue (items and bundles, in its order)."""
        return self.catalog.for_site(self.site.item_ids, self.site.bundle_ids)


def load_config(path: Path | None = None) -> KioskConfig:
    """Read and validate the kiosk file, its site profile and the catalogue."""
    path = (path or default_config_path()).resolve()
    top = Reader(path, read_toml(path))
    base = path.parent

    catalog = load_catalog(_existing_path(top, "catalog", base))
    site = _load_site(top.existing_file("site", base), catalog)

    devices = top.table("devices")
    centre = top.table("centre")
    outbox = top.table("outbox")
    timeouts = top.table("timeouts")
    ui = top.table("ui")
    maintenance = top.table("maintenance", optional=True)
    updates = top.table("updates", optional=True)
    voice = top.table("voice", optional=True)

    data_dir = Path(top.text("data_dir"))
    config = KioskConfig(
        source=path,
        terminal_id=top.text("terminal_id", pattern=r"^[A-Za-z0-9-]{1,32}$"),
        terminal_number=top.whole("terminal_number", 1, 999),
        data_dir=data_dir,
        outbox_key_file=data_dir / outbox.text("key_file", pattern=KEY_FILE_NAME),
        outbox_min_free_bytes=outbox.whole("min_free_mb", 1, 100_000, default=20) * 1024 * 1024,
        alert_after_minutes=outbox.whole("alert_after_minutes", 1, 7 * 24 * 60),
        site=site,
        devices=Devices(
            id_card=devices.text("id_card"), qr=devices.text("qr"), printer=devices.text("printer"),
            a4_printer=devices.text("a4_printer", default="none:"),
            face_camera=devices.text("face_camera", default="none:"),
            document_camera=devices.text("document_camera", default="none:"),
        ),
        centre=Centre(
            url=_centre_url(centre),
            token=_centre_token(centre),
            lookup_url=centre.text("lookup_url", pattern=r"^https?://\S+$"),
            ca_file=_optional_file(centre, "ca_file", base),
            client_cert=_client_cert(centre, base),
        ),
        timeouts=Timeouts(
            default=timeouts.whole("default", 20, 3600),
            form=timeouts.whole("form", 20, 3600),
            warning=timeouts.whole("warning", 20, 300),
            max_extensions=timeouts.whole("max_extensions", 10, 1000),
        ),
        ui=Ui(
            orientation=ui.choice("orientation", ORIENTATIONS),
            font=ui.path("font", base),
            fallback_fonts=tuple((base / name).resolve() for name in ui.texts("fallback_fonts", allow_empty=True)),
            developer_panel=ui.flag("developer_panel", default=False),
        ),
        catalog=catalog,
        maintenance=_load_maintenance(maintenance, base),
        updates=_load_updates(updates, base),
        voice=load_voice(voice),
    )
    for reader in (top, devices, centre, outbox, timeouts, ui, maintenance, updates, voice):
        reader.reject_unknown()
    if not config.ui.font.exists():
        raise ConfigError(f"{path}: [ui] font = {str(config.ui.font)!r}: no such file (install fonts-wqy-microhei)")
    for font in config.ui.fallback_fonts:
        if not font.exists():
            raise ConfigError(f"{path}: [ui] fallback_fonts: {str(font)!r}: no such file (install fonts-hanazono)")
    return config


def _load_maintenance(table: Reader, base: Path) -> Maintenance:
    roll = table.whole("receipts_per_roll", 0, 100_000, default=0)
    log_dir = table.text("log_dir", default="")
    return Maintenance(
        receipts_per_roll=roll or None,
        paper_low_at=table.whole("paper_low_at", 0, 10_000, default=Maintenance.paper_low_at),
        idle_exit_s=table.whole("idle_exit_s", 30, 3600, default=Maintenance.idle_exit_s),
        technician_public_keys=_public_keys(table, "technician_public_keys"),
        usb_roots=tuple(
            (base / root).resolve()
            for root in table.texts("usb_roots", default=[str(p) for p in Maintenance.usb_roots], allow_empty=True)
        ),
        log_dir=(base / log_dir).resolve() if log_dir else None,
        daily_restart=_daily_restart(table),
    )


def _daily_restart(table: Reader) -> time | None:
    """``daily_restart = "04:00"`` (local time, the default) or ``"off"``."""
    text = table.text("daily_restart", default="04:00", pattern=r"off|([01]\d|2[0-3]):[0-5]\d")
    return None if text == "off" else time.fromisoformat(text)


def load_update_settings(path: Path | None = None) -> Updates:
    """Only ``[updates]`` of the kiosk file: the update watchdog and ``kiosk update`` must work
    even when the rest of the file is one a newer or older version would read differently."""
    path = (path or default_config_path()).resolve()
    table = Reader(path, read_toml(path)).table("updates", optional=True)
    updates = _load_updates(table, path.parent)
    table.reject_unknown()
    return updates


def _load_updates(table: Reader, base: Path) -> Updates:
    root = table.text("root", default="")
    return Updates(
        public_keys=_public_keys(table, "public_keys"),
        root=(base / root).resolve() if root else Updates.root,
        health_limit_s=table.whole("health_limit_s", 1, 3600, default=Updates.health_limit_s),
        trial_starts=table.whole("trial_starts", 1, 10, default=Updates.trial_starts),
    )


def _centre_url(centre: Reader) -> str:
    """``embedded``, an ``https://`` URL, or ``http://`` only to this machine (loopback)."""
    url = centre.text("url", pattern=r"^(embedded|https?://\S+)$")
    if url.startswith("http://") and not is_loopback(url):
        raise ConfigError(f"{centre.file}: [centre] url = {url!r}: a remote centre must be reached over https://")
    return url


def _centre_token(centre: Reader) -> str:
    token = centre.text("token", default="")
    if centre.data.get("url") != "embedded" and not token.strip():
        raise ConfigError(f"{centre.file}: [centre] token: must be set to the token the centre issued this kiosk")
    return token


def is_loopback(url: str) -> bool:
    """True when ``url``'s host is this machine (127.0.0.0/8, ::1, localhost)."""
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_data_dir(config: KioskConfig) -> None:
    """Make ``data_dir`` (mode 0700) and prove it can be written, or raise ``ConfigError`` naming the key."""
    folder = Path(config.data_dir)
    probe = folder / ".write-test"
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as err:
        raise ConfigError(
            f"{config.source}: data_dir = {str(folder)!r}: cannot be written ({err.strerror}); "
            "the outbox and case numbers live there"
        ) from err


def _optional_file(table: Reader, key: str, base: Path) -> Path | None:
    """A file named by ``key`` (relative to the config file), or None when the key is absent or empty."""
    name = table.text(key, default="")
    if not name:
        return None
    path = (base / name).resolve()
    if not path.is_file():
        raise ConfigError(f"{table.file}: [{table.where}] {key} = {name!r}: no such file")
    return path


def _existing_path(table: Reader, key: str, base: Path) -> Path:
    """A file or folder named by ``key`` relative to ``base`` that must exist."""
    name = table.text(key)
    path = (base / name).resolve()
    if not path.exists():
        raise ConfigError(f"{table.file}: {key}: {name!r}: no such file or folder ({path})")
    return path


def _client_cert(centre: Reader, base: Path) -> tuple[Path, Path] | None:
    cert, key = _optional_file(centre, "client_cert", base), _optional_file(centre, "client_key", base)
    if (cert is None) != (key is None):
        raise ConfigError(f"{centre.file}: [centre] client_cert and client_key go together: set both or neither")
    return (cert, key) if cert is not None and key is not None else None


def load_site(path: Path, catalog: Catalog) -> Site:
    """Read and validate one site profile (``config/sites/*.toml``) against ``catalog``."""
    return _load_site(path, catalog)


def _load_site(path: Path, catalog: Catalog) -> Site:
    site = Reader(path, read_toml(path))
    hours = site.text("hours", pattern=HOURS_PATTERN.pattern)
    opens, closes = hours.split("-")
    staffed_from, staffed_until = site.text("staffed_hours", default=hours, pattern=HOURS_PATTERN.pattern).split("-")
    item_ids = tuple(site.texts("items"))
    for item_id in item_ids:
        if not catalog.has(item_id):
            known = ", ".join(catalog.ids())
            raise ConfigError(f"{path}: items: {item_id!r} is not in the catalogue (known: {known})")
    if len(set(item_ids)) != len(item_ids):
        raise ConfigError(f"{path}: items: an item is listed twice")
    bundle_ids = tuple(site.texts("bundles", default=[], allow_empty=True))
    for bundle_id in bundle_ids:
        if not catalog.has_bundle(bundle_id):
            raise ConfigError(f"{path}: bundles: {bundle_id!r} is not a bundle of the catalogue")
        missing = [i for i in catalog.bundle(bundle_id).item_ids if i not in item_ids]
        if missing:
            raise ConfigError(f"{path}: bundles: {bundle_id!r} needs item {missing[0]!r}, not listed here")
    branding = site.table("branding")
    result = Site(
        id=site.text("id", pattern=r"^[a-z0-9-]{1,64}$"),
        name=site.text("name"),
        kind=site.choice("kind", SITE_KINDS),
        contact_phone=site.text("contact_phone", pattern=r"^[0-9-]{5,20}$"),
        opens=opens,
        closes=closes,
        item_ids=item_ids,
        bundle_ids=bundle_ids,
        branding=Branding(
            title=branding.text("title"),
            primary_colour=branding.text("primary_colour", pattern=r"^#[0-9A-Fa-f]{6}$"),
        ),
        centre_public_keys=_public_keys(site, "centre_public_keys"),
        identity_public_keys=_public_keys(site, "identity_public_keys"),
        code_audience=site.text("code_audience", default=KIOSK_AUDIENCE, pattern=r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$"),
        staffed=(staffed_from, staffed_until),
        bring_within_days=site.whole("bring_materials_within_days", 1, 60, default=Site.bring_within_days),
    )
    site.reject_unknown()
    branding.reject_unknown()
    return result


def _public_keys(table: Reader, key: str) -> tuple[Ed25519PublicKey, ...]:
    """Base64 Ed25519 public keys listed under ``key`` (none when absent)."""
    keys = []
    where = f"[{table.where}] {key}" if table.where else key
    for text in table.texts(key, default=[], allow_empty=True):
        try:
            keys.append(load_public_key(text))
        except ValueError as err:
            raise ConfigError(f"{table.file}: {where}: {text!r} is not a base64 Ed25519 public key") from err
    return tuple(keys)
