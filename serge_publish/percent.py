"""A percentage of words translated as the commands show it: one rule for build, preview
and status (a module of its own, out of the catalog package: a build with nothing to do
imports none of it)."""
from __future__ import annotations

import math


def percent_text(percent: float, like: float = 1) -> str:
    """``percent`` rounded DOWN, with as many decimals as ``like`` (the threshold) has
    (as build, preview and status show a percentage):
    79.6 is "79" (never "80" when 80% are needed); 79.66 with 79.5 needed is "79.6"."""
    shown = f"{like:g}"
    decimals = min(len(shown.partition(".")[2]), 2) if "e" not in shown else 1
    scale = 10 ** decimals
    # (a hair added before flooring: 100 * 29 / 625 * 100 is 463.99999999999994, not 464)
    return f"{math.floor(percent * scale * (1 + 1e-12)) / scale:.{decimals}f}"
