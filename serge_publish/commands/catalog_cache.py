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
bytes. The digests of the files it read are recorded apart, in
``.serge-cache/catalogue-files.json`` (path relative to the root -> size, mtime_ns,
ctime_ns, inode, SHA-256; see :class:`FileDigests`: the state of a file differs from one
copy of the project to another, the record above does not): a file whose state is the
recorded one is not read again to find its digest (an update with nothing to do reads no
catalogue).

The record names the code that wrote it (:func:`tool_version`: the version and a digest of
every file of the package): one written by other code is not taken, so that a rule of the
merge changed without a new version (in a checkout) reaches every catalogue.

A translator's save changes the catalogue's bytes, so its key: it is merged again.
Deleting or corrupting the records costs time only. They are rewritten after each run
that changes them (atomically, not synced to disk), keeping the entries of outputs the
run did not touch.
"""
from __future__ import annotations

import hashlib
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from .. import __version__, atomic, code_digest, jsonio
from ..errors import PublishError

CACHE_DIR = ".serge-cache"
CACHE_NAME = "catalogues.json"
FILES_NAME = "catalogue-files.json"
FORMAT = 1
RACY_NS = 2_000_000_000          # a file changed this close to a run is hashed again
WRITTEN = "written"              # a record of a file the run wrote itself (FileDigests.own)
# catalogue-files.json's format: 2 since a written file's record is marked (a record of
# format 1 cannot tell, so none is taken: every file is hashed again once)
FILES_FORMAT = 2


def tool_version() -> str:
    """The tool's version and a digest of its files ("0.1.0+3f2a...": see
    :func:`serge_publish.code_digest`), which the record of templates and catalogues
    holds: one written by other code is not taken (everything is merged again once), as a
    rule of the merge may have changed without a new version (a checkout, an editable
    install). The digests of files, which no code shapes, keep the version alone."""
    return f"{__version__}+{code_digest()[:16]}"


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
        return hashlib.sha256(atomic.read_file(path)).hexdigest()
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        return None


def _facts(info: os.stat_result) -> list[int]:
    return [info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino]


class FileDigests:
    """``file_digest`` of the files a run reads, remembered between runs (``known``: path
    -> [size, mtime_ns, ctime_ns, inode, SHA-256], as the last run recorded them): a file
    whose state is the recorded one is not read again. As git's index does, a file is
    recorded only when its mtime and ctime are older than the start of the run that read
    it (less RACY_NS): one changed during or just before that run is read again next time.
    A file this run wrote itself is recorded with its state when it read it back (see
    ``own``: as the build's FileDigests.wrote reasons, a later change sets a later ctime;
    on a file system whose times are whole seconds nothing is recorded). A wrong answer
    could only make a run skip a merge it should have made, never overwrite a file: what
    a run merges it reads first (the catalogue's bytes, checked again just before their
    replacement, see catalog.replace_catalog)."""

    def __init__(self, known: dict[str, list] | None = None, root: Path | None = None
                 ) -> None:
        self.started = time.time_ns()
        self.known: dict[str, list] = known if known is not None else {}
        self.fresh: dict[str, list] = {}           # recorded by this run (this process)
        self.root = "" if root is None else str(root) + os.sep   # names relative to it

    def name(self, path: Path | str) -> str:
        name = str(path)
        return name[len(self.root):] if self.root and name.startswith(self.root) else name

    def recorded(self, path: Path | str, info: os.stat_result) -> str | None:
        """The digest recorded for the file at ``path`` whose stat is ``info``, if its
        state is the recorded one."""
        name = self.name(path)
        record = self.fresh.get(name) or self.known.get(name)
        if isinstance(record, list) and len(record) in (5, 6) and \
                record[:4] == _facts(info) and isinstance(record[4], str):
            return record[4]
        return None

    def read(self, path: Path | str, info: os.stat_result, sha256: str) -> None:
        """The file at ``path``, whose stat was ``info`` when it was read, holds bytes of
        digest ``sha256``: recorded unless it changed too close to this run."""
        if max(info.st_mtime_ns, info.st_ctime_ns) < self.started - RACY_NS:
            self._note(self.name(path), [*_facts(info), sha256])

    def _note(self, name: str, record: list) -> None:
        if self.known.get(name) != record:
            self.fresh[name] = record

    def __call__(self, path: Path) -> str | None:
        """SHA-256 of a file's bytes (None when there is no such file), as file_digest."""
        try:
            with atomic.open_file(path) as handle:
                info = os.fstat(handle.fileno())
                known = self.recorded(path, info)
                if known is not None:
                    return known
                data = handle.read()
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            return None
        found = hashlib.sha256(data).hexdigest()
        self.read(path, info, found)
        return found

    def stat(self, path: Path) -> tuple[os.stat_result | None, str | None]:
        """The file's stat (None: no such file) and its recorded digest, if it is."""
        try:
            info = os.stat(path)
        except (FileNotFoundError, NotADirectoryError):
            return None, None
        return info, self.recorded(path, info)

    def written(self, path: Path) -> str | None:
        """The digest of a file this run has just written (read back: a translator may have
        saved it meanwhile), recorded as ``own`` says, with its state as read."""
        try:
            with atomic.open_file(path) as handle:
                info = os.fstat(handle.fileno())
                data = handle.read()
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            return None
        found = hashlib.sha256(data).hexdigest()
        self.own(path, info, found)
        return found

    def own(self, path: Path | str, info: os.stat_result, sha256: str) -> None:
        """Record the file at ``path`` this run wrote, read back with state ``info`` and
        digest ``sha256`` (see the class), marked as written (a sixth item, WRITTEN):
        such a record holds without the racy rule for this command only, which owned the
        file when it wrote it; the build does not borrow it (see recorded_files)."""
        if info.st_mtime_ns % 1_000_000_000 and info.st_ctime_ns % 1_000_000_000:
            self._note(self.name(path), [*_facts(info), sha256, WRITTEN])

    def update(self, fresh: dict[str, list]) -> None:
        """Take what another process (a worker) recorded."""
        self.fresh.update(fresh)

    def taken(self) -> dict[str, list]:
        """What this process recorded since the last call (a worker's, to send back)."""
        fresh, self.fresh = self.fresh, {}
        self.known.update(fresh)
        return fresh


