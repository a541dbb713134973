"""A build at a publisher's scale (issue 8): the chapters of the essays kept between builds
(.serge-cache/chapters) so that an anthology of which one essay changed renders that one
only; every output written as soon as it is rendered (none held until the end); at most
a bounded number of jobs in flight. The bytes are always those of a clean build."""
from __future__ import annotations

import io
import json
import shutil
import zipfile
from pathlib import Path

import pytest
from chapter_packs import packs, records, write_pack

from build_helpers import build, edit_catalogue, files_of
from serge_publish.commands import build_write
from serge_publish.commands.build_jobs import Jobs
from serge_publish.commands.build_state import ChapterStore
from serge_publish.writers import epub, epubzip
from serge_publish.writers.memo import BytesBounded

ESSAYS = ["alpha", "beta"]
CHAPTERS = Path(".serge-cache", "chapters")


# ---------------------------------------------------------------- the store alone

def _chapter(name: str = "alpha") -> tuple:
    return (epub.Chapter(f"{name}.xhtml", "Title", (), b"", True), b"stream", 12)


def test_a_chapter_comes_back_as_it_was_put(tmp_path):
    store = ChapterStore(tmp_path)
    store.put(b"key-a", _chapter())
    assert store.get(b"key-a") == _chapter()
    assert store.get(b"key-b") is None
    assert ChapterStore(tmp_path, read=False).get(b"key-a") is None     # build --force
    assert ChapterStore(None).get(b"key-a") is None
    store.put(b"key-a", _chapter("beta"), again=False)                  # there already
    assert store.get(b"key-a") == _chapter()


def test_a_damaged_chapter_is_not_used(tmp_path):
    store = ChapterStore(tmp_path)
    store.put(b"key-a", _chapter())
    (path,) = packs(tmp_path)
    data = path.read_bytes()
    path.write_bytes(data[:-1] + bytes([data[-1] ^ 1]))
    assert store.get(b"key-a") is None


def test_prune_keeps_the_chapters_of_the_keys_given(tmp_path):
    store = ChapterStore(tmp_path)
    for key in ("aa", "bb", "cc"):
        store.put(key.encode(), _chapter(key))
    store.prune(["bb", "zz"])
    assert len(records(tmp_path)) == 1 and store.get(b"bb") == _chapter("bb")
    assert len(packs(tmp_path)) == 1 and ChapterStore(tmp_path).get(b"aa") is None


def test_a_stored_chapter_is_the_one_rendered(monkeypatch, tmp_path):
    from build_helpers import edition
    from serge_publish.writers.furniture import furniture_for
    store = ChapterStore(tmp_path)
    monkeypatch.setattr(epub, "_CHAPTERS", BytesBounded(1 << 30, lambda _, c: 1))
    rendered = epub.essay_chapter(edition(), furniture_for("en"), b"k", store)
    monkeypatch.setattr(epub, "_CHAPTERS", BytesBounded(1 << 30, lambda _, c: 1))  # new process
    monkeypatch.setattr(epubzip, "_DEFLATED", BytesBounded(1 << 30, lambda c, k: len(c)))
    monkeypatch.setattr(epub, "render_essay", lambda *args: pytest.fail("rendered again"))
    assert epub.essay_chapter(edition(), furniture_for("en"), b"k", store) == rendered
    assert epubzip._DEFLATED.get(rendered.xhtml) == epubzip.deflated(rendered.xhtml)
    monkeypatch.setattr(epubzip, "_DEFLATED", BytesBounded(1 << 30, lambda c, k: len(c)))
    stream, crc = epubzip.deflated(rendered.xhtml)             # computed as zipfile does
    packed = zipfile.ZipFile(io.BytesIO(epub.essay_epub(edition(), b"", key=b"k",
                                                        store=store)[0]))
    info = next(i for i in packed.infolist() if i.filename.endswith(rendered.file_name))
    assert (info.CRC, info.compress_size) == (crc, len(stream))


