"""A frozen copy of serge_publish/catalog/placeholders.py's translation reader (message_to_content
and its parser) as it was before issue 8's faster one (test_placeholders_reference.py holds
today's to it, on random and real messages: the same content, or the same error)."""
from __future__ import annotations

from collections import Counter

from serge_publish.catalog.placeholders import (
    _ENTITIES,
    _TAG,
    _TOKEN,
    MarkupError,
    _analyse,
    _Source,
    normalize_message,
)
from serge_publish.model import Content, Inline, InlineItem


def message_to_content(message: str, source_content: Content, segment_id: str = "",
                       source_lang: str = "") -> Content:
    """The content of a translation, its tags checked against and resolved from the source.

    A title the translation keeps word for word (an English edition cited in a French
    note) is in the source's language: it gets ``lang`` = ``source_lang`` (when given and
    the source does not name its language), so that it is marked and typeset as such.

    Raises MarkupError (``where`` = ``segment_id``) for a missing, extra, unknown or
    unbalanced tag, or a note placeholder the source does not have.
    """
    source = _analyse(source_content)
    if normalize_message(message) == normalize_message("".join(source.parts)):
        return _kept_titles(source_content, source_lang)
    return _Parser(source, segment_id, source_lang).parse(message)


def _kept_title(item: Inline, children: Content, source_lang: str) -> Inline:
    """``item`` (a source inline) with ``children``; a title kept as in the source gets
    the source's language."""
    attrs = item.attrs
    if item.kind == "title" and source_lang and not item.attr("lang") and \
            normalize_message(_plain(children)) == normalize_message(_plain(item.children)):
        attrs = attrs + (("lang", source_lang),)
    return Inline(item.kind, children, attrs)


def _kept_titles(content: Content, source_lang: str) -> Content:
    if not source_lang:
        return content
    return tuple(item if isinstance(item, str) or item.kind in ("noteref", "notranslate")
                 else _kept_title(item, _kept_titles(item.children, source_lang), source_lang)
                 for item in content)


def _plain(content: Content) -> str:
    return "".join(item if isinstance(item, str) else _plain(item.children)
                   for item in content if isinstance(item, str) or item.kind != "noteref")


class _Parser:
    def __init__(self, source: _Source, segment_id: str, source_lang: str = ""):
        self.source, self.where = source, segment_id or None
        self.source_lang = source_lang
        self.used: Counter[str] = Counter()
        self.stack: list[tuple[str, list[InlineItem]]] = [("", [])]

    def fail(self, message: str) -> MarkupError:
        return MarkupError(message, where=self.where,
                           hint="use exactly the tags of the source text (see the "
                                "entry's comment); tags may move but not change")

    def parse(self, message: str) -> Content:
        for m in _TOKEN.finditer(message):
            if m.group(2):
                self.tag(m.group(1) == "/", m.group(2), m.group(3) == "/")
            else:
                self.text(_ENTITIES[m.group(4)] if m.group(4) else m.group(0))
        if len(self.stack) > 1:
            raise self.fail(f"<{self.stack[-1][0]}> is never closed")
        self.check_counts()
        return _merge(self.stack[0][1])

    def text(self, text: str) -> None:
        self.stack[-1][1].append(text)

    def tag(self, closing: bool, name: str, empty: bool) -> None:
        self.check_known(name)
        single = name[0] in "nx"
        if closing and not single:
            self.close(name)
        elif closing or empty != single:
            raise self.fail(f"write <{name}/> (no closing tag)" if single
                            else f"write <{name}>…</{name}>, not <{name}/>")
        elif single:
            self.stack[-1][1].append(self.take(name))
        else:
            self.stack.append((name, []))

    def check_known(self, name: str) -> None:
        if name in self.source.counts:
            return
        m = _TAG.fullmatch(name)
        if m and m.group(1) == "n" and m.group(2):
            notes = " ".join(f"<{t}/>" for t in self.source.counts if t.startswith("n"))
            raise self.fail(f"note reference <{name}/> is not in the source "
                            f"(it has {notes or 'none'}); keep the note placeholders as "
                            "they are")
        if m and (m.group(1) in "itafx" and len(m.group(1)) == 1):
            raise self.fail(f"extra tag <{name}>: the source text has no such tag")
        raise self.fail(f"unknown tag <{name}>; write a literal < as &lt;")

    def close(self, name: str) -> None:
        open_name, children = self.stack[-1]
        if open_name != name:
            what = f"<{open_name}>" if open_name else "no open tag"
            raise self.fail(f"unbalanced tags: </{name}> closes {what}")
        self.stack.pop()
        item = self.take(name)
        self.stack[-1][1].append(_kept_title(item, _merge(children), self.source_lang))

    def take(self, name: str) -> Inline:
        self.used[name] += 1
        items = self.source.items[name]
        if self.used[name] > len(items):
            shown = f"<{name}/>" if name[0] in "nx" else f"<{name}>"
            raise self.fail(f"extra tag {shown}: the source text has it {_times(len(items))}")
        return items[self.used[name] - 1]

    def check_counts(self) -> None:
        for name, count in self.source.counts.items():
            if self.used[name] < count:
                shown = f"<{name}/>" if name[0] in "nx" else f"<{name}>…</{name}>"
                raise self.fail(f"missing tag {shown}: the source text has it "
                                f"{_times(count)}, the translation {_times(self.used[name])}")


def _times(n: int) -> str:
    return {0: "not at all", 1: "once", 2: "twice"}.get(n, f"{n} times")


def _merge(items: list[InlineItem]) -> Content:
    """Adjacent text runs joined, empty ones dropped."""
    out: list[InlineItem] = []
    for item in items:
        if isinstance(item, str):
            if not item:
                continue
            if out and isinstance(out[-1], str):
                out[-1] += item
                continue
        out.append(item)
    return tuple(out)


