"""Typed reading of one TOML table, with errors that name the file, the key and what is allowed."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

from kiosk.errors import ConfigError

_MISSING = object()


def read_toml(path: Path) -> dict[str, Any]:
    """Load a TOML file or raise ``ConfigError`` saying what is wrong with it."""
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such configuration file") from None
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(f"{path}: not valid TOML: {err}") from err
    except OSError as err:
        raise ConfigError(f"{path}: cannot be read: {err.strerror}") from err


class Reader:
    """Reads keys of one table; remembers which were read so unknown keys can be refused."""

    def __init__(self, file: Path, data: dict[str, Any], where: str = "") -> None:
        self.file = file
        self.data = data
        self.where = where
        self._read: set[str] = set()

    def _name(self, key: str) -> str:
        return f"[{self.where}] {key}" if self.where else key

    def _fail(self, key: str, message: str) -> ConfigError:
        return ConfigError(f"{self.file}: {self._name(key)}: {message}")

    def _get(self, key: str, default: Any) -> Any:
        self._read.add(key)
        if key in self.data:
            return self.data[key]
        if default is _MISSING:
            raise self._fail(key, "missing")
        return default

    def text(self, key: str, default: Any = _MISSING, pattern: str | None = None) -> str:
        value = self._get(key, default)
        if not isinstance(value, str):
            raise self._fail(key, f"must be a string, not {value!r}")
        if pattern is not None and value != default and not re.fullmatch(pattern, value):
            raise self._fail(key, f"{value!r} does not match {pattern}")
        if default is _MISSING and not value.strip():
            raise self._fail(key, "must not be empty")
        return value

    def whole(self, key: str, low: int, high: int, default: Any = _MISSING) -> int:
        value = self._get(key, default)
        if not isinstance(value, int) or isinstance(value, bool):
            raise self._fail(key, f"must be a whole number from {low} to {high}, not {value!r}")
        if not low <= value <= high:
            raise self._fail(key, f"{value} is out of range: allowed {low} to {high}")
        return value

    def flag(self, key: str, default: Any = _MISSING) -> bool:
        value = self._get(key, default)
        if not isinstance(value, bool):
            raise self._fail(key, f"must be true or false, not {value!r}")
        return value

    def choice(self, key: str, allowed: tuple[str, ...], default: Any = _MISSING) -> str:
        value = self._get(key, default)
        if value not in allowed:
            raise self._fail(key, f"{value!r} is not allowed: use one of {', '.join(allowed)}")
        return str(value)

    def path(self, key: str, base: Path) -> Path:
        return (base / self.text(key)).resolve()

    def existing_file(self, key: str, base: Path) -> Path:
        """A file named by ``key`` relative to ``base`` that must exist."""
        name = self.text(key)
        path = (base / name).resolve()
        if not path.is_file():
            raise self._fail(key, f"{name!r}: no such file ({path})")
        return path

    def texts(self, key: str, default: Any = _MISSING, allow_empty: bool = False) -> list[str]:
        value = self._get(key, default)
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise self._fail(key, "must be a list of non-empty strings")
        if not value and not allow_empty:
            raise self._fail(key, "must not be empty")
        return list(value)

    def table(self, key: str, optional: bool = False) -> Reader:
        """The table under ``key``; with ``optional``, an empty one when it is absent."""
        value = self._get(key, {} if optional else _MISSING)
        if not isinstance(value, dict):
            raise self._fail(key, "must be a table")
        return Reader(self.file, value, f"{self.where}.{key}" if self.where else key)

    def tables(self, key: str, default: Any = _MISSING) -> list[Reader]:
        value = self._get(key, default)
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise self._fail(key, "must be an array of tables ([[...]])")
        where = f"{self.where}.{key}" if self.where else key
        return [Reader(self.file, v, f"{where}[{i}]") for i, v in enumerate(value)]

    def reject_unknown(self) -> None:
        unknown = sorted(set(self.data) - self._read)
        if unknown:
            known = ", ".join(sorted(self._read))
            raise self._fail(unknown[0], f"unknown key (known keys here: {known})")
