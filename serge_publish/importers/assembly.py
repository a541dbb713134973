"""What every importer does once its format is parsed: build leaves, number notes, assemble.

Every importer (text, Markdown, HTML) turns its input into a flat list of :class:`Item`
(blocks in reading order, headings as "head" leaves with their level, front matter that
only its format can tell marked ``front``), registers note references with a
:class:`NoteTable`, and hands everything to :func:`assemble`, which picks the title and the
front matter (bylines and dates by the one rule of each, :func:`byline_names` and
:func:`iso_date`, in the words of the import language: ``patterns.py``), cuts the body
into "div" blocks at each heading and returns the Document.
Every leaf holds exactly one Segment (id "tmp"): the pipeline segments sentences later.
"""
from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import NamedTuple
from urllib.parse import urlsplit

from ..errors import InputError, Report
from ..model import (
    Block,
    Content,
    Document,
    Inline,
    InlineItem,
    Location,
    Metadata,
    Segment,
    plain_text,
)
from .patterns import Patterns, patterns_for


class Item(NamedTuple):
    """A block in reading order; ``level`` is the heading level of a "head", else 0;
    ``front``: the reader knows the block is front matter (a caption, an editorial note, a
    dateline...) that the shared rules below cannot recognise by its text alone."""
    block: Block
    level: int = 0
    front: bool = False


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
    trailing = False
    if children and isinstance(last := children[-1], str) and last.endswith(" "):
        children[-1], trailing = last[:-1], True
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


# -- the shared rules: dates and bylines (words of each language in data/import_patterns.json)

_ISO_DATE = re.compile(r"(?P<y>\d{4})-(?P<m>\d\d?)-(?P<d>\d\d?)(?:[T ].*)?")


def iso_date(text: str, patterns: Patterns) -> str:
    """A date written in the import language ("January 18, 2016", "18 janvier 2016"...) or
    ISO 8601 ("2016-01-18", with or without a time) as "2016-01-18"; else ""."""
    for pattern in (_ISO_DATE, *patterns.dates):
        match = pattern.fullmatch(text.strip())
        if match:
            month = int(match["m"]) if match["m"].isdigit() else patterns.month(match["m"])
            try:
                return datetime.date(int(match["y"]), month, int(match["d"])).isoformat()
            except ValueError:
                return ""
    return ""


def byline_names(text: str, patterns: Patterns) -> tuple[str, ...]:
    """The people a byline names ("By Ann Lee and Bob Ray" -> two), or () when ``text`` is
    not a byline: the language's byline word, then at most 8 words of names, each name
    capitalised (particles such as "de" or "van" aside), without digits."""
    match = patterns.byline.match(text.strip())
    if not match:
        return ()
    names = split_names(match.group("names"), patterns)
    words = [word for name in names for word in name.split()]
    if not names or len(words) > 8 or any(not _name_word(w, patterns) for w in words):
        return ()
    return names


def names_of(text: str, patterns: Patterns) -> tuple[str, ...]:
    """The people named by a text known to give the author(s) (a byline element, a metadata
    field), with or without the byline word."""
    match = patterns.byline.match(text.strip())
    return split_names(match.group("names") if match else text, patterns)


def split_names(text: str, patterns: Patterns) -> tuple[str, ...]:
    """"A, B and C" -> (A, B, C); "Dupont, Jean" (no conjunction) stays one person."""
    parts = patterns.conjunction.split(text.strip().strip(" .,;"))
    if len(parts) > 1:
        parts = [name for part in parts[:-1] for name in part.split(",")] + parts[-1:]
    return tuple(name.strip(" .,;") for name in parts if name.strip(" .,;"))


def _name_word(word: str, patterns: Patterns) -> bool:
    return not re.search(r"[\d;:!?()\[\]]", word) and (
        word[0].isupper() or word.rstrip(",") in patterns.particles)


# -- notes -----------------------------------------------------------------------------------

Definition = tuple[int, Callable[[], tuple[Block, ...]]]   # (line, blocks of the note)


