"""Atomic, durable file writes: a temporary file in the same folder, then a rename.

A reader never sees a half-written output, and a failure (or a power cut) leaves the old
file intact: the temporary file is flushed to disk (fsync) before it replaces the target,
and the folder is synced before and after the rename. The target keeps its permissions (a
0600 draft stays 0600); a new file gets the usual ones (0666 less the umask).

A target that is (or lies under) a symbolic link is written where the link points when
that place is inside the project (``root``; by default the nearest folder above the
target holding ``serge-publish.toml``, else the target's own folder): the link stays a
link. A link that leads outside is refused with :class:`OutsideRootError`, naming it.

Temporary files are ``<name>.<random>.serge-tmp``: not hidden (``ls`` shows a file a kill
left behind), ignored by ``.gitignore`` (``*.serge-tmp``), recognised by
:func:`is_temporary`; a write removes the leftovers of earlier writes of the same target,
:func:`remove_leftovers` those of a whole folder.

``durable=False`` is for files whose loss costs only time (the build's outputs, which the
next build writes again when they are not what its state records, and its caches): still
atomic, but nothing is synced, the temporary file is ``<name>.<pid>-<n>.serge-tmp`` (a
counter, not random: hundreds are written in a build) and its folder is created only when
it is missing. Its leftovers are the caller's (the build sweeps build/ when it starts).
With ``keep_same`` as well, a target that already holds the bytes (read back, compared
byte for byte) is left as it is: no new file, no rename, no old file to free (the costs of
a write; a build rendering its outputs again mostly makes the bytes already there).
"""
from __future__ import annotations

import errno
import glob
import io
import itertools
import os
import stat
import time
from collections.abc import Callable
from pathlib import Path

TEMP_SUFFIX = ".serge-tmp"
PROJECT_MARKER = "serge-publish.toml"
LEFTOVER_AGE = 60.0          # seconds: a younger temporary file may be another writer's


class OutsideRootError(OSError):
    """The target is a symbolic link (or lies under one) that leads outside the project."""

    def __init__(self, link: Path, resolved: Path, root: Path):
        super().__init__(errno.EPERM, f"{link} is a symbolic link to {resolved}, outside "
                                      f"the project ({root}): not written through it")
        self.link, self.resolved, self.root = link, resolved, root


class NotAFileError(OSError):
    """What a path names is not a file but a named pipe, a socket or a device: reading it
    could wait for ever (a fifo with no writer) or never end (``/dev/zero``)."""


NOT_A_FILE = "a named pipe, a socket or a device, not a file"
NOT_A_FILE_HINT = "put the file itself in its place (git restore FILE, if git has it)"
_OPEN_FILE = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0) | \
    getattr(os, "O_BINARY", 0)


def open_file(path: str | os.PathLike, follow: bool = True) -> io.BufferedReader:
    """``open(path, "rb")``, which never waits: the file is opened without blocking (a
    fifo with no writer opens at once) and must be a regular file, else NotAFileError
    (IsADirectoryError for a folder, as ``open``'s reading gives); with ``follow`` False,
    a link in its place is refused too (OSError, ELOOP). The sources,
    templates, catalogues and caches that ``extract``, ``update``, ``build`` and
    ``validate`` read are read through this or :func:`read_file`. (O_NONBLOCK changes
    nothing for a regular file.)"""
    fd = os.open(path, _OPEN_FILE if follow else _OPEN_FILE | getattr(os, "O_NOFOLLOW", 0))
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            if stat.S_ISDIR(mode):
                raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR),
                                        os.fspath(path))
            raise NotAFileError(errno.EINVAL, NOT_A_FILE, os.fspath(path))
        return open(fd, "rb")           # noqa: SIM115   (the caller closes it)
    except BaseException:
        os.close(fd)
        raise


def read_file(path: str | os.PathLike, follow: bool = True) -> bytes:
    """The bytes of the file at ``path``, read through :func:`open_file`."""
    with open_file(path, follow) as handle:
        return handle.read()


def not_a_file(exc: OSError) -> bool:
    """Whether ``exc`` says that something else than a file is in the file's place."""
    return isinstance(exc, NotAFileError | IsADirectoryError)


