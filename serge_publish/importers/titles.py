"""Titles of works named in the hints (``titles = ["Memoirs of a Revolutionary", ...]``):
every occurrence in running text becomes a "title" inline (set in italics by the writers,
``<t>…</t>`` in catalogues).

Runs on a segmented document, after every format's reader, so marking titles never changes
where sentences are split, nor any text: only inline markup is added.

- An occurrence is matched case-sensitively, on word boundaries, longest title first (so
  "The Case of Comrade Tulayev" wins over "Tulayev"); inside plain text and emphasis, never
  inside a link, a note reference, an untranslated span or a title already marked.
- An emphasis (Markdown ``*...*``, HTML ``<em>``/``<i>``) whose whole text is a hinted
  title becomes that title; any other emphasis stays emphasis.
- A title may name its language: ``titles = ["Les Hommes perdus@fr"]`` marks the title
  with ``xml:lang="fr"`` (for a work cited in its original language).
- Each hinted title that is never found is reported (a typo in the hints).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

from ..errors import Report
from ..model import Content, Document, Inline, InlineItem, SegmentRef, map_segments, plain_text

_LANG_SUFFIX = re.compile(r"^(.*\S)@([A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*)$", re.S)
_UNTOUCHED = frozenset({"link", "noteref", "notranslate", "title", "foreign"})


@dataclass(frozen=True)
class Title:
    text: str
    lang: str | None = None

    def inline(self, children: Content) -> Inline:
        return Inline("title", children, (("lang", self.lang),) if self.lang else ())


def parse_titles(hinted: tuple[str, ...]) -> tuple[Title, ...]:
    """The hinted titles ("Title" or "Title@lang"), longest first."""
    titles = []
    for entry in hinted:
        m = _LANG_SUFFIX.match(entry)
        titles.append(Title(m.group(1), m.group(2)) if m else Title(entry.strip()))
    return tuple(sorted((t for t in titles if t.text), key=lambda t: -len(t.text)))


def mark_titles(doc: Document, hinted: tuple[str, ...], report: Report,
                where: str = "") -> Document:
    """``doc`` with every occurrence of the hinted titles marked as a title."""
    titles = parse_titles(hinted)
    if not titles:
        return doc
    pattern = re.compile("|".join(rf"(?<!\w){re.escape(t.text)}(?!\w)" for t in titles))
    by_text = {t.text: t for t in titles}
    found: set[str] = set()

    def mark(ref: SegmentRef):
        content = _mark(ref.segment.content, pattern, by_text, found)
        return replace(ref.segment, content=content)

    marked = map_segments(doc, mark)
    for title in titles:
        if title.text not in found:
            report.warn("import.title-not-found", f"the hinted title {title.text!r} is not "
                        "in the text (check its spelling and case)", where)
    return marked


def _mark(content: Content, pattern: re.Pattern, by_text: dict[str, Title],
          found: set[str]) -> Content:
    out: list[InlineItem] = []
    for item in content:
        if isinstance(item, str):
            out.extend(_split(item, pattern, by_text, found))
        elif item.kind == "emph" and plain_text(item.children).strip() in by_text:
            title = by_text[plain_text(item.children).strip()]
            found.add(title.text)
            out.append(title.inline(item.children))
        elif item.kind in _UNTOUCHED:
            out.append(item)
        else:
            out.append(replace(item, children=_mark(item.children, pattern, by_text, found)))
    return tuple(out)


def _split(text: str, pattern: re.Pattern, by_text: dict[str, Title],
           found: set[str]) -> list[InlineItem]:
    pieces: list[InlineItem] = []
    last = 0
    for m in pattern.finditer(text):
        if m.start() > last:
            pieces.append(text[last:m.start()])
        found.add(m.group())
        pieces.append(by_text[m.group()].inline((m.group(),)))
        last = m.end()
    if last < len(text):
        pieces.append(text[last:])
    return pieces
