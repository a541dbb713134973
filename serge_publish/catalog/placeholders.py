"""Segments as gettext messages: inline markup as short placeholder tags, and back.

A segment's content becomes a ``msgid`` in which every inline element is a tag that is
short, visible, easy to move with the words it marks and hard to break:

==================  =====================================================================
``<i>…</i>``        emphasis (italics)
``<t>…</t>``        the title of a work (a book, a journal...)
``<a1>…</a1>``      the first link of the sentence (``<a2>…</a2>`` the second, and so on)
``<f1>…</f1>``      the first words in another language (a French phrase in an English text...:
                    the entry's comment names the language); ``<f2>…</f2>`` the second
``<n1/>``           the first note reference of the sentence (``<n2/>`` the second...); the
                    comment says which note it is (``<n1/> = reference to note 12``), so
                    adding or removing a note elsewhere changes no msgid; keep it after the
                    word or punctuation it follows in your language
``<x1/>``           a span that is not translated (a name, a quotation in the original
                    language...); its text is shown in the entry's comment
``&lt;`` ``&gt;``   a literal ``<``, ``>`` and ``&`` of the text
``&amp;``
==================  =====================================================================

The extracted comment (``#.``) of each entry gives this legend for the tags it uses.

A translation must use exactly the tags of its source: each ``<aN>``, ``<xN>`` and note
reference as many times as the source does, and as many ``<i>``, ``<t>`` and ``<fN>``
pairs; tags may move, and nest differently, but must be balanced. Anything else is refused with a
:class:`MarkupError` naming the segment and the problem. Translator text only ever becomes
text: link targets, note targets, the language of foreign words and untranslated spans
come from the source segment.
A stray ``<`` or ``&`` that does not form a tag or one of the three entities is kept as text.

Whitespace is XML's: in a message every run of spaces, tabs, CRs and LFs is one space and
the message's ends are trimmed (:func:`normalize_message`), so re-wrapping a source by hand
changes no msgid. A note number is used without its surrounding whitespace.

Catalogues made before note placeholders were numbered within the sentence (``<n12/>`` =
note 12) are migrated by :func:`renumber_notes` and :func:`rename_notes`: a msgid's note
placeholders numbered in order of appearance, and its translation's renamed to match.
"""
from __future__ import annotations

import functools
import itertools
import re
from collections import Counter
from dataclasses import dataclass, field

from serge_publish.errors import CatalogError
from serge_publish.model import Content, Inline, InlineItem, new_inline

PAIRED = {"emph": "i", "title": "t"}            # inline kind -> tag name
PAIRED_KIND = {v: k for k, v in PAIRED.items()}
_LEGEND = {"i": "<i>…</i> = emphasis", "t": "<t>…</t> = title of a work"}
_ENTITIES = {"lt": "<", "gt": ">", "amp": "&"}
_TOKEN = re.compile(r"<(/?)([A-Za-z][\w.:-]*)\s*(/?)>|&(lt|gt|amp);|[^<&]+|[<&]")
_TAG = re.compile(r"([a-z]+)(\d*)")
_XML_SPACE = re.compile(r"[ \t\r\n]+")


class MarkupError(CatalogError):
    """A translation whose tags do not match its source segment's."""
    code = "catalog.markup"


@functools.lru_cache(maxsize=1 << 16)
def normalize_message(message: str) -> str:
    """Runs of XML whitespace as one space, none at the ends (other spaces are text).
    Remembered: a merge compares each msgid several times."""
    return _XML_SPACE.sub(" ", message).strip(" ")


def normalizes_to(message: str, msgid: str) -> bool:
    """``normalize_message(message) == msgid`` for a normalised ``msgid``, without
    normalising (or remembering) a message that already is normalised: a translation,
    seen once, mostly is (then it is ``msgid`` itself or not at all)."""
    if message == msgid:
        return True
    if "  " not in message and "\n" not in message and "\t" not in message \
            and "\r" not in message and message[:1] != " " and message[-1:] != " ":
        return False                             # normalised already, and not msgid
    return normalize_message(message) == msgid


