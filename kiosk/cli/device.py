"""Technician commands under ``kiosk device``; each module adds its own subcommands.

A module here defines ``register(subparsers)``. Add yours to ``MODULES``.
"""

from __future__ import annotations

import argparse
import importlib

MODULES: list[str] = ["device_printer", "device_idcard", "device_qr", "device_document"]


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    for name in MODULES:
        importlib.import_module(f"kiosk.cli.{name}").register(subparsers)
