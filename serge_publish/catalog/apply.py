"""Applying a catalogue to a document: a lookup with a fallback and a status per segment.

Each segment (as :func:`serge_publish.model.iter_segments` defines them, the same walk as
extraction) is looked up by its id (msgctxt) *and* its current msgid (compared with XML
whitespace normalised): a translation made for another version of the sentence is not
used. A catalogue not yet migrated by ``update`` (note placeholders carrying the printed
note number, ``<n12/>``) is read as today's (``<n1/>`` = the sentence's first note
reference), so that it still applies, however its notes have been renumbered since.
A missing, fuzzy (unless ``use_fuzzy``) or invalid translation (its tags do not match
the source's, it has plural forms, or it holds a character XML cannot hold: a control
character such as the vertical tab a Word soft line break becomes) falls back to the
source segment, marked with the source language. The document is never rebuilt from the PO file.

Bidi embedding, override and isolate controls (U+202A-U+202E, U+2066-U+2069) in a
translation are removed, each segment with a warning: the output sets the direction from
the language, and a stray override would turn the rest of the page around.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field, replace

import polib

from serge_publish.catalog.header import translator_names
from serge_publish.catalog.placeholders import (
    MarkupError,
    _Source,
    message_to_content,
    normalize_message,
    normalizes_to,
    rename_notes,
    rename_notes_for,
    renumber_notes,
    source_tags,
    tags_to_content,
)
from serge_publish.catalog.po import BIDI_CHARACTERS as _BIDI_CHARACTERS
from serge_publish.catalog.po import PLURAL, TWICE, Entry, Translations
from serge_publish.catalog.words import count_words
from serge_publish.errors import Diagnostic
from serge_publish.model import Content, Document, Segment, SegmentLayout, new_segment
from serge_publish.xmlchars import forbidden

FORBIDDEN_CHARACTER = "build.forbidden-character"
BIDI_CONTROLS = re.compile("[" + "".join(_BIDI_CHARACTERS) + "]")
_XML_SPACES = " \t\r\n"          # what normalize_message makes one space


@dataclass(frozen=True)
class SegmentStatus:
    id: str
    state: str          # one of counts.STATES
    words: int          # words of the source segment (pocount's rules)
    where: str = ""     # "locale/fr/LC_MESSAGES/x.po:123" for invalid ones
    message: str = ""
    code: str = ""      # the build's warning for an invalid one, if not invalid-translation


@dataclass(frozen=True)
class ApplyResult:
    document: Document                   # lang = target; fallbacks have Segment.lang = source
    statuses: tuple[SegmentStatus, ...]
    translators: tuple[str, ...]         # from the PO header, without e-mail addresses
    diagnostics: tuple[Diagnostic, ...] = field(default=())   # bidi controls removed...

    @functools.cached_property      # the plan reads them several times (not a field)
    def words_total(self) -> int:
        return sum(s.words for s in self.statuses)

    @functools.cached_property
    def words_translated(self) -> int:
        """Words of segments with a finished translation (fuzzy ones never count)."""
        return sum(s.words for s in self.statuses if s.state == "translated")

    @property
    def percent(self) -> float:
        return 100.0 * self.words_translated / self.words_total if self.words_total else 100.0


def apply_catalog(doc: Document, po: polib.POFile | Translations | None, lang: str, *,
                  use_fuzzy: bool = False, po_path: str = "") -> ApplyResult:
    """``doc`` translated into ``lang`` (BCP 47) with ``po`` (a catalogue, or its
    translations as the build reads them: :func:`~serge_publish.catalog.po.read_translations`);
    None gives all fallbacks."""
    translations = po if po is None or isinstance(po, Translations) else Translations.of(po)
    # msgctxt: (msgid, msgstr, flags, where)
    entries = translations.messages if translations is not None else {}
    # every translation searched at once: most catalogues hold no bidi control at all
    # (a character sought with ``in``: twenty times faster than the pattern's search)
    # (or known from reading them: see Translations.bidi)
    bidi = translations.bidi if translations is not None else False
    # a character XML cannot hold (a control character): most catalogues have none (known
    # from reading them: see Translations.clean; else sought in them all, as bidi)
    clean = translations is None or translations.clean
    if bidi is None or not clean:
        every = "".join([e[1] for e in entries.values()])
        bidi = bidi if bidi is not None else any(ch in every for ch in _BIDI_CHARACTERS)
        clean = clean or not forbidden(every)
    controls = not clean
    statuses: list[SegmentStatus] = []
    notes: list[Diagnostic] = []
    made: list[Segment] = []         # the translated segments, in document order
    status, add, get = statuses.append, made.append, entries.get
    fast = not bidi and not controls  # (one loop, no call per segment: it runs for each)
    rows, layout = _sources_of(doc)
    for segment, id, source, fields, msgid in rows:
        # most segments: text alone (``msgid`` given: see _sources_of), a finished
        # translation made for this msgid, of text alone (no tag, entity or note), no
        # flag; as _translate would make it
        entry = get(id)
        if msgid and fast and entry is not None and entry[0] == msgid and not entry[2]:
            msgstr = entry[1]
            if msgstr and "<" not in msgstr and "&" not in msgstr and not msgstr.isspace():
                status(source.translated)
                # the source's text again? Not if their first characters differ (msgid
                # is normalised: normalising keeps a first character not a space)
                same = (msgstr[0] == msgid[0] or msgstr[0] in _XML_SPACES) \
                    and normalizes_to(msgstr, msgid)
                # new_segment(segment.id, segment.content if same else (msgstr,),
                # segment.location), its fields set at once
                new = _new(Segment)
                values = new.__dict__
                values.update(fields)
                if not same:
                    values["content"] = (msgstr,)
                add(new)
                continue
        new, done = _translate(segment, source, entry, translations, use_fuzzy, po_path,
                               notes, bidi, controls)
        status(done)
        add(new)
    translated = layout.rebuild(made)     # (made in the order _sources_of listed them)
    names = translator_names(translations.metadata, lang) if translations is not None else ()
    return ApplyResult(replace(translated, lang=lang), tuple(statuses), names, tuple(notes))


def without_bidi_controls(msgstr: str, segment_id: str, where: str,
                          notes: list[Diagnostic]) -> str:
    """``msgstr`` without bidi controls; a warning in ``notes`` for those removed."""
    if not BIDI_CONTROLS.search(msgstr):
        return msgstr
    found = sorted(set(BIDI_CONTROLS.findall(msgstr)))
    if found:
        names = ", ".join(f"U+{ord(ch):04X}" for ch in found)
        notes.append(Diagnostic("build.bidi-control",
                                f"segment {segment_id}: the translation holds the bidi "
                                f"control character(s) {names}, removed from the output "
                                "(the direction comes from the language); delete them from "
                                "the catalogue", where))
    return BIDI_CONTROLS.sub("", msgstr)


class _SourceSegment:
    """What applying any catalogue needs of a source segment, the same in every language:
    its msgid, its words, whether it is text alone, whether the usual fast path may
    translate it (text alone, something to translate), its status when it has a finished
    translation, and, made only when first used (most segments have a translation), its
    fallback (the segment in the source language) and its status without translation."""
    __slots__ = ("content", "msgid", "words", "plain", "tags", "simple", "translated",
                 "_segment", "source_lang", "_fallback", "_untranslated")

    def __init__(self, segment: Segment, source_lang: str):
        self.content = segment.content
        self.msgid, self.words, self.plain, self.tags = msgid, _, plain, _ = \
            _source_message(segment.content)
        self.simple = plain and bool(msgid) and not msgid.isspace()
        self.translated = _status(segment.id, "translated", self.words)
        self._segment, self.source_lang = segment, source_lang
        self._fallback: Segment | None = None
        self._untranslated: SegmentStatus | None = None

    @property
    def fallback(self) -> Segment:
        if self._fallback is None:
            segment = self._segment
            self._fallback = Segment(segment.id, segment.content, segment.location,
                                     self.source_lang)
        return self._fallback

    @property
    def untranslated(self) -> SegmentStatus:
        if self._untranslated is None:
            self._untranslated = _status(self._segment.id, "untranslated", self.words)
        return self._untranslated


def _status(id: str, state: str, words: int) -> SegmentStatus:
    """``SegmentStatus(id, state, words)`` without the frozen dataclass's __init__ (which
    sets each field through object.__setattr__): the same fields, in the same order."""
    status = _new(SegmentStatus)
    status.__dict__.update(id=id, state=state, words=words, where="", message="", code="")
    return status


_new = object.__new__


# each segment, its id, its source segment, the fields of new_segment(its id, its
# content, its location), its msgid if the usual fast path may translate it (else "");
# and the layout of the segments
_Sources = tuple[list[tuple[Segment, str, "_SourceSegment", dict, str]], SegmentLayout]
_SOURCES: list[tuple[Document, _Sources]] = []  # the last ones


def _sources_of(doc: Document) -> _Sources:
    """The segments of ``doc``, in the order :func:`replace_segments` walks them, each
    with its source segment, and where they are (to make the translated document with
    the segments made for them, in that order); made once for a document (the same
    object: a build applies each language's catalogue to one document); a few documents
    are remembered. An id used twice (a document not read from a source file) shares the
    first's source if its content is the same object, else has its own."""
    for known, remembered in _SOURCES:
        if known is doc:
            return remembered
    layout = SegmentLayout(doc)
    found: list[tuple[Segment, str, _SourceSegment, dict, str]] = []
    by_id: dict[str, _SourceSegment] = {}
    lang = doc.lang
    for segment in layout.segments:
        source = by_id.get(segment.id)
        if source is None:
            source = by_id[segment.id] = _SourceSegment(segment, lang)
        elif source.content is not segment.content:
            source = _SourceSegment(segment, lang)
        found.append((segment, segment.id, source,
                      {"id": segment.id, "content": segment.content,
                       "location": segment.location, "lang": None},
                      source.msgid if source.simple else ""))
    _SOURCES.insert(0, (doc, (found, layout)))
    del _SOURCES[4:]
    return found, layout


def _source_message(content: Content) -> tuple[str, int, bool, _Source]:
    """A source segment's msgid, its words, whether it is text alone (no inline), and its
    tags (:func:`source_tags`)."""
    try:
        return _source_message_of(content)
    except TypeError:                            # unhashable: not remembered
        return _source_message_of.__wrapped__(content)


@functools.lru_cache(maxsize=1 << 16)   # every language of an essay applies the same source
def _source_message_of(content: Content) -> tuple[str, int, bool, _Source]:
    tags = source_tags(content)
    return tags.msgid, count_words(tags.msgid), all(isinstance(item, str) for item in content), \
        tags


def _translated_content(msgstr: str, segment: Segment, msgid: str, plain: bool,
                        source_lang: str, tags: _Source | None = None) -> Content:
    """message_to_content, without its parser for a text without markup translated by a
    text without tags or entities (the same result: the source's content when the
    translation is the source's text, else the translation as one run); ``tags``: the
    source's (``source_tags(segment.content)``), not looked up again."""
    if plain and "<" not in msgstr and "&" not in msgstr:
        return segment.content if normalizes_to(msgstr, msgid) else (msgstr,)
    if tags is None:
        return message_to_content(msgstr, segment.content, segment.id, source_lang)
    return tags_to_content(msgstr, tags, segment.content, segment.id, source_lang)


def _translate(segment: Segment, source: _SourceSegment, entry: Entry | None,
               translations: Translations | None, use_fuzzy: bool, po_path: str,
               notes: list[Diagnostic], bidi: bool = True, controls: bool = True
               ) -> tuple[Segment, SegmentStatus]:
    """A segment translated by its catalogue ``entry`` (msgid, msgstr, flags, where; None
    if it has none), and its status; ``bidi``, ``controls``: whether a translation of the
    catalogue may hold a bidi control, a character XML cannot hold."""
    msgid = source.msgid
    if not msgid or msgid.isspace():             # nothing to translate
        return segment, SegmentStatus(segment.id, "translated", 0)
    if entry is not None and PLURAL in entry[2]:         # (a plural message: no msgstr)
        return source.fallback, SegmentStatus(
            segment.id, "invalid", source.words, _where(po_path, translations, entry[3]),
            "the entry has plural forms (msgid_plural, msgstr[n]), which a segment never "
            "has: remove msgid_plural and the msgstr[n] lines, keep one msgstr")
    if entry is not None and entry[2] and (twice := [f for f in entry[2] if f.startswith(TWICE)]):
        at = _where(po_path, translations, entry[3])
        return source.fallback, SegmentStatus(
            segment.id, "invalid", source.words, at,
            f"the segment is in the catalogue twice (lines {twice[0][len(TWICE):]} and "
            f"{entry[3]}; its msgctxt changed by hand?), and which to take "
            "is not known: give the other entry its own msgctxt, or run 'serge-publish "
            "update'")
    if entry is None or not entry[1]:
        return source.fallback, source.untranslated
    made_for, translation, flags, where = entry
    rename = rename_notes_for            # (msgid: its notes numbered as renumber_notes does)
    if made_for != msgid:
        rename = rename_notes
        made_for = normalize_message(made_for)       # a source re-wrapped is the same
        if renumber_notes(made_for) != msgid:        # <n12/> of an old catalogue: <n1/>
            return source.fallback, SegmentStatus(
                segment.id, "fuzzy", source.words, _where(po_path, translations, where),
                "the catalogue is out of date: run 'serge-publish update'")
    fuzzy = "fuzzy" in flags
    if fuzzy and not use_fuzzy:
        return source.fallback, SegmentStatus(segment.id, "fuzzy", source.words,
                                              _where(po_path, translations, where))
    try:
        msgstr = rename(translation, made_for)
        if bidi and BIDI_CONTROLS.search(msgstr):
            msgstr = without_bidi_controls(msgstr, segment.id,
                                           _where(po_path, translations, where), notes)
        if not msgstr or msgstr.isspace():
            return source.fallback, source.untranslated
        if controls and (names := forbidden(msgstr)):
            return source.fallback, SegmentStatus(
                segment.id, "invalid", source.words, _where(po_path, translations, where),
                f"the translation holds {names}, a character XML cannot hold (replace "
                "it with a space: a Word soft line break pasted in is U+000B)",
                FORBIDDEN_CHARACTER)
        content = _translated_content(msgstr, segment, msgid, source.plain,
                                      source.source_lang or "", source.tags)
    except MarkupError as exc:
        return source.fallback, SegmentStatus(
            segment.id, "invalid", source.words, _where(po_path, translations, where),
            exc.message)
    if fuzzy:
        return new_segment(segment.id, content, segment.location), SegmentStatus(
            segment.id, "fuzzy", source.words)
    return new_segment(segment.id, content, segment.location), source.translated


def _where(po_path: str, translations: Translations | None, where: int | None) -> str:
    """Where a message is, for the warnings (made only for those)."""
    line = translations.line(where) if po_path and translations is not None else None
    return f"{po_path}:{line}" if line else po_path
