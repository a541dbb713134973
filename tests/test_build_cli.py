"""`serge-publish build` from the command line, on the test root two-essays (tests/roots):
the report, reproducibility, thresholds, bad input and the options."""
from __future__ import annotations

import io
import json
import os
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from build_helpers import (
    build,
    edit_catalogue,
    epub_file,
    files_of,
    run,
    segment_texts,
    source_docs,
)
from serge_publish.catalog import read_catalog, write_catalog
from serge_publish.model import NOT_ESSAY_KINDS, iter_segments
from serge_publish.sourcexml import read_source

ESSAYS = ["alpha", "beta"]


@pytest.fixture
def template(prepared_root) -> Path:
    """The root, extracted, updated (empty fr, es, de) and pseudo-translated. Read only."""
    return prepared_root("two-essays")


@pytest.fixture
def project(make_root) -> Path:
    return make_root("two-essays")


# ---------------------------------------------------------------- fallbacks and report

def test_report_lists_what_was_skipped_and_why(project):
    out, err = build(project, "--format", "html")
    report = json.loads((project / "build" / "build-report.json").read_text("utf-8"))
    assert report["threshold"] == 80.0 and report["formats"] == ["html"]
    fr = report["languages"]["fr"]["essays"][ESSAYS[0]]
    assert not fr["published"] and fr["reason"] == "0% < 80% needed"
    assert "skipped: 0% < 80% needed" in out and "built html" in out
    assert not list((project / "build").rglob("*.epub"))
    assert not (project / "build" / "fr").exists()
    assert err == ""           # no progress display when stderr is not a terminal


# ---------------------------------------------------------------- reproducibility

