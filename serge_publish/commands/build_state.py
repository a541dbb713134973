"""What an incremental ``serge-publish build`` remembers: ``build/.serge-build-state.json``.

The build never reads ``build/`` to decide WHAT to write: every output's bytes are a
function of the inputs. This file is the one exception, and it only decides whether an
output must be rendered again: it records, for each output, a hash of everything the
output depends on (its *key*) and the size and SHA-256 of the bytes written; and for each
essay in each language, the decision of the plan (with its warnings) under a hash of
that pair's inputs, so that an unchanged catalogue is not even parsed.

A key is a SHA-256 of the bytes of the inputs, never of a time: the tool (its version and
the bytes of every file of the package: code, templates, stylesheets, data), the
configuration, SOURCE_DATE_EPOCH and the options, then per output the source, the
catalogue, the project catalogue of its language, whether published.toml lists the
edition, and the decisions it shows (the languages a page links, an essay's place in the
anthology). An output is up to date when its recorded key is the new key
AND the file on disk still has the recorded size and SHA-256 (a deleted or altered
output is written again). A missing, unreadable or foreign state file means: build all.
"""
from __future__ import annotations

import functools
import hashlib
import json
import os
import pickle
import stat
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import deflate

from .. import __version__, atomic
from ..atomic import remove_leftovers
from ..errors import Diagnostic

STATE_NAME = ".serge-build-state.json"
STATE_FORMAT = 1
EDITIONS_DIR = (".serge-cache", "editions")    # under the project's root
EDITION_MAGIC = b"serge-edition 1\n"
FILES_CACHE = (".serge-cache", "build-files.json")   # under the project's root
CHAPTERS_DIR = (".serge-cache", "chapters")    # under the project's root
RACY_NS = 2_000_000_000          # a file changed this close to a run is hashed again
PACKAGE = Path(__file__).resolve().parents[1]


def digest(*parts: object) -> str:
    """SHA-256 of ``parts`` (each str, bytes or JSON-able), unambiguously delimited: each
    is its type (bytes, str, other) and its length, then its bytes (a str's in UTF-8, the
    others' in JSON). Thousands are made in a build that renders nothing: one hash of one
    joined buffer, and the JSON of a number or a boolean without an encoder."""
    chunks: list[bytes] = []
    for part in parts:
        if isinstance(part, str):
            data, tag = part.encode("utf-8", "surrogatepass"), b"s"
        elif isinstance(part, bytes):
            data, tag = part, b"b"
        else:
            data, tag = _json(part).encode("utf-8", "surrogatepass"), b"j"
        chunks += (tag + len(data).to_bytes(8, "big"), data)
    return hashlib.sha256(b"".join(chunks)).hexdigest()


_JSON = json.JSONEncoder(sort_keys=True, ensure_ascii=False)
_SCALARS = {True: "true", False: "false", None: "null"}


def _json(part: object) -> str:
    """``_JSON.encode(part)``, quicker for the scalars keys are made of (int, bool, None),
    written here."""
    kind = type(part)
    if kind is bool or part is None:
        return _SCALARS[part]                     # type: ignore[index]
    if kind is int:
        return int.__repr__(part)
    return _JSON.encode(part)


def file_digest(path: Path | str) -> str:
    """SHA-256 of a file's bytes; "absent" when there is no such file, "unreadable ..."
    when it cannot be read (the plan then meets the same problem and says so)."""
    try:
        with open(path, "rb") as handle:
            return hashlib.file_digest(handle, "sha256").hexdigest()
    except (FileNotFoundError, NotADirectoryError):
        return "absent"
    except OSError as exc:
        return f"unreadable {exc.errno}"


# The distributions whose versions shape an output's bytes besides the tool's own files:
# lxml (and the libxml2 its wheel bundles: serialization), deflate (libdeflate: the EPUBs'
# streams), Pillow (the raster cover's pixels). babel and langcodes are pinned to one
# version in pyproject.toml.
SHAPING_LIBRARIES = ("lxml", "deflate", "pillow")


