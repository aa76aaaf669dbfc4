"""How long a resident has left the screen alone: the last touch on this step, and how many
times the countdown was extended (``Session.touched``, ``Session.tick``)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Idle:
    last_activity: float
    extensions: int = 0
