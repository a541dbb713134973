"""Typography per language, applied to the TEXT NODES of an XHTML tree, never to markup.

Each text node is set by the rules of its own language (the nearest ``lang`` or
``xml:lang``), so a passage that fell back to the source language keeps the source's
typography inside a translated edition. Rules:

- straight quotes become the language's quotation marks (outer "...", inner '...');
  an apostrophe between letters becomes U+2019;
- French: a narrow no-break space (U+202F) inside « » and before ; : ! ?
  (replacing an ordinary or no-break space typed there).

Languages without rules (and the pseudo-language) are left as they are. Elements with
``translate="no"`` and code are never touched.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator

from lxml import etree

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
NNBSP = "\u202f"
_SKIP_TAGS = frozenset({"code", "pre", "script", "style", "kbd", "samp"})
_BLOCK_TAGS = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "dt", "dd",
                         "figcaption", "blockquote", "title", "td", "th", "div", "section",
                         "header", "footer", "nav", "body", "article", "aside", "ol", "ul"})
_CLOSING_FOLLOWERS = set(".,;:!?)]}\u2026")
_OPENING_CONTEXT = set(" \t\n\u00a0\u202f\u2009([{\u2014\u2013/-«“‘„‚‹")


@dataclass(frozen=True)
class Quotes:
    open1: str
    close1: str
    open2: str
    close2: str


QUOTES = {
    "en": Quotes("“", "”", "‘", "’"),
    "fr": Quotes("«" + NNBSP, NNBSP + "»", "“", "”"),
    "es": Quotes("«", "»", "“", "”"),
    "ca": Quotes("«", "»", "“", "”"),
    "de": Quotes("„", "“", "‚", "‘"),
    "cs": Quotes("„", "“", "‚", "‘"),
    "ru": Quotes("«", "»", "„", "“"),
    "uk": Quotes("«", "»", "„", "“"),
    "it": Quotes("«", "»", "“", "”"),
    "pt": Quotes("«", "»", "“", "”"),
    "pt-BR": Quotes("“", "”", "‘", "’"),
    "pl": Quotes("„", "”", "«", "»"),
    "nl": Quotes("“", "”", "‘", "’"),
}


def quotes_for(lang: str) -> Quotes | None:
    return QUOTES.get(lang) or QUOTES.get(lang.split("-")[0].lower())


def typeset_tree(root: etree._Element, lang: str) -> None:
    """Apply each text node's language rules in place (root's own language is ``lang``)."""
    prev = ""
    for owner, attr, node_lang, new_block in _text_nodes(root, lang):
        if new_block:
            prev = ""
        text = getattr(owner, attr)
        if not text:
            continue
        setattr(owner, attr, typeset_text(text, node_lang, prev))
        prev = getattr(owner, attr)[-1:] or prev


def typeset_text(text: str, lang: str, prev: str = "") -> str:
    """``text`` by the rules of ``lang``; ``prev`` is the character before it, if any."""
    quotes = quotes_for(lang)
    if quotes is None:
        return text
    text = _convert_quotes(text, quotes, prev)
    if lang.split("-")[0].lower() == "fr":
        text = _french_spacing(text, prev[-1:])
    return text


def _text_nodes(root: etree._Element, lang: str
                ) -> Iterator[tuple[etree._Element, str, str, bool]]:
    """(element, "text"|"tail", language, starts a block) in document order."""
    def walk(el: etree._Element, inherited: str) -> Iterator:
        if not isinstance(el.tag, str):
            return
        local = etree.QName(el).localname
        own = el.get("lang") or el.get(XML_LANG) or inherited
        skip = local in _SKIP_TAGS or el.get("translate") == "no"
        if not skip:
            yield el, "text", own, local in _BLOCK_TAGS
            for child in el:
                yield from walk(child, own)
                yield child, "tail", own, etree.QName(child).localname in _BLOCK_TAGS \
                    if isinstance(child.tag, str) else False
    yield from walk(root, lang)


def _convert_quotes(text: str, q: Quotes, prev: str) -> str:
    if '"' not in text and "'" not in text:
        return text                           # most text nodes: nothing to convert
    out: list[str] = []
    before = prev[-1:] if prev else ""
    doubles = singles = 0                     # quotes opened and not yet closed
    for i, ch in enumerate(text):
        after = text[i + 1] if i + 1 < len(text) else ""
        if ch == '"':
            if _opens(before, after, doubles):
                ch, doubles = q.open1, doubles + 1
            else:
                ch, doubles = q.close1, max(doubles - 1, 0)
        elif ch == "'":
            if before.isalnum() and after.isalpha():
                ch = "\u2019"                 # apostrophe: l'homme, don't
            elif _opens(before, after, singles):
                ch, singles = q.open2, singles + 1
            elif singles:
                ch, singles = q.close2, singles - 1
            else:
                ch = "\u2019"                 # the students' books, Hans' Buch
        out.append(ch)
        before = ch[-1]
    return "".join(out)


def _opens(before: str, after: str, depth: int) -> bool:
    """Opening after a space or an opening mark; with spaces on both sides, alternate."""
    if before and before not in _OPENING_CONTEXT:
        return False
    if after and (after.isspace() or after in _CLOSING_FOLLOWERS):
        return depth == 0 and before.isspace()
    return True


_FR_RULES: tuple[tuple[re.Pattern, str], ...] = (
    (re.compile(r"«[ \u00a0\u202f]*"), "«" + NNBSP),
    (re.compile(r"(?<![ \u00a0\u202f])[ \u00a0\u202f]*»"), NNBSP + "»"),
    (re.compile(r"(?<=[^\s;:!?(\[«/=\u00a0\u202f])[ \u00a0\u202f]?"
                r"(?=[;!?]+(?:[\s»”)\].,\u2026]|$))"), NNBSP),
    (re.compile(r"(?<=[^\s;:!?(\[«\u00a0\u202f/])[ \u00a0\u202f]?(?=:(?:\s|$))"), NNBSP),
)


_FR_MARKS = frozenset("«»;:!?")


def _french_spacing(text: str, before: str = "") -> str:
    """The French spaces of ``text``. ``before`` (the end of the previous text node) is
    only ever looked at, by lookbehinds: no match starts in it, so it is never changed
    (after a space there, no second space is added here)."""
    if not _FR_MARKS.intersection(text):
        return text                           # every rule needs one of these marks
    for pattern, replacement in _FR_RULES:
        parts, last = [], len(before)
        combined = before + text
        for match in pattern.finditer(combined, len(before)):
            parts += [combined[last:match.start()], replacement]
            last = match.end()
        text = "".join(parts) + combined[last:]
    return text
