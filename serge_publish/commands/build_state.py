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
import struct
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import deflate

from .. import __version__, atomic, code_digest, jsonio
from ..atomic import remove_leftovers
from ..errors import Diagnostic

STATE_NAME = ".serge-build-state.json"
STATE_FORMAT = 1
EDITIONS_DIR = (".serge-cache", "editions")    # under the project's root
EDITION_MAGIC = b"serge-edition 1\n"
FILES_CACHE = (".serge-cache", "build-files.json")   # under the project's root
CHAPTERS_DIR = (".serge-cache", "chapters")    # under the project's root
BUILD_LOG = (".serge-cache", "build-log.jsonl")    # what a build has done so far (BuildLog)
RACY_NS = 2_000_000_000          # a file changed this close to a run is hashed again


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
    written here. (Not jsonio: orjson writes an infinite float as null, which a key
    cannot take for None.)"""
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
        with atomic.open_file(path) as handle:
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
    """The version, the bytes of every file of the installed package (code, schema,
    templates, stylesheets, furniture tables...: :func:`serge_publish.code_digest`) and
    the versions of the libraries that shape the outputs' bytes (see library_versions): a
    changed tool, or an upgraded library, rebuilds everything."""
    return digest(__version__, *library_versions(), code_digest())


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
    ``pending``: the outputs an interrupted build was writing and its log does not show
    written (see BuildLog.apply): rebuilt whatever their key;
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
        return jsonio.dumps(self.to_data(complete))         # (one line, see jsonio)

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
        head = jsonio.dumps({"complete": False, "format": STATE_FORMAT, "pending": writing,
                             "tool": __version__}, newline=False)
        return head[:-1] + b',"was":' + self.raw.rstrip() + b"}\n"

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
        if self.folder is None or not isinstance(record, dict) or record.get("key") != key \
                or not string_rows(record.get("diagnostics", [])):   # (altered by hand)
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
        raw: bytes | None = atomic.read_file(build_dir / STATE_NAME)
        data = jsonio.loads(raw)                   # type: ignore[arg-type]
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
        state.outputs.pop(rel, None)    # (but see BuildLog)
    return state


class BuildLog:
    """``.serge-cache/build-log.jsonl`` (under the project's root: build/ is not written
    before the build knows it can write every output): what a build has done so far,
    one line a fact, appended as it is done, so that a build that does not finish
    (Ctrl-C, a kill, a write or a catalogue that fails) is taken up where it stopped by
    the next one instead of being done again whole (the state on disk is written only
    at the start of the writing and at the end). A fact is a record of the state's
    kind:

    * ``["output", rel, record]``: build/``rel`` was written whole, rendered from the
      inputs of the record's key (with its size, SHA-256 and warnings);
    * ``["pair", "lang/essay", record]`` and ``["essay", essay, record]``: the decisions
      of a plan, under the key of the inputs they were made from.

    Each holds whatever happened after it: the next build takes an output as up to date
    only when its key is the one it makes now and the file still holds those bytes
    (State.unchanged), a decision only when its key is the one it makes now, as for
    every record of the state. So the log is read whatever the state says (the last
    fact of each wins over the state's record), a line that is not a whole fact (the
    last one, cut short by a kill) is passed over, and the log is removed once a
    finished build has written the state, which then says all of it. Nothing is synced:
    an output is not either, and its bytes are checked before it is taken. A log that
    cannot be written costs time only."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.fd: int | None = None
        self.failed = False

    def note(self, kind: str, name: str, record: dict) -> None:
        """Append the fact that ``name`` (of ``kind``: output, pair, essay) has the
        ``record`` the state will keep."""
        if self.failed:
            return
        try:
            if self.fd is None:
                self.fd = self._open()
            os.write(self.fd, jsonio.dumps([kind, name, record]))
        except OSError:
            self.close()
            self.failed = True

    def _place(self) -> Path:
        """Where the log is, its folder's links followed: OSError when they lead out of
        the project (as atomic.write_bytes refuses them): then it is neither read, nor
        written, nor removed."""
        return atomic.resolve_target(self.path.parent) / self.path.name

    def _open(self) -> int:
        """The log opened to append to: a regular file of its own in the project (a link,
        a folder linked out of the project, a file with another name too, are refused:
        OSError), after a line end if its last line was cut short."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self._place(), os.O_RDWR | os.O_CREAT | os.O_APPEND | _NOFOLLOW |
                     getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0),
                     0o666)       # (O_NONBLOCK: a fifo there fails instead of waiting)
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode) or info.st_nlink != 1:
                raise OSError(f"{self.path} is not a file of its own")
            if info.st_size and os.pread(fd, 1, info.st_size - 1) != b"\n":
                os.write(fd, b"\n")
        except BaseException:
            os.close(fd)
            raise
        return fd

    def close(self) -> None:
        if self.fd is not None:
            try:
                os.close(self.fd)
            except OSError:
                pass
            self.fd = None

    def remove(self) -> None:
        """The log let go of and removed (the state written says all it said)."""
        self.close()
        try:
            os.unlink(self._place())
        except OSError:
            pass

    def facts(self) -> dict[str, dict[str, dict]]:
        """The last fact of each name, by kind: those whose record has the state's
        shape; the others (a line cut short, another version's) are passed over."""
        found: dict[str, dict[str, dict]] = {"output": {}, "pair": {}, "essay": {}}
        raw = self._read()
        for line in raw.splitlines():
            try:
                kind, name, record = jsonio.loads(line)
            except (ValueError, TypeError, RecursionError):   # (json's, nested too deep)
                continue
            if isinstance(kind, str) and kind in found and isinstance(name, str) and \
                    _SHAPES[kind](record):
                found[kind][name] = record
        return found

    def _read(self) -> bytes:
        """The log's bytes: nothing when it is not a regular file (a link, a fifo that
        would keep the build waiting, a folder) or cannot be read."""
        try:
            return atomic.read_file(self._place(), follow=False)
        except OSError:
            return b""

    def apply(self, state: State) -> None:
        """``state``, as read (read_state), with the facts of the log (see the class);
        nothing when no state was read (then nothing is up to date)."""
        if state.loaded is None:
            return
        facts = self.facts()
        if not any(facts.values()):
            return
        state.outputs.update(facts["output"])
        state.pairs.update(facts["pair"])
        state.essays.update(facts["essay"])
        state.pending = [rel for rel in state.pending if rel not in facts["output"]]
        # the state this build marks pending is then made of these records, not the bytes
        # read, which do not hold them
        state.raw = None


def string_rows(rows: object, width: int = 4) -> bool:
    """Whether ``rows`` is a list of lists of ``width`` strings: warnings as the state
    keeps them (see diagnostic_row), a plan's fallbacks (build_plan._is_plan_record)."""
    return isinstance(rows, list) and all(
        isinstance(row, list) and len(row) == width and all(isinstance(x, str) for x in row)
        for row in rows)


def _is_output(record: object) -> bool:
    return isinstance(record, dict) and set(record) == {"key", "size", "sha256",
                                                        "diagnostics"} \
        and isinstance(record["key"], str) and type(record["size"]) is int \
        and isinstance(record["sha256"], str) and len(record["sha256"]) == 64 \
        and string_rows(record["diagnostics"])


def _is_pair(record: object) -> bool:
    return isinstance(record, dict) and set(record) == {"key", "listed", "plan",
                                                        "diagnostics"} \
        and isinstance(record["key"], str) and isinstance(record["listed"], bool) \
        and isinstance(record["plan"], dict) and string_rows(record["diagnostics"])


def _is_essay(record: object) -> bool:
    return isinstance(record, dict) and set(record) == {"key", "lang"} \
        and isinstance(record["key"], str) and isinstance(record["lang"], str)


_SHAPES = {"output": _is_output, "pair": _is_pair, "essay": _is_essay}
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


def output_record(key: str, data: bytes, diagnostics: tuple[Diagnostic, ...]) -> dict:
    return {"key": key, "size": len(data), "sha256": hashlib.sha256(data).hexdigest(),
            "diagnostics": [diagnostic_row(d) for d in diagnostics]}


class EditionCache:
    """Payloads kept on disk between builds, one file each, ``<directory>/<key>.bin``:
    the packed editions of ``.serge-cache/editions/``, which the build now removes (see
    build_plan.plan_and_keep; the chapters were kept so too, before
    :class:`ChapterStore` kept them in packs). Each file holds a SHA-256 of its payload:
    a missing, truncated or altered file is not used (what it held is made again), never
    a wrong one. ``directory`` None: nothing is read or written."""

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
            data = atomic.read_file(path)
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


@functools.cache
def _deflater() -> bytes:
    """The deflater of writers.epubzip: libdeflate, as the ``deflate`` package bundles it,
    and its level (imported when a chapter is first named: a build with nothing to do
    loads no writer)."""
    from ..writers.epubzip import COMPRESS_LEVEL
    return (f"libdeflate {deflate.__version__} {sys.version_info[:2]} "
            f"level {COMPRESS_LEVEL}\0").encode()


class ChapterStore:
    """The chapters of the essays' EPUBs (``writers.epub.Chapter``: an essay's XHTML, as
    its EPUB and its language's anthology hold it) kept on disk between builds, in a few
    append-only *packs*, ``.serge-cache/chapters/<random>.pack``, each a run of records
    (see :data:`_HEAD`): a head naming the record (a hash of the key of the edition, see
    :meth:`name`; the key hashes every input of the edition, the tool's bytes included, so
    a chapter found under it is that edition's), then the pickled record. An anthology of
    which one essay changed takes the chapters of the others from here instead of
    rendering them again.

    Why packs: a fresh build records a chapter per edition (2,200 at 200 essays in 10
    languages), and a new file costs far more kernel time than appending to one already
    open (on ext4 without a journal, ~0.3 ms each in the inode allocator). Each process
    appends to a pack of its own (see :func:`_append`: one ``write`` per record, never
    two writers in one pack), so a build makes as many packs as it has processes that
    record chapters. No index is kept beside them: each process finds the records by
    reading the packs' heads (:class:`_Packs`, once per record and process, and again for
    what another process appended since, when a chapter is not found), so a record
    appended by a worker is found by an anthology made in another one, and nothing but
    the packs can go stale. When one name has several records (a record put again), the
    newest is the record (the head holds when it was written).

    A record is a record by its SHA-256 (of its name, time, length and payload: a record
    met half written, by a reader while a worker appends it or after a kill or a power
    cut, a damaged one, or a head that names another key, is not one): the chapter is then
    rendered again, never a wrong one taken (:func:`_record_of`). A pack whose head is not
    a record's is read no further (the records after it are rendered again).

    ``build --force`` first forgets every chapter recorded (:meth:`forget_all`, before its
    jobs start: the first bytes of each record's head are overwritten), then reads as any
    build does: it uses none an earlier build recorded, and the chapters its plan jobs
    render are taken from here by an EPUB or an anthology made later, or in another
    process (see build_render.prerender). A forgotten record still gives the chapter
    rendered again its deflated stream, when that inflates to the very bytes rendered
    (:meth:`former`: the same bytes deflated again would be the same stream), and is
    recorded again by writing its first bytes back when the chapter makes the same
    record. Records of no current key, and packs mostly of such records, are dropped at
    the end of a build that rendered something (:meth:`prune`). ``read`` False: chapters
    are recorded, never taken from here; ``directory`` None: no store."""

    def __init__(self, directory: Path | None, read: bool = True) -> None:
        self.directory = directory
        self.read = read
        self.held: dict[bytes, object] = {}
        self._folder: str | None = None          # the directory, resolved (see _writable)
        # the name, pack, place and payload :meth:`former` last read (see :meth:`put`)
        self._former: tuple[bytes, str, int, bytes] | None = None
        # this store's, whichever process it is copied to: the records a process made
        # for it, and the packs it has read, are remembered there under it (see :meth:`made`)
        self._token = os.urandom(16)

    def hold(self, key: bytes, record: object) -> None:
        """Give ``record`` for ``key`` from memory until :meth:`release` (whatever
        happens to its pack meanwhile: a book made of it is made of what was read)."""
        self.held[key] = record

    def release(self) -> None:
        self.held = {}

    @staticmethod
    def name(key: bytes) -> str:
        """The name of ``key``'s chapter (hex): its deflated stream is libdeflate's, so a
        chapter recorded by another ``deflate`` package (or Python) is not found (a build
        would otherwise mix two deflaters' streams, its bytes depending on the cache)."""
        return ChapterStore._name(key).hex()

    @staticmethod
    def _name(key: bytes | str) -> bytes:
        key = key.encode() if isinstance(key, str) else key
        return hashlib.blake2b(b"chapter\0" + _deflater() + key, digest_size=20).digest()

    def _writable(self) -> str | None:
        """The directory as its links lead (resolved once: a link out of the project is
        refused, as atomic.write_bytes refuses it; None then, and when there is no
        store): where packs are written."""
        if self.directory is None:
            return None
        if self._folder is None:
            try:
                self._folder = os.fspath(atomic.resolve_target(self.directory))
            except OSError:
                self._folder = ""
        return self._folder or None

    def _packs(self) -> _Packs | None:
        """What this process knows of the store's packs (read through links: a store
        linked out of the project is read, not written)."""
        if self.directory is None:
            return None
        return _Packs.of(self._token, os.fspath(self.directory))

    def get(self, key: bytes) -> object | None:
        """What was recorded under the edition ``key`` (writers.epub decides what a
        chapter is made of, and checks it), None when nothing is, or nothing readable."""
        if key in self.held:
            return self.held[key]
        if not self.read:
            return None
        packs = self._packs()
        found = None if packs is None else packs.read(self._name(key))
        if found is None:
            return None
        try:
            return pickle.loads(found[1])
        except Exception:               # a record of another version of the tool: ignored
            return None

    def former(self, key: bytes) -> object | None:
        """What was recorded under ``key``, forgotten (:meth:`forget`, ``build --force``)
        or not, None when nothing intact is: not a chapter to take (a forgotten one is
        none), only what writers.epub.prepare_chapter checks against the chapter it has
        rendered again (its deflated stream, when it inflates to the very bytes it would
        deflate). Nothing is read when the store is not (``read`` False)."""
        self._former = None
        packs = self._packs()
        if packs is None or self._writable() is None or not self.read:
            return None
        name = self._name(key)
        found = packs.read(name, forgotten=True)
        if found is None:
            return None
        try:
            record = pickle.loads(found[1])
        except Exception:               # a record of another version of the tool: ignored
            return None
        self._former = (name, found[0][0], found[0][1], found[1])
        return record

    def made(self, key: bytes) -> object | None:
        """The record this process put under ``key`` as one it made (:meth:`put`'s
        ``made``), the very object, None if none is remembered: the EPUB of an essay and
        its anthology, made in the process that rendered its chapter, take it from here
        without reading its record back (nor checking what it holds again: it was made
        here). Forgotten with the record (:meth:`forget`) or when another record is put
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
        appended to this process's pack (see the class). A store that cannot be written
        costs time only. A record forgotten whose payload is the very one ``chapter``
        makes (read by :meth:`former` just before: ``build --force`` rendering a chapter
        as it was) is recorded again by writing its first bytes back, the rest as it is.
        ``made``: this process made ``chapter`` (see :meth:`made`), remembered once
        recorded (or when the store has no pack for it: what this process made is still
        its own)."""
        home = self._writable()
        former, self._former = self._former, None
        name = self._name(key)
        packs = self._packs()
        if home is not None and packs is not None and not again and packs.recorded(name):
            return           # (what this process remembers of it, if anything, still holds)
        self._drop(key)
        if home is None or packs is None:
            if made:
                self._remember(key, chapter,
                               len(pickle.dumps(chapter, pickle.HIGHEST_PROTOCOL)))
            return
        payload = pickle.dumps(chapter, pickle.HIGHEST_PROTOCOL)
        if made:
            self._remember(key, chapter, len(payload))
        if former is not None and former[0] == name and former[3] == payload and \
                _overwrite(os.path.join(home, former[1]), [former[2]], CHAPTER_MAGIC):
            return
        if packs.unwritable:
            return
        when = time.time_ns()
        head = _HEAD.pack(CHAPTER_MAGIC, name, when, len(payload), _seal(
            name, when, len(payload), payload))
        place = _append(home, head + payload)
        if place is None:
            packs.unwritable = True     # (this build: a read-only folder costs time only)
            return
        packs.enter(name, place[0], place[1], len(payload), when)

    def forget(self, keys) -> None:
        """Forget the chapters recorded under ``keys`` (str or bytes): they are not taken
        from here until this run records them again (``build --force``). Each record's
        first bytes are overwritten (it is no record then; :meth:`put` writes them back,
        or appends the chapter again). If one cannot be forgotten, nothing recorded is
        read by this store any more."""
        names = set()
        for key in keys:
            self._drop(key.encode() if isinstance(key, str) else key)
            names.add(self._name(key))
        self._forget(names)

    def forget_all(self) -> None:
        """Forget every recorded chapter, as :meth:`forget` does (``build --force``, before
        its jobs start: none an earlier build recorded is taken, and those this build
        renders are recorded again); if one cannot be forgotten, nothing recorded is read
        in this build, in its worker processes too (forked after)."""
        _MADE.reset(self._token)
        self._forget(None)

    def _forget(self, names: set[bytes] | None) -> None:
        """Overwrite the first bytes of the records of ``names`` (None: of every record)."""
        packs = self._packs()
        if packs is None or not names and names is not None:
            return
        home = self._writable()
        if home is None:          # a link out of the project: not written, nor read
            self.read = False
            return
        if not packs.refresh():
            self.read = False
            return
        for pack, (_, records, _) in list(packs.scanned.items()):
            places = [r[0] for r in records if names is None or r[1] in names]
            if places and not _overwrite(os.path.join(home, pack), places, _FORGOTTEN):
                self.read = False       # still there: nothing recorded is read this run

    def prune(self, keys) -> None:
        """Drop the chapters of no edition key in ``keys`` (str or bytes): a pack none of
        whose records is kept is removed; the kept records of packs mostly made of others
        (more than half of their bytes), of small packs (:data:`SMALL_PACK`) with any
        other, and of every small pack when there are more than :data:`PACKS` packs (a
        pack per process per build that recorded something), are copied into one new
        pack and those removed: the store's size follows what it keeps, for a copy of
        at most the kept half of a pack. Also removed: the files of the
        earlier layout (one ``.bin`` per chapter) and the temporary files of a killed
        build. A store that cannot be written costs time (or room) only."""
        home = self._writable()
        if home is None:
            return
        keep = {self._name(k) for k in keys}
        try:
            remove_leftovers(home, recursive=False)
            for old in os.scandir(home):
                if old.name.endswith(".bin"):
                    os.unlink(old.path)
        except OSError:
            pass
        view = _Packs(b"", home)          # read anew: what the workers did, as it is now
        try:
            view.refresh()
            kept: dict[str, list[tuple[int, int]]] = {pack: [] for pack in view.scanned}
            for name in keep:
                entry = view.entries.get(name)
                if entry is not None and entry[4]:
                    kept[entry[0]].append((entry[1], entry[2]))
            sizes = {pack: scan[2] for pack, scan in view.scanned.items()}
            live = {p: sum(_HEAD.size + n for _, n in kept[p]) for p in kept}
            dead = [p for p in kept if not kept[p]]
            # mostly others' records, or small with others' records: copied
            merged = [p for p in kept if kept[p] and live[p] < sizes[p] and (
                2 * live[p] < sizes[p] or sizes[p] < SMALL_PACK)]
            if len(kept) - len(dead) > PACKS:          # and the small packs, when many
                merged += [p for p in kept if kept[p] and p not in merged
                           and sizes[p] < SMALL_PACK]
            if len(merged) == 1 and live[merged[0]] == sizes[merged[0]]:
                merged = []                             # (it would be copied as it is)
            copied = _copy_records(view, home, {p: kept[p] for p in merged})
            for pack in dead + (merged if copied else []):
                _drop_pack(home, pack)
        finally:
            view.close()


# A record's head in a pack (see ChapterStore): CHAPTER_MAGIC (zeros when forgotten), the
# record's name (see ChapterStore.name), when it was written (ns: the newest of a name is
# the record), the payload's length, and a SHA-256 of those three and the payload.
_HEAD = struct.Struct(">16s20sQQ32s")
CHAPTER_MAGIC = b"serge-chapter 2\n"             # (1: one .bin file per chapter)
_FORGOTTEN = bytes(len(CHAPTER_MAGIC))           # what ChapterStore.forget writes over it
PACK_SUFFIX = ".pack"
PACKS = 8                       # small packs kept before they are merged (see prune)
SMALL_PACK = 4 * 1024 * 1024
_CLOEXEC_NOFOLLOW = getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOFOLLOW", 0) | \
    getattr(os, "O_BINARY", 0)
_READ = os.O_RDONLY | _CLOEXEC_NOFOLLOW | getattr(os, "O_NONBLOCK", 0)   # (a fifo: not waited on)
_FORGET = os.O_WRONLY | _CLOEXEC_NOFOLLOW
_NEW_PACK = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_APPEND | _CLOEXEC_NOFOLLOW
# The records a process remembers it made (ChapterStore.made), in bytes of their payloads:
# a chapter's record is mostly its deflated stream (some 28 KB for an essay of 18,000
# words), so all those of 200 essays in 10 languages (56 MB of streams) are held.
MADE_BYTES = 96 * 1024 * 1024


def _seal(name: bytes, when: int, length: int, payload: bytes) -> bytes:
    """The SHA-256 a record's head ends with (see _HEAD)."""
    check = hashlib.sha256(_HEAD.pack(b"", name, when, length, b"")[16:-32])
    check.update(payload)
    return check.digest()


class _Packs:
    """The records of a store's packs this process has read the heads of (a store's, by
    its token: the copies of a store given to the jobs run in one process share it;
    another store's, an earlier build's, is dropped): ``entries``: name -> (pack, place,
    length, time, live as read), the newest record of each name; ``scanned``: pack ->
    (where its reading stopped, its records: (place, name, time, length), its size
    then). Only where to look: what a record holds, and whether it is forgotten, is read
    with it (:func:`_record_of`)."""

    current: _Packs | None = None

    def __init__(self, token: bytes, directory: str) -> None:
        self.token, self.directory, self.pid = token, directory, os.getpid()
        self.entries: dict[bytes, tuple[str, int, int, int, bool]] = {}
        self.scanned: dict[str, tuple[int, list[tuple[int, bytes, int, int]], int]] = {}
        self.fds: dict[str, int] = {}
        self.unwritable = False

    @classmethod
    def of(cls, token: bytes, directory: str) -> _Packs:
        found = cls.current
        if found is None or found.token != token or found.directory != directory:
            if found is not None and found.pid == os.getpid():
                found.close()
            found = cls.current = cls(token, directory)
        return found

    def close(self) -> None:
        for fd in self.fds.values():
            try:
                os.close(fd)
            except OSError:
                pass
        self.fds = {}

    def _fd(self, pack: str) -> int | None:
        fd = self.fds.get(pack)
        if fd is None:
            try:
                fd = os.open(os.path.join(self.directory, pack), _READ)
            except OSError:
                return None
            try:
                regular = stat.S_ISREG(os.fstat(fd).st_mode)
            except OSError:
                regular = False
            if not regular:             # (a fifo, a folder...: no pack)
                os.close(fd)
                return None
            self.fds[pack] = fd
        return fd

    def refresh(self) -> bool:
        """Read the heads of the records appended since (to the packs known, and to
        those made since); False if the directory cannot be listed (but is there)."""
        try:
            names = [n for n in os.listdir(self.directory) if n.endswith(PACK_SUFFIX)]
        except FileNotFoundError:
            return True
        except OSError:
            return False
        for pack in names:
            self._scan(pack)
        return True

    def _scan(self, pack: str) -> None:
        place, records, _ = self.scanned.get(pack, (0, [], 0))
        fd = self._fd(pack)
        if fd is None:
            return
        try:
            size = os.fstat(fd).st_size
            while place + _HEAD.size <= size:
                magic, name, when, length, _ = _HEAD.unpack(os.pread(fd, _HEAD.size, place))
                end = place + _HEAD.size + length
                if magic != CHAPTER_MAGIC and magic != _FORGOTTEN or end > size:
                    break         # not a record (read no further), or not whole yet
                records.append((place, name, when, length))
                self.enter(name, pack, place, length, when, magic == CHAPTER_MAGIC)
                place = end
        except (OSError, struct.error):
            pass
        self.scanned[pack] = (place, records, size)

    def enter(self, name: bytes, pack: str, place: int, length: int, when: int,
              live: bool = True) -> None:
        old = self.entries.get(name)
        if old is None or when >= old[3]:
            self.entries[name] = (pack, place, length, when, live)

    def read(self, name: bytes, forgotten: bool = False
             ) -> tuple[tuple[str, int], bytes] | None:
        """The place and payload of the newest record of ``name``, intact (and not
        forgotten, unless ``forgotten``); the heads appended since are read when there is
        none, or it is not intact (another process may have put it again)."""
        entry = self.entries.get(name)
        if entry is not None:
            found = self._payload(entry, name, forgotten)
            if found is not None:
                return found
        self.refresh()
        again = self.entries.get(name)
        if again is None or again == entry:
            return None
        return self._payload(again, name, forgotten)

    def _payload(self, entry: tuple, name: bytes, forgotten: bool
                 ) -> tuple[tuple[str, int], bytes] | None:
        fd = self._fd(entry[0])
        try:
            if fd is not None and not os.fstat(fd).st_nlink:     # removed (pruned): its
                os.close(self.fds.pop(entry[0]))                 # records are gone
                fd = self._fd(entry[0])
        except OSError:
            return None
        if fd is None:
            return None
        payload = _record_of(fd, entry[1], entry[2], name, forgotten)
        return None if payload is None else ((entry[0], entry[1]), payload)

    def recorded(self, name: bytes) -> bool:
        """Whether the newest record of ``name`` begins as a record does (a forgotten one
        does not)."""
        entry = self.entries.get(name)
        if entry is None:
            self.refresh()
            entry = self.entries.get(name)
        fd = None if entry is None else self._fd(entry[0])
        if fd is None or entry is None:
            return False
        try:
            return os.pread(fd, len(CHAPTER_MAGIC), entry[1]) == CHAPTER_MAGIC
        except OSError:
            return False


# This process's pack, by the folder it is in: (the process, its fd, its name, its end).
_WRITERS: dict[str, tuple[int, int, str, int]] = {}


def _append(home: str, data: bytes) -> tuple[str, int] | None:
    """Append ``data`` (one record) to this process's pack in ``home`` (made, under a
    random name, by its first record, or when it was removed or cut); where it was written,
    None if it could not be. A pack is written by one process only, and a record by
    one write: a pack whose write failed is left (another is begun by the next record)."""
    pid = os.getpid()
    writer = _WRITERS.get(home)
    if writer is not None and writer[0] == pid:
        try:       # removed or cut meanwhile (the cache cleared): what is written
            info = os.fstat(writer[1])      # there would be lost, or not where said
            gone = not info.st_nlink or info.st_size != writer[3]
        except OSError:
            gone = True
        if gone:
            _close_writer(home)
            writer = None
    if writer is None or writer[0] != pid:
        pack = os.urandom(12).hex() + PACK_SUFFIX
        try:
            try:
                fd = os.open(os.path.join(home, pack), _NEW_PACK, 0o666)
            except FileNotFoundError:
                os.makedirs(home, exist_ok=True)
                fd = os.open(os.path.join(home, pack), _NEW_PACK, 0o666)
        except OSError:
            return None
        writer = _WRITERS[home] = (pid, fd, pack, 0)
    _, fd, pack, end = writer
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
    except OSError:
        _close_writer(home)
        return None
    _WRITERS[home] = (pid, fd, pack, end + len(data))
    return pack, end


def _close_writer(home: str, pack: str | None = None) -> None:
    """Let go of this process's pack in ``home`` (``pack``: if it is that one)."""
    writer = _WRITERS.get(home)
    if writer is None or pack is not None and writer[2] != pack:
        return
    del _WRITERS[home]
    if writer[0] == os.getpid():
        try:
            os.close(writer[1])
        except OSError:
            pass


def _overwrite(path: str, places: list[int], data: bytes) -> bool:
    """Write ``data`` at each of ``places`` of the pack ``path`` (the first bytes of a
    record's head: forgotten, or recorded again); False if it cannot be (a pack gone
    meanwhile: its records are gone, nothing to forget)."""
    try:
        fd = os.open(path, _FORGET)
    except FileNotFoundError:
        return data == _FORGOTTEN
    except OSError:
        return False
    try:
        for place in places:
            if os.pwrite(fd, data, place) != len(data):
                return False
        return True
    except OSError:
        return False
    finally:
        os.close(fd)


def _copy_records(view: _Packs, home: str, kept: dict[str, list[tuple[int, int]]]
                  ) -> bool:
    """Copy the intact ``kept`` records ((place, length) by pack) into one new pack
    (written whole, then renamed into place: a killed copy leaves a temporary file,
    removed as a leftover, never half a pack); whether it was done (nothing to copy:
    done)."""
    chunks: list[bytes] = []
    for pack, records in kept.items():
        fd = view._fd(pack)
        for place, length in records:
            try:
                data = os.pread(fd, _HEAD.size + length, place) if fd is not None else b""
            except OSError:
                data = b""
            head = data[:_HEAD.size]
            if len(head) == _HEAD.size and _record_of_bytes(
                    data, _HEAD.unpack(head)[1], length, False) is not None:
                chunks.append(data)
    if not chunks:
        return True
    try:
        atomic.write_bytes(os.path.join(home, os.urandom(12).hex() + PACK_SUFFIX),
                           b"".join(chunks), durable=False)
    except OSError:
        return False
    return True


def _drop_pack(home: str, pack: str) -> None:
    _close_writer(home, pack)
    try:
        os.unlink(os.path.join(home, pack))
    except OSError:
        pass


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


def _record_of(fd: int, place: int, length: int, name: bytes, forgotten: bool = False
               ) -> bytes | None:
    """The payload of the record of ``name`` at ``place`` in the pack open as ``fd``
    (``length``: its payload's, as its head said when read), None when there is none
    there or it is not intact (see _HEAD; ``forgotten``: a forgotten one is read too)."""
    try:
        data = os.pread(fd, _HEAD.size + length, place)
    except OSError:
        return None
    return _record_of_bytes(data, name, length, forgotten)


def _record_of_bytes(data: bytes, name: bytes, length: int, forgotten: bool
                     ) -> bytes | None:
    """The payload of the record ``data`` (its head and payload), as :func:`_record_of`."""
    if len(data) != _HEAD.size + length:
        return None
    magic, named, when, size, check = _HEAD.unpack_from(data)
    if not (magic == CHAPTER_MAGIC or forgotten and magic == _FORGOTTEN) or \
            named != name or size != length or not length:
        return None
    payload = data[_HEAD.size:]
    return payload if _seal(name, when, length, payload) == check else None


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
            data = jsonio.loads(atomic.read_file(path))
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
        data = jsonio.dumps({"format": 1, "files": self.seen})
        try:
            atomic.write_bytes(self.path, data, durable=False)
        except OSError:
            pass