def library_versions() -> tuple[str, ...]:
    """The installed versions of SHAPING_LIBRARIES ("lxml-6.2.1", as their .dist-info
    folders are named; "lxml ?" when not found), then zlib's and Python's. Read from the
    folders' names: importing lxml and Pillow, or importlib.metadata, would cost a build
    with nothing to do more than the rest of it."""
    import zlib
    found: dict[str, str] = {}
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        for name in names:
            if name.endswith(".dist-info"):
                project, _, version = name[:-len(".dist-info")].partition("-")
                found.setdefault(project.lower().replace("_", "-"), version)
    return (*(f"{lib}-{found.get(lib, '?')}" for lib in SHAPING_LIBRARIES),
            f"zlib-{zlib.ZLIB_RUNTIME_VERSION}", f"Python-{sys.version_info[:3]}")


@functools.cache
def tool_digest() -> str:
    """The version and the bytes of every file of the installed package (code, schema,
    templates, stylesheets, furniture tables...) and the versions of the libraries that
    shape the outputs' bytes (see library_versions): a changed tool, or an upgraded
    library, rebuilds everything."""
    files = sorted(p for p in PACKAGE.rglob("*") if p.is_file()
                   and "__pycache__" not in p.parts and p.suffix != ".pyc")
    parts: list[object] = [__version__, *library_versions()]
    for path in files:
        parts += [path.relative_to(PACKAGE).as_posix(), path.read_bytes()]
    return digest(*parts)


def diagnostic_row(item: Diagnostic) -> list[str]:
    return [item.code, item.message, item.where, item.severity]


def diagnostic_of(row: list[str]) -> Diagnostic:
    return Diagnostic(*row)


