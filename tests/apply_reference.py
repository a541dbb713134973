"""A frozen copy of serge_publish/catalog/apply.py's apply_catalog as it was before
issue 8's shared source segments (test_apply_reference.py holds today's to it), reading
translations with placeholders_reference's message_to_content."""
from __future__ import annotations

import functools
from dataclasses import replace

import polib
from placeholders_reference import message_to_content

from serge_publish.catalog.apply import (
    BIDI_CONTROLS,
    ApplyResult,
    SegmentStatus,
    without_bidi_controls,
)
from serge_publish.catalog.header import translator_names
from serge_publish.catalog.placeholders import (
    MarkupError,
    content_to_message,
    normalize_message,
    rename_notes,
    renumber_notes,
)
from serge_publish.catalog.words import count_words
from serge_publish.errors import Diagnostic
from serge_publish.model import Content, Document, Segment, replace_segments


def apply_catalog(doc: Document, po: polib.POFile | None, lang: str, *,
                  use_fuzzy: bool = False, po_path: str = "") -> ApplyResult:
    """``doc`` translated into ``lang`` (BCP 47) with ``po``; None gives all fallbacks."""
    entries = {e.msgctxt: e for e in (po or []) if not e.obsolete and e.msgctxt is not None}
    statuses: list[SegmentStatus] = []
    notes: list[Diagnostic] = []

    def translate(segment: Segment) -> Segment:
        segment, status = _translate(segment, entries, doc.lang, use_fuzzy, po_path, notes)
        statuses.append(status)
        return segment

    translated = replace_segments(doc, translate)
    names = translator_names(po.metadata, lang) if po is not None else ()
    return ApplyResult(replace(translated, lang=lang), tuple(statuses), names, tuple(notes))


def _source_message(content: Content) -> tuple[str, int, bool]:
    """A source segment's msgid, its words, and whether it is text alone (no inline)."""
    try:
        return _source_message_of(content)
    except TypeError:                            # unhashable: not remembered
        return _source_message_of.__wrapped__(content)


@functools.lru_cache(maxsize=1 << 16)   # every language of an essay applies the same source
def _source_message_of(content: Content) -> tuple[str, int, bool]:
    msgid, _ = content_to_message(content)
    return msgid, count_words(msgid), all(isinstance(item, str) for item in content)


def _translated_content(msgstr: str, segment: Segment, msgid: str, plain: bool,
                        source_lang: str) -> Content:
    """message_to_content, without its parser for a text without markup translated by a
    text without tags or entities (the same result: the source's content when the
    translation is the source's text, else the translation as one run)."""
    if plain and "<" not in msgstr and "&" not in msgstr:
        return segment.content if normalize_message(msgstr) == msgid else (msgstr,)
    return message_to_content(msgstr, segment.content, segment.id, source_lang)


def _translate(segment: Segment, entries: dict[str, polib.POEntry], source_lang: str,
               use_fuzzy: bool, po_path: str,
               notes: list[Diagnostic]) -> tuple[Segment, SegmentStatus]:
    msgid, words, plain = _source_message(segment.content)
    if not msgid.strip():                        # nothing to translate
        return segment, SegmentStatus(segment.id, "translated", 0)
    entry = entries.get(segment.id)
    if entry is None or not entry.msgstr:
        return _fallback(segment, source_lang), SegmentStatus(segment.id, "untranslated",
                                                              words)
    made_for = normalize_message(entry.msgid)        # a source re-wrapped is the same
    if renumber_notes(made_for) != msgid:            # <n12/> of an old catalogue: <n1/>
        return _fallback(segment, source_lang), SegmentStatus(
            segment.id, "fuzzy", words, _where(po_path, entry),
            "the catalogue is out of date: run 'serge-publish update'")
    fuzzy = "fuzzy" in entry.flags
    if fuzzy and not use_fuzzy:
        return _fallback(segment, source_lang), SegmentStatus(segment.id, "fuzzy", words,
                                                              _where(po_path, entry))
    try:
        msgstr = rename_notes(entry.msgstr, made_for)
        if BIDI_CONTROLS.search(msgstr):
            msgstr = without_bidi_controls(msgstr, segment.id, _where(po_path, entry), notes)
        if not msgstr.strip():
            return _fallback(segment, source_lang), SegmentStatus(segment.id, "untranslated",
                                                                  words)
        content = _translated_content(msgstr, segment, msgid, plain, source_lang)
    except MarkupError as exc:
        return _fallback(segment, source_lang), SegmentStatus(
            segment.id, "invalid", words, _where(po_path, entry), exc.message)
    state = "fuzzy" if fuzzy else "translated"
    return Segment(segment.id, content, segment.location), SegmentStatus(segment.id, state, words)


def _fallback(segment: Segment, source_lang: str) -> Segment:
    # Segment(...) rather than dataclasses.replace: a tenth of the time, thousands a build
    return Segment(segment.id, segment.content, segment.location, source_lang)


def _where(po_path: str, entry: polib.POEntry) -> str:
    """Where a message is, for the warnings (made only for those)."""
    return f"{po_path}:{entry.linenum}" if po_path and entry.linenum else po_path