def test_two_builds_are_byte_identical(make_root, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    first, second = make_root("two-essays", folder="a"), make_root("two-essays", folder="b")
    os.utime(second / "source" / f"{ESSAYS[0]}.xml", (0, 0))     # mtimes do not matter
    build(first, "--lang", "en", "--lang", "qps")
    build(second, "--lang", "en", "--lang", "qps")
    a, b = files_of(first / "build"), files_of(second / "build")
    assert a.keys() == b.keys() and len(a) == 15
    assert [name for name in a if a[name] != b[name]] == []
    opf = epub_file(first / "build" / "en" / f"{ESSAYS[0]}.epub", "EPUB/content.opf")
    date = read_source(first / "source" / f"{ESSAYS[0]}.xml").metadata.date
    assert f"<meta property=\"dcterms:modified\">{date}".encode() in opf


def test_source_date_epoch_is_honoured(project, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    build(project, "--lang", "en", "--format", "epub")
    book = project / "build" / "en" / f"{ESSAYS[0]}.epub"
    assert b"2023-11-14T22:13:20Z" in epub_file(book, "EPUB/content.opf")
    with zipfile.ZipFile(book) as z:
        assert {i.date_time for i in z.infolist()} == {(2023, 11, 14, 22, 13, 20)}


# ---------------------------------------------------------------- below the threshold

def test_falling_below_the_threshold_does_not_unpublish(project):
    build(project, "--lang", "fr", "--threshold", "0")
    before = files_of(project / "build" / "fr")
    assert f"{ESSAYS[0]}.epub" in before and "anthology.epub" in before
    assert f'fr = ["{ESSAYS[0]}", "{ESSAYS[1]}"]' in \
        (project / "published.toml").read_text("utf-8")
    out, err = build(project, "--lang", "fr")           # 0% < 80%, but published once
    assert "skipped" not in out and "listed in published.toml" in " ".join(out.split())
    assert "build.published-below-threshold" in err
    after = files_of(project / "build" / "fr")
    books = [name for name in before if name.endswith(".epub")]
    assert len(books) == 3 and all(after[name] == before[name] for name in books)
    # the pages changed: --threshold 0 published es and de as well (not recorded: not built)
    assert 'hreflang="de"' in before["index.html"].decode()
    assert 'hreflang="de"' not in after["index.html"].decode()


# ---------------------------------------------------------------- bad input

def test_a_published_edition_whose_catalogue_breaks_stops_the_build_at_its_line(project):
    path = edit_catalogue(project, "fr", ESSAYS[0], lambda i, e: "FR " + e.msgid)
    build(project, "--lang", "fr", "--threshold", "0")           # published, recorded
    lines = path.read_text("utf-8").split("\n")
    at = next(i for i, line in enumerate(lines)
              if line.startswith('msgstr "') and len(line) > 10 and i > 20)
    lines[at] = lines[at].rstrip('"')                            # unterminated string
    path.write_text("\n".join(lines), "utf-8")
    before = files_of(project / "build")
    code, _, err = run("--project", str(project), "build", "--lang", "fr")
    rel = f"locale/fr/LC_MESSAGES/{ESSAYS[0]}.po"
    assert code == 4, err
    assert f"cannot be built: catalogue unreadable ({rel}:{at + 1}: unterminated string)" \
        in " ".join(err.split()) and "hint:" in err
    assert files_of(project / "build") == before                 # nothing half-written


def test_broken_markup_falls_back_with_a_located_warning(project):
    tagged = {}

    def translate(i, entry):
        if "<" in entry.msgid and not tagged:
            tagged["id"] = entry.msgctxt
            return "<i>broken " + entry.msgid.replace("<", "[")
        return entry.msgid

    path = edit_catalogue(project, "fr", ESSAYS[0], translate)
    line = next(e.linenum for e in read_catalog(path) if e.msgctxt == tagged["id"])
    out, err = build(project, "--lang", "fr", "--essay", ESSAYS[0])
    where = f"locale/fr/LC_MESSAGES/{ESSAYS[0]}.po:{line}"
    assert where in err and f"segment {tagged['id']}" in err and "Traceback" not in err
    page = etree.parse(str(project / "build" / "fr" / f"{ESSAYS[0]}.html"), etree.HTMLParser())
    span = page.xpath(f"//span[@id='{tagged['id']}']")[0]
    assert span.get("lang") == "en" and "broken" not in "".join(span.itertext())
    assert "1 invalid" in out


def test_translator_markup_never_reaches_an_output(project):
    edit_catalogue(project, "fr", ESSAYS[0], lambda i, e: e.msgid + (
        " &lt;script&gt;alert(1)&lt;/script&gt; <b onclick=x>" if "<" not in e.msgid else ""))
    build(project, "--lang", "fr", "--essay", ESSAYS[0], "--threshold", "0")
    path = project / "build" / "fr" / f"{ESSAYS[0]}.html"
    page = etree.parse(str(path), etree.HTMLParser())
    assert not page.xpath("//script | //b | //@onclick")
    raw = path.read_text("utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &lt;b onclick=x&gt;" in raw
    book = epub_file(project / "build" / "fr" / f"{ESSAYS[0]}.epub", f"EPUB/{ESSAYS[0]}.xhtml")
    assert not etree.fromstring(book).xpath("//*[local-name()='script' or local-name()='b']")


def test_missing_source_folder_is_a_clear_error(tmp_path):
    (tmp_path / "serge-publish.toml").write_text("[project]\nname = \"x\"\n")
    code, out, err = run("--project", str(tmp_path), "build")
    assert code == 5 and "no source folder" in err and "hint:" in err
    assert "Traceback" not in err


def test_unknown_essay_is_a_clear_error(template):
    code, _, err = run("--project", str(template), "build", "--essay", "nope")
    assert code == 5 and "no essay 'nope'" in err


def test_bad_language_is_a_clear_error(template):
    code, _, err = run("--project", str(template), "build", "--lang", "not a language")
    assert code != 0 and "not a valid language code" in err


@pytest.mark.parametrize("langs", [["it"], ["fr", "it"], ["it_IT"]])
def test_a_language_neither_configured_nor_begun_is_refused(project, langs):
    args = [a for lang in langs for a in ("--lang", lang)]
    code, out, err = run("--project", str(project), "build", *args)
    code_name = langs[-1]
    tag = code_name.replace("_", "-")
    assert code == 5 and not out and "Traceback" not in err, err
    assert f"error: --lang {code_name}: not one of the project's target languages (fr, es, " \
           f"de), and no catalogue in locale/{code_name}/LC_MESSAGES/: there is nothing to " \
           "build" in err
    assert f"hint: add {tag} to target_languages in serge-publish.toml and run " \
           f"'serge-publish update --lang {tag}'" in err
    assert not (project / "build").exists()


def test_a_language_begun_with_update_builds_unconfigured(project):
    code, _, err = run("--project", str(project), "update", "--lang", "it")
    assert code == 0
    assert "it: info: the language it is not in target_languages: its catalogues are made, " \
           "but 'build' publishes its editions only once" in err and "[update.not-target]" in err
    code, out, err = run("--project", str(project), "build", "--lang", "it")
    assert code == 0, err
    assert "skipped" in out                                 # 0% translated: below the threshold
    code, _, err = run("--project", str(project), "update", "--lang", "fr")
    assert code == 0 and "update.not-target" not in err


# ---------------------------------------------------------------- options

def test_reader_comments_only_when_asked(project):
    with_comments = [e for e, d in source_docs(True, project).items()
                     if any(b.kind == "comments" for _, blocks in d.sections for b in blocks)]
    assert with_comments, "an essay of the root has reader comments"
    essay = with_comments[0]
    build(project, "--lang", "en", "--format", "html", "--essay", essay)
    page = project / "build" / "en" / f"{essay}.html"
    assert 'class="comments"' not in page.read_text("utf-8")
    out, _ = build(project, "--lang", "en", "--format", "html", "--essay", essay,
                   "--include-comments")
    assert 'class="comments"' in page.read_text("utf-8")
    everything = read_source(project / "source" / f"{essay}.xml")
    kept = {r.segment.id for r in iter_segments(source_docs(True, project)[essay])}
    left_out = {r.segment.id for r in iter_segments(everything)} - kept
    assert segment_texts(etree.parse(str(page), etree.HTMLParser()).getroot()).keys() == kept
    assert left_out or "duplicate" not in NOT_ESSAY_KINDS     # e.g. a repeated passage
    assert "anthology" in out and not (project / "build" / "en" / "anthology.epub").exists()


def test_build_help_has_an_example():
    code, out, _ = run("build", "--help")
    assert code == 0 and "serge-publish build --lang fr" in out
    for option in ("--lang", "--format", "--essay", "--threshold", "--use-fuzzy",
                   "--include-comments"):
        assert option in out


def test_site_links_configured_languages_only(project):
    """The top page and the other languages' pages link the configured languages; a
    language built with --lang only (qps) links them, and is linked by no other page, so
    its run writes the same top page as a full build."""
    build(project, "--lang", "en", "--format", "html")
    top = (project / "build" / "index.html").read_bytes()
    build(project, "--lang", "en", "--lang", "qps", "--format", "html")
    assert (project / "build" / "index.html").read_bytes() == top and b"qps/" not in top
    assert "../qps/" not in (project / "build" / "en" / f"{ESSAYS[0]}.html").read_text("utf-8")
    assert "../en/" in (project / "build" / "qps" / f"{ESSAYS[0]}.html").read_text("utf-8")


def test_fuzzy_translations_only_when_asked(project):
    path = edit_catalogue(project, "fr", ESSAYS[0], lambda i, e: "FR " + e.msgid)
    po = read_catalog(path)
    fuzzy = po[0].msgctxt
    po[0].flags.append("fuzzy")
    write_catalog(path, po)
    build(project, "--lang", "fr", "--essay", ESSAYS[0], "--format", "html")
    page = project / "build" / "fr" / f"{ESSAYS[0]}.html"
    span = etree.parse(str(page), etree.HTMLParser()).xpath(f"//span[@id='{fuzzy}']")[0]
    assert span.get("lang") == "en"
    report = json.loads((project / "build" / "build-report.json").read_text("utf-8"))
    assert report["languages"]["fr"]["essays"][ESSAYS[0]]["segments"]["fuzzy"] == 1
    build(project, "--lang", "fr", "--essay", ESSAYS[0], "--format", "html", "--use-fuzzy")
    span = etree.parse(str(page), etree.HTMLParser()).xpath(f"//span[@id='{fuzzy}']")[0]
    assert span.get("lang") is None and "".join(span.itertext()).startswith("FR ")


def test_progress_display_on_a_terminal():
    from rich.console import Console

    from serge_publish.commands.build_report import BuildProgress
    progress = BuildProgress(enabled=True)
    progress.console = Console(file=io.StringIO(), force_terminal=True)
    with progress:
        progress.tick("en: essay")
    assert "en: essay" in progress.console.file.getvalue()
    assert not BuildProgress().enabled          # stderr is not a terminal under pytest


def test_unwritable_build_folder_is_a_clear_error(project):
    (project / "build").write_text("not a folder")
    code, _, err = run("--project", str(project), "build", "--lang", "en")
    assert code == 6 and "cannot write" in err and "Traceback" not in err
