"""A catalogue's declared charset against its bytes: a catalogue saved as UTF-8 by an
editor but still declaring another charset is read garbled ("Ã©" for "é")."""
from __future__ import annotations

import codecs
import re
from pathlib import Path

from serge_publish.errors import Diagnostic


def charset_warning(path: Path, rel: str) -> Diagnostic | None:
    """A warning (file:line of the header's charset) when a catalogue declares a charset
    other than UTF-8 but its bytes are UTF-8 with non-ASCII text: read in the declared
    charset, that text is garbled in every edition."""
    try:
        raw = path.read_bytes().removeprefix(b"\xef\xbb\xbf")
    except OSError:
        return None
    match = re.search(rb"charset=([A-Za-z0-9_.:-]+)", raw)
    if not match or raw.isascii():
        return None
    declared = match[1].decode("ascii")
    try:
        if codecs.lookup(declared).name == "utf-8":
            return None
        raw.decode("utf-8")
    except (LookupError, UnicodeDecodeError):
        return None
    line = raw[:match.start()].count(b"\n") + 1
    return Diagnostic("build.catalogue-charset",
                      f"the header declares charset={declared}, but the file is UTF-8: its "
                      "non-ASCII text is garbled in the editions; declare charset=UTF-8",
                      f"{rel}:{line}")