def note_number(item: Inline) -> str:
    """The note number of a note reference, without any whitespace."""
    return "".join((item.attr("n") or "").split())


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@dataclass
class _Source:
    """What the source segment's tags stand for."""
    parts: list[str] = field(default_factory=list)          # the msgid, piece by piece
    legend: dict[str, str] = field(default_factory=dict)    # tag -> legend line
    counts: Counter[str] = field(default_factory=Counter)   # tag -> occurrences
    items: dict[str, list[Inline]] = field(default_factory=dict)  # tag -> its inlines
    numbers: Counter[str] = field(default_factory=Counter)  # "a" / "f" / "x" / "n" -> last number
    msgid: str = ""                                         # the parts joined, normalised
    # the msgid's tags as _parse reads them, made when first parsed against (see _Steps)
    steps: _Steps | None = field(default=None, compare=False, repr=False)


def _tag_for(item: Inline, source: _Source) -> str:
    if item.kind in PAIRED:
        return PAIRED[item.kind]
    letter = {"link": "a", "noteref": "n", "foreign": "f"}.get(item.kind, "x")
    source.numbers[letter] += 1
    return f"{letter}{source.numbers[letter]}"


def _legend_line(tag: str, item: Inline) -> str:
    if tag in _LEGEND:
        return _LEGEND[tag]
    if item.kind == "link":
        return f"<{tag}>…</{tag}> = link to {item.attr('href') or '(no address)'}"
    if item.kind == "noteref":
        return f"<{tag}/> = reference to note {note_number(item)}"
    if item.kind == "foreign":
        return f"<{tag}>…</{tag}> = words in another language ({item.attr('lang') or '?'})"
    text = normalize_message("".join(x for x in item.children if isinstance(x, str)))
    return f"<{tag}/> = “{text}” (not translated, kept as is)"


def _render(content: Content, source: _Source) -> None:
    for item in content:
        if isinstance(item, str):
            source.parts.append(escape(item))
            continue
        tag = _tag_for(item, source)
        source.counts[tag] += 1
        source.items.setdefault(tag, []).append(item)
        source.legend.setdefault(tag, _legend_line(tag, item))
        if item.kind in ("noteref", "notranslate"):
            source.parts.append(f"<{tag}/>")
        else:
            source.parts.append(f"<{tag}>")
            _render(item.children, source)
            source.parts.append(f"</{tag}>")


def _analyse(content: Content) -> _Source:
    source = _Source()
    _render(content, source)
    source.msgid = normalize_message("".join(source.parts))
    return source


def source_tags(content: Content) -> _Source:
    """:func:`_analyse` remembered: a build applies the same source segment in every
    language. The result is shared: read it, never change it."""
    try:
        return _source_tags(content)
    except TypeError:                            # unhashable: not remembered
        return _analyse(content)


@functools.lru_cache(maxsize=1 << 14)
def _source_tags(content: Content) -> _Source:
    return _analyse(content)


def content_to_message(content: Content) -> tuple[str, tuple[str, ...]]:
    """The msgid of a segment's content, and the legend of the tags it uses."""
    source = _analyse(content)
    return source.msgid, tuple(source.legend.values())


def message_to_content(message: str, source_content: Content, segment_id: str = "",
                       source_lang: str = "") -> Content:
    """The content of a translation, its tags checked against and resolved from the source.

    A title the translation keeps word for word (an English edition cited in a French
    note) is in the source's language: it gets ``lang`` = ``source_lang`` (when given and
    the source does not name its language), so that it is marked and typeset as such.

    Raises MarkupError (``where`` = ``segment_id``) for a missing, extra, unknown or
    unbalanced tag, or a note placeholder the source does not have.
    """
    return tags_to_content(message, source_tags(source_content), source_content, segment_id,
                           source_lang)


def tags_to_content(message: str, source: _Source, source_content: Content,
                    segment_id: str = "", source_lang: str = "") -> Content:
    """:func:`message_to_content` given the source's tags (``source_tags(source_content)``,
    which the caller has: applying a catalogue keeps them for each source segment)."""
    if normalizes_to(message, source.msgid):
        return _kept_titles(source_content, source_lang)
    return _parse(message, source, segment_id, source_lang)