@dataclass
class State:
    """``pairs``: "lang/essay" -> {"key", "listed", "plan", "diagnostics"} (the plan with
    what an index page shows of the edition, its "link");
    ``essays``: essay -> {"key", "lang"} (the language a source declares);
    ``outputs``: path under build/ -> {"key", "size", "sha256", "diagnostics"};
    ``pending``: the outputs an interrupted build was writing (rebuilt whatever their key);
    ``written``: the outputs the last build rendered and wrote (the others were up to date);
    ``folder``: the build folder the outputs were read from (None: nothing is up to date);
    ``projects``: lang -> {"key", "publisher", "diagnostics"} (the project's texts);
    ``report``: {"key", "size", "sha256"} of build-report.json (its key: a hash of what it
    says, so that a build that changes nothing does not write it again);
    ``loaded``: the state as read (a build that changes nothing does not write it again)."""
    pairs: dict[str, dict] = field(default_factory=dict)
    essays: dict[str, dict] = field(default_factory=dict)
    outputs: dict[str, dict] = field(default_factory=dict)
    pending: list[str] = field(default_factory=list)
    folder: Path | None = None
    written: list[str] = field(default_factory=list)
    projects: dict[str, dict] = field(default_factory=dict)
    report: dict = field(default_factory=dict)
    loaded: dict | None = field(default=None, repr=False, compare=False)
    raw: bytes | None = field(default=None, repr=False, compare=False)    # its bytes
    # how an output's SHA-256 is found: read (None: file_digest), or a FileDigests, which reads
    # only a file whose size, times or inode are not those it recorded
    digests: Callable[[Path], str] | None = field(default=None, repr=False, compare=False)

    def to_data(self, complete: bool = True) -> dict:
        return {"format": STATE_FORMAT, "tool": __version__, "complete": complete,
                "pairs": self.pairs, "essays": self.essays, "outputs": self.outputs,
                "projects": self.projects, "report": self.report,
                "pending": sorted(self.pending), "written": sorted(self.written)}

    def to_bytes(self, complete: bool = True) -> bytes:
        # one line: json's C encoder (an indented file takes its slower Python encoder)
        return (json.dumps(self.to_data(complete), ensure_ascii=False, sort_keys=True)
                + "\n").encode()

    def pending_bytes(self, writing: list[str]) -> bytes:
        """The state as it was, with the outputs about to be written (``writing``)
        marked pending. The state read is kept as its bytes were, under "was" (not
        encoded again: 2 MB at 4,000 outputs): read_state takes it back, and drops the
        records of the pending outputs. Without the bytes of the state read, the state
        without the records of ``writing``."""
        if self.raw is None:
            before = State(self.pairs, self.essays,
                           {rel: record for rel, record in self.outputs.items()
                            if rel not in writing}, writing)
            return before.to_bytes(complete=False)
        head = json.dumps({"complete": False, "format": STATE_FORMAT, "pending": writing,
                           "tool": __version__}, ensure_ascii=False, sort_keys=True)
        return (head[:-1] + ', "was": ').encode() + self.raw.rstrip() + b"}\n"

    def forget_if_changed(self) -> None:
        """Let go of the state read (its records would live on beside this run's) when a
        decision of this run replaced one of them: the state is written again anyway."""
        if self.loaded is None:
            return
        for name in ("pairs", "essays", "projects"):
            now, was = getattr(self, name), self.loaded.get(name)
            if not isinstance(was, dict) or len(now) != len(was) or \
                    any(now.get(k) is not v for k, v in was.items()):
                self.loaded = None
                return

    def as_loaded(self) -> bool:
        """Whether the complete state is the one read (compared as data: the records
        this run kept are the very objects read, so this is quick)."""
        return self.loaded is not None and self.to_data() == self.loaded

    def unchanged(self, rel: str, key: str, record: dict | None = None) -> bool:
        """The recorded key of build/``rel`` is ``key`` and the file is still the one
        written then (same size and SHA-256; its contents decide nothing else).
        ``record``: the file's (default: the output's, in ``outputs``)."""
        record = self.outputs.get(rel) if record is None else record
        if self.folder is None or not record or record.get("key") != key:
            return False
        path = os.path.join(self.folder, rel)     # (a str: thousands are checked)
        try:
            info = os.lstat(path)                  # a link is not an output written
        except OSError:
            return False
        if not stat.S_ISREG(info.st_mode) or info.st_size != record.get("size"):
            return False
        if isinstance(self.digests, FileDigests):
            return self.digests(path, info) == record.get("sha256")
        return (self.digests or file_digest)(Path(path)) == record.get("sha256")


def read_state(build_dir: Path) -> State:
    """THE one read of build/ (see the module's docstring): the state of the last build,
    or an empty one (nothing is up to date) when it is missing, unreadable or foreign."""
    try:
        raw: bytes | None = (build_dir / STATE_NAME).read_bytes()
        data = json.loads(raw)                     # type: ignore[arg-type]
        if isinstance(data, dict) and isinstance(data.get("was"), dict):
            # a build was writing (see pending_bytes): the state it started from, and
            # the outputs it was writing, pending as well
            pending = [*data["was"].get("pending", []), *data.get("pending", [])]
            data, raw = {**data["was"], "pending": pending}, None
        if not isinstance(data, dict) or data.get("format") != STATE_FORMAT:
            return State()
        state = State(dict(data["pairs"]), dict(data["essays"]), dict(data["outputs"]),
                      [str(rel) for rel in data.get("pending", [])], build_dir,
                      [str(rel) for rel in data.get("written", [])],
                      projects=dict(data.get("projects", {})),
                      report=dict(data.get("report", {})), loaded=data, raw=raw)
    except (OSError, ValueError, KeyError, TypeError):
        return State()
    for rel in state.pending:           # an interrupted build: what it wrote is not known
        state.outputs.pop(rel, None)
    return state


def output_record(key: str, data: bytes, diagnostics: tuple[Diagnostic, ...]) -> dict:
    return {"key": key, "size": len(data), "sha256": hashlib.sha256(data).hexdigest(),
            "diagnostics": [diagnostic_row(d) for d in diagnostics]}


