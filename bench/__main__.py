"""Run every benchmark module listed in ``bench.MODULES`` (``python -m bench [name ...]``)."""

import importlib
import sys

from bench.registry import MODULES

names = sys.argv[1:] or MODULES
for name in names:
    print(f"=== bench.{name}")
    importlib.import_module(f"bench.{name}").main()
