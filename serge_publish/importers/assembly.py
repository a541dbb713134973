"""What every importer does once its format is parsed: build leaves, number notes, assemble.

An importer turns its input into a flat list of :class:`Item` (body blocks in reading order,
headings as "head" leaves with their level), registers note references with a
:class:`NoteTable`, and hands everything to :func:`assemble`, which picks the title and the
front matter, cuts the body into "div" blocks at each heading and returns the Document.
Every leaf holds exactly one Segment (id "tmp"): the pipeline segments sentences later.
"""
from __future__ import annotations

import datetime
import re
from dataclasses import replace
from typing import Callable, Iterable, NamedTuple
from urllib.parse import urlsplit

from ..errors import InputError, Report
from ..model import (Block, Content, Document, Inline, InlineItem, Location, Metadata, Segment,
                     plain_text)


class Item(NamedTuple):
    """A body block in reading order; ``level`` is the heading level of a "head", else 0."""
    block: Block
    level: int = 0


def where(path: str, line: int | None) -> str:
    return f"{path}:{line}" if line else path


# -- leaves and inline content ---------------------------------------------------------------

_SPACE = re.compile(r"[ \t\n\r\f\v]+")   # ASCII whitespace only: no-break spaces are kept
_INVISIBLE = re.compile("[\u200b\ufeff]")


def normalize(content: Iterable[InlineItem]) -> Content:
    """Whitespace runs -> one space, edge spaces moved out of inlines, ends stripped (of
    no-break spaces too)."""
    items = list(_collapse(tuple(content), [True]))
    if items and isinstance(items[0], str):
        items[0] = items[0].lstrip()
    if items and isinstance(items[-1], str):
        items[-1] = items[-1].rstrip()
    return tuple(item for item in items if item != "")


def _collapse(items: Content, after_space: list[bool]) -> Content:
    out: list[InlineItem] = []
    for item in items:
        if isinstance(item, str):
            _add_text(out, item, after_space)
        elif item.kind == "noteref":
            out.append(item)
            after_space[0] = False
        else:
            _add_inline(out, item, after_space)
    return tuple(out)


def _add_text(out: list[InlineItem], text: str, after_space: list[bool]) -> None:
    text = _SPACE.sub(" ", _INVISIBLE.sub("", text))
    text = text.lstrip(" ") if after_space[0] else text
    if text:
        after_space[0] = text.endswith(" ")
        if out and isinstance(out[-1], str):
            out[-1] += text
        else:
            out.append(text)


def _add_inline(out: list[InlineItem], item: Inline, after_space: list[bool]) -> None:
    children = list(_collapse(item.children, after_space))
    if children and isinstance(children[0], str) and children[0].startswith(" "):
        children[0] = children[0][1:]
        _add_text(out, " ", [False])
    trailing = bool(children) and isinstance(children[-1], str) and children[-1].endswith(" ")
    if trailing:
        children[-1] = children[-1][:-1]
    children = [child for child in children if child != ""]
    if len(children) == 1 and item.kind == "emph" and getattr(children[0], "kind", "") == "emph":
        out.append(children[0])   # **_both_** is one emphasis
    elif children:
        out.append(replace(item, children=tuple(children)))
    if trailing:
        _add_text(out, " ", [False])


def leaf(kind: str, content: Iterable[InlineItem], path: str, line: int | None) -> Block | None:
    """A leaf block holding one unsegmented segment, or None when there is no text."""
    content = normalize(content)
    if not any(isinstance(item, Inline) or item.strip() for item in content):
        return None
    location = Location(path, line)
    return Block(kind, segments=(Segment("tmp", content, location),), location=location)


def number_first(items: list[Item], number: str) -> list[Item]:
    """Items of an ordered-list entry, the first paragraph prefixed with its ``number``."""
    for index, item in enumerate(items):
        if item.block.kind == "p":
            segment = item.block.segments[0]
            segment = replace(segment, content=normalize((number,) + segment.content))
            return items[:index] + [Item(replace(item.block, segments=(segment,)))] \
                + items[index + 1:]
    return items


def as_blocks(items: list[Item]) -> tuple[Block, ...]:
    """Blocks for a container that has no divisions (quote, note, comment): heads become p."""
    return tuple(replace(item.block, kind="p") if item.block.kind == "head" else item.block
                 for item in items)


def safe_href(href: str, at: str, report: Report) -> str | None:
    """``href`` if it is http(s), mailto or relative; else None, with a warning.

    Links within the page ("#...") are None, silently: editions have other ids."""
    cleaned = re.sub(r"[\x00-\x20]", "", href)   # browsers ignore these inside a scheme
    if cleaned.startswith("#"):
        return None
    try:
        scheme = urlsplit(cleaned).scheme.lower()
    except ValueError:
        scheme = "invalid"
    if cleaned and scheme in ("", "http", "https", "mailto"):
        return href.strip()
    report.warn("import.link-dropped", f"link to {href[:60]!r} dropped (only http, https, "
                "mailto and relative links are kept); its text is kept", at)
    return None


_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_DATES = (re.compile(r"(?P<y>\d{4})-(?P<m>\d\d?)-(?P<d>\d\d?)(?:[T ].*)?"),
          re.compile(r"(?P<m>[A-Za-z]{3,})\.? (?P<d>\d\d?)(?:st|nd|rd|th)?,? (?P<y>\d{4})"),
          re.compile(r"(?P<d>\d\d?)(?:st|nd|rd|th)? (?P<m>[A-Za-z]{3,})\.?,? (?P<y>\d{4})"))