def test_a_stored_chapter_that_does_not_match_is_rendered_again(tmp_path, monkeypatch):
    from build_helpers import edition
    from serge_publish.writers.furniture import furniture_for
    store = ChapterStore(tmp_path)
    rendered = epub.essay_chapter(edition(), furniture_for("en"), b"k", store)
    meta, stream, crc, outline, size = store.get(b"k")
    assert outline.document.body == () and outline.document.metadata == \
        edition().document.metadata
    assert size == len(rendered.xhtml)
    for wrong in ((meta, stream, crc + 1, outline, size),
                  (meta, stream[:-2], crc, outline, size),
                  (meta, stream, crc, outline, size - 1), (meta, stream, crc, outline, size + 1),
                  (meta, stream, crc, outline), (meta, stream, crc),
                  (epub.replace(meta, file_name="other.xhtml"), stream, crc, outline, size),
                  "junk"):
        store.put(b"k", wrong)
        monkeypatch.setattr(epub, "_CHAPTERS", BytesBounded(1 << 30, lambda _, c: 1))
        assert epub.recorded_edition(b"k", store) is None
        assert epub.essay_chapter(edition(), furniture_for("en"), b"k", store) == rendered
        assert store.get(b"k") == (meta, stream, crc, outline, size)     # recorded again


# ---------------------------------------------------------------- in a build

@pytest.fixture
def project(make_root) -> Path:
    """fr and de fully translated (published), built once."""
    root = make_root("two-essays")
    for lang in ("fr", "de"):
        for essay in ESSAYS:
            edit_catalogue(root, lang, essay, lambda i, e: e.msgid)
    build(root, "--jobs", "1")
    return root


def _clean_build(project: Path, tmp_path: Path) -> dict[str, bytes]:
    clean = tmp_path / "clean"
    shutil.copytree(project, clean, ignore=shutil.ignore_patterns("build", ".serge-cache"))
    build(clean, "--jobs", "1")
    return files_of(clean / "build")


def _rendered(monkeypatch) -> list[str]:
    """The essays whose chapter is rendered from now on (in a fresh process: nothing is
    remembered in memory)."""
    calls: list[str] = []
    real = epub.render_essay
    monkeypatch.setattr(epub, "_CHAPTERS", BytesBounded(1 << 30, lambda _, c: 1))

    def render(document, *args, **kwargs):
        calls.append(document.id)
        return real(document, *args, **kwargs)

    monkeypatch.setattr(epub, "render_essay", render)
    return calls


def test_a_full_build_keeps_the_chapter_of_every_epub(project):
    state = json.loads((project / "build" / ".serge-build-state.json").read_text("utf-8"))
    epubs = [rel for rel in state["outputs"] if rel.endswith(".epub")
             and not rel.endswith("anthology.epub")]
    assert len(epubs) == 6                               # en, fr, de
    assert len(records(project / CHAPTERS)) == len(epubs)


def test_an_anthology_renders_only_the_essay_that_changed(project, tmp_path, monkeypatch):
    rendered = _rendered(monkeypatch)
    edit_catalogue(project, "fr", "alpha", lambda i, e: e.msgid + " (revu)" if i == 3 else None)
    build(project, "--jobs", "1")
    assert rendered == ["alpha"]                     # its EPUB's; the anthology's: remembered
    assert files_of(project / "build") == _clean_build(project, tmp_path)
    assert len(records(project / CHAPTERS)) == 6      # the old one pruned


def test_an_anthology_unpacks_only_the_edition_that_changed(project, tmp_path, monkeypatch):
    from serge_publish.commands import build_plan, build_render
    unpacked: list[str] = []
    taken: list[str] = []
    real = build_render.unpack_edition
    real_take = build_plan._MADE.take

    def unpack(packed):
        edition = real(packed)
        unpacked.append(f"{edition.lang}/{edition.essay}")
        return edition

    def take(key, packed):
        edition = real_take(key, packed)
        if edition is not None:
            taken.append(f"{edition.lang}/{edition.essay}")
        return edition

    monkeypatch.setattr(build_render, "unpack_edition", unpack)
    monkeypatch.setattr(build_plan._MADE, "take", take)
    _rendered(monkeypatch)
    edit_catalogue(project, "fr", "alpha", lambda i, e: e.msgid + " (revu)" if i == 3 else None)
    build(project, "--jobs", "1")
    # its EPUB and HTML rendered as it was planned (see build_render.prerender), its
    # anthology's other chapter recorded: no edition taken or unpacked
    assert taken == []
    assert unpacked == []
    assert files_of(project / "build") == _clean_build(project, tmp_path)


