"""The build's writing made cheaper (issue 8): its outputs and caches are written
atomically but not synced to disk (they can be made again, and the next build makes again
an output that is not the file its state records, as after a power cut); their temporary
files are named by a counter, not at random, and still found as leftovers. The state and
the report are synced as before. ``build --force`` renders each chapter once, whatever
the number of jobs: an anthology made in a worker takes the chapters the other workers
rendered in this build, never one an earlier build recorded."""
from __future__ import annotations

import fnmatch
import itertools
import json
import os
import pickle
import shutil
import stat
import zlib
from pathlib import Path

import pytest
from chapter_packs import records, sealed, write_pack

from build_helpers import build, edit_catalogue, files_of
from serge_publish import atomic
from serge_publish.writers import epub
from serge_publish.writers.memo import BytesBounded

ROOT = Path(__file__).resolve().parents[1]
STATE = ".serge-build-state.json"
REPORT = "build-report.json"
CHAPTERS = Path(".serge-cache", "chapters")
ESSAYS = ["alpha", "beta"]


# ---------------------------------------------------------------- atomic, not durable

def _opened(monkeypatch) -> list[str]:
    names: list[str] = []
    real = atomic.os.open
    monkeypatch.setattr(atomic.os, "open", lambda path, *a, **k: names.append(
        os.path.basename(path)) or real(path, *a, **k))
    return names


def test_a_quick_write_names_its_temporary_file_by_process_and_counter(tmp_path,
                                                                       monkeypatch):
    monkeypatch.setattr(atomic, "_SERIAL", itertools.count(7))
    leftover = tmp_path / f"out.txt.{os.getpid()}-7{atomic.TEMP_SUFFIX}"   # a killed
    leftover.write_bytes(b"half")                                # process had this pid
    names = _opened(monkeypatch)
    atomic.write_bytes(tmp_path / "out.txt", b"data", durable=False)
    assert names == [leftover.name, f"out.txt.{os.getpid()}-8{atomic.TEMP_SUFFIX}"]
    assert (tmp_path / "out.txt").read_bytes() == b"data" and leftover.read_bytes() == b"half"
    patterns = (ROOT / ".gitignore").read_text(encoding="utf-8").split()
    assert not names[1].startswith(".") and atomic.is_temporary(names[1])
    assert any(fnmatch.fnmatch(names[1], p) for p in patterns)
    assert atomic.remove_leftovers(tmp_path, age=0) == [leftover]    # found as leftovers are
    assert sorted(os.listdir(tmp_path)) == ["out.txt"]


def test_a_quick_write_makes_its_folder_keeps_modes_and_leaves_nothing_when_it_fails(
        tmp_path):
    target = tmp_path / "a" / "b" / "out.txt"
    atomic.write_bytes(target, b"one", durable=False)            # the folders are made
    assert target.read_bytes() == b"one"
    target.chmod(0o600)
    atomic.write_bytes(target, b"two", durable=False)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600 and target.read_bytes() == b"two"
    umask = os.umask(0o027)
    try:
        atomic.write_bytes(tmp_path / "fresh.txt", b"x", durable=False)
    finally:
        os.umask(umask)
    assert stat.S_IMODE((tmp_path / "fresh.txt").stat().st_mode) == 0o640

    def fail(_):
        raise RuntimeError("stop")
    with pytest.raises(RuntimeError):
        atomic.write_bytes(target, b"three", durable=False, check=fail)
    assert target.read_bytes() == b"two" and os.listdir(target.parent) == ["out.txt"]


def test_a_quick_write_neither_syncs_nor_looks_for_leftovers(tmp_path, monkeypatch):
    monkeypatch.setattr(atomic.os, "fsync", lambda fd: pytest.fail("synced"))
    monkeypatch.setattr(atomic, "remove_leftovers", lambda *a, **k: pytest.fail("swept"))
    atomic.write_bytes(tmp_path / "x.bin", b"x", durable=False)
    assert (tmp_path / "x.bin").read_bytes() == b"x"


def test_a_quick_write_follows_links_inside_the_project_only(tmp_path):
    project = tmp_path / "project"
    (project / "build" / "fr").mkdir(parents=True)
    (project / atomic.PROJECT_MARKER).write_text("")
    (project / "shared").mkdir()
    (project / "shared" / "b.html").write_bytes(b"old")
    (project / "build" / "fr" / "b.html").symlink_to(project / "shared" / "b.html")
    assert atomic.write_bytes(project / "build" / "fr" / "b.html", b"2", durable=False) == \
        project / "shared" / "b.html"
    assert (project / "build" / "fr" / "b.html").is_symlink()
    assert (project / "shared" / "b.html").read_bytes() == b"2"
    (project / "build" / "fr" / "c.html").symlink_to(tmp_path / "elsewhere.html")
    with pytest.raises(atomic.OutsideRootError):
        atomic.write_bytes(project / "build" / "fr" / "c.html", b"3", durable=False)
    (tmp_path / "elsewhere").mkdir()
    (project / "build" / "de").symlink_to(tmp_path / "elsewhere")
    with pytest.raises(atomic.OutsideRootError, match="outside the project"):
        atomic.write_bytes(project / "build" / "de" / "a.html", b"5", durable=False)
    assert not list((tmp_path / "elsewhere").iterdir())