class EditionCache:
    """Payloads kept on disk between builds, one file each, ``<directory>/<key>.bin``:
    the files of the chapter store (see :class:`ChapterStore`; once also the packed
    editions of ``.serge-cache/editions/``, which the build now removes). Each file holds
    a SHA-256 of its payload: a missing, truncated or altered file is not used (what it
    held is made again), never a wrong one. ``directory`` None: nothing is read or
    written."""

    def __init__(self, directory: Path | None) -> None:
        self.directory = directory

    def _path(self, key: str) -> Path | None:
        if self.directory is None or not key or not key.isalnum():
            return None
        return self.directory / f"{key}.bin"

    def get(self, key: str) -> bytes | None:
        """The payload recorded under ``key``, None when none is (or is intact)."""
        path = self._path(key)
        if path is None:
            return None
        try:
            data = path.read_bytes()
        except OSError:
            return None
        head, check = len(EDITION_MAGIC), len(EDITION_MAGIC) + 32
        payload = data[check:]
        if data[:head] != EDITION_MAGIC or not payload or \
                hashlib.sha256(payload).digest() != data[head:check]:
            return None
        return payload

    def has(self, key: str) -> bool:
        """Whether a file is recorded under ``key`` (intact or not)."""
        path = self._path(key)
        return path is not None and path.is_file()

    def put(self, key: str, packed: bytes) -> None:
        """Record ``packed`` under ``key`` (atomically: a reader never sees half a file);
        a cache that cannot be written costs time only."""
        path = self._path(key)
        if path is None or not packed:
            return
        try:
            atomic.write_bytes(path, EDITION_MAGIC + hashlib.sha256(packed).digest() + packed,
                               durable=False)
        except OSError:
            pass

    def prune(self, keep: set[str]) -> None:
        """Remove the editions whose key is not in ``keep`` (their inputs changed), and the
        temporary files of a killed build."""
        if self.directory is None or not self.directory.is_dir():
            return
        try:
            remove_leftovers(self.directory, recursive=False)
            for path in self.directory.glob("*.bin"):
                if path.stem not in keep:
                    path.unlink(missing_ok=True)
        except OSError:
            pass


# The deflater of writers.epubzip: libdeflate, as the ``deflate`` package bundles it.
_DEFLATER = f"libdeflate {deflate.__version__} {sys.version_info[:2]}\0".encode()


