"""The walk over a typeset tree's text nodes that serge_publish/writers/typography.py's
typeset_tree writes out inline since issue 8 (it was the product's until the renderer
typeset as it renders; test_render_typeset_walk.py holds typeset_tree to it)."""
from __future__ import annotations

from collections.abc import Iterator

from lxml import etree

from serge_publish.writers import typography as t


def text_nodes(root: etree._Element, lang: str
                ) -> Iterator[tuple[etree._Element, str, str, bool]]:
    """(element, "text"|"tail", language, starts a block) in document order: an element's
    text, then each child's subtree followed by the child's tail (in the language of the
    element). Elements that are not touched (``t._SKIP_TAGS``, ``translate="no"``) give
    their tail only. Walked by lxml's ``iterwalk``: no recursion (deep trees), and one
    generator, whose nodes are dropped as soon as they are used."""
    if not isinstance(root.tag, str):
        return
    # the open elements: (their language, or "" when skipped; whether they are a block),
    # the language given at the bottom
    open_: list[tuple[str, bool]] = [(lang, False)]
    push, pop = open_.append, open_.pop
    walker = etree.iterwalk(root, events=("start", "end", "comment", "pi"))
    for event, el in walker:
        if event == "start":
            tag = el.tag
            local = tag[tag.find("}") + 1:]               # the local name ("{ns}p": "p")
            block = local in t._BLOCK_TAGS
            get = el.get
            if local in t._SKIP_TAGS or get("translate") == "no":
                walker.skip_subtree()                      # its "end" still comes
                push(("", block))
                continue
            own = get("lang") or get(t.XML_LANG) or open_[-1][0]
            push((own, block))
            yield el, "text", own, block
        elif event == "end":
            _, block = pop()
            if len(open_) > 1:                   # not the root: its tail is not its own
                yield el, "tail", open_[-1][0], block
        else:                                    # a comment, a processing instruction
            yield el, "tail", open_[-1][0], False