# ---------------------------------------------------------------- in a build

@pytest.fixture
def project(make_root) -> Path:
    """fr and de fully translated (published), built once, then once more (published.toml
    settled)."""
    root = make_root("two-essays")
    for lang in ("fr", "de"):
        for essay in ESSAYS:
            edit_catalogue(root, lang, essay, lambda i, e: e.msgid)
    build(root, "--jobs", "1")
    build(root, "--jobs", "1")
    return root


def _clean_build(project: Path, tmp_path: Path) -> dict[str, bytes]:
    clean = tmp_path / "clean"
    shutil.copytree(project, clean, ignore=shutil.ignore_patterns("build", ".serge-cache"))
    build(clean, "--jobs", "1")
    return files_of(clean / "build")


def test_the_outputs_are_not_synced_but_the_state_and_report_are(project, monkeypatch):
    writes: list[tuple[str, bool]] = []
    synced: list[int] = []
    real = atomic.write_bytes

    def write(path, data, **options):
        writes.append((Path(path).name, options.get("durable", True)))
        return real(path, data, **options)

    monkeypatch.setattr(atomic, "write_bytes", write)
    monkeypatch.setattr(atomic.os, "fsync", lambda fd: synced.append(fd))
    build(project, "--jobs", "1", "--force")
    durable = [name for name, sure in writes if sure]
    assert durable == [STATE, REPORT, REPORT, STATE]
    outputs = [name for name, sure in writes if not sure and name.endswith((".epub", ".html"))]
    assert len(outputs) == 3 * (2 * 2 + 2) + 1   # en, fr, de: 2 essays x 2, index, anthology
    assert len(synced) == 3 * len(durable)       # the file, its folder before and after


def _recorded(project: Path, rel: str) -> list:
    """What .serge-cache/build-files.json records of build/``rel``."""
    files = json.loads((project / ".serge-cache" / "build-files.json").read_text("utf-8"))
    return files["files"][str(project / "build" / rel)]


def test_an_output_a_power_cut_left_empty_or_old_is_made_again(project, tmp_path):
    """The outputs are not synced: after a power cut one can be empty, or the old file
    (the rename lost). Each differs from what the state and the digests record (its size,
    or its inode and ctime even with its mtime as recorded), so it is read and made
    again."""
    before = files_of(project / "build")
    edit_catalogue(project, "fr", "alpha", lambda i, e: e.msgid + " !" if i % 2 else None)
    build(project, "--jobs", "1")
    good = files_of(project / "build")
    empty, old = "fr/alpha.html", "fr/alpha.epub"
    assert before[old] != good[old]
    for rel, data in ((empty, b""), (old, before[old])):
        path = project / "build" / rel
        mtime = _recorded(project, rel)[1]
        lost = path.with_name("lost")
        lost.write_bytes(data)
        os.utime(lost, ns=(mtime, mtime))              # the time the state knows
        os.replace(lost, path)
    build(project, "--jobs", "1")
    written = json.loads((project / "build" / STATE).read_text("utf-8"))["written"]
    assert sorted(written) == sorted([empty, old])
    assert files_of(project / "build") == good == _clean_build(project, tmp_path)


# ---------------------------------------------------------------- --force and chapters

def _rendered(monkeypatch, tmp_path: Path) -> Path:
    """A file that lists the essays whose chapter is rendered from now on, in this process
    and in the workers it forks (nothing remembered in memory)."""
    log = tmp_path / "rendered.txt"
    log.write_text("")
    real = epub.render_essay
    monkeypatch.setattr(epub, "_CHAPTERS", BytesBounded(1 << 30, lambda _, c: 1))

    def render(document, *args, **kwargs):
        with open(log, "a", encoding="utf-8") as handle:
            handle.write(document.id + "\n")
        return real(document, *args, **kwargs)

    monkeypatch.setattr(epub, "render_essay", render)
    return log


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_force_renders_each_chapter_once_whatever_the_jobs(project, monkeypatch, tmp_path,
                                                           jobs):
    """With two jobs, an anthology made in one worker takes the chapters the other
    rendered in this build from the store (before: it rendered them again)."""
    import multiprocessing
    if jobs == "2" and "fork" not in multiprocessing.get_all_start_methods():
        pytest.skip("the workers must inherit the counting hook")
    before = files_of(project / "build")
    log = _rendered(monkeypatch, tmp_path)
    build(project, "--jobs", jobs, "--force")
    assert sorted(log.read_text("utf-8").split()) == sorted(ESSAYS * 3)   # en, fr, de
    assert files_of(project / "build") == before


