"""Markdown importer: CommonMark with footnotes -> an unsegmented Document.

How Markdown maps onto the model (which has no list, strong or code-block kind):

- the first ``# h1`` is the title (front matter ``title:`` when there is none); every other
  heading opens a new body "div" whose first child is a "head" (levels are not nested);
- a paragraph right after the title that starts with "By " is the byline (and the author),
  one that is only a date is the dateline (and the date);
- paragraphs -> "p"; ``>`` quotes -> "quote" of "p"; each list item -> a "p" (items of an
  ordered list keep their number, "1. ", as text); code blocks -> a "p" holding one
  "notranslate"; ``![alt](src "title")`` -> a "figure" with a "caption" (the title, else the
  alt) after its paragraph -- the image file itself is not kept;
- ``*emph*`` and ``**strong**`` -> "emph" (the model has one emphasis); ```code``` ->
  "notranslate"; ``[text](url)`` -> "link" (http, https, mailto and relative URLs; other
  schemes are dropped with a warning, links within the page, "#...", silently: editions
  have other ids); line breaks -> a space; whitespace collapsed;
- ``[^label]`` references with ``[^label]:`` definitions, and ``^[inline]`` notes -> "noteref"
  and a "note" in back, numbered 1..N in order of first reference; a reference without a
  definition gets an empty note, a definition never referenced is kept (both warned);
- front matter (``author:``, ``date:``, ``publisher:``/``site:``, ``source:``) -> metadata;
- raw HTML: inline tags are dropped (their text kept); HTML blocks keep their text, with a
  warning.

Title and front detection (the byline and date rules, in the import language), divisions,
note numbering and whitespace normalisation are shared with ``html.py`` and ``text.py`` in
``assembly.py``.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

import lxml.html
from markdown_it import MarkdownIt
from markdown_it.token import Token
from markdown_it.tree import SyntaxTreeNode
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

from ..errors import Report
from ..model import Block, Document, Inline, InlineItem, Location, Metadata
from .assembly import (
    Definition,
    Item,
    NoteTable,
    as_blocks,
    assemble,
    iso_date,
    leaf,
    names_of,
    number_first,
    safe_href,
    where,
)
from .patterns import Patterns, patterns_for


def read(text: str, path: str, lang: str, report: Report) -> Document:
    """The essay in Markdown ``text`` (read from ``path``) as an unsegmented Document."""
    env: dict[str, Any] = {}
    root = SyntaxTreeNode(_parser().parse(text, env))
    reader = _MarkdownReader(path, report, env, patterns_for(lang))
    items = reader.blocks(root.children)
    metadata, title = reader.front_matter(root)
    back = reader.notes.build(reader.definitions)
    return assemble(items, path=path, lang=lang, report=report, metadata=metadata,
                    fallback_title=title, back=back)


class _AnyLinkMarkdownIt(MarkdownIt):
    """Keeps every link: unsafe ones are dropped (with a warning) by safe_href."""

    def validateLink(self, url: str) -> bool:
        return True


def _parser() -> MarkdownIt:
    md = _AnyLinkMarkdownIt("commonmark").use(front_matter_plugin)
    md.use(footnote_plugin, move_to_end=False, always_match_refs=True)
    return md


class _MarkdownReader:
    """Walks markdown-it's syntax tree; collects note definitions and pending figures."""

    def __init__(self, path: str, report: Report, env: dict[str, Any], patterns: Patterns):
        self.path, self.report, self.env, self.patterns = path, report, env, patterns
        self.notes = NoteTable(path, report)
        self.definitions: dict[str, Definition] = {}
        self.figures: list[Block] = []
        self.line = 1

    def blocks(self, nodes: Sequence[SyntaxTreeNode]) -> list[Item]:
        items: list[Item] = []
        for node in nodes:
            handler = _BLOCK_HANDLERS.get(node.type)
            if handler is not None:
                items.extend(handler(self, node))
            elif node.children:
                items.extend(self.blocks(node.children))
        return items

    def start_line(self, node: SyntaxTreeNode) -> int:
        """The node's first line (markdown-it maps every block), else the last line met."""
        return node.map[0] + 1 if node.map else self.line

    def leaf_item(self, kind: str, node: SyntaxTreeNode, level: int = 0) -> list[Item]:
        self.line = self.start_line(node)
        block = leaf(kind, self.inline(node.children[0].children), self.path, self.line)
        figures, self.figures = self.figures, []
        return ([Item(block, level)] if block else []) + [Item(f) for f in figures]

    def heading(self, node: SyntaxTreeNode) -> list[Item]:
        return self.leaf_item("head", node, int(node.tag[1:]))

    def paragraph(self, node: SyntaxTreeNode) -> list[Item]:
        return self.leaf_item("p", node)

    def blockquote(self, node: SyntaxTreeNode) -> list[Item]:
        children = as_blocks(self.blocks(node.children))
        location = Location(self.path, self.start_line(node))
        return [Item(Block("quote", children=children, location=location))] if children else []

    def bullet_list(self, node: SyntaxTreeNode) -> list[Item]:
        return [item for li in node.children for item in self.blocks(li.children)]

    def ordered_list(self, node: SyntaxTreeNode) -> list[Item]:
        start = int(node.attrs.get("start", 1))
        return [item for n, li in enumerate(node.children, start)
                for item in number_first(self.blocks(li.children), f"{n}. ")]

    def code(self, node: SyntaxTreeNode) -> list[Item]:
        code = Inline("notranslate", (node.content.rstrip("\n"),))
        block = leaf("p", (code,), self.path, self.start_line(node))
        return [Item(block)] if block else []

    def html_block(self, node: SyntaxTreeNode) -> list[Item]:
        text = lxml.html.fragment_fromstring(node.content, create_parent="div").text_content()
        block = leaf("p", (text,), self.path, self.start_line(node))
        if block:
            self.report.warn("import.raw-html", "raw HTML block: its tags were dropped, its "
                             "text kept", where(self.path, self.start_line(node)))
        return [Item(block)] if block else []

    def footnote_definition(self, node: SyntaxTreeNode) -> list[Item]:
        label, line = node.meta["label"], self.start_line(node)
        if label in self.definitions:
            self.report.warn("import.note-duplicate", f"footnote [^{label}] is defined twice; "
                             "the first definition is kept", where(self.path, line))
        else:
            self.definitions[label] = (line, lambda: as_blocks(self.blocks(node.children)))
        return []

    def inline(self, nodes: Sequence[SyntaxTreeNode]) -> list[InlineItem]:
        return [item for node in nodes for item in self.inline_node(node)]

    def inline_node(self, node: SyntaxTreeNode) -> list[InlineItem]:
        kind = node.type
        if kind == "text":
            return [node.content]
        if kind in ("softbreak", "hardbreak"):
            return [" "]
        if kind in ("em", "strong"):
            return [Inline("emph", tuple(self.inline(node.children)))]
        if kind == "code_inline":
            return [Inline("notranslate", (node.content,))]
        if kind == "link":
            return self.link(node)
        if kind == "image":
            return self.image(node)
        if kind == "footnote_ref":
            return [self.footnote_ref(node)]
        if kind == "html_inline":
            return [" "] if re.match(r"<br\b", node.content, re.I) else []
        return self.inline(node.children)

    def link(self, node: SyntaxTreeNode) -> list[InlineItem]:
        children = tuple(self.inline(node.children))
        href = safe_href(str(node.attrs.get("href", "")), where(self.path, self.line), self.report)
        return [Inline("link", children, (("href", href),))] if href else list(children)

    def image(self, node: SyntaxTreeNode) -> list[InlineItem]:
        caption = str(node.attrs.get("title") or node.content)
        block = leaf("caption", (caption,), self.path, self.line)
        if block is None:
            self.report.warn("import.image-no-text", "image without alt text or title "
                             "skipped", where(self.path, self.line))
        else:
            self.figures.append(Block("figure", children=(block,), location=block.location))
        return []

    def footnote_ref(self, node: SyntaxTreeNode) -> Inline:
        label = node.meta.get("label")
        if label is None:  # an inline note ^[...]: its text is in the env
            label = f"^{node.meta['id']}"
            tokens = self.env["footnotes"]["list"][node.meta["id"]]["tokens"]
            self.definitions[label] = (self.line, self.inline_note(tokens, self.line))
        return self.notes.ref(label, self.line)

    def inline_note(self, tokens: Sequence[Token], line: int) -> Callable[[], tuple[Block, ...]]:
        def convert() -> tuple[Block, ...]:
            content = self.inline(SyntaxTreeNode(tokens, create_root=True).children)
            block = leaf("p", content, self.path, line)
            return (block,) if block else ()
        return convert

    def front_matter(self, root: SyntaxTreeNode) -> tuple[Metadata, Block | None]:
        node = next((n for n in root.children if n.type == "front_matter"), None)
        if node is None:
            return Metadata(), None
        fields: dict[str, tuple[str, int]] = {}
        for number, line in enumerate(node.content.splitlines(), 2):
            match = re.match(r"(\w+)\s*:\s*(.*)$", line)
            if match:
                fields[match[1].lower()] = (match[2].strip().strip("\"'"), number)

        def value(*keys: str) -> str:
            return next((fields[k][0] for k in keys if k in fields), "")

        metadata = Metadata(author=names_of(value("author"), self.patterns),
                            date=iso_date(value("date"), self.patterns),
                            publisher=value("publisher", "site"),
                            provenance=value("source", "url", "provenance"))
        title = fields.get("title")
        return metadata, (leaf("title", (title[0],), self.path, title[1]) if title else None)


_BLOCK_HANDLERS: dict[str, Callable[[_MarkdownReader, SyntaxTreeNode], list[Item]]] = {
    "heading": _MarkdownReader.heading,
    "paragraph": _MarkdownReader.paragraph,
    "blockquote": _MarkdownReader.blockquote,
    "bullet_list": _MarkdownReader.bullet_list,
    "ordered_list": _MarkdownReader.ordered_list,
    "fence": _MarkdownReader.code,
    "code_block": _MarkdownReader.code,
    "html_block": _MarkdownReader.html_block,
    "footnote_reference": _MarkdownReader.footnote_definition,
    "hr": lambda reader, node: [],
    "front_matter": lambda reader, node: [],
}
