"""The outputs a build writes are recorded with their stat as they are written (issue 8):
the build knows their bytes, so the next build does not read them back, even right after
(git's racy rule is for the files someone else writes). A deleted or altered output is
still written again, and a build that changes nothing writes neither the report nor the
state again."""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from build_helpers import build, files_of
from serge_publish.commands import build_state
from serge_publish.commands.build_state import FileDigests, file_digest

STATE = ".serge-build-state.json"


def _reads(monkeypatch) -> list[Path]:
    done: list[Path] = []
    real = build_state.file_digest
    monkeypatch.setattr(build_state, "file_digest", lambda p: done.append(Path(p)) or real(p))
    return done


def test_a_written_file_is_recorded_with_its_stat(tmp_path):
    path = tmp_path / "out.html"
    path.write_bytes(b"<p>one</p>")
    record = tmp_path / "files.json"
    run = FileDigests(record)
    run.wrote(str(path), file_digest(path), 10)
    run.save()
    again = FileDigests(record)
    assert str(path) in again.known
    assert again(path) == file_digest(path)
    stat = os.stat(path)
    path.write_bytes(b"<p>eno</p>")                          # same size, same mtime
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert FileDigests(record)(path) == file_digest(path) != again.known[str(path)][4]


def test_a_written_file_not_as_said_or_with_whole_second_times_is_not_recorded(tmp_path):
    path = tmp_path / "out.html"
    path.write_bytes(b"<p>one</p>")
    run = FileDigests(tmp_path / "files.json")
    run.wrote(str(path), file_digest(path), 11)              # not the size written
    run.wrote(str(tmp_path / "none"), "0" * 64, 0)           # not there
    assert run.seen == {}
    os.utime(path, ns=(1_700_000_000_000_000_000, 1_700_000_000_000_000_000))
    run.wrote(str(path), file_digest(path), 10)              # ctime still fine-grained
    assert run.seen == {}                                    # (mtime whole seconds)


def test_the_build_after_a_build_reads_no_output_back(make_root, monkeypatch):
    root = make_root("two-essays")               # the racy margin as shipped (2 s)
    build(root, "--jobs", "1")
    good = files_of(root / "build")
    reads = _reads(monkeypatch)
    report = (root / "build" / "build-report.json").stat()
    build(root, "--jobs", "1")                   # at once: every output within the margin
    assert not [p for p in reads if (root / "build") in p.parents], "outputs read again"
    assert files_of(root / "build") == good
    assert (root / "build" / "build-report.json").stat().st_ino == report.st_ino
    state = (root / "build" / STATE).stat()      # (written again: it wrote no output)
    assert json.loads((root / "build" / STATE).read_text("utf-8"))["written"] == []
    build(root, "--jobs", "1")                   # nothing changed: nothing written at all
    assert (root / "build" / STATE).stat().st_ino == state.st_ino
    assert (root / "build" / "build-report.json").stat().st_ino == report.st_ino
    assert files_of(root / "build") == good


def test_a_deleted_or_altered_output_is_written_again_right_after_a_build(make_root,
                                                                          tmp_path):
    root = make_root("two-essays")
    build(root, "--jobs", "1")
    good = files_of(root / "build")
    pages = [p for p in sorted((root / "build").rglob("*.html")) if p.name != "index.html"]
    pages[0].unlink()
    stat = os.stat(pages[1])
    data = pages[1].read_bytes()
    pages[1].write_bytes(data[:-2] + (b"X" if data[-2:-1] != b"X" else b"Y") + data[-1:])
    os.utime(pages[1], ns=(stat.st_atime_ns, stat.st_mtime_ns))   # same size and mtime
    report = root / "build" / "build-report.json"
    report.write_bytes(report.read_bytes().replace(b'"complete": true', b'"complete": 1234'))
    build(root, "--jobs", "1")
    assert files_of(root / "build") == good
    written = json.loads((root / "build" / STATE).read_text("utf-8"))["written"]
    assert sorted(written) == sorted(p.relative_to(root / "build").as_posix()
                                     for p in pages[:2])
    clean = tmp_path / "clean"
    shutil.copytree(root, clean, ignore=shutil.ignore_patterns("build", ".serge-cache"))
    build(clean, "--jobs", "1")
    assert files_of(clean / "build") == good


def test_the_pending_state_keeps_the_state_read_as_it_was(tmp_path):
    from serge_publish.commands.build_state import State, read_state
    build_dir = tmp_path / "build"
    build_dir.mkdir()
    first = State({"fr/a": {"key": "k1"}}, {"a": {"key": "e", "lang": "en"}},
                  {"fr/a.html": {"key": "o1", "size": 1, "sha256": "x", "diagnostics": []},
                   "fr/b.html": {"key": "o2", "size": 1, "sha256": "y", "diagnostics": []}})
    (build_dir / STATE).write_bytes(first.to_bytes())
    state = read_state(build_dir)
    assert state.raw is not None and state.as_loaded()
    state.pairs = {}                              # what this run decided: not yet recorded
    (build_dir / STATE).write_bytes(state.pending_bytes(["fr/a.html"]))
    assert json.loads((build_dir / STATE).read_text("utf-8"))["pending"] == ["fr/a.html"]
    again = read_state(build_dir)                 # (a build killed while writing)
    assert again.pending == ["fr/a.html"] and set(again.outputs) == {"fr/b.html"}
    assert again.pairs == first.pairs and again.essays == first.essays
    assert again.raw is None and not again.as_loaded()
    (build_dir / STATE).write_bytes(again.pending_bytes(["fr/b.html"]))   # killed again
    third = read_state(build_dir)
    assert third.outputs == {} and set(third.pending) == {"fr/b.html"}
    (build_dir / STATE).write_bytes(b'{"was": {"format": 1}, "pending": 3}')
    assert read_state(build_dir).folder is None   # not a state: nothing is up to date


def test_the_state_read_is_let_go_once_a_record_is_replaced(tmp_path):
    from serge_publish.commands.build_state import State, read_state
    build_dir = tmp_path / "build"
    build_dir.mkdir()
    (build_dir / STATE).write_bytes(State({"fr/a": {"key": "k1"}}, {"a": {"key": "e"}},
                                          {}).to_bytes())
    state = read_state(build_dir)
    state.pairs = {k: v for k, v in state.pairs.items()}      # the same records
    state.forget_if_changed()
    assert state.loaded is not None and state.as_loaded()
    state.pairs["fr/a"] = {"key": "k1"}                       # equal, but decided again
    state.forget_if_changed()
    assert state.loaded is None and not state.as_loaded()


def test_the_pending_state_is_the_bytes_read_even_once_a_record_is_replaced(tmp_path):
    from serge_publish.commands.build_state import State, read_state
    build_dir = tmp_path / "build"
    build_dir.mkdir()
    (build_dir / STATE).write_bytes(State({"fr/a": {"key": "k1"}}, {}, {}).to_bytes())
    state = read_state(build_dir)
    state.pairs["fr/a"] = {"key": "k2"}
    state.forget_if_changed()
    assert state.loaded is None
    assert state.pending_bytes(["fr/a.html"]).endswith(state.raw.rstrip() + b"}\n")
