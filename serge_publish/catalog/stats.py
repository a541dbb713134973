"""What a merge did (catalog.merge): a module of its own, so that an update that merges
nothing reports the recorded counts without importing the merge (issue 8)."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class MergeStats:
    kept: int = 0        # unchanged entries
    changed: int = 0     # source edited: translation kept, now fuzzy
    filled: int = 0      # identical sentence translated elsewhere: filled in
    offered: int = 0     # close match from the translation memory: fuzzy
    untranslated: int = 0
    obsolete: int = 0    # entries kept as obsolete (#~), old and new
    relinked: int = 0    # entries without msgctxt matched to their segment by msgid
    relinked_fuzzy: int = 0  # ... by similarity (fuzzy, counted as changed too)
    joined: int = 0      # sentences offered two old translations joined (counted as changed)


__all__ = ["MergeStats"]
