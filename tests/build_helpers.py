"""Helpers of the build tests: documents built in code for the writer tests (no source
files needed), and projects (test roots, the shipped one) run through the CLI."""
from __future__ import annotations

import contextlib
import datetime as dt
import io
import re
import shutil
import zipfile
from dataclasses import replace
from pathlib import Path

from lxml import etree

from serge_publish import languages
from serge_publish.catalog import read_catalog, write_catalog
from serge_publish.cli import main
from serge_publish.model import (
    Block,
    Document,
    Inline,
    Location,
    Metadata,
    Segment,
    map_segments,
    published,
)
from serge_publish.sourcexml import read_source
from serge_publish.writers.edition import Edition, Publisher

ROOT = Path(__file__).resolve().parents[1]
ESSAYS = sorted(p.stem for p in (ROOT / "source").glob("*.xml"))
NS = {"x": "http://www.w3.org/1999/xhtml", "dc": "http://purl.org/dc/elements/1.1/",
      "ncx": "http://www.daisy.org/z3986/2005/ncx/", "svg": "http://www.w3.org/2000/svg"}

DATE = dt.datetime(2016, 1, 18, tzinfo=dt.UTC)
PUBLISHER = Publisher("Test essays", "Small Press", "CC BY-NC 4.0")


def seg(sid: str, *content, lang: str | None = None) -> Segment:
    return Segment(sid, tuple(content), Location("source/sample.xml", int(sid[1:])), lang)


def noteref(target: str, n: str) -> Inline:
    return Inline("noteref", (n,), (("target", target), ("n", n)))


def leaf(kind: str, *segments: Segment) -> Block:
    return Block(kind, segments=segments)


def box(kind: str, *children: Block, id: str | None = None, **attrs: str) -> Block:
    return Block(kind, children=children, id=id, attrs=tuple(sorted(attrs.items())))


def sample_document(essay: str = "sample") -> Document:
    """Every block and inline kind, straight quotes and apostrophes, two notes."""
    return Document(
        id=essay, lang="en",
        title=leaf("title", seg("s1", "Victor Serge: on the borders of victory")),
        front=(
            leaf("byline", seg("s2", "By Doug Enaa Greene", noteref("n1", "1"))),
            leaf("dateline", seg("s3", "January 18, 2016")),
            box("provenance", leaf("p", seg("s4", "Reposted from Red Wedge."))),
            box("editorial", leaf("p", seg("s5", "[This paper was presented in 2009.]"))),
        ),
        body=(
            box("figure", leaf("caption", seg("s6", "\u00a0Victor Serge (left) and friends"))),
            box("div",
                leaf("head", seg("s7", "I. Life")),
                leaf("p", seg("s8", "Serge said: \"The only meaning of life lies in ",
                              Inline("emph", ("conscious",)), " participation.\""),
                     seg("s9", "He wrote ", Inline("title", ("Memoirs of a Revolutionary",)),
                         ", a book that's still read.", noteref("n2", "2")),
                     seg("s10", "See ", Inline("link", ("the archive",),
                                               (("href", "https://example.org/a b"),)),
                         " and ", Inline("link", ("this",), (("href", "javascript:alert(1)"),)),
                         "; ask ", Inline("notranslate", ("Kibalchich",)), "!")),
                box("quote", leaf("p", seg("s11", "It is a worse error to live for oneself."))),
                box("div", leaf("head", seg("s12", "Childhood")),
                    leaf("p", seg("s13", "He was born in 1891.", noteref("n1", "1")))),
                id="d1"),
        ),
        back=(
            box("notes",
                box("note", leaf("p", seg("s14", "Victor Serge, 'Memoirs', p. 5.")),
                    id="n1", n="1"),
                box("note", leaf("p", seg("s15", "Ibid.")), leaf("p", seg("s16", "See above.")),
                    id="n2", n="2")),
            box("bio", leaf("p", seg("s17", "Doug Enaa Greene is a historian."))),
            box("comments", box("comment", leaf("p", seg("s18", "Great article, thanks!")))),
        ),
        metadata=Metadata(author=("Doug Enaa Greene",), date="2016-01-18",
                          publisher="Links International Journal of Socialist Renewal",
                          provenance="Reposted from Red Wedge with the author's permission.",
                          rights="© the author."),
        next_id=19,
    )