def _kept_title(item: Inline, children: Content, source_lang: str) -> Inline:
    """``item`` (a source inline) with ``children``; a title kept as in the source gets
    the source's language."""
    attrs = item.attrs
    # (the translation's text compared without normalising it when it needs not be: it
    # is seen once, and mostly is normalised already)
    if item.kind == "title" and source_lang and not item.attr("lang") and \
            normalizes_to(_plain(children), normalize_message(_plain(item.children))):
        attrs = attrs + (("lang", source_lang),)
    return new_inline(item.kind, children, attrs)   # (a kind checked when ``item`` was made)


def _kept_titles(content: Content, source_lang: str) -> Content:
    if not source_lang:
        return content
    return tuple(item if isinstance(item, str) or item.kind in ("noteref", "notranslate")
                 else _kept_title(item, _kept_titles(item.children, source_lang), source_lang)
                 for item in content)


def _plain(content: Content) -> str:
    return "".join(item if isinstance(item, str) else _plain(item.children)
                   for item in content if isinstance(item, str) or item.kind != "noteref")


_TAG_TOKEN = re.compile(r"<(/?)([A-Za-z][\w.:-]*)\s*(/?)>")   # _TOKEN's tags


def _text(text: str) -> str:
    """Text between tags, its entities resolved as _TOKEN reads them (an ``&`` that starts
    ``&lt;`` is always that entity: no entity holds an ``&`` after its first character)."""
    if "&" not in text:
        return text
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _fail(message: str, where: str | None) -> MarkupError:
    return MarkupError(message, where=where,
                       hint="use exactly the tags of the source text (see the "
                            "entry's comment); tags may move but not change")


def _unknown(name: str, source: _Source, where: str | None) -> MarkupError:
    m = _TAG.fullmatch(name)
    if m and m.group(1) == "n" and m.group(2):
        notes = " ".join(f"<{t}/>" for t in source.counts if t.startswith("n"))
        return _fail(f"note reference <{name}/> is not in the source "
                     f"(it has {notes or 'none'}); keep the note placeholders as "
                     "they are", where)
    if m and (m.group(1) in "itafx" and len(m.group(1)) == 1):
        return _fail(f"extra tag <{name}>: the source text has no such tag", where)
    return _fail(f"unknown tag <{name}>; write a literal < as &lt;", where)


_OPEN, _CLOSE, _SINGLE = 0, 1, 2


@dataclass(frozen=True)
class _Steps:
    """The tags of a source's msgid, as _parse reads them when a translation has the very
    same ones in the same order (most do): then each tag is known to be valid and what it
    stands for is known, the same in every language. ``slashes``, ``names`` and
    ``empties``: the groups _TAG_TOKEN.split gives for each tag; ``steps``: for each tag,
    what _parse does (open, close or single), the source inline it takes, and for a
    title that may be kept as in the source (no ``lang`` of its own), its text
    normalised (see :func:`_kept_title`)."""
    slashes: list[str]
    names: list[str]
    empties: list[str]
    steps: tuple[tuple[int, Inline | None, str | None], ...]
    valid: bool = True          # False: the msgid itself is not valid (then no shortcut)


def _steps(source: _Source) -> _Steps:
    """``source.steps``, made on first use; not ``valid`` if the msgid itself is not read
    as valid against its tags (it always is when made by :func:`_analyse`)."""
    if source.steps is None:
        parts = _TAG_TOKEN.split(source.msgid)
        slashes, names, empties = parts[1::4], parts[2::4], parts[3::4]
        try:
            _parse(source.msgid, source, "", "", shortcut=False)
        except MarkupError:
            source.steps = _Steps([], [], [], (), valid=False)
            return source.steps
        used: dict[str, int] = {}
        steps: list[tuple[int, Inline | None, str | None]] = []
        for slash, name in zip(slashes, names, strict=True):
            if name[0] in "nx":
                steps.append((_SINGLE, _take(name, source.items, used, None), None))
            elif slash:
                item = _take(name, source.items, used, None)
                title = normalize_message(_plain(item.children)) \
                    if item.kind == "title" and not item.attr("lang") else None
                steps.append((_CLOSE, item, title))
            else:
                steps.append((_OPEN, None, None))
        source.steps = _Steps(slashes, names, empties, tuple(steps))
    return source.steps