def test_a_chapter_held_for_a_book_is_used_even_if_its_file_goes(tmp_path):
    store = ChapterStore(tmp_path)
    store.put(b"k", _chapter())
    record = store.get(b"k")
    for path in packs(tmp_path):
        path.unlink()
    store.hold(b"k", record)
    assert store.get(b"k") == record
    store.release()
    assert store.get(b"k") is None


def test_a_damaged_or_missing_chapter_is_rendered_again(project, tmp_path, monkeypatch):
    # one record cut short (the last of its pack: half written), two gone
    raws = [r.raw for r in records(project / CHAPTERS)]
    write_pack(project / CHAPTERS, [*raws[3:], raws[0][:-3]])
    (project / "build" / "fr" / "anthology.epub").unlink()
    (project / "build" / "de" / "anthology.epub").unlink()
    (project / "build" / "en" / "anthology.epub").unlink()
    rendered = _rendered(monkeypatch)
    build(project, "--jobs", "1")
    assert len(rendered) == 3
    assert files_of(project / "build") == _clean_build(project, tmp_path)


def test_force_renders_every_chapter(project, monkeypatch):
    build(project, "--jobs", "1")                        # published.toml settled
    rendered = _rendered(monkeypatch)
    before = files_of(project / "build")
    build(project, "--jobs", "1", "--force")
    assert sorted(rendered) == sorted(ESSAYS * 3)        # each once: an EPUB, its anthology
    assert files_of(project / "build") == before


def test_each_output_is_written_when_it_is_rendered(project, monkeypatch):
    """The outputs are handed to the writer one by one, in the order of the jobs; the
    state and the report say the build is incomplete first. An edition planned again is
    rendered by its plan job as it is planned (see build_render.prerender): its page is
    kept, deflated, until its render job writes it with its EPUB."""
    events: list[str] = []
    real = build_write._write

    def write(build_dir, rel, data, *args):
        events.append(rel)
        real(build_dir, rel, data, *args)

    from serge_publish.writers import html
    real_page = html.essay_html

    def page(edition, site):
        events.append(f"render {edition.lang}/{edition.essay}")
        return real_page(edition, site)

    monkeypatch.setattr(build_write, "_write", write)
    monkeypatch.setattr(html, "essay_html", page)
    edit_catalogue(project, "fr", "alpha", lambda i, e: e.msgid + " !" if i == 2 else None)
    edit_catalogue(project, "de", "beta", lambda i, e: e.msgid + " !" if i == 2 else None)
    build(project, "--jobs", "1")
    assert events == ["render fr/alpha", "render de/beta",
                      ".serge-build-state.json", "build-report.json",
                      "fr/alpha.epub", "fr/alpha.html", "de/beta.epub", "de/beta.html",
                      "fr/anthology.epub", "de/anthology.epub", "fr/index.html",
                      "de/index.html", "build-report.json", ".serge-build-state.json"]


