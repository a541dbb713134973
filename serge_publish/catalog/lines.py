"""Where each entry of a catalogue is: its line in the PO file, by segment id (msgctxt).

Used by the preview to link every segment, translated or not, to its entry; the
application of the catalogue (``apply.py``) records a line only for the entries it could
not use.
"""
from __future__ import annotations

import polib


def entry_lines(po: polib.POFile | None) -> dict[str, int]:
    """Segment id -> line of its (non-obsolete) entry; empty without a catalogue."""
    return {e.msgctxt: e.linenum for e in (po or [])
            if not e.obsolete and e.msgctxt is not None and e.linenum}