def _parse_as_source(parts: list[str], steps: _Steps, source_lang: str) -> Content:
    """:func:`_parse` of a message cut by its tags into ``parts``, the very tags of its
    source (``steps``): the same content, without a check (none can fail)."""
    current: list[InlineItem] = [_text(parts[0])] if parts[0] else []
    open_lists: list[list[InlineItem]] = []
    for (step, item, title), after in zip(steps.steps, parts[4::4], strict=True):
        if step == _OPEN:
            open_lists.append(current)
            current = []
        elif step == _CLOSE:
            children = tuple(current)
            current = open_lists.pop()
            attrs = item.attrs                                  # type: ignore[union-attr]
            # as _kept_title: a title kept word for word is in the source's language
            if title is not None and source_lang and normalizes_to(_plain(children), title):
                attrs = attrs + (("lang", source_lang),)
            current.append(new_inline(item.kind, children, attrs))  # type: ignore[union-attr]
        else:
            current.append(item)                                # type: ignore[arg-type]
        if after:
            current.append(_text(after))
    return tuple(current)


def _parse(message: str, source: _Source, segment_id: str = "",
           source_lang: str = "", shortcut: bool = True) -> Content:
    """A translation read against its source's tags (see :func:`message_to_content`):
    the text between two tags is one run (adjacent runs cannot occur, empty ones are
    not kept), each tag checked as it comes, then the tags left open, then the counts.
    A translation with its source's tags in their order is read by
    :func:`_parse_as_source` (``shortcut``)."""
    # the text before the first tag, then each tag's groups and the text after it (the
    # message cut by the tags at once: re.split gives the matches finditer would)
    parts = _TAG_TOKEN.split(message)
    if shortcut:
        steps = source.steps or _steps(source)
        if steps.valid and parts[2::4] == steps.names \
                and parts[1::4] == steps.slashes and parts[3::4] == steps.empties:
            return _parse_as_source(parts, steps, source_lang)
    where = segment_id or None
    counts, items = source.counts, source.items
    used: dict[str, int] = {}
    open_names: list[str] = []
    open_lists: list[list[InlineItem]] = []
    current: list[InlineItem] = []
    if parts[0]:
        current.append(_text(parts[0]))
    for slash, name, empty_slash, after in zip(parts[1::4], parts[2::4], parts[3::4],
                                               parts[4::4], strict=True):
        if name not in counts:
            raise _unknown(name, source, where)
        single = name[0] in "nx"
        closing, empty = slash == "/", empty_slash == "/"
        if closing and not single:
            open_name = open_names[-1] if open_names else ""
            if open_name != name:
                what = f"<{open_name}>" if open_name else "no open tag"
                raise _fail(f"unbalanced tags: </{name}> closes {what}", where)
            open_names.pop()
            children = current
            current = open_lists.pop()
            current.append(_kept_title(_take(name, items, used, where), tuple(children),
                                       source_lang))
        elif closing or empty != single:
            raise _fail(f"write <{name}/> (no closing tag)" if single
                        else f"write <{name}>…</{name}>, not <{name}/>", where)
        elif single:
            current.append(_take(name, items, used, where))
        else:
            open_names.append(name)
            open_lists.append(current)
            current = []
        if after:
            current.append(_text(after))
    if open_names:
        raise _fail(f"<{open_names[-1]}> is never closed", where)
    for name, count in counts.items():
        if used.get(name, 0) < count:
            shown = f"<{name}/>" if name[0] in "nx" else f"<{name}>…</{name}>"
            raise _fail(f"missing tag {shown}: the source text has it "
                        f"{_times(count)}, the translation {_times(used.get(name, 0))}",
                        where)
    return tuple(current)


def _take(name: str, items: dict[str, list[Inline]], used: dict[str, int],
          where: str | None) -> Inline:
    n = used[name] = used.get(name, 0) + 1
    found = items[name]
    if n > len(found):
        shown = f"<{name}/>" if name[0] in "nx" else f"<{name}>"
        raise _fail(f"extra tag {shown}: the source text has it {_times(len(found))}", where)
    return found[n - 1]


