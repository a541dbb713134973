"""What ``extract`` and ``update`` did last time, so that an unchanged catalogue costs nothing.

The record lives in ``.serge-cache/catalogues.json`` at the project root (git ignores it).
For each template and each catalogue it holds a key: the SHA-256 of everything the output
depends on, the output's own bytes as the last run left them included, never a timestamp.

* a template (``locale/<essay>.pot``): the tool's version, the source's bytes, the
  configuration that goes into it (project name, reader comments included or not), and the
  template's bytes as written; the record also keeps the source's rights statement, which
  the project's template takes from it while the key holds (the source not read again);
* a catalogue (``locale/<lang>/LC_MESSAGES/<essay>.po``): the tool's version, the
  template's bytes, the catalogue's bytes as written, its language, team and the source
  language; and, when it has untranslated entries (the only ones the translation memory
  fills), the finished translations of the language's other catalogues and of the
  compendium, in the order the memory reads them.

A run skips an output whose key is the recorded one: running again would write the same
bytes. A translator's save changes the catalogue's bytes, so its key: it is merged again.
Deleting or corrupting the file costs time only. The record is rewritten after each run
(atomically), keeping the entries of outputs the run did not touch.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from .. import __version__, atomic
from ..errors import PublishError

CACHE_DIR = ".serge-cache"
CACHE_NAME = "catalogues.json"
FORMAT = 1


def digest(*parts: bytes | str | None) -> str:
    """SHA-256 of the parts, each length-prefixed (so that no two lists share a digest)."""
    h = hashlib.sha256()
    for part in parts:
        data = b"\x00" if part is None else (
            part.encode("utf-8") if isinstance(part, str) else part)
        h.update(len(data).to_bytes(8, "big") + (b"\x01" if part is not None else b"\x00"))
        h.update(data)
    return h.hexdigest()


def file_digest(path: Path) -> str | None:
    """SHA-256 of a file's bytes; None when there is no such file."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        return None


@dataclass
class Cache:
    """The record: ``templates`` and ``catalogues`` by path (relative to the root), each
    {"key": ..., plus what the summary needs}; ``memory``: a catalogue's digest -> the
    digest of its finished translations (what it gives the translation memory)."""
    path: Path
    templates: dict[str, dict] = field(default_factory=dict)
    catalogues: dict[str, dict] = field(default_factory=dict)
    memory: dict[str, str] = field(default_factory=dict)
    saved: str = field(default="", repr=False, compare=False)   # what save() last wrote

    @classmethod
    def load(cls, root: Path) -> Cache:
        path = root / CACHE_DIR / CACHE_NAME
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls(path)               # none, or unreadable: everything is redone
        if not isinstance(data, dict) or data.get("format") != FORMAT or \
                data.get("version") != __version__:
            return cls(path)
        templates, catalogues, memory = (data.get(k) for k in
                                         ("templates", "catalogues", "memory"))
        if not (isinstance(templates, dict) and isinstance(catalogues, dict)
                and isinstance(memory, dict)):
            return cls(path)
        return cls(path, templates, catalogues, memory)

    def save(self) -> None:
        """Write the record; a cache that cannot be written only costs time next run."""
        data = {"format": FORMAT, "version": __version__, "templates": self.templates,
                "catalogues": self.catalogues, "memory": self.memory}
        try:
            self.path.parent.mkdir(exist_ok=True)
            text = json.dumps(data, sort_keys=True, separators=(",", ":"))  # C encoder
            if text == self.saved:
                return                         # as this run last wrote it
            atomic.write_text(self.path, text + "\n", root=self.path.parent.parent)
            self.saved = text
        except (OSError, PublishError):        # read-only project, a link leading out...
            pass


__all__ = ["CACHE_DIR", "CACHE_NAME", "Cache", "digest", "file_digest", "__version__"]
