"""The files of the caches kept between builds (build_state.EditionCache: the chapter
store's, see test_build_scale; a missing or damaged file means rendering or planning
again, never a different byte). No edition is kept between builds any more (their plan
jobs render them, see build_render.prerender): an output of an edition not planned again
(an anthology, an EPUB) takes its essay's chapter and outline from the chapter store,
and plans the edition again only when they are not there; the editions an earlier
version kept (.serge-cache/editions/) are removed."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from chapter_packs import packs, records, write_pack

from build_helpers import build, edit_catalogue, files_of
from serge_publish import catalog
from serge_publish.commands import build_plan
from serge_publish.commands.build_state import EDITION_MAGIC, EditionCache

ESSAYS = ["alpha", "beta"]
EDITIONS = Path(".serge-cache", "editions")
CHAPTERS = Path(".serge-cache", "chapters")


# ---------------------------------------------------------------- the cache alone

def test_a_packed_edition_comes_back_as_it_was_put(tmp_path):
    cache = EditionCache(tmp_path / "editions")
    cache.put("ab12", b"packed bytes")
    assert cache.get("ab12") == b"packed bytes"
    assert cache.get("cd34") is None
    assert [p.name for p in (tmp_path / "editions").iterdir()] == ["ab12.bin"]


@pytest.mark.parametrize("damage", [
    lambda data: data[:-1],                                  # truncated
    lambda data: data[:-1] + bytes([data[-1] ^ 1]),          # one bit of the payload
    lambda data: b"x" + data[1:],                            # not one of ours
    lambda data: data[:len(EDITION_MAGIC) + 32],             # no payload
    lambda data: b"",
])
def test_a_damaged_file_is_not_an_edition(tmp_path, damage):
    cache = EditionCache(tmp_path)
    cache.put("ab12", b"packed bytes")
    path = tmp_path / "ab12.bin"
    path.write_bytes(damage(path.read_bytes()))
    assert cache.get("ab12") is None
    cache.put("ab12", b"packed bytes")                     # written again when planned
    assert cache.get("ab12") == b"packed bytes"


def test_no_directory_no_cache_and_keys_are_names_only(tmp_path):
    none = EditionCache(None)
    none.put("ab12", b"x")
    assert none.get("ab12") is None
    cache = EditionCache(tmp_path / "c")
    for key in ("", "../ab12", "a/b", "a.b"):
        cache.put(key, b"x")
        assert cache.get(key) is None
    assert not (tmp_path / "c").exists() and not (tmp_path / "ab12.bin").exists()


def test_prune_keeps_the_keys_of_the_plan(tmp_path):
    cache = EditionCache(tmp_path)
    for key in ("aa", "bb", "cc"):
        cache.put(key, key.encode())
    (tmp_path / "notes.txt").write_text("not ours")
    cache.prune({"bb", "zz"})
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bb.bin", "notes.txt"]
    EditionCache(tmp_path / "missing").prune(set())        # nothing to do, no error


# ---------------------------------------------------------------- in a build

@pytest.fixture
def project(make_root) -> Path:
    """fr and de fully translated (published), built once (which fills the chapter
    store)."""
    root = make_root("two-essays")
    for lang in ("fr", "de"):
        for essay in ESSAYS:
            edit_catalogue(root, lang, essay, lambda i, e: e.msgid)
    build(root, "--jobs", "1")
    return root


def _count_plans(monkeypatch) -> list[tuple[str, str]]:
    """(lang, essay) of every translation planned, and the catalogues read, from now on."""
    calls: list[tuple[str, str]] = []
    real_plan = build_plan.plan_translation
    real_reads = {name: getattr(catalog, name) for name in ("read_catalog", "read_translations")}

    def plan(project, doc, lang, *args, **kwargs):
        calls.append((lang, doc.id))
        return real_plan(project, doc, lang, *args, **kwargs)

    def reading(name):
        def read(path, *args, **kwargs):
            calls.append(("read", Path(path).name))
            return real_reads[name](path, *args, **kwargs)
        return read

    monkeypatch.setattr(build_plan, "plan_translation", plan)
    for name in real_reads:      # (the build reads an essay's catalogue with read_translations)
        monkeypatch.setattr(catalog, name, reading(name))
    return calls


def _written(project: Path) -> set[str]:
    state = json.loads((project / "build" / ".serge-build-state.json").read_text("utf-8"))
    return set(state["written"])


def _clean_build(project: Path, tmp_path: Path) -> dict[str, bytes]:
    clean = tmp_path / "clean"
    shutil.copytree(project, clean, ignore=shutil.ignore_patterns("build", ".serge-cache"))
    build(clean, "--jobs", "1")
    return files_of(clean / "build")


def _edit_fr_alpha(project: Path) -> None:
    edit_catalogue(project, "fr", "alpha", lambda i, e: e.msgid + " (revu)" if i == 3 else None)


def test_a_build_keeps_no_edition_and_removes_those_kept_before(project):
    assert not list((project / EDITIONS).glob("*.bin"))
    (project / EDITIONS).mkdir(parents=True, exist_ok=True)
    EditionCache(project / EDITIONS).put("ab12", b"an edition an earlier version kept")
    build(project, "--jobs", "1")
    assert not list((project / EDITIONS).glob("*.bin"))


def test_one_catalogue_plans_that_edition_only(project, tmp_path, monkeypatch):
    _edit_fr_alpha(project)
    calls = _count_plans(monkeypatch)
    build(project, "--jobs", "1")
    # fr/anthology.epub needs fr/beta's chapter and outline: taken from the chapter
    # store, not planned again
    assert calls == [("fr", "alpha"), ("read", "alpha.po")]
    assert "fr/anthology.epub" in _written(project)
    assert files_of(project / "build") == _clean_build(project, tmp_path)


def test_an_epub_made_again_takes_its_chapter_and_outline_from_the_store(project, tmp_path,
                                                                       monkeypatch):
    (project / "build" / "fr" / "beta.epub").unlink()
    calls = _count_plans(monkeypatch)
    build(project, "--jobs", "1")
    assert calls == []                                     # nothing planned again
    assert _written(project) == {"fr/beta.epub"}
    assert files_of(project / "build") == _clean_build(project, tmp_path)


@pytest.mark.slow              # builds again
@pytest.mark.parametrize("damage", ["corrupt", "delete", "truncate"])
def test_a_damaged_store_plans_again_and_writes_the_same_bytes(project, tmp_path,
                                                               monkeypatch, damage):
    if damage == "corrupt":                                 # a byte of every record
        write_pack(project / CHAPTERS, [r.raw[:-5] + bytes([r.raw[-5] ^ 0xFF]) + r.raw[-4:]
                                        for r in records(project / CHAPTERS)])
    for path in packs(project / CHAPTERS):
        if damage == "delete":
            path.unlink()
        elif damage == "truncate":
            path.write_bytes(path.read_bytes()[:40])
    (project / "build" / "de" / "alpha.epub").unlink()
    _edit_fr_alpha(project)
    calls = _count_plans(monkeypatch)
    build(project, "--jobs", "1")
    # fr/beta for fr/anthology.epub, de/alpha for its EPUB and de/anthology.epub (once
    # each, in this process): no usable chapter
    assert sorted(set(calls) - {("read", "alpha.po"), ("read", "beta.po")}) == [
        ("de", "alpha"), ("fr", "alpha"), ("fr", "beta")]
    assert files_of(project / "build") == _clean_build(project, tmp_path)
    # and their chapters recorded again, intact, for the next build
    calls.clear()
    (project / "build" / "de" / "alpha.epub").unlink()
    build(project, "--jobs", "1")
    assert calls == []


@pytest.mark.slow              # builds again
def test_the_commands_that_plan_afresh_keep_nothing(project):
    shutil.rmtree(project / ".serge-cache")
    from serge_publish.errors import Report
    from serge_publish.project import find_project
    build_plan.make_plan(find_project(project), (), (), 80.0, False, False, Report())
    assert not (project / EDITIONS).exists()