class ChapterStore:
    """The chapters of the essays' EPUBs (``writers.epub.Chapter``: an essay's XHTML, as
    its EPUB and its language's anthology hold it) kept on disk between builds, under
    ``.serge-cache/chapters/<name>.bin``, where the name is a hash of the key of the
    edition (see Planner._pair_keys: it hashes every input of the edition, the tool's
    bytes included, so a chapter found under it is that edition's). An anthology of which
    one essay changed takes the chapters of the others from here instead of rendering
    them again. Files are those of :class:`EditionCache` (checked by a SHA-256: a damaged
    one is rendered again, never used). ``build --force`` first forgets every chapter
    recorded (:meth:`forget_all`, before its jobs start), then reads as any build does: it
    uses none an earlier build recorded, and the chapters its plan jobs render are taken
    from here by an EPUB or an anthology made later, or in another process (see
    build_render.prerender). A forgotten record still gives the chapter rendered again
    its deflated stream, when that inflates to the very bytes rendered (:meth:`former`:
    the same bytes deflated again would be the same stream), and is recorded again by its
    first bytes when the chapter makes the same record. ``read``
    False: chapters are recorded, never taken from here; ``directory`` None: no store.

    A chapter's file is written in place, not replaced (see :meth:`put`): its SHA-256 is
    what makes a file a record, so a reader that meets it half written (a worker writing
    it meanwhile, a build killed while writing it, a power cut) finds no record there and
    renders the chapter again; it never takes a wrong one. (A file name holds only its
    key's chapters, and two workers that write one write the same bytes.) Writing in
    place costs no new file, no rename and no old file to free (on ext4, a tenth of the
    CPU of removing a chapter's file and writing a new one): thousands of chapters are
    recorded in a build."""

    def __init__(self, directory: Path | None, read: bool = True) -> None:
        self.files = EditionCache(directory)
        self.read = read
        self.held: dict[bytes, object] = {}
        self._folder: str | None = None          # the directory, resolved (see _file)
        # the path and payload :meth:`former` last read (see :meth:`put`)
        self._former: tuple[str, bytes] | None = None
        # this store's, whichever process it is copied to: the records a process made
        # for it are remembered there under it (see :meth:`made`)
        self._token = os.urandom(16)

    def hold(self, key: bytes, record: object) -> None:
        """Give ``record`` for ``key`` from memory until :meth:`release` (whatever
        happens to its file meanwhile: a book made of it is made of what was read)."""
        self.held[key] = record

    def release(self) -> None:
        self.held = {}

    @staticmethod
    def name(key: bytes) -> str:
        """The file of ``key``'s chapter: its deflated stream is libdeflate's, so a chapter
        recorded by another ``deflate`` package (or Python) is not found (a build would
        otherwise mix two deflaters' streams, its bytes depending on the cache)."""
        return hashlib.blake2b(b"chapter\0" + _DEFLATER + key, digest_size=20).hexdigest()

    def _file(self, key: bytes | str) -> str | None:
        """The path of ``key``'s file, in the directory as its links lead (resolved once:
        a link out of the project is refused, as atomic.write_bytes refuses it; None then,
        and when there is no store)."""
        if self.files.directory is None:
            return None
        if self._folder is None:
            try:
                self._folder = os.fspath(atomic.resolve_target(self.files.directory))
            except OSError:
                self._folder = ""
        if not self._folder:
            return None
        name = self.name(key.encode() if isinstance(key, str) else key)
        return os.path.join(self._folder, name + ".bin")

    def get(self, key: bytes) -> object | None:
        """What was recorded under the edition ``key`` (writers.epub decides what a
        chapter is made of, and checks it), None when nothing is, or nothing readable."""
        if key in self.held:
            return self.held[key]
        if not self.read or self.files.directory is None:
            return None
        data = _record_of(os.path.join(self.files.directory, self.name(key) + ".bin"))
        if data is None:
            return None
        try:
            return pickle.loads(data)
        except Exception:               # a file of another version of the tool: ignored
            return None

    def former(self, key: bytes) -> object | None:
        """What was recorded under ``key``, forgotten (:meth:`forget`, ``build --force``)
        or not, None when nothing intact is: not a chapter to take (a forgotten one is
        none), only what writers.epub.prepare_chapter checks against the chapter it has
        rendered again (its deflated stream, when it inflates to the very bytes it would
        deflate). Nothing is read when the store is not (``read`` False)."""
        self._former = None
        path = self._file(key)
        if path is None or not self.read:
            return None
        payload = _record_of(path, forgotten=True)
        if payload is None:
            return None
        try:
            record = pickle.loads(payload)
        except Exception:               # a file of another version of the tool: ignored
            return None
        self._former = (path, payload)
        return record

    def made(self, key: bytes) -> object | None:
        """The record this process put under ``key`` as one it made (:meth:`put`'s
        ``made``), the very object, None if none is remembered: the EPUB of an essay and
        its anthology, made in the process that rendered its chapter, take it from here
        without reading its file back (nor checking what it holds again: it was made
        here). Forgotten with the file (:meth:`forget`) or when another record is put
        under ``key``; bounded in bytes (:data:`MADE_BYTES`), the oldest dropped."""
        found = self._made().records.get(key)
        return None if found is None else found[0]

    def _made(self) -> _Made:
        """What this process made for this store (a store's jobs are given copies of it:
        those run in one process share it); whatever it made for another store (an
        earlier build's) is dropped."""
        if _MADE.token != self._token:
            _MADE.reset(self._token)
        return _MADE

    def _remember(self, key: bytes, record: object, size: int) -> None:
        made = self._made()
        made.drop(key)
        if size > MADE_BYTES:
            return
        made.records[key] = (record, size)
        made.size += size
        while made.size > MADE_BYTES:
            made.drop(next(iter(made.records)))

    def _drop(self, key: bytes) -> None:
        self._made().drop(key)

    def __getstate__(self) -> dict:
        """A job's copy: not what :meth:`former` last read (the process's own)."""
        return {**self.__dict__, "_former": None}

    def put(self, key: bytes, chapter: object, again: bool = True,
            made: bool = False) -> None:
        """Record ``chapter`` under ``key`` (``again`` False: unless a record is there),
        in place: the file's bytes are overwritten, then it is cut to their length (see
        the class). A store that cannot be written costs time only. A record forgotten
        whose payload is the very one ``chapter`` makes (read by :meth:`former` just
        before: ``build --force`` rendering a chapter as it was) is recorded again by
        writing its first bytes back, the rest as it is. ``made``: this process made
        ``chapter`` (see :meth:`made`), remembered once recorded (or when the store has
        no file for it: what this process made is still its own)."""
        path = self._file(key)
        former, self._former = self._former, None
        if path is not None and not again and _recorded(path):
            return           # (what this process remembers of it, if anything, still holds)
        self._drop(key)
        if path is None:
            if made:
                self._remember(key, chapter,
                               len(pickle.dumps(chapter, pickle.HIGHEST_PROTOCOL)))
            return
        payload = pickle.dumps(chapter, pickle.HIGHEST_PROTOCOL)
        if made:
            self._remember(key, chapter, len(payload))
        if former is not None and former[0] == path and former[1] == payload:
            self._restore(path)
            return
        data = EDITION_MAGIC + hashlib.sha256(payload).digest() + payload
        try:
            try:
                fd = os.open(path, _IN_PLACE, 0o666)
            except FileNotFoundError:
                os.makedirs(os.path.dirname(path), exist_ok=True)
                fd = os.open(path, _IN_PLACE, 0o666)
            try:
                view = memoryview(data)
                while view:
                    view = view[os.write(fd, view):]
                os.ftruncate(fd, len(data))
            finally:
                os.close(fd)
        except OSError:
            pass

    def _restore(self, path: str) -> None:
        """Write back the first bytes :meth:`forget` overwrote (the payload and its SHA-256
        after them are intact: read and checked by :meth:`former`)."""
        try:
            fd = os.open(path, _FORGET)
        except OSError:
            return
        try:
            os.write(fd, EDITION_MAGIC)
        except OSError:
            pass
        finally:
            os.close(fd)

    def forget(self, keys) -> None:
        """Forget the chapters recorded under ``keys`` (str or bytes): they are not taken
        from here until this run records them again (``build --force``). Each file's
        first bytes are overwritten (it is no record then; :meth:`put` writes it again in
        place), not removed: removing and making thousands of files costs more."""
        for key in keys:
            self._drop(key.encode() if isinstance(key, str) else key)
            path = self._file(key)
            if path is None:
                if self.files.directory is not None:  # a link out of the project: its
                    self.read = False                  # files are not written, nor read
                continue
            self._forget_file(path)

    def forget_all(self) -> None:
        """Forget every recorded chapter, as :meth:`forget` does (``build --force``, before
        its jobs start: none an earlier build recorded is taken, and those this build
        renders are recorded again); if one cannot be forgotten, nothing recorded is read
        in this build, in its worker processes too (forked after)."""
        _MADE.reset(self._token)
        if self.files.directory is None:
            return
        if self._file(b"") is None:        # a link out of the project: not written, nor read
            self.read = False
            return
        resolved = self._folder or ""
        try:
            names = [e.name for e in os.scandir(resolved) if e.name.endswith(".bin")]
        except FileNotFoundError:
            return
        except OSError:
            self.read = False
            return
        for name in names:
            self._forget_file(os.path.join(resolved, name))

    def _forget_file(self, path: str) -> None:
        try:
            fd = os.open(path, _FORGET)
        except FileNotFoundError:
            return
        except OSError:                 # still there: nothing recorded is read this run
            self.read = False
            return
        try:
            os.write(fd, _FORGOTTEN)
        except OSError:
            self.read = False
        finally:
            os.close(fd)

    def prune(self, keys) -> None:
        """Remove the chapters of no edition key in ``keys`` (str or bytes)."""
        self.files.prune({self.name(k.encode() if isinstance(k, str) else k)
                          for k in keys})


