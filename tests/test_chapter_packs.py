"""The chapter store in packs (issue 8): a build records its chapters in a pack per
process that renders them, not a file each (a new file costs ~0.3 ms of kernel time on
ext4); a record is found by every process, whichever appended it; a record is taken only
whole and under its own name; the packs follow what the store keeps (prune), and a store
that cannot be written costs time only."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from chapter_packs import packs, records, sealed, write_pack

from build_helpers import build, edit_catalogue, files_of
from serge_publish.commands import build_state
from serge_publish.commands.build_state import PACKS, ChapterStore

CHAPTERS = Path(".serge-cache", "chapters")


def _chapter(n: int, size: int = 100) -> tuple:
    return ("chapter", n, bytes([n % 256]) * size)


def test_a_record_another_process_appends_is_found(tmp_path):
    store = ChapterStore(tmp_path)
    store.put(b"a", _chapter(1))
    assert store.get(b"b") is None                     # (every head read: b is none)
    other = tmp_path / ("0" * 24 + ".pack")            # another process's pack
    other.write_bytes(sealed(ChapterStore._name(b"b"), build_state.pickle.dumps(_chapter(2))))
    assert store.get(b"b") == _chapter(2) and store.get(b"a") == _chapter(1)


def test_a_head_that_names_another_key_is_no_record(tmp_path):
    ChapterStore(tmp_path).put(b"k", _chapter(1))
    (record,) = records(tmp_path)
    named = ChapterStore._name(b"j")
    at = len(build_state.CHAPTER_MAGIC)
    write_pack(tmp_path, [record.raw[:at] + named + record.raw[at + len(named):]])
    assert ChapterStore(tmp_path).get(b"j") is None
    assert ChapterStore(tmp_path).get(b"k") is None


def test_a_pack_with_a_damaged_head_is_read_no_further(tmp_path):
    store = ChapterStore(tmp_path)
    for n in range(3):
        store.put(b"%d" % n, _chapter(n))
    (pack,) = packs(tmp_path)
    second = sorted(records(tmp_path), key=lambda r: r.place)[1]
    data = bytearray(pack.read_bytes())
    data[second.place] ^= 0xFF                         # not a record's head
    pack.write_bytes(bytes(data))
    found = ChapterStore(tmp_path)
    assert [found.get(b"%d" % n) for n in range(3)] == [_chapter(0), None, None]


def test_a_pack_removed_under_a_process_is_begun_again(tmp_path):
    """The cache cleared (or a pack cut) while a process records chapters: its next
    record is in a new pack, found by the others."""
    store = ChapterStore(tmp_path)
    store.put(b"a", _chapter(1))
    shutil.rmtree(tmp_path)
    store.put(b"b", _chapter(2))
    assert ChapterStore(tmp_path).get(b"b") == _chapter(2)
    (pack,) = packs(tmp_path)
    pack.write_bytes(pack.read_bytes()[:10])
    store.put(b"c", _chapter(3))
    assert ChapterStore(tmp_path).get(b"c") == _chapter(3)


def _names(folder: Path) -> list[bytes]:
    return sorted(r.name for r in records(folder))


def test_prune_copies_a_small_pack_with_others(tmp_path):
    store = ChapterStore(tmp_path)
    for n in range(10):
        store.put(b"%d" % n, _chapter(n, 1000))
    (pack,) = packs(tmp_path)
    store.prune([b"%d" % n for n in range(6)])
    assert _names(tmp_path) == sorted(ChapterStore._name(b"%d" % n) for n in range(6))
    assert packs(tmp_path) != [pack] and len(packs(tmp_path)) == 1
    assert [ChapterStore(tmp_path).get(b"%d" % n) for n in (5, 6)] == [_chapter(5, 1000), None]


def test_prune_copies_a_big_pack_mostly_of_others_and_removes_one_of_none(tmp_path,
                                                                          monkeypatch):
    monkeypatch.setattr(build_state, "SMALL_PACK", 0)     # (as packs of 200 essays)
    store = ChapterStore(tmp_path)
    for n in range(10):
        store.put(b"%d" % n, _chapter(n, 1000))
    (pack,) = packs(tmp_path)
    store.prune([b"%d" % n for n in range(6)])           # more than half kept: as it is
    assert packs(tmp_path) == [pack] and len(records(tmp_path)) == 10
    store.prune([b"0", b"1"])                             # mostly others: copied
    assert _names(tmp_path) == sorted(ChapterStore._name(k) for k in (b"0", b"1"))
    assert packs(tmp_path) != [pack]
    assert ChapterStore(tmp_path).get(b"1") == _chapter(1, 1000)
    store.prune([])                                       # none kept: removed
    assert os.listdir(tmp_path) == []


def test_prune_merges_the_small_packs_when_there_are_many(tmp_path):
    for n in range(PACKS + 2):                          # a pack per build (per process)
        raw = sealed(ChapterStore._name(b"%d" % n), build_state.pickle.dumps(_chapter(n)))
        (tmp_path / f"{n:024x}.pack").write_bytes(raw)
    (tmp_path / "0123.bin").write_bytes(b"a record of the layout before")
    store = ChapterStore(tmp_path)
    store.prune([b"%d" % n for n in range(PACKS + 2)])
    assert len(packs(tmp_path)) == 1 and sorted(os.listdir(tmp_path)) == \
        [p.name for p in packs(tmp_path)]               # (and the .bin file removed)
    assert [ChapterStore(tmp_path).get(b"%d" % n) for n in range(PACKS + 2)] == \
        [_chapter(n) for n in range(PACKS + 2)]


def test_a_store_that_cannot_be_written_costs_time_only(tmp_path, monkeypatch):
    tries: list[str] = []
    real = build_state.os.open

    def refuse(path, flags, *args, **kwargs):
        if flags & os.O_CREAT:
            tries.append(path)
            raise PermissionError(13, "Permission denied", path)
        return real(path, flags, *args, **kwargs)

    monkeypatch.setattr(build_state.os, "open", refuse)
    store = ChapterStore(tmp_path)
    for n in range(5):
        store.put(b"%d" % n, _chapter(n), made=True)
    assert len(tries) == 1 and store.get(b"1") is None and store.made(b"1") == _chapter(1)
    store.prune([b"1"])


def test_a_record_cut_by_a_kill_is_not_taken_the_others_are(tmp_path):
    raws = [sealed(ChapterStore._name(b"%d" % n), build_state.pickle.dumps(_chapter(n)))
            for n in range(3)]
    write_pack(tmp_path, [raws[0], raws[1], raws[2][:-1]])
    store = ChapterStore(tmp_path)
    assert [store.get(b"%d" % n) for n in range(3)] == [_chapter(0), _chapter(1), None]


@pytest.fixture
def project(make_root) -> Path:
    root = make_root("two-essays")
    for lang in ("fr", "de"):
        for essay in ("alpha", "beta"):
            edit_catalogue(root, lang, essay, lambda i, e: e.msgid)
    return root


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_build_records_its_chapters_in_a_pack_per_process(project, jobs):
    build(project, "--jobs", jobs)
    assert len(records(project / CHAPTERS)) == 6        # en, fr, de: two essays each
    assert 1 <= len(packs(project / CHAPTERS)) <= int(jobs) + 1
    assert sorted(os.listdir(project / CHAPTERS)) == [p.name for p in packs(project / CHAPTERS)]
    good = files_of(project / "build")
    edit_catalogue(project, "fr", "alpha", lambda i, e: e.msgid + " !" if i == 2 else None)
    build(project, "--jobs", jobs)                      # one chapter again, in a new pack
    assert len(records(project / CHAPTERS)) == 6        # (the old one dropped)
    edit_catalogue(project, "fr", "alpha", lambda i, e: e.msgid if i == 2 else None)
    build(project, "--jobs", jobs)
    now = files_of(project / "build")
    # (the report differs: the first build said the essays were now published)
    assert now.keys() == good.keys() and all(
        now[rel] == good[rel] for rel in good if rel != "build-report.json")
