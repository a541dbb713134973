"""Documents and projects built in code for the catalogue tests."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from serge_publish.catalog import (
    TranslationMemory,
    extract_catalog,
    format_catalog,
    merge_catalog,
    read_catalog,
)
from serge_publish.config import config_from_dict
from serge_publish.model import Block, Document, Inline, Location, Segment
from serge_publish.project import Project, init_project
from serge_publish.sourcexml import write_source

PROJECT_NAME = "Test essays"
BIN = Path(sys.executable).parent


def seg(sid: str, *content, essay: str = "sample") -> Segment:
    return Segment(sid, tuple(content), Location(f"source/{essay}.xml", int(sid[1:]) + 10))


def emph(*children) -> Inline:
    return Inline("emph", tuple(children))


def title(*children) -> Inline:
    return Inline("title", tuple(children))


def link(href: str, *children) -> Inline:
    return Inline("link", tuple(children), (("href", href),))


def noteref(n: str) -> Inline:
    return Inline("noteref", (n,), (("target", f"n{n}"), ("n", n)))


def keep(text: str) -> Inline:
    return Inline("notranslate", (text,))


def leaf(kind: str, *segments: Segment) -> Block:
    return Block(kind, segments=segments)


def box(kind: str, *children: Block, id: str | None = None, n: str | None = None) -> Block:
    return Block(kind, children=children, id=id, attrs=(("n", n),) if n else ())


def note(n: str, *segments: Segment) -> Block:
    return box("note", leaf("p", *segments), id=f"n{n}", n=n)


def sample_document(essay: str = "sample") -> Document:
    """A title, a byline, a heading, paragraphs with every kind of inline, a quote, notes."""
    s = lambda sid, *content: seg(sid, *content, essay=essay)  # noqa: E731
    return Document(
        id=essay, lang="en",
        title=leaf("title", s("s1", "On the borders of victory")),
        front=(leaf("byline", s("s2", "By Doug Enaa Greene")),),
        body=(box("div",
                  leaf("head", s("s3", "Life")),
                  leaf("p",
                       s("s4", "Serge was born in 1890 in ", emph("Brussels"), "."),
                       s("s5", "He wrote ", title("Memoirs of a Revolutionary"),
                         " in exile.", noteref("1")),
                       s("s6", "See ", link("https://example.org/serge", "the archive"),
                         " & ", link("https://example.org/2", "its ", emph("index")), ".")),
                  box("quote", leaf("p",
                      s("s7", "The only meaning of life lies in conscious participation."),
                      s("s8", "Read ", keep("Ville conquise"), " <again>.", noteref("2")))),
                  leaf("p", s("s9", "The same sentence twice."),
                       s("s10", "The same sentence twice."))),),
        back=(box("notes", note("1", s("s11", "Serge, ", title("Memoirs"), ", p. 12.")),
                  note("2", s("s12", "Ibid."))),),
        next_id=13,
    )


def make_project(root: Path, *docs: Document, langs: tuple[str, ...] = ("fr",),
                 translators: dict[str, str] | None = None) -> Project:
    config = config_from_dict({"project": {"name": PROJECT_NAME, "target_languages": list(langs)},
                               "translators": translators or {}})
    init_project(root, config)
    project = Project(root, config)        # translators are not written to the file
    for doc in docs or (sample_document(),):
        write_source(doc, project.source_path(doc.id))
    return project


needs_msgfmt = pytest.mark.skipif(
    shutil.which("msgfmt") is None,
    reason="GNU gettext's msgfmt is not installed (apt install gettext)")


def msgfmt_check(path: Path) -> str:
    """Runs `msgfmt -c --check-format` (GNU gettext is required); returns its messages
    and asserts it succeeds."""
    assert shutil.which("msgfmt"), "GNU gettext's msgfmt is required (apt install gettext)"
    run = subprocess.run(["msgfmt", "-c", "--check-format", "-o", os.devnull, str(path)],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    return run.stderr


# ------------------------------------------------------------------ merging in memory

DATE = "2016-01-18 00:00+0000"


def template(doc: Document):
    return extract_catalog(doc, project_name="P", date=DATE)


def merge(doc: Document, old=None, memory=None):
    """``doc``'s template merged into ``old``, in French, as `update` does."""
    return merge_catalog(template(doc), old, tag="fr", team="French",
                         memory=memory or TranslationMemory("en"))


def translate(po, **translations: str):
    """A translator at work on a catalogue in memory: finished translations by id."""
    for entry in po:
        if entry.msgctxt in translations and not entry.obsolete:
            entry.msgstr = translations[entry.msgctxt]
            entry.flags = [f for f in entry.flags if f != "fuzzy"]
            entry.previous_msgid = None
    return po


def by_id(po, obsolete: bool = False):
    return {e.msgctxt: e for e in po if e.obsolete == obsolete}


def with_paragraph(*segments: Segment) -> Document:
    doc = sample_document()
    return replace(doc, body=(box("div", leaf("p", *segments)),), back=())


def through_file(po, folder: Path):
    """``po`` written to folder/fr.po and read back."""
    path = folder / "fr.po"
    path.write_text(format_catalog(po), encoding="utf-8")
    return read_catalog(path)
