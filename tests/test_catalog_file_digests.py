"""extract and update remember the digests of the files they read
(.serge-cache/catalogue-files.json, issue 8): a file whose state (size, times, inode) is
the recorded one is not read again, so that an update with nothing to do reads no
catalogue, no template and no source, and forks no worker; a translator's save is seen."""
from __future__ import annotations

import hashlib
import json
import os
import time

import pytest
from test_catalog_cache import run, translate, tree

from serge_publish.commands import catalog as commands
from serge_publish.commands import catalog_cache, parallel
from serge_publish.commands.catalog_cache import FileDigests, file_digest

# two projects compared after updating them a moment apart: dated alike
pytestmark = pytest.mark.usefixtures("same_minute")


class CountingHash:
    """hashlib for a module, noting the length of each buffer hashed at once (a file's)."""

    def __init__(self) -> None:
        self.hashed: list[int] = []

    def sha256(self, data: bytes = b""):
        if data:
            self.hashed.append(len(data))
        return hashlib.sha256(data)


@pytest.fixture
def settled(monkeypatch):
    """Files changed before the run counted as settled (no racy margin): the tests'
    copies are made just before their runs."""
    monkeypatch.setattr(catalog_cache, "RACY_NS", 0)


def test_an_update_with_nothing_to_do_reads_no_file_and_forks_nothing(
        make_root, capsys, monkeypatch, settled):
    root = make_root("two-essays")
    first = run(capsys, root, "update", "--jobs", "1")        # the states recorded
    before = tree(root)
    counting = CountingHash()
    monkeypatch.setattr(catalog_cache, "hashlib", counting)
    monkeypatch.setattr(commands, "hashlib", counting)
    given: list[list] = []
    run_all = parallel.run_all

    def noting(fn, state, items, jobs=None):
        given.append(list(items))
        return run_all(fn, state, items, jobs)
    monkeypatch.setattr(parallel, "run_all", noting)
    assert run(capsys, root, "update", "--jobs", "2") == first
    assert counting.hashed == [] and given == [[], []]
    assert tree(root) == before
    assert run(capsys, root, "extract", "--jobs", "2")
    assert counting.hashed == [] and given == [[], [], []]


def test_a_translators_save_is_seen(make_root, capsys, settled):
    root, expected = make_root("two-essays"), make_root("two-essays", folder="q")
    for r in (root, expected):
        run(capsys, r, "update", "--jobs", "1")
        translate(r / "locale/fr/LC_MESSAGES/alpha.po", 2)
    (expected / ".serge-cache" / "catalogue-files.json").unlink()
    lines = run(capsys, root, "update", "--jobs", "2")
    assert any("fr/LC_MESSAGES/alpha.po: unchanged; 2 kept" in line for line in lines)
    assert lines == run(capsys, expected, "update", "--jobs", "1")
    assert tree(root) == tree(expected)


def test_a_file_rewritten_in_place_is_read_again(tmp_path, settled):
    path = tmp_path / "a.po"
    path.write_bytes(b"one")
    os.utime(path, ns=(1_000_000_001, 1_000_000_001))
    first = FileDigests()
    assert first(path) == file_digest(path)
    record = first.taken()
    assert list(record) == [str(path)]
    with open(path, "r+b") as handle:             # the same size, the same inode
        handle.write(b"two")
    assert FileDigests(record)(path) == file_digest(path) != record[str(path)][4]


def test_a_file_changed_just_before_the_run_is_not_recorded(tmp_path):
    path = tmp_path / "a.po"
    path.write_bytes(b"one")
    digests = FileDigests()
    assert digests(path) == file_digest(path) and digests.taken() == {}
    old = time.time_ns() - 10 * catalog_cache.RACY_NS
    os.utime(path, ns=(old, old))                 # its ctime is still now
    assert FileDigests()(path) == file_digest(path) and digests.taken() == {}


def test_names_are_relative_to_the_root(tmp_path, settled):
    (tmp_path / "locale").mkdir()
    path = tmp_path / "locale" / "a.pot"
    path.write_bytes(b"one")
    digests = FileDigests(root=tmp_path)
    digests(path)
    assert list(digests.taken()) == ["locale/a.pot"]
    assert FileDigests(digests.known, root=tmp_path).recorded(path, os.stat(path)) == \
        file_digest(path)


