"""Small TOML files for tests of a loader: parse with ``tomllib``, change keys, write back.

tomli-w is not a dependency, so ``write_toml`` emits the little TOML our files use: strings,
numbers, booleans, lists of those, tables and arrays of tables.
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

DELETE = object()  # as a value in ``edit_toml``'s changes: remove the key


def edit_toml(path: Path, changes: Mapping[str, object]) -> Path:
    """Rewrite the TOML file at ``path`` with ``changes``: dotted key paths (list indexes as
    numbers, ``"items.4.fields.5.kind"``) to new values, or to ``DELETE``."""
    data = tomllib.loads(path.read_text())
    for dotted, value in changes.items():
        *parents, last = dotted.split(".")
        node: Any = data
        for part in parents:
            node = node[int(part)] if isinstance(node, list) else node.setdefault(part, {})
        if value is DELETE:
            del node[last]
        elif isinstance(node, list):
            node[int(last)] = value
        else:
            node[last] = value
    write_toml(path, data)
    return path


def write_toml(path: Path, data: Mapping[str, Any]) -> Path:
    """Write ``data`` as a TOML file."""
    lines: list[str] = []
    _emit(data, [], lines)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _emit(table: Mapping[str, Any], prefix: list[str], lines: list[str]) -> None:
    tables = {k: v for k, v in table.items() if isinstance(v, Mapping)}
    arrays = {k: v for k, v in table.items() if _is_array_of_tables(v)}
    for key, value in table.items():
        if key not in tables and key not in arrays:
            lines.append(f"{_key(key)} = {_value(value)}")
    for key, value in tables.items():
        lines.append(f"[{'.'.join(_key(k) for k in [*prefix, key])}]")
        _emit(value, [*prefix, key], lines)
    for key, items in arrays.items():
        for item in items:
            lines.append(f"[[{'.'.join(_key(k) for k in [*prefix, key])}]]")
            _emit(item, [*prefix, key], lines)


def _is_array_of_tables(value: object) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(item, Mapping) for item in value)


def _key(key: str) -> str:
    return key if key.replace("_", "").replace("-", "").isalnum() and key.isascii() else json.dumps(key)


def _value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # JSON's escapes are TOML's
    if isinstance(value, list):
        return "[" + ", ".join(_value(item) for item in value) + "]"
    raise TypeError(f"cannot write {type(value).__name__} as TOML")