def iso_date(text: str) -> str:
    """"2016-01-18", "January 18, 2016" or "18 Jan 2016" as "2016-01-18"; else ""."""
    for pattern in _DATES:
        match = pattern.fullmatch(text.strip())
        if match:
            try:
                return datetime.date(int(match["y"]), _month(match["m"]),
                                     int(match["d"])).isoformat()
            except ValueError:
                return ""
    return ""


def _month(name: str) -> int:
    if name.isdigit():
        return int(name)
    return _MONTHS.index(name[:3].lower()) + 1 if name[:3].lower() in _MONTHS else 0


# -- notes -----------------------------------------------------------------------------------

Definition = tuple[int, Callable[[], tuple[Block, ...]]]   # (line, blocks of the note)


class NoteTable:
    """Numbers notes 1..N in order of first reference and builds the "notes" block."""

    def __init__(self, path: str, report: Report):
        self.path, self.report = path, report
        self.numbers: dict[str, int] = {}
        self.lines: dict[str, int] = {}

    def ref(self, label: str, line: int | None) -> Inline:
        """The noteref for a reference to ``label`` met at ``line``."""
        n = str(self.numbers.setdefault(label, len(self.numbers) + 1))
        self.lines.setdefault(label, line)
        return Inline("noteref", (n,), (("target", f"n{n}"), ("n", n)))

    def build(self, definitions: dict[str, Definition]) -> tuple[Block, ...]:
        """``(Block("notes"),)`` (or ``()``): referenced notes first, then unreferenced ones."""
        notes, done = [], 0
        while True:
            if done < len(self.numbers):
                notes.append(self._note(list(self.numbers)[done], definitions))
                done += 1
                continue
            extra = next((label for label in definitions if label not in self.numbers), None)
            if extra is None:
                break
            self.report.warn("import.note-unreferenced", f"note {extra!r} is never referenced; "
                             "kept at the end of the notes",
                             where(self.path, definitions[extra][0]))
            self.numbers[extra] = len(self.numbers) + 1
        return (Block("notes", children=tuple(notes), location=notes[0].location),) \
            if notes else ()

    def _note(self, label: str, definitions: dict[str, Definition]) -> Block:
        n = str(self.numbers[label])
        if label in definitions:
            line, convert = definitions[label]
            children = convert()
        else:
            line, children = self.lines.get(label), ()
            self.report.warn("import.note-missing", f"note {label!r} is referenced but never "
                             "defined; an empty note was made", where(self.path, line))
        return Block("note", children=children, id=f"n{n}", attrs=(("n", n),),
                     location=Location(self.path, line))


# -- the document ----------------------------------------------------------------------------

def assemble(items: list[Item], *, path: str, lang: str, report: Report,
             metadata: Metadata = Metadata(), front: tuple[Block, ...] = (),
             back: tuple[Block, ...] = (), fallback_title: Block | None = None) -> Document:
    """The Document: title, front (given + byline/dateline found after the title), divs."""
    if not items and fallback_title is None:
        raise InputError("no text found", where=where(path, 1),
                         hint="the file holds no paragraph or heading: is it the essay?")
    index = _title_index(items, fallback_title is not None, path, report)
    title = fallback_title if index is None else replace(items[index].block, kind="title")
    after = items if index is None else items[index + 1:]
    found, after, metadata = _front_after_title(after, front, metadata)
    before = [] if index is None else items[:index]
    return Document(id="tmp", lang=lang, title=title, front=front + found,
                    body=divide(before + after), back=back, metadata=metadata, next_id=1)


def _title_index(items: list[Item], has_fallback: bool, path: str, report: Report) -> int | None:
    index = next((i for i, item in enumerate(items) if item.level == 1), None)
    if index is not None or has_fallback:
        return index
    if items and items[0].level:
        return 0
    index = next((i for i, item in enumerate(items) if item.block.kind == "p"), None)
    if index is None:
        raise InputError("no heading or paragraph to use as the title", where=where(path, 1),
                         hint="start the essay with its title as a heading")
    report.warn("import.no-title", "no title heading found; the first paragraph is used as the "
                "title", where(path, items[index].block.location.line))
    return index


def _front_after_title(items: list[Item], front: tuple[Block, ...], metadata: Metadata
                       ) -> tuple[tuple[Block, ...], list[Item], Metadata]:
    """A "By ..." paragraph and a date-only paragraph right after the title become front."""
    kinds, found = {block.kind for block in front}, []
    for item in items[:2]:
        text = plain_text(item.block.segments[0].content) if item.block.kind == "p" else ""
        if "byline" not in kinds and re.match(r"by\s", text, re.I) and len(text.split()) <= 12:
            kinds.add("byline")
            found.append(replace(item.block, kind="byline"))
            author = re.sub(r"^by\s+", "", text, flags=re.I).strip(" .,;")
            metadata = metadata if metadata.author else replace(metadata, author=author)
        elif "dateline" not in kinds and iso_date(text):
            kinds.add("dateline")
            found.append(replace(item.block, kind="dateline"))
            metadata = metadata if metadata.date else replace(metadata, date=iso_date(text))
        else:
            break
    return tuple(found), items[len(found):], metadata


def divide(items: list[Item]) -> tuple[Block, ...]:
    """Body "div" blocks: a new one at each heading; content before the first has no head."""
    groups: list[list[Block]] = []
    for item in items:
        if item.block.kind == "head" or not groups:
            groups.append([])
        groups[-1].append(item.block)
    return tuple(Block("div", children=tuple(group), location=group[0].location)
                 for group in groups)