class NoteTable:
    """Numbers notes and builds the "notes" block: 1..N in order of first reference, or
    (``keep_numbers``, for labels that are numbers the text prints) by their own numbers."""

    def __init__(self, path: str, report: Report, keep_numbers: bool = False):
        self.path, self.report, self.keep_numbers = path, report, keep_numbers
        self.numbers: dict[str, str] = {}
        self.lines: dict[str, int | None] = {}

    def ref(self, label: str, line: int | None) -> Inline:
        """The noteref for a reference to ``label`` met at ``line``."""
        n = self.numbers.setdefault(label, self._number(label))
        first = self.lines.get(label)
        if first is None or (line is not None and line < first):
            self.lines[label] = line
        return Inline("noteref", (n,), (("target", f"n{n}"), ("n", n)))

    def _number(self, label: str) -> str:
        return label if self.keep_numbers else str(len(self.numbers) + 1)

    def build(self, definitions: dict[str, Definition]) -> tuple[Block, ...]:
        """``(Block("notes"),)`` (or ``()``): referenced notes first, then unreferenced ones;
        every note a reference points to exists (empty, with a warning, if not defined)."""
        notes = self._by_number(definitions) if self.keep_numbers else self._by_order(definitions)
        return (Block("notes", children=tuple(notes), location=notes[0].location),) \
            if notes else ()

    def _by_order(self, definitions: dict[str, Definition]) -> list[Block]:
        notes, done = [], 0
        while True:
            if done < len(self.numbers):
                notes.append(self._note(list(self.numbers)[done], definitions))
                done += 1
                continue
            extra = next((label for label in definitions if label not in self.numbers), None)
            if extra is None:
                return notes
            self._unreferenced(extra, definitions)
            self.numbers[extra] = self._number(extra)

    def _by_number(self, definitions: dict[str, Definition]) -> list[Block]:
        blocks = {label: self._note(label, definitions) for label in definitions}
        for label in definitions:
            if label not in self.numbers:
                self._unreferenced(label, definitions)
        missing = sorted((label for label in self.numbers if label not in blocks),
                         key=lambda label: self.lines.get(label) or 0)
        blocks.update((label, self._note(label, definitions)) for label in missing)
        return sorted(blocks.values(), key=lambda block: int(block.attr("n", "0")))

    def _unreferenced(self, label: str, definitions: dict[str, Definition]) -> None:
        self.report.warn("import.note-unreferenced", f"note {label} is never referenced; it "
                         "is kept among the notes", where(self.path, definitions[label][0]))

    def _note(self, label: str, definitions: dict[str, Definition]) -> Block:
        n = self.numbers.get(label) or self._number(label)
        line: int | None
        if label in definitions:
            line, convert = definitions[label]
            children = convert()
        else:
            line, children = self.lines.get(label), ()
            self.report.warn("import.note-missing", f"note {label} is referenced but its text "
                             "is missing: kept as an empty note, which the editions print as an "
                             "editorial line in the book's language (\"[The text of this "
                             "note is missing from the original.]\"); add its text to the "
                             "source if you have it",
                             where(self.path, line))
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
    if title is None:           # _title_index gives an index unless there is a fallback
        raise InputError("no heading or paragraph to use as the title", where=where(path, 1),
                         hint="start the essay with its title as a heading")
    after = items if index is None else items[index + 1:]
    found, after, metadata = _front_after_title(after, front, metadata, patterns_for(lang))
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
    location = items[index].block.location
    report.warn("import.no-title", "no title heading found; the first paragraph is used as the "
                "title", where(path, location.line if location else None))
    return index


def _front_after_title(items: list[Item], front: tuple[Block, ...], metadata: Metadata,
                       patterns: Patterns) -> tuple[tuple[Block, ...], list[Item], Metadata]:
    """The front matter right after the title: the items the reader marks as front, a byline
    (a paragraph the byline rule accepts) and a dateline (a date alone); the author and date
    they give fill the metadata the reader left empty."""
    kinds, found = {block.kind for block in front}, []
    for item in items:
        block = item.block
        text = plain_text(block.segments[0].content) if block.kind in ("p", "dateline") else ""
        names = byline_names(text, patterns) if block.kind == "p" else ()
        if names and ("byline" not in kinds or item.front):
            block = replace(block, kind="byline")
            metadata = metadata if metadata.author else replace(metadata, author=names)
        elif text and ("dateline" not in kinds or item.front) and iso_date(text, patterns):
            block = replace(block, kind="dateline")
            metadata = metadata if metadata.date else replace(metadata,
                                                              date=iso_date(text, patterns))
        elif not item.front:
            break
        kinds.add(block.kind)
        found.append(block)
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