class _Parser:
    """:func:`_parse` for one source segment (``parse(message)``)."""
    def __init__(self, source: _Source, segment_id: str, source_lang: str = ""):
        self.source, self.segment_id, self.source_lang = source, segment_id, source_lang

    def parse(self, message: str) -> Content:
        return _parse(message, self.source, self.segment_id, self.source_lang)


def _times(n: int) -> str:
    return {0: "not at all", 1: "once", 2: "twice"}.get(n, f"{n} times")


def message_tags(message: str) -> Counter[str]:
    """The placeholder tags of a message (opening and single ones), counted."""
    return Counter(m.group(2) for m in _TOKEN.finditer(message)
                   if m.group(2) and not m.group(1))


def message_tokens(message: str) -> list[tuple[bool, str, bool]]:
    """The tags of a message in order, as this module's parser reads them: (closing, name,
    self-closing) for each ``<name>``, ``</name>`` or ``<name/>``."""
    return [(m.group(1) == "/", m.group(2), m.group(3) == "/")
            for m in _TOKEN.finditer(message) if m.group(2)]


def message_text(message: str) -> str:
    """The text of a message without its tags, entities resolved."""
    return "".join(_ENTITIES[m.group(4)] if m.group(4) else m.group(0)
                   for m in _TOKEN.finditer(message) if not m.group(2))


_NOTE = re.compile(r"<n([\w.:-]+)\s*/>")


def renumber_notes(message: str) -> str:
    """``message`` with its note placeholders numbered in order of appearance (``<n1/>``
    the first, ``<n2/>`` the second...). An old-style msgid (``<n12/>`` = note 12) becomes
    the msgid extracted today; a msgid extracted today is returned as it is."""
    if "<n" not in message:
        return message
    count = itertools.count(1)
    return _NOTE.sub(lambda m: f"<n{next(count)}/>", message)


def rename_notes(translation: str, message: str) -> str:
    """``translation``'s note placeholders renamed as :func:`renumber_notes` renames those
    of ``message`` (the msgid it translates): the k-th ``<n12/>`` of the translation becomes
    what the k-th ``<n12/>`` of the message becomes. Tags the message lacks are left as
    they are (the translation was broken before, and stays visibly so)."""
    if "<n" not in translation:
        return translation
    new_tags: dict[str, list[str]] = {}
    for i, m in enumerate(_NOTE.finditer(message), 1):
        new_tags.setdefault(m.group(1), []).append(f"<n{i}/>")
    seen: Counter = Counter()

    def rename(m: re.Match) -> str:
        tags = new_tags.get(m.group(1))
        if not tags:
            return m.group(0)
        seen[m.group(1)] += 1
        return tags[min(seen[m.group(1)], len(tags)) - 1]
    return _NOTE.sub(rename, translation)


_SPACED_NOTE = re.compile(r"<n[\w.:-]+\s+/>")


def rename_notes_for(translation: str, message: str) -> str:
    """:func:`rename_notes` for a ``message`` numbered as :func:`renumber_notes` numbers
    (its k-th note placeholder ``<nk/>``, as every msgid extracted today): then a
    placeholder of the translation is renamed only if written with spaces (``<n1 />``),
    so a translation without one is returned as it is, not read tag by tag."""
    if "<n" not in translation or not _SPACED_NOTE.search(translation):
        return translation
    return rename_notes(translation, message)


def join_messages(first: tuple[str, str], second: tuple[str, str]) -> tuple[str, str]:
    """Two (msgid, translation) pairs of consecutive sentences as one, joined by a space:
    the second's note placeholders numbered after the first's (``<n1/>`` becomes ``<n3/>``
    after a sentence with two)."""
    offset = len(_NOTE.findall(first[0]))

    def shift(text: str) -> str:
        return _NOTE.sub(lambda m: f"<n{int(m.group(1)) + offset}/>"
                         if m.group(1).isdigit() else m.group(0), text)
    return (f"{first[0]} {shift(second[0])}", f"{first[1].strip()} {shift(second[1]).strip()}")