_CLOEXEC_NOFOLLOW = getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOFOLLOW", 0) | \
    getattr(os, "O_BINARY", 0)
_IN_PLACE = os.O_WRONLY | os.O_CREAT | _CLOEXEC_NOFOLLOW
_FORGET = os.O_WRONLY | _CLOEXEC_NOFOLLOW
_FORGOTTEN = bytes(len(EDITION_MAGIC))       # what ChapterStore.forget writes over it
# The records a process remembers it made (ChapterStore.made), in bytes of their payloads:
# a chapter's record is mostly its deflated stream (some 28 KB for an essay of 18,000
# words), so all those of 200 essays in 10 languages (56 MB of streams) are held.
MADE_BYTES = 96 * 1024 * 1024


class _Made:
    """The records this process made for one store (ChapterStore.made: the store's token),
    by key, each with its size, and their total size."""

    def __init__(self) -> None:
        self.reset(None)

    def reset(self, token: bytes | None) -> None:
        self.token = token
        self.records: dict[bytes, tuple[object, int]] = {}
        self.size = 0

    def drop(self, key: bytes) -> None:
        old = self.records.pop(key, None)
        if old is not None:
            self.size -= old[1]


_MADE = _Made()


def _record_of(path: str, forgotten: bool = False) -> bytes | None:
    """The payload of the record in ``path`` (see EditionCache.get), None when there is
    none or it is not intact. Its head is read first: a forgotten file (see
    ChapterStore.forget) costs one small read, not the whole file (``forgotten``: its
    payload is read too, if intact)."""
    head = len(EDITION_MAGIC) + 32
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0) |
                     getattr(os, "O_BINARY", 0))
    except OSError:
        return None
    try:
        start = os.read(fd, head)
        if len(start) < head or not (start.startswith(EDITION_MAGIC) or forgotten and
                                     start.startswith(_FORGOTTEN)):
            return None
        chunks, want = [], max(os.fstat(fd).st_size - head, 0) + 1
        while True:
            chunk = os.read(fd, want)
            chunks.append(chunk)
            if len(chunk) < want:               # a regular file's short read: its end
                break
            want = 1 << 20
    except OSError:
        return None
    finally:
        os.close(fd)
    payload = b"".join(chunks)
    if not payload or hashlib.sha256(payload).digest() != start[len(EDITION_MAGIC):]:
        return None
    return payload


