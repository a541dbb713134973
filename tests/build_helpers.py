"""Documents built in code for the writer and build tests (no source files needed)."""
from __future__ import annotations

import datetime as dt
from dataclasses import replace

from serge_publish.model import (Block, Document, Inline, Location, Metadata, Segment,
                                 map_segments)
from serge_publish.writers.edition import Edition, Publisher

DATE = dt.datetime(2016, 1, 18, tzinfo=dt.timezone.utc)
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
                box("note", leaf("p", seg("s14", "Victor Serge, 'Memoirs', p. 5.")), id="n1", n="1"),
                box("note", leaf("p", seg("s15", "Ibid.")), leaf("p", seg("s16", "See above.")),
                    id="n2", n="2")),
            box("bio", leaf("p", seg("s17", "Doug Enaa Greene is a historian."))),
            box("comments", box("comment", leaf("p", seg("s18", "Great article, thanks!")))),
        ),
        metadata=Metadata(author="Doug Enaa Greene", date="2016-01-18",
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
