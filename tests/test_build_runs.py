"""Regressions of `serge-publish build` runs on copies of the shipped project: what is
written (and what not) when a target is in the way, when two outputs would share a path,
when an anthology would shrink, with SOURCE_DATE_EPOCH, and after partial --lang builds."""
from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pytest

from build_helpers import ESSAYS, build, edit_catalogue, epub_file, files_of, new_project, run
from serge_publish import atomic
from serge_publish.commands.build_write import write_outputs
from serge_publish.errors import BuildError


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    return new_project(tmp_path_factory.mktemp("runs") / "project")


@pytest.fixture
def project(template, tmp_path) -> Path:
    shutil.copytree(template, tmp_path / "p")
    return tmp_path / "p"


def _translate_all(project: Path, lang: str = "fr") -> None:
    for essay in ESSAYS:
        edit_catalogue(project, lang, essay, lambda i, e: e.msgid)


# ---------------------------------------------------------------- a target in the way

def test_a_file_in_the_way_stops_the_build_before_anything_is_written(project):
    _translate_all(project)
    build(project, "--lang", "en")
    before = files_of(project / "build")
    (project / "build" / "fr").write_text("in the way")
    code, _, err = run("--project", str(project), "build")
    assert code == 6 and "Traceback" not in err
    assert "build/fr is not a folder" in err and "hint:" in err
    after = files_of(project / "build")
    assert after == {**before, "fr": b"in the way"}      # en not replaced, no new report


def test_a_build_folder_that_is_a_file_is_named(project):
    (project / "build").write_text("x")
    code, _, err = run("--project", str(project), "build", "--lang", "en")
    assert code == 6 and "build is not a folder" in err
    assert (project / "build").read_text() == "x"


def test_the_report_is_written_last_and_not_after_a_failed_write(tmp_path, monkeypatch):
    order: list[str] = []
    real = atomic.write_bytes

    def write(path, data):
        order.append(Path(path).name)
        if Path(path).name == "broken.html":
            raise OSError(28, "No space left on device")
        real(path, data)

    monkeypatch.setattr(atomic, "write_bytes", write)
    files = {"en/a.html": b"a", "style.css": b"c", "index.html": b"i"}
    write_outputs(tmp_path, files, ("build-report.json", b"{}"))
    assert order == ["a.html", "index.html", "style.css", "build-report.json"]
    with pytest.raises(BuildError, match="No space left") as failure:
        write_outputs(tmp_path / "b", {"en/broken.html": b"x"}, ("build-report.json", b"{}"))
    assert "build-report.json was not updated" in failure.value.hint
    assert not (tmp_path / "b" / "build-report.json").exists()


def test_every_output_the_report_lists_exists(project):
    build(project, "--lang", "en", "--lang", "qps")
    report = json.loads((project / "build" / "build-report.json").read_text("utf-8"))
    assert report["outputs"] and all((project / p).is_file() for p in report["outputs"])


# ---------------------------------------------------------------- two outputs, one path

@pytest.mark.parametrize("essay_id, args, taken", [
    ("index", ("--lang", "en"), "build/en/index.html"),
    ("anthology", ("--lang", "en"), "build/en/anthology.epub"),
    ("anthology", ("--lang", "en", "--essay", "anthology"), "build/en/anthology.epub"),
    ("Index", ("--lang", "en", "--format", "html"), "build/en/Index.html"),
])
def test_an_essay_cannot_take_a_site_files_path(project, essay_id, args, taken):
    shutil.copy(project / "source" / f"{ESSAYS[0]}.xml", project / "source" / f"{essay_id}.xml")
    code, _, err = run("--project", str(project), "build", *args)
    assert code == 6 and "Traceback" not in err
    assert taken in err and f"essay {essay_id!r}" in err and "hint:" in err
    assert not (project / "build").exists()


# ---------------------------------------------------------------- the anthology

def test_an_anthology_is_kept_when_an_essay_it_holds_is_no_longer_published(project):
    _translate_all(project)
    build(project, "--lang", "fr")
    anthology = project / "build" / "fr" / "anthology.epub"
    before = anthology.read_bytes()
    po = project / "locale" / "fr" / "LC_MESSAGES" / f"{ESSAYS[0]}.po"
    saved = po.read_bytes()
    po.write_text("not a catalogue\n")
    out, err = build(project, "--lang", "fr")
    assert anthology.read_bytes() == before
    out = " ".join(out.split())                  # the summary table wraps long cells
    assert f"kept the previous build: it holds {ESSAYS[0]}, no longer published" in out
    assert "build.anthology-kept" in err
    report = json.loads((project / "build" / "build-report.json").read_text("utf-8"))
    assert "kept the previous build" in report["languages"]["fr"]["anthology"]
    assert "build/fr/anthology.epub" not in report["outputs"]
    po.write_bytes(saved)                    # published again: rebuilt with every essay
    out, _ = build(project, "--lang", "fr")
    assert "kept" not in out and anthology.read_bytes() == before


# ---------------------------------------------------------------- SOURCE_DATE_EPOCH

@pytest.mark.parametrize("value", ["99999999999999", "abc", "-5", "1.5", "１２"])
def test_an_unusable_source_date_epoch_is_a_clear_error(project, monkeypatch, value):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    code, _, err = run("--project", str(project), "build", "--lang", "en")
    assert code == 5 and "error: SOURCE_DATE_EPOCH (environment variable): " in err
    assert "hint:" in err
    assert "Traceback" not in err and not (project / "build").exists()


def test_a_date_after_2107_is_clamped_in_the_zip_only(project, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "7258118400")            # 2200-01-01
    build(project, "--lang", "en", "--format", "epub")
    book = project / "build" / "en" / f"{ESSAYS[0]}.epub"
    assert b"2200-01-01T00:00:00Z" in epub_file(book, "EPUB/content.opf")
    with zipfile.ZipFile(book) as z:
        assert {i.date_time for i in z.infolist()} == {(2107, 12, 31, 23, 59, 58)}


# ---------------------------------------------------------------- partial --lang builds

def test_a_partial_build_says_which_pages_do_not_link_its_language(project):
    _translate_all(project, "fr")
    _translate_all(project, "de")
    build(project, "--lang", "en", "--lang", "fr", "--format", "html")
    _, err = build(project, "--lang", "de", "--format", "html")
    assert "pages of en, fr do not link de yet: run a full build" in err
    assert "../de/" in (project / "build" / "de" / f"{ESSAYS[0]}.html").read_text("utf-8")
    _, err = build(project, "--format", "html")
    assert "links-one-sided" not in err
    _, err = build(project, "--lang", "qps", "--format", "html")     # linked by its runs only
    assert "links-one-sided" not in err
    for lang in ("en", "fr"):
        page = (project / "build" / lang / f"{ESSAYS[0]}.html").read_text("utf-8")
        assert 'hreflang="de"' in page
