"""Run every benchmark module listed in ``bench.MODULES`` (``python -m bench [name ...] [--option ...]``).

Options after the names go to each named benchmark, e.g. ``python -m bench soak --sessions 2000``.
"""

import importlib
import sys

from bench.registry import MODULES

first_option = next((i for i, arg in enumerate(sys.argv[1:], 1) if arg.startswith("-")), len(sys.argv))
names, options = sys.argv[1:first_option] or MODULES, sys.argv[first_option:]
for name in names:
    print(f"=== bench.{name}")
    sys.argv = [f"bench.{name}", *options]  # what the benchmark's argument parser reads
    importlib.import_module(f"bench.{name}").main()
