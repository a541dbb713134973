"""Shared test set-up: run from any folder; the real shipped project is the repo root."""
from __future__ import annotations

import sys
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