def _recorded(path: str) -> bool:
    """Whether ``path`` begins as a record does (a forgotten one does not)."""
    try:
        fd = os.open(path, os.O_RDONLY | _CLOEXEC_NOFOLLOW)
    except OSError:
        return False
    try:
        return os.read(fd, len(EDITION_MAGIC)) == EDITION_MAGIC
    except OSError:
        return False
    finally:
        os.close(fd)


class FileDigests:
    """``file_digest`` of the build's inputs, remembered between builds in
    ``.serge-cache/build-files.json`` (path -> size, mtime_ns, ctime_ns, inode, SHA-256):
    a file whose stat is the recorded one is not read again. Only files whose mtime is
    older than the start of the run that hashed them (less RACY_NS) are recorded, as git
    does with its index: a file changed during or just before that run is hashed again.
    A missing, corrupt or foreign record is ignored; ``path`` None: no record.

    ``borrowed``: the digests ``extract`` and ``update`` recorded of the files they read,
    under the same racy rule (catalog_cache.recorded_files: names relative to ``root``;
    not those of the files they wrote themselves), consulted when this
    record has none for a file: the first build after an update, or after a translator's
    save and an update, does not read every catalogue again only to hash it (at N=200
    essays, L=10 languages, half a gigabyte, some 1 CPU s in the process that hands the
    jobs out). A borrowed digest is taken only for the very stat it was recorded with, as
    one of this record's is."""

    def __init__(self, path: Path | None, borrowed: dict[str, list] | None = None,
                 root: Path | None = None) -> None:
        self.path = path
        self.started = time.time_ns()
        self.known: dict[str, list] = {}
        self.seen: dict[str, list] = {}
        self.borrowed = borrowed or {}
        self.root = "" if root is None else str(root) + os.sep
        if path is None:
            return
        try:
            data = json.loads(path.read_bytes())
            if isinstance(data, dict) and data.get("format") == 1 and \
                    isinstance(data.get("files"), dict):
                self.known = data["files"]
        except (OSError, ValueError):
            pass

    def __call__(self, path: Path | str, info: os.stat_result | None = None) -> str:
        """``info``: the file's stat, when the caller has it."""
        name = str(path)
        try:
            info = info or os.stat(path)
        except OSError:
            return file_digest(path)
        facts = [info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino]
        record = self.known.get(name)
        if isinstance(record, list) and len(record) == 5 and record[:4] == facts \
                and isinstance(record[4], str):
            self.seen[name] = record
            return record[4]
        if self.borrowed and self.root and name.startswith(self.root):
            record = self.borrowed.get(name[len(self.root):])
            if isinstance(record, list) and len(record) == 5 and record[:4] == facts \
                    and isinstance(record[4], str) and len(record[4]) == 64:
                self.seen[name] = [*facts, record[4]]
                return record[4]
        found = file_digest(path)
        if len(found) == 64 and max(info.st_mtime_ns, info.st_ctime_ns) < \
                self.started - RACY_NS:
            self.seen[name] = [*facts, found]
        return found

    def wrote(self, path: str, sha256: str, size: int,
              info: os.stat_result | None = None) -> None:
        """Record that this run has just written the ``size`` bytes of SHA-256 ``sha256``
        to ``path`` (a new file renamed into place, see atomic.write_bytes), with the
        file's stat now: the next build does not read it back. The racy rule above is
        for files someone else writes: their bytes are known only by reading them, and a
        change made in the same timestamp tick as that read would go unseen. Here the bytes
        are known without reading, and the stat is taken after the rename: a later change
        sets the file's ctime (which no one can set back) to a later time, unless it lands
        in the very tick of the rename, while this build holds build/ (a writer racing the
        build's own rename, whose change the rename would as well have overwritten a tick
        earlier). On a file system whose times are whole seconds (a tick of a second or
        two: FAT, HFS+, ext3) nothing is recorded: the file is read next time, as before.
        ``info``: the file's stat taken by the process that wrote it, just after the rename
        (a worker: this process learns of the file later, when a change could have come)."""
        if info is None:
            try:
                info = os.lstat(path)
            except OSError:
                return
        if not stat.S_ISREG(info.st_mode) or info.st_size != size or len(sha256) != 64 \
                or not info.st_mtime_ns % 1_000_000_000 or not info.st_ctime_ns % 1_000_000_000:
            return
        self.seen[path] = [info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino, sha256]

    def save(self) -> None:
        """Record the files of this run (atomically; a record not written costs time)."""
        if self.path is None or self.seen == self.known:
            return
        data = json.dumps({"format": 1, "files": self.seen}, sort_keys=True).encode()
        try:
            atomic.write_bytes(self.path, data, durable=False)
        except OSError:
            pass
