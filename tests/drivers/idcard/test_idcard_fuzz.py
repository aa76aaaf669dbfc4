"""Random and mutated frames through the decoder: only declared errors, never a crash.

The in-suite run is 20,000 frames; ``python -m bench idcard_fuzz`` runs 1,000,000.
"""

from __future__ import annotations

import random

from bench.idcard_fuzz import fuzz


def test_twenty_thousand_frames_raise_only_declared_errors() -> None:
    result = fuzz(20_000, random.Random(20261123))
    assert result.frames == 20_000
    assert result.undeclared == []
    assert result.decoded > 0 and result.rejected > 0  # both paths exercised
