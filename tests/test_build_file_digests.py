"""The digests of the build's inputs remembered between builds
(.serge-cache/build-files.json): a file whose stat is the recorded one is not read again;
a file changed since, even to the same size and mtime, or changed during the run that
recorded it (git's racy rule), is read again; a corrupt record is ignored."""
from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

from build_helpers import build, edit_catalogue, files_of, run
from serge_publish.commands import build_state, catalog_cache
from serge_publish.commands.build_state import FileDigests, file_digest


@pytest.fixture
def reads(monkeypatch) -> list[Path]:
    """The files hashed (read) from now on; the racy margin none (the files are new)."""
    monkeypatch.setattr(build_state, "RACY_NS", 0)
    done: list[Path] = []
    real = build_state.file_digest
    monkeypatch.setattr(build_state, "file_digest", lambda p: done.append(p) or real(p))
    return done


def _change_a_translation_in_place(path: Path) -> None:
    """One byte of the last translation of a catalogue changed, to the same size and
    mtime (its ctime moves, as any write's does)."""
    stat = os.stat(path)
    text = path.read_bytes()
    at = text.rindex(b'msgstr "') + len(b'msgstr "')          # a translation's first byte
    path.write_bytes(text[:at] + (b"Z" if text[at:at + 1] != b"Z" else b"Y") + text[at + 1:])
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))


def _as_a_clean_build(root: Path, tmp_path: Path) -> dict[str, bytes]:
    """The outputs of ``root``, checked to be those of a clean build of a copy of it."""
    after = files_of(root / "build")
    clean = tmp_path / "clean"
    shutil.copytree(root, clean, ignore=shutil.ignore_patterns("build", ".serge-cache"))
    build(clean, "--jobs", "1")
    assert after == files_of(clean / "build")
    return after


def _files(tmp_path: Path) -> tuple[Path, Path]:
    a, b = tmp_path / "a.po", tmp_path / "b.po"
    a.write_bytes(b"one")
    b.write_bytes(b"two")
    time.sleep(0.02)                     # older than the start of the next run
    return a, b


def test_an_unchanged_file_is_not_read_again(tmp_path, reads):
    a, b = _files(tmp_path)
    record = tmp_path / "cache" / "files.json"
    first = FileDigests(record)
    assert first(a) == file_digest(a) and first(b) == file_digest(b)
    first.save()
    reads.clear()
    second = FileDigests(record)
    assert second(a) == file_digest(a) and second(tmp_path / "none") == "absent"
    assert reads == [tmp_path / "none"]


def test_a_file_changed_to_the_same_size_and_mtime_is_read_again(tmp_path, reads):
    a, _ = _files(tmp_path)
    record = tmp_path / "files.json"
    first = FileDigests(record)
    first(a)
    first.save()
    stat = os.stat(a)
    a.write_bytes(b"eno")                                    # same size
    os.utime(a, ns=(stat.st_atime_ns, stat.st_mtime_ns))     # same mtime; ctime moves
    reads.clear()
    assert FileDigests(record)(a) == file_digest(a) != first.seen[str(a)][4]
    assert reads == [a]


def test_a_file_changed_during_the_run_is_not_recorded(tmp_path, monkeypatch):
    a = tmp_path / "a.po"
    a.write_bytes(b"one")
    record = tmp_path / "files.json"
    run = FileDigests(record)           # RACY_NS as shipped: a is too recent
    run(a)
    run.save()
    assert not record.exists() or str(a) not in record.read_text()


@pytest.mark.parametrize("bad", [b"{broken", b"[]", b'{"format": 1, "files": {"x": 3}}',
                                 b'{"format": 2, "files": {}}'])
def test_a_corrupt_record_is_ignored(tmp_path, reads, bad):
    a, _ = _files(tmp_path)
    record = tmp_path / "files.json"
    record.write_bytes(bad)
    assert FileDigests(record)(a) == file_digest(a)
    if b"x" in bad:
        assert FileDigests(record)(tmp_path / "x") == "absent"


@pytest.mark.slow                        # builds twice
def test_a_catalogue_changed_behind_the_records_back_is_built(make_root, tmp_path,
                                                              monkeypatch):
    monkeypatch.setattr(build_state, "RACY_NS", 0)
    root = make_root("two-essays")
    path = edit_catalogue(root, "fr", "alpha", lambda i, e: e.msgid)
    time.sleep(0.02)
    build(root, "--jobs", "1")
    assert (root / ".serge-cache" / "build-files.json").is_file()
    before = files_of(root / "build")
    _change_a_translation_in_place(path)
    build(root, "--jobs", "1")
    assert _as_a_clean_build(root, tmp_path)["fr/alpha.html"] != before["fr/alpha.html"]


def test_outputs_are_checked_by_their_record_and_a_corrupt_one_is_rebuilt(make_root,
                                                                         monkeypatch):
    monkeypatch.setattr(build_state, "RACY_NS", 0)
    root = make_root("two-essays")
    build(root, "--jobs", "1")
    time.sleep(0.02)
    build(root, "--jobs", "1")                 # records the outputs, now older than the run
    good = files_of(root / "build")
    reads: list[Path] = []
    real = build_state.file_digest
    monkeypatch.setattr(build_state, "file_digest", lambda p: reads.append(p) or real(p))
    build(root, "--jobs", "1")
    assert not [p for p in reads if (root / "build") in p.parents], "outputs read again"
    page = next(p for p in sorted((root / "build").rglob("*.html")) if p.name != "index.html")
    stat = os.stat(page)
    data = page.read_bytes()
    page.write_bytes(data[:-2] + (b"X" if data[-2:-1] != b"X" else b"Y") + data[-1:])
    os.utime(page, ns=(stat.st_atime_ns, stat.st_mtime_ns))     # same size, same mtime
    build(root, "--jobs", "1")
    assert files_of(root / "build") == good


def test_the_catalogues_update_recorded_are_not_read_again_to_be_hashed(make_root, tmp_path,
                                                                        monkeypatch, reads):
    """The digests update recorded (catalogue-files.json) are the build's too, for the very
    stat they were recorded with; a catalogue changed after the update, even to the same
    size and mtime, is read, and built with what it holds."""
    monkeypatch.setattr(catalog_cache, "RACY_NS", 0)
    root = make_root("two-essays")
    path = edit_catalogue(root, "fr", "alpha", lambda i, e: e.msgid)
    time.sleep(0.02)
    code, _, err = run("--project", str(root), "update", "--jobs", "1")
    assert code == 0, err
    recorded = catalog_cache.recorded_files(root)
    updated = {str(p.relative_to(root)) for p in root.glob("locale/*/LC_MESSAGES/*.po")
               if p.parent.parent.name != "qps"}      # (qps: no target language, not updated)
    assert "locale/fr/LC_MESSAGES/alpha.po" in updated and updated <= set(recorded)
    reads.clear()
    build(root, "--jobs", "1")
    hashed = {os.path.relpath(p, root) for p in reads}
    assert any(name.endswith(".po") for name in hashed)     # (qps's: the build reads them)
    assert not hashed & updated, "catalogues hashed again"
    before = files_of(root / "build")
    _change_a_translation_in_place(path)
    (root / ".serge-cache" / "build-files.json").unlink()     # only update's record left
    reads.clear()
    build(root, "--jobs", "1")
    assert path in [Path(p) for p in reads]
    assert _as_a_clean_build(root, tmp_path)["fr/alpha.html"] != before["fr/alpha.html"]
