"""Atomic writes: durable (fsync), the target's mode kept, symbolic links followed only
inside the project, temporary files that are visible, ignored by git and cleaned up."""
from __future__ import annotations

import fnmatch
import os
import stat
import tempfile
from pathlib import Path

import pytest
from test_catalog_hardening import dirty, po, run

from catalog_helpers import make_project
from serge_publish import atomic

ROOT = Path(__file__).resolve().parents[1]


def test_the_file_and_its_folder_are_synced_around_the_rename(tmp_path, monkeypatch):
    events = []
    fsync, replace = os.fsync, os.replace
    monkeypatch.setattr(atomic.os, "fsync", lambda fd: events.append(
        "dir" if stat.S_ISDIR(os.fstat(fd).st_mode) else "file") or fsync(fd))
    monkeypatch.setattr(atomic.os, "replace", lambda a, b: events.append("rename") or
                        replace(a, b))
    atomic.write_bytes(tmp_path / "out.txt", b"data")
    assert events == ["file", "dir", "rename", "dir"]
    assert (tmp_path / "out.txt").read_bytes() == b"data"


def test_an_existing_file_keeps_its_mode_and_a_new_one_follows_the_umask(tmp_path):
    draft = tmp_path / "draft.po"
    draft.write_bytes(b"old")
    draft.chmod(0o600)
    atomic.write_bytes(draft, b"new")
    assert stat.S_IMODE(draft.stat().st_mode) == 0o600 and draft.read_bytes() == b"new"
    umask = os.umask(0o027)
    try:
        atomic.write_bytes(tmp_path / "fresh.txt", b"x")
    finally:
        os.umask(umask)
    assert stat.S_IMODE((tmp_path / "fresh.txt").stat().st_mode) == 0o640


def test_temporary_files_are_visible_ignored_by_git_and_leftovers_removed(tmp_path,
                                                                           monkeypatch):
    names = []
    mkstemp = tempfile.mkstemp                  # (atomic imports tempfile when it writes)
    monkeypatch.setattr(tempfile, "mkstemp", lambda **kw: names.append(
        mkstemp(**kw)) or names[-1])
    old = tmp_path / "out.txt.k1ll3d.serge-tmp"           # left by a kill
    old.write_bytes(b"half")
    os.utime(old, (0, 0))
    young = tmp_path / "out.txt.writing.serge-tmp"       # another writer, right now
    young.write_bytes(b"busy")
    atomic.write_bytes(tmp_path / "out.txt", b"data")
    tmp = os.path.basename(names[0][1])
    assert not tmp.startswith(".") and atomic.is_temporary(tmp)
    assert not old.exists() and young.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.txt", young.name]
    os.utime(young, (0, 0))
    assert atomic.remove_leftovers(tmp_path) == [young]
    patterns = (ROOT / ".gitignore").read_text(encoding="utf-8").split()
    for name in (tmp, "greene-borders.po~"):
        assert any(fnmatch.fnmatch(name, p) for p in patterns), name


def test_a_failed_write_leaves_the_old_file_and_no_temporary_file(tmp_path):
    target = tmp_path / "out.txt"
    target.write_bytes(b"old")

    def fail(_):
        raise RuntimeError("stop")
    with pytest.raises(RuntimeError):
        atomic.write_bytes(target, b"new", check=fail)
    assert target.read_bytes() == b"old" and os.listdir(tmp_path) == ["out.txt"]


def test_a_link_inside_the_project_is_written_through(tmp_path):
    project = make_project(tmp_path / "p")
    assert run(project, "update", "--lang", "fr")[0] == 0
    shared = project.root / "shared" / "sample-fr.po"
    shared.parent.mkdir()
    po(project).replace(shared)
    po(project).symlink_to(os.path.relpath(shared, po(project).parent))
    before = dirty(project)
    assert run(project, "update", "--lang", "fr")[0] == 0
    assert po(project).is_symlink() and shared.read_bytes() != before
    assert shared.read_bytes() + b"\n" == before
    assert po(project).with_name("sample.po~").read_bytes() == before


def test_a_link_outside_the_project_is_refused_and_named(tmp_path):
    """Refused before it is read (project.po_path), so nothing is read or written there."""
    project = make_project(tmp_path / "p")
    assert run(project, "update", "--lang", "fr")[0] == 0
    link = project.locale_dir / "fr" / "LC_MESSAGES" / "sample.po"
    outside = tmp_path / "elsewhere.po"
    link.replace(outside)
    link.symlink_to(outside)
    before = outside.read_bytes()
    code, _, err = run(project, "update", "--lang", "fr")
    assert code == 4 and outside.read_bytes() == before and link.is_symlink()
    assert f"error: {link}: this catalogue is a link to a file outside the project" in err
    assert "hint: replace the link with a copy of the catalogue" in err
    assert before.decode("utf-8") not in err


def test_a_linked_folder_leading_outside_is_refused(tmp_path):
    (tmp_path / "project").mkdir()
    (tmp_path / "project" / atomic.PROJECT_MARKER).write_text("")
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "project" / "build").symlink_to(tmp_path / "elsewhere")
    with pytest.raises(atomic.OutsideRootError, match="outside the project"):
        atomic.write_bytes(tmp_path / "project" / "build" / "index.html", b"x")
    assert not list((tmp_path / "elsewhere").iterdir())


def test_a_cache_write_is_atomic_but_not_synced(tmp_path, monkeypatch):
    synced: list[int] = []
    monkeypatch.setattr(atomic.os, "fsync", lambda fd: synced.append(fd))
    target = tmp_path / "cache" / "x.bin"
    atomic.write_bytes(target, b"one", durable=False)
    atomic.write_bytes(target, b"two", durable=False)
    assert target.read_bytes() == b"two" and synced == []
    assert sorted(p.name for p in target.parent.iterdir()) == ["x.bin"]   # no temporary left
    atomic.write_bytes(target, b"three")
    assert target.read_bytes() == b"three" and synced                   # durable by default