@pytest.mark.parametrize("args", [("update",), ("extract",), ("update", "--jobs", "1")])
def test_nothing_to_do_imports_no_heavy_library(make_root, capsys, args):
    """Not polib, the merge, the memory (difflib) nor the documents: nor multiprocessing,
    whatever the number of processes (nothing is forked), nor tempfile (nothing written)."""
    from test_architecture_startup import HEAVY, _imported
    root = make_root("two-essays")
    run(capsys, root, "update")
    run(capsys, root, "update")                   # the records now as they stay
    modules = _imported(root, *args)
    assert not {m for m in modules for heavy in (*HEAVY, "difflib", "serge_publish.model",
                                                 "serge_publish.catalog.memory")
                if m == heavy or m.startswith(heavy + ".")}


def test_a_template_rendered_by_the_run_gives_its_blocks(make_root, capsys, monkeypatch):
    """update's extract renders the edited essay's template and saves it: its catalogues
    are written from that text's blocks (po.format_merged), as format_catalog writes
    them."""
    from serge_publish.catalog import po as po_module
    root, expected = make_root("two-essays"), make_root("two-essays", folder="q")
    for r in (root, expected):
        translate(r / "locale/fr/LC_MESSAGES/alpha.po", 3)
        source = r / "source/alpha.xml"
        source.write_text(source.read_text(encoding="utf-8").replace(
            "</s>", " More.</s>", 1), encoding="utf-8")
    merged: list[tuple[str, str]] = []
    format_merged = po_module.format_merged

    def counting(po, template, blocks):
        merged.append((po.metadata["Language"], template[0].occurrences[0][0]))
        return format_merged(po, template, blocks)
    monkeypatch.setattr(po_module, "format_merged", counting)
    lines = run(capsys, root, "update", "--jobs", "1")
    assert {lang for lang, source in merged if source == "source/alpha.xml"} == \
        {"de", "es", "fr"}                                # alpha's, in each language
    monkeypatch.setattr(po_module, "format_merged",
                        lambda po, template, blocks: po_module.format_catalog(po))
    assert run(capsys, expected, "update", "--jobs", "1") == lines
    assert tree(root) == tree(expected)


def test_leftovers_of_quick_writes_are_swept(make_root, capsys):
    """Templates and records are written without syncs, whose leftovers (a killed run's)
    are their writer's to remove: an old one goes, a young one (a running writer's) stays."""
    root = make_root("two-essays")
    old, young = time.time() - 3600, time.time()
    leftovers = {root / "locale/alpha.pot.123-0.serge-tmp": old,
                 root / "locale/beta.pot.123-1.serge-tmp": young,
                 root / ".serge-cache/catalogues.json.123-2.serge-tmp": old}
    for path, when in leftovers.items():
        path.write_bytes(b"half")
        os.utime(path, (when, when))
    source = root / "source/alpha.xml"
    source.write_text(source.read_text(encoding="utf-8").replace("</s>", " More.</s>", 1),
                      encoding="utf-8")
    run(capsys, root, "extract")
    assert [p.exists() for p in leftovers] == [False, True, False]


def test_the_build_borrows_only_the_records_of_files_read(tmp_path, settled):
    """A file the run wrote itself is recorded without the racy rule, marked as written;
    update trusts that record next time, the build does not borrow it
    (catalog_cache.recorded_files), while it does borrow the record of a file read."""
    read, written = tmp_path / "read.po", tmp_path / "written.po"
    read.write_bytes(b"one")
    written.write_bytes(b"two")
    time.sleep(0.02)
    digests = FileDigests(root=tmp_path)
    assert digests(read) == file_digest(read)
    assert digests.written(written) == file_digest(written)
    assert digests.recorded(written, os.stat(written)) == file_digest(written)
    records = digests.taken()
    assert len(records["read.po"]) == 5
    if "written.po" in records:            # (none on a file system of whole seconds)
        assert records["written.po"][5] == catalog_cache.WRITTEN
    (tmp_path / ".serge-cache").mkdir()
    (tmp_path / ".serge-cache" / catalog_cache.FILES_NAME).write_text(json.dumps(
        {"format": catalog_cache.FILES_FORMAT, "version": catalog_cache.__version__,
         "files": records}))
    assert list(catalog_cache.recorded_files(tmp_path)) == ["read.po"]