@dataclass
class Cache:
    """The record: ``templates`` and ``catalogues`` by path (relative to the root), each
    {"key": ..., plus what the summary needs}; ``memory``: a catalogue's digest -> the
    digest of its finished translations (what it gives the translation memory);
    ``digests``: the files' digests (see FileDigests)."""
    path: Path
    templates: dict[str, dict] = field(default_factory=dict)
    catalogues: dict[str, dict] = field(default_factory=dict)
    memory: dict[str, str] = field(default_factory=dict)
    digests: FileDigests = field(default_factory=FileDigests, repr=False, compare=False)
    saved: str = field(default="", repr=False, compare=False)   # what save() last wrote

    @classmethod
    def load(cls, root: Path) -> Cache:
        path = root / CACHE_DIR / CACHE_NAME
        digests = FileDigests(*_files(root))
        try:
            text = atomic.read_file(path).decode("utf-8")
            data = jsonio.loads(text)
        except (OSError, ValueError):
            return cls(path, digests=digests)   # none, or unreadable: everything is redone
        if not isinstance(data, dict) or data.get("format") != FORMAT or \
                data.get("version") != tool_version():
            return cls(path, digests=digests)
        templates, catalogues, memory = (data.get(k) for k in
                                         ("templates", "catalogues", "memory"))
        if not (isinstance(templates, dict) and isinstance(catalogues, dict)
                and isinstance(memory, dict)):
            return cls(path, digests=digests)
        return cls(path, templates, catalogues, memory, digests, text.removesuffix("\n"))

    def save(self) -> None:
        """Write the record (not when it holds what the file holds); a cache that cannot be
        written only costs time next run, so it is written atomically but not synced to
        disk: a power cut may leave the old record, or none (everything is redone)."""
        data = {"format": FORMAT, "version": tool_version(), "templates": self.templates,
                "catalogues": self.catalogues, "memory": self.memory}
        text = jsonio.dumps(data, newline=False).decode("utf-8")
        if text != self.saved and _write(self.path, text):
            self.saved = text
        fresh = self.digests.taken()
        if fresh and _write(self.path.with_name(FILES_NAME), jsonio.dumps(
                {"format": FILES_FORMAT, "version": __version__, "files": self.digests.known},
                newline=False).decode("utf-8")):
            return
        self.digests.fresh = fresh | self.digests.fresh     # written next time, perhaps


def _files(root: Path) -> tuple[dict[str, list], Path]:
    """The recorded states and digests of files (none if unreadable), and the root."""
    try:
        data = jsonio.loads(atomic.read_file(root / CACHE_DIR / FILES_NAME))
    except (OSError, ValueError):
        return {}, root
    if isinstance(data, dict) and data.get("format") == FILES_FORMAT and \
            data.get("version") == __version__ and isinstance(data.get("files"), dict):
        return data["files"], root
    return {}, root


def recorded_files(root: Path) -> dict[str, list]:
    """The files' states and digests the last extract or update recorded after reading
    them (see FileDigests), by name relative to ``root``: none if unreadable or of
    another version. The build takes the digests of the catalogues from them
    (build_state.FileDigests). Not those of the files the run wrote itself (``own``):
    those were recorded without the racy rule, as the file's state just after the run
    replaced it, which another writer (a translator's editor, a sync tool) could change
    again within the same clock tick without changing that state; update accepts that
    for its own files, a build reading a translator's catalogue does not."""
    return {name: record for name, record in _files(root)[0].items()
            if isinstance(record, list) and len(record) == 5}


def _write(path: Path, text: str) -> bool:
    """Write a record; False if it cannot be written (read-only project, a link leading
    out...): that only costs time next run."""
    try:
        path.parent.mkdir(exist_ok=True)
        atomic.remove_leftovers(path.parent, f"{path.name}.*{atomic.TEMP_SUFFIX}",
                                recursive=False)    # of a killed run (no sync, no sweep)
        atomic.write_bytes(path, (text + "\n").encode("utf-8"), root=path.parent.parent,
                           durable=False)
    except (OSError, PublishError):
        return False
    return True


__all__ = ["CACHE_DIR", "CACHE_NAME", "Cache", "FileDigests", "digest", "file_digest",
           "recorded_files", "__version__"]