def translate(doc: Document, lang: str, fn) -> Document:
    """A 'translation': every segment's strings passed through ``fn``."""
    def content(items):
        return tuple(fn(i) if isinstance(i, str) else
                     (i if i.kind in {"noteref", "notranslate"} else
                      replace(i, children=content(i.children))) for i in items)
    return replace(map_segments(doc, lambda ref: replace(ref.segment,
                                                         content=content(ref.segment.content))),
                   lang=lang)


def edition(doc: Document | None = None, lang: str = "en", **kw) -> Edition:
    doc = doc or sample_document()
    return Edition(document=doc, lang=lang, source_lang="en", publisher=PUBLISHER,
                   date=DATE, **kw)


# ---------------------------------------------------------------- projects

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


def build_scenarios(project: Path) -> Path:
    """A prepared project built in the source language and qps; then in fr (half
    translated, French typography), ar (right to left) and fa (right to left, a language
    without a furniture table: English furniture) for its first essay, with --threshold 0.
    Returns ``project``."""
    essay = sorted(p.stem for p in (project / "source").glob("*.xml"))[0]
    build(project, "--lang", "en", "--lang", "qps")
    edit_catalogue(project, "fr", essay, lambda i, e: e.msgid if i % 2 else None)
    for lang, words in (("ar", "نص عربي"), ("fa", "متن فارسی")):
        shutil.copytree(project / "locale" / "fr", project / "locale" / lang)
        edit_catalogue(project, lang, essay,
                       lambda i, e, words=words: f"{words}: {e.msgid}" if i % 3 == 0 else "")
    build(project, "--lang", "fr", "--lang", "ar", "--lang", "fa", "--threshold", "0",
          "--essay", essay)
    return project


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


def files_of(folder: Path, state: bool = False) -> dict[str, bytes]:
    """Every file under ``folder`` (a build folder): path -> bytes; the build's state file
    (what the next build needs, not an output) only with ``state``."""
    return {str(p.relative_to(folder)): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()
            and (state or p.name != ".serge-build-state.json")}


def source_docs(include_comments: bool = False, project: Path = ROOT):
    """Every essay of ``project`` (the shipped one by default) as its editions print it."""
    return {p.stem: published(read_source(p), include_comments)
            for p in sorted((project / "source").glob("*.xml"))}


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
        texts[span.get("id")] = norm("".join(parts))
    return texts


def norm(text: str) -> str:
    return re.sub(r"[ \t\n\r]+", " ", text).strip()


def epub_file(path: Path, name: str) -> bytes:
    with zipfile.ZipFile(path) as z:
        return z.read(name)


TINY_ESSAY = "A title\n\nOne sentence. Two sentences.\n"   # tiny_project's essay


def run_cli(capsys, *args: str) -> tuple[int, str, str]:
    """``cli.main(args)`` as a user runs it, in the current folder: (exit code, stdout,
    stderr), never a traceback."""
    from serge_publish.cli import main
    code = main(list(args))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


# what translated_project translates every text of a catalogue into
WORDS = {"ja": "日本語の訳文です", "ar": "نص عربي مترجم", "zh-TW": "中文譯文"}


def translated_project(make_root, lang: str) -> Path:
    """The editions root with ``lang`` its one target language (credited as fr was), its
    catalogues translated but every fifth entry (tags kept), built at threshold 0."""
    project = make_root("editions", prepared=False)
    config = project / "serge-publish.toml"
    config.write_text(config.read_text("utf-8")
                      .replace('target_languages = ["fr", "es", "de"]',
                               f'target_languages = ["{lang}"]')
                      .replace("[credits.fr]", f"[credits.{lang}]"), "utf-8")
    for command in ("extract", "update"):
        code, _, err = run("--project", str(project), command)
        assert code == 0, err
    folder = languages.to_gettext(lang)

    def translate(i, entry):
        parts = re.split(r"(<[^>]*>)", entry.msgid)
        return "" if i % 5 == 4 else "".join(
            p if p.startswith("<") or not p.strip() else WORDS[lang] for p in parts)
    for po in sorted((project / "locale" / folder / "LC_MESSAGES").glob("*.po")):
        edit_catalogue(project, folder, po.stem, translate)
    return project