def reason(exc: OSError) -> str:
    """Why a file could not be read, in the words of a message: "it is a folder", "it is a
    named pipe, ..." (:func:`open_file`'s refusals), else the system's own."""
    if isinstance(exc, NotAFileError):
        return f"it is {NOT_A_FILE}"
    if isinstance(exc, IsADirectoryError):
        return "it is a folder"
    return exc.strerror or str(exc)


def reason_hint(exc: OSError, hint: str | None = None) -> str | None:
    """The hint for :func:`reason`: put the file back, when something else is in its
    place; else ``hint``."""
    return NOT_A_FILE_HINT if not_a_file(exc) else hint


def is_temporary(path: str | os.PathLike) -> bool:
    """Whether ``path`` is a temporary file of :func:`write_bytes` (a leftover if old)."""
    return os.fspath(path).endswith(TEMP_SUFFIX)


def remove_leftovers(folder: str | os.PathLike, pattern: str = "*" + TEMP_SUFFIX,
                     age: float = LEFTOVER_AGE, recursive: bool = True) -> list[Path]:
    """Delete the temporary files older than ``age`` seconds in (or under) ``folder``."""
    removed, now = [], time.time()
    found = Path(folder).rglob(pattern) if recursive else Path(folder).glob(pattern)
    for path in sorted(found):
        try:
            if path.is_file() and not path.is_symlink() and now - path.stat().st_mtime > age:
                path.unlink()
                removed.append(path)
        except OSError:
            continue
    return removed


def project_root(path: Path) -> Path:
    """The nearest folder above ``path`` holding serge-publish.toml, else its folder."""
    start = Path(os.path.abspath(path)).parent
    return next((p for p in (start, *start.parents) if (p / PROJECT_MARKER).is_file()), start)


def resolve_target(path: str | os.PathLike, root: str | os.PathLike | None = None) -> Path:
    """Where writing ``path`` lands: itself, or where its links lead inside ``root``;
    OutsideRootError if a link leads outside ``root``."""
    target = Path(os.path.abspath(path))
    try:
        resolved = target.resolve()
    except RuntimeError:             # a loop of links (Python 3.11's resolve says so)
        raise OSError(errno.ELOOP, os.strerror(errno.ELOOP), str(target)) from None
    if resolved == target:
        return target
    base = Path(root) if root is not None else project_root(target)
    real_root = base.resolve()
    if resolved != real_root and real_root not in resolved.parents:
        raise OutsideRootError(target, resolved, base)
    return resolved


def sync_folder(folder: Path) -> None:
    """Flush ``folder``'s entries to disk (a rename or a new file in it survives a power
    cut); a file system that cannot sync a folder is left as it is."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:            # some file systems cannot sync a folder: nothing to do
        pass
    finally:
        os.close(fd)


_sync_folder = sync_folder


def _mode(target: Path) -> int:
    try:
        return target.stat().st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def write_bytes(path: str | os.PathLike, data: bytes, *,
                root: str | os.PathLike | None = None,
                check: Callable[[Path], None] | None = None,
                durable: bool = True, keep_same: bool = False) -> Path:
    """Replace ``path`` by ``data`` atomically and durably; the path written (where a
    symbolic link inside ``root`` leads). ``check(target)``, called when the data is on
    disk and just before the rename, may raise to leave the target as it is.
    ``durable=False``, for a file whose loss costs only time (a build's output, a cache):
    still atomic (a reader sees the old file or the new one), but nothing is synced to disk
    and the leftovers of killed writers are left to the caller (hundreds of outputs and
    thousands of cache files are written in one build; see the module's docstring).
    ``keep_same`` (with ``durable=False``): a target that already holds exactly ``data``
    (read back and compared, byte for byte) is left as it is, its inode and times too
    (``check`` is still called): ``build --force`` renders every output again, and most
    are the bytes already there; replacing them would cost a new file, a rename and the
    old file's removal each, for the same bytes."""
    if not durable:
        return Path(_write_quickly(path, data, root, check, keep_same))
    target = resolve_target(path, root)
    target.parent.mkdir(parents=True, exist_ok=True)
    remove_leftovers(target.parent, f"{glob.escape(target.name)}.*{TEMP_SUFFIX}",
                     recursive=False)
    import tempfile
    fd, tmp = tempfile.mkstemp(prefix=f"{target.name}.", suffix=TEMP_SUFFIX, dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fchmod(handle.fileno(), _mode(target))
            os.fsync(handle.fileno())
        _sync_folder(target.parent)
        if check is not None:
            check(target)
        os.replace(tmp, target)
        _sync_folder(target.parent)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


_SERIAL = itertools.count()          # the temporary files of this process (see below)
_NEW = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0) | \
    getattr(os, "O_BINARY", 0)
_READ = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0) | \
    getattr(os, "O_BINARY", 0)
_PID = [os.getpid()]                 # this process's id (a system call each time asked)
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=lambda: _PID.__setitem__(0, os.getpid()))


