"""Writing the build's files cheaper (issue 8): an output (or a cache file) that already
holds the bytes a build writes is left as it is, not replaced by a new file with the same
bytes (``build --force`` renders every output again, and most are unchanged); a file that
differs, even in one byte of the same size, is replaced atomically as before. One
``lstat`` of the target gives what the write needs of it (a link? its mode, its size)."""
from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from build_helpers import build, edit_catalogue, files_of
from serge_publish import atomic

STATE = ".serge-build-state.json"


def _inode(path: Path) -> tuple[int, int]:
    info = path.stat()
    return info.st_ino, info.st_mtime_ns


# ---------------------------------------------------------------- atomic.write_bytes

def test_a_file_already_holding_the_bytes_is_left_as_it_is(tmp_path, monkeypatch):
    target = tmp_path / "out.epub"
    atomic.write_bytes(target, b"same bytes", durable=False, keep_same=True)
    before = _inode(target)
    monkeypatch.setattr(atomic.os, "replace", lambda *a: pytest.fail("replaced"))
    checked: list[Path] = []
    assert atomic.write_bytes(target, b"same bytes", durable=False, keep_same=True,
                              check=checked.append) == target
    assert _inode(target) == before and checked == [target]
    assert os.listdir(tmp_path) == ["out.epub"]            # no temporary file made


@pytest.mark.parametrize("other", [b"same bytez", b"same byte", b"same bytes!"])
def test_a_file_with_other_bytes_is_replaced(tmp_path, other):
    target = tmp_path / "out.epub"
    target.write_bytes(b"same bytes")
    target.chmod(0o600)
    inode = target.stat().st_ino
    atomic.write_bytes(target, other, durable=False, keep_same=True)
    assert target.read_bytes() == other and target.stat().st_ino != inode
    assert stat.S_IMODE(target.stat().st_mode) == 0o600    # the mode, from the one lstat
    assert os.listdir(tmp_path) == ["out.epub"]


def test_without_keep_same_or_durable_the_file_is_replaced(tmp_path):
    target = tmp_path / "out.epub"
    for options in ({"durable": False}, {"keep_same": True}):   # (durable: always written)
        target.write_bytes(b"same bytes")
        inode = target.stat().st_ino
        atomic.write_bytes(target, b"same bytes", **options)
        assert target.stat().st_ino != inode


def test_an_empty_file_and_an_unreadable_one(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    inode = empty.stat().st_ino
    atomic.write_bytes(empty, b"", durable=False, keep_same=True)
    assert empty.stat().st_ino == inode
    if os.geteuid() == 0:
        return                                  # (root reads a file of mode 0)
    locked = tmp_path / "locked.txt"
    locked.write_bytes(b"x")
    locked.chmod(0)
    atomic.write_bytes(locked, b"x", durable=False, keep_same=True)   # cannot be read:
    assert stat.S_IMODE(locked.stat().st_mode) == 0                    # written again
    locked.chmod(0o600)
    assert locked.read_bytes() == b"x"


def test_a_link_inside_the_project_is_compared_where_it_leads(tmp_path):
    project = tmp_path / "project"
    (project / "build").mkdir(parents=True)
    (project / atomic.PROJECT_MARKER).write_text("")
    shared = project / "shared.html"
    shared.write_bytes(b"page")
    link = project / "build" / "page.html"
    link.symlink_to(shared)
    inode = shared.stat().st_ino
    assert atomic.write_bytes(link, b"page", durable=False, keep_same=True) == shared
    assert link.is_symlink() and shared.stat().st_ino == inode
    atomic.write_bytes(link, b"PAGE", durable=False, keep_same=True)
    assert link.is_symlink() and shared.read_bytes() == b"PAGE"
    outside = tmp_path / "outside.html"
    outside.write_bytes(b"page")
    (project / "build" / "out.html").symlink_to(outside)
    with pytest.raises(atomic.OutsideRootError):             # refused even when the same
        atomic.write_bytes(project / "build" / "out.html", b"page", durable=False,
                           keep_same=True)


def test_a_quick_write_takes_one_stat_of_its_target(tmp_path, monkeypatch):
    """The link check, the mode and the size compared come from one ``lstat`` (before:
    a ``realpath`` of the whole path, a ``stat`` to check it and one for the mode)."""
    target = tmp_path / "a" / "out.html"
    atomic.write_bytes(target, b"one", durable=False)
    looked: list[str] = []
    stated: list[str] = []
    real_lstat, real_stat = os.lstat, os.stat
    monkeypatch.setattr(atomic.os, "stat", lambda path, *a, **k: stated.append(
        str(path)) or real_stat(path, *a, **k))
    monkeypatch.setattr(atomic.os, "lstat", lambda path, *a, **k: looked.append(
        str(path)) or real_lstat(path, *a, **k))
    atomic.write_bytes(target, b"two", durable=False, keep_same=True)
    monkeypatch.undo()
    assert looked.count(str(target)) == 1 and target.read_bytes() == b"two"
    assert [p for p in stated if p.startswith(str(tmp_path))] == []


def test_the_temporary_file_is_not_inherited_by_a_child(tmp_path, monkeypatch):
    flags: list[tuple[str, int]] = []
    real = os.open
    monkeypatch.setattr(atomic.os, "open", lambda path, mode, *a, **k: flags.append(
        (str(path), mode)) or real(path, mode, *a, **k))
    atomic.write_bytes(tmp_path / "x.bin", b"x", durable=False)
    monkeypatch.undo()
    (mode,) = [mode for path, mode in flags if path.startswith(str(tmp_path))]
    assert mode & os.O_CLOEXEC and mode & os.O_EXCL


# ---------------------------------------------------------------- in a build

@pytest.fixture
def project(make_root) -> Path:
    root = make_root("two-essays")
    for essay in ("alpha", "beta"):
        edit_catalogue(root, "fr", essay, lambda i, e: e.msgid)
    build(root, "--jobs", "1")
    build(root, "--jobs", "1")                      # published.toml settled
    return root


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_force_leaves_the_outputs_it_would_write_again_the_same(project, jobs):
    outputs = sorted(p for p in (project / "build").rglob("*")
                     if p.is_file() and p.suffix in (".epub", ".html", ".css"))
    before = {p: _inode(p) for p in outputs}
    good = files_of(project / "build")
    build(project, "--jobs", jobs, "--force")
    assert files_of(project / "build") == good
    assert {p: _inode(p) for p in outputs} == before
    written = json.loads((project / "build" / STATE).read_text("utf-8"))["written"]
    assert sorted(written) == sorted(p.relative_to(project / "build").as_posix()
                                     for p in outputs)     # rendered (and checked) again
    build(project, "--jobs", "1")                          # then up to date, as written
    assert json.loads((project / "build" / STATE).read_text("utf-8"))["written"] == []


def test_force_replaces_an_output_altered_in_place(project):
    """The same size, the same mtime: compared byte for byte, written again."""
    good = files_of(project / "build")
    page = project / "build" / "fr" / "alpha.html"
    info = page.stat()
    data = page.read_bytes()
    page.write_bytes(data.replace(b"</p>", b"</P>", 1))
    os.utime(page, ns=(info.st_atime_ns, info.st_mtime_ns))
    build(project, "--jobs", "1", "--force")
    assert files_of(project / "build") == good
