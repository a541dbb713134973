"""Make any reader's draft fit the source format, whatever the input looked like.

- leaf blocks with no text are dropped (a line holding only a no-break space...);
- a block quote holds paragraphs only: nested quotes are flattened, a caption becomes a
  paragraph of the quote;
- a section that holds only a heading (a closing "Thank you" line) keeps it as a paragraph;
- a body with no paragraph at all is an error: there is no essay to import.
"""
from __future__ import annotations

from dataclasses import replace

from ..errors import InputError
from ..model import LEAF_KINDS, Block, Document


def is_empty(block: Block) -> bool:
    if block.kind in LEAF_KINDS:
        return not any(seg.content and (seg.text.strip() or len(seg.content) > 1
                                        or not isinstance(seg.content[0], str))
                       for seg in block.segments)
    return block.kind != "note" and not block.children


def prune(blocks: tuple[Block, ...]) -> tuple[Block, ...]:
    kept = []
    for block in blocks:
        block = replace(block, children=prune(block.children))
        if not is_empty(block):
            kept.append(block)
    return tuple(kept)


def quote_paragraphs(block: Block) -> tuple[Block, ...]:
    if block.kind in LEAF_KINDS:
        return (replace(block, kind="p"),)
    return tuple(p for child in block.children for p in quote_paragraphs(child))


def flatten_quotes(blocks: tuple[Block, ...]) -> tuple[Block, ...]:
    out = []
    for block in blocks:
        if block.kind == "quote":
            out.append(replace(block, children=quote_paragraphs(block)))
        else:
            out.append(replace(block, children=flatten_quotes(block.children)))
    return tuple(out)


def heading_only(div: Block) -> Block:
    if div.kind == "div" and all(child.kind == "head" for child in div.children):
        return replace(div, children=tuple(replace(c, kind="p") for c in div.children))
    return div


def tidy(doc: Document) -> Document:
    if is_empty(doc.title):
        raise InputError("the essay has no title", where=str(doc.title.location or ""),
                         hint="put the title on the first line")
    body = tuple(heading_only(div) for div in flatten_quotes(prune(doc.body)))
    if not body:
        where = str(doc.title.location) if doc.title.location else None
        raise InputError("no paragraph of text was found after the title", where=where,
                         hint="an essay needs a body; check that this is the right file")
    return replace(doc, front=flatten_quotes(prune(doc.front)), body=body,
                   back=flatten_quotes(prune(doc.back)))