def pid() -> int:
    """``os.getpid()``, remembered (and found again in a forked child)."""
    return _PID[0]


def _write_quickly(path: str | os.PathLike, data: bytes, root: str | os.PathLike | None,
                   check: Callable[[Path], None] | None, keep_same: bool = False) -> str:
    """``write_bytes(..., durable=False)``: the fewest system calls that keep the write
    atomic (the path written, a str). One ``lstat`` of the target tells whether it is a
    link (then resolved as ``resolve_target`` does), gives the mode its replacement takes
    and the size ``keep_same`` compares; the folders above it are resolved as strings
    (``realpath``: a link among them is followed, or refused, as ``resolve_target`` does).
    The temporary file is named by this process's id and a counter (O_EXCL: a leftover of
    a killed process that had this id is passed over; O_CLOEXEC: a worker started
    meanwhile does not inherit it); its folder is made when opening it finds none; a new
    file is created with the usual mode (0666 less the umask), an existing target's mode
    is given to its replacement."""
    target = os.path.abspath(path)
    folder = os.path.dirname(target)
    try:
        info: os.stat_result | None = os.lstat(target)
    except OSError:
        info = None
    if (info is not None and stat.S_ISLNK(info.st_mode)) or \
            os.path.realpath(folder) != folder:
        target = str(resolve_target(target, root))   # a link: followed inside the project
        try:
            info = os.lstat(target)
        except OSError:
            info = None
    if keep_same and info is not None and stat.S_ISREG(info.st_mode) and \
            info.st_size == len(data) and _holds(target, data):
        if check is not None:
            check(Path(target))
        return target
    fd, tmp = _open_temporary(target)
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
            if info is not None:
                os.fchmod(fd, info.st_mode & 0o7777)
        finally:
            os.close(fd)
        if check is not None:
            check(Path(target))
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    return target


def _holds(target: str, data: bytes) -> bool:
    """Whether the regular file ``target`` holds exactly ``data`` (False when it cannot
    be read: it is then written)."""
    try:
        fd = os.open(target, _READ)
    except OSError:
        return False
    try:
        found, want = [], len(data) + 1         # one byte more: a file that grew is seen
        while want > 0:
            chunk = os.read(fd, want)
            found.append(chunk)
            if len(chunk) < want:               # a regular file's short read: its end
                break
            want -= len(chunk)
        return b"".join(found) == data
    except OSError:
        return False
    finally:
        os.close(fd)


def _open_temporary(target: str) -> tuple[int, str]:
    """A new, empty temporary file beside ``target``: its descriptor and its path."""
    prefix, made = f"{target}.{_PID[0]}-", False
    while True:
        tmp = f"{prefix}{next(_SERIAL)}{TEMP_SUFFIX}"
        try:
            return os.open(tmp, _NEW, 0o666), tmp
        except FileExistsError:
            continue
        except FileNotFoundError:
            if made:
                raise
            os.makedirs(os.path.dirname(target), exist_ok=True)
            made = True


def write_text(path: str | os.PathLike, text: str, *,
               root: str | os.PathLike | None = None,
               check: Callable[[Path], None] | None = None) -> Path:
    return write_bytes(path, text.encode("utf-8"), root=root, check=check)