def test_a_failed_render_leaves_each_file_whole_and_the_build_incomplete(project, tmp_path,
                                                                         monkeypatch):
    from serge_publish.commands import build_render
    before = files_of(project / "build")
    real = build_render.render_anthology

    def broken(*args, **kwargs):
        raise MemoryError("out of memory")

    edit_catalogue(project, "fr", "alpha", lambda i, e: e.msgid + " !" if i == 2 else None)
    monkeypatch.setattr(build_render, "render_anthology", broken)
    with pytest.raises(MemoryError):
        from serge_publish.commands.build import BuildOptions, build_command
        from serge_publish.project import find_project
        build_command(find_project(project), BuildOptions(jobs=1))
    now = files_of(project / "build")
    monkeypatch.setattr(build_render, "render_anthology", real)
    clean = _clean_build(project, tmp_path)
    assert {rel for rel in now if now[rel] != before.get(rel)} == {
        "fr/alpha.epub", "fr/alpha.html", "build-report.json"}
    assert now["fr/alpha.epub"] == clean["fr/alpha.epub"]
    report = json.loads(now["build-report.json"])
    assert report["complete"] is False and "build/fr/anthology.epub" in report["writing"]
    build(project, "--jobs", "1")                         # the next build repairs it
    assert files_of(project / "build") == clean


# ---------------------------------------------------------------- jobs in flight

def test_at_most_three_times_the_workers_jobs_are_in_flight(monkeypatch):
    """Each worker runs one job and may have the next in hand (see build_jobs._Worker):
    with the results waiting to be taken in order, at most three times the workers."""
    from serge_publish.commands import build_jobs
    given: list[int] = []
    real = build_jobs._Worker.send

    def send(self, i, data):
        given.append(i)
        return real(self, i, data)

    monkeypatch.setattr(build_jobs._Worker, "send", send)
    with Jobs(2) as jobs:
        assert jobs.in_flight == 6
        for taken, result in enumerate(jobs.map(pow, [(2, k) for k in range(20)])):
            assert result == 2 ** taken
            assert len(given) - taken <= jobs.in_flight     # handed out, not yet taken
    assert given == list(range(20))


# ---------------------------------------------------------------- resolved once

def test_a_catalogue_folder_that_links_out_of_the_project_is_refused(tmp_path):
    from serge_publish.config import Config
    from serge_publish.errors import CatalogError
    from serge_publish.project import Project
    root = tmp_path / "p"
    (root / "locale").mkdir(parents=True)
    outside = tmp_path / "elsewhere" / "LC_MESSAGES"
    outside.mkdir(parents=True)
    (outside / "a.po").write_text("x")
    (root / "locale" / "fr").symlink_to(outside.parent)
    (root / "shared").mkdir()
    (root / "locale" / "de").symlink_to(root / "shared")
    project = Project(root, Config(name="P", source_language="en"))
    for essay in ("a", "b"):                          # each folder resolved once: still refused
        with pytest.raises(CatalogError, match="outside the project"):
            project.po_path("fr", essay)
        assert project.po_path("de", essay) == root / "locale" / "de" / "LC_MESSAGES" / \
            f"{essay}.po"


def test_keys_tell_a_str_from_bytes_and_json():
    from serge_publish.commands.build_state import digest
    assert len({digest("ab"), digest(b"ab"), digest(b'"ab"'), digest(["ab"]),
                digest("a", "b"), digest("ab", "")}) == 6
    assert digest("é", [1, {"b": 2, "a": 1}]) == digest("é", [1, {"a": 1, "b": 2}])


def test_the_plan_jobs_are_given_largest_first(tmp_path):
    """The essays with the most to plan (source size times languages) are planned first,
    so that the last jobs of the plan, which one process may end alone, are small; ties
    keep the order given, and a source that cannot be read counts as empty."""
    from serge_publish.commands.build_plan import _largest_first
    from serge_publish.config import Config
    from serge_publish.project import Project
    (tmp_path / "source").mkdir()
    for name, size in (("a", 10), ("b", 300), ("c", 100), ("d", 100)):
        (tmp_path / "source" / f"{name}.xml").write_bytes(b"x" * size)
    project = Project(tmp_path, Config())
    langs = {"a": ("fr",) * 40, "b": ("fr",), "c": ("fr", "de"), "d": ("fr", "de"),
             "gone": ("fr",) * 9}
    assert _largest_first(project, ["gone", "a", "b", "c", "d"], langs) == \
        ["a", "b", "c", "d", "gone"]