def _tamper(folder: Path) -> None:
    """Make every chapter recorded in ``folder`` another, intact one (its text changed)."""
    raws = []
    for record in records(folder):
        meta, stream, _, outline, _ = pickle.loads(record.payload)
        xhtml = zlib.decompress(stream, -15).replace(b"</body>", b"<p>TAMPERED</p></body>")
        packer = zlib.compressobj(9, zlib.DEFLATED, -15)
        stream = packer.compress(xhtml) + packer.flush()
        payload = pickle.dumps((meta, stream, zlib.crc32(xhtml), outline, len(xhtml)), 5)
        raws.append(sealed(record.name, payload, record.when))
    write_pack(folder, raws)


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_force_never_takes_a_chapter_an_earlier_build_recorded(project, jobs, monkeypatch):
    monkeypatch.setattr(epub, "_CHAPTERS", BytesBounded(1 << 30, lambda _, c: 1))  # a new
    before = files_of(project / "build")                                   # process
    assert len(records(project / CHAPTERS)) == 6
    _tamper(project / CHAPTERS)
    build(project, "--jobs", jobs, "--force")
    assert files_of(project / "build") == before
    left = records(project / CHAPTERS)                    # every record, forgotten or not
    assert len(left) == 6 and all(b"TAMPERED" not in zlib.decompress(
        pickle.loads(r.payload)[1], -15) for r in left)    # recorded again, as rendered
    _tamper(project / CHAPTERS)       # (the test's check: a build that trusts the store
    (project / "build" / "fr" / "anthology.epub").unlink()
    build(project, "--jobs", jobs)
    assert b"TAMPERED" in _texts(project / "build" / "fr" / "anthology.epub")


def _texts(book: Path) -> bytes:
    import zipfile
    with zipfile.ZipFile(book) as packed:
        return b"".join(packed.read(name) for name in packed.namelist())


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_an_output_changed_before_the_build_records_it_is_made_again(project, jobs,
                                                                     monkeypatch, tmp_path):
    """The stat recorded with an output's digest is the one its writer took just after
    the rename, not one taken when the build hears of it (seconds later with workers):
    a same-size change in between is seen by the next build (before: recorded as the
    build's own bytes, and every later build said "up to date")."""
    from serge_publish.commands import build_write
    good = files_of(project / "build")
    rel = "fr/alpha.html"
    real = build_write.OutputWriter.wrote

    def wrote(self, path, done):
        if path == rel:
            target = project / "build" / rel
            target.write_bytes(target.read_bytes().replace(b"</p>", b"</P>", 1))
        return real(self, path, done)

    monkeypatch.setattr(build_write.OutputWriter, "wrote", wrote)
    build(project, "--jobs", jobs, "--force")
    assert b"</P>" in (project / "build" / rel).read_bytes()
    monkeypatch.undo()
    build(project, "--jobs", "1")
    assert files_of(project / "build") == good


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_force_with_a_chapter_it_cannot_forget_reads_no_recorded_chapter(project, jobs,
                                                                         monkeypatch):
    """A stored chapter --force cannot remove (a read-only cache folder) is not taken:
    the store is then not read at all in this build (nor in its worker processes, forked
    after the chapters are removed)."""
    from serge_publish.commands import build_state
    monkeypatch.setattr(epub, "_CHAPTERS", BytesBounded(1 << 30, lambda _, c: 1))
    before = files_of(project / "build")
    _tamper(project / CHAPTERS)
    real_open, real_unlink, real_remove = build_state.os.open, Path.unlink, os.unlink

    def refuse(path, flags, *args, **kwargs):     # no chapter's pack can be written
        if flags & os.O_WRONLY and str(path).endswith(".pack"):
            raise PermissionError(13, "Permission denied", path)
        return real_open(path, flags, *args, **kwargs)

    def unlink(self, missing_ok=False):           # nor removed
        if self.parent.name == "chapters":
            raise PermissionError(13, "Permission denied", str(self))
        return real_unlink(self, missing_ok=missing_ok)

    def remove(path, *args, **kwargs):
        if Path(path).parent.name == "chapters":
            raise PermissionError(13, "Permission denied", str(path))
        return real_remove(path, *args, **kwargs)

    monkeypatch.setattr(build_state.os, "open", refuse)
    monkeypatch.setattr(build_state.Path, "unlink", unlink)
    monkeypatch.setattr(build_state.os, "unlink", remove)
    build(project, "--jobs", jobs, "--force")
    assert files_of(project / "build") == before
