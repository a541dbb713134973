"""Applying a catalogue: lookup by id and msgid, fallback to the source, a status each."""
from __future__ import annotations

from catalog_helpers import emph, link, noteref, sample_document
from serge_publish.catalog import (
    TranslationMemory,
    apply_catalog,
    extract_catalog,
    format_catalog,
    merge_catalog,
    pseudo_catalog,
    read_catalog,
)
from serge_publish.catalog.placeholders import content_to_message
from serge_publish.model import Inline, iter_segments, plain_text

DATE = "2016-01-18 00:00+0000"


def catalogue(**translations: str):
    pot = extract_catalog(sample_document(), project_name="P", date=DATE)
    po, _ = merge_catalog(pot, None, tag="fr", team="French", memory=TranslationMemory())
    for entry in po:
        if entry.msgctxt in translations:
            entry.msgstr = translations[entry.msgctxt]
    return po


def segments(doc):
    return {r.segment.id: r.segment for r in iter_segments(doc)}


def test_translations_replace_segments_and_fallbacks_carry_the_source_language():
    po = catalogue(s4="Serge est né en 1890 à <i>Bruxelles</i>.",
                   s6="Voir <a1>l'archive</a1> et <a2>son <i>index</i></a2>.")
    result = apply_catalog(sample_document(), po, "fr")
    got = segments(result.document)
    assert result.document.lang == "fr"
    assert got["s4"].content == ("Serge est né en 1890 à ", emph("Bruxelles"), ".")
    assert got["s4"].lang is None
    assert got["s6"].content[1] == link("https://example.org/serge", "l'archive")
    assert got["s1"].content == ("On the borders of victory",) and got["s1"].lang == "en"
    states = {s.id: s.state for s in result.statuses}
    assert states["s4"] == states["s6"] == "translated" and states["s1"] == "untranslated"
    expected = [r.segment.id for r in iter_segments(sample_document())]
    assert [s.id for s in result.statuses] == expected


def test_fuzzy_is_used_only_when_asked():
    po = catalogue(s3="Vie")
    next(e for e in po if e.msgctxt == "s3").flags.append("fuzzy")
    assert segments(apply_catalog(sample_document(), po, "fr").document)["s3"].lang == "en"
    used = apply_catalog(sample_document(), po, "fr", use_fuzzy=True)
    assert segments(used.document)["s3"].content == ("Vie",)
    assert {s.id: s.state for s in used.statuses}["s3"] == "fuzzy"


def test_a_translation_of_another_version_of_the_sentence_is_not_used():
    po = catalogue(s3="Vie")
    next(e for e in po if e.msgctxt == "s3").msgid = "Death"
    result = apply_catalog(sample_document(), po, "fr")
    assert segments(result.document)["s3"].content == ("Life",)
    status = next(s for s in result.statuses if s.id == "s3")
    assert status.state == "fuzzy" and "update" in status.message


def test_broken_markup_falls_back_and_says_where(tmp_path):
    po = catalogue(s5="Il écrivit <t>Mémoires</t> en exil.<n2/>")
    path = tmp_path / "fr.po"
    path.write_text(format_catalog(po), encoding="utf-8")
    po = read_catalog(path)
    result = apply_catalog(sample_document(), po, "fr", po_path="locale/fr/LC_MESSAGES/x.po")
    status = next(s for s in result.statuses if s.id == "s5")
    assert status.state == "invalid" and "note reference <n2/>" in status.message
    line = next(e.linenum for e in po if e.msgctxt == "s5")
    assert status.where == f"locale/fr/LC_MESSAGES/x.po:{line}"
    assert segments(result.document)["s5"].content[-1] == noteref("1")


def test_identity_catalogue_gives_back_the_source_content():
    """Up to the language of the titles, kept word for word: the source's."""
    po = catalogue()
    for entry in po:
        entry.msgstr = entry.msgid
    result = apply_catalog(sample_document(), po, "fr")
    for sid, segment in segments(sample_document()).items():
        assert segments(result.document)[sid].content == _english_titles(segment.content)
    assert result.percent == 100.0 and result.words_translated == result.words_total > 50


def test_pseudo_catalogue_translates_every_segment():
    po = catalogue()
    pseudo_catalog(po)
    result = apply_catalog(sample_document(), po, "qps")
    assert {s.state for s in result.statuses} == {"translated"}
    for segment in segments(result.document).values():
        assert plain_text(segment.content).startswith("⟦") and segment.lang is None


def test_words_and_percent_and_translators():
    po = catalogue(s3="Vie")
    po.metadata["Last-Translator"] = "Jean Dupont <jean@example.org>"
    po.metadata["Language-Team"] = "French"
    result = apply_catalog(sample_document(), po, "fr")
    assert result.translators == ("Jean Dupont",)
    words = {s.id: s.words for s in result.statuses}
    assert words["s3"] == 1 and words["s4"] == 7
    assert result.words_translated == 1
    assert result.percent == 100 * 1 / result.words_total
    empty = apply_catalog(sample_document(), None, "fr")
    assert empty.translators == () and empty.words_translated == 0
    msgid, _ = content_to_message(sample_document().title.segments[0].content)
    assert msgid == "On the borders of victory"


def test_a_catalogue_msgid_differing_in_xml_whitespace_only_is_used():
    po = catalogue(s4="Serge est né en 1890 à <i>Bruxelles</i>.")
    entry = next(e for e in po if e.msgctxt == "s4")
    entry.msgid = "\n  Serge was born in\t1890\r\n  in <i>Brussels</i>. "
    result = apply_catalog(sample_document(), po, "fr")
    assert {s.id: s.state for s in result.statuses}["s4"] == "translated"
    assert segments(result.document)["s4"].content[1] == emph("Bruxelles")


def test_a_last_translator_with_a_comma_is_one_person():
    po = catalogue(s3="Vie")
    po.metadata["Last-Translator"] = "Dupont, Jean <j@x>"
    po.metadata["Language-Team"] = "Marie; Luc (Lyon, Paris) <team@x>"
    result = apply_catalog(sample_document(), po, "fr")
    assert result.translators == ("Dupont, Jean", "Marie", "Luc (Lyon, Paris)")


def _english_titles(content):
    return tuple(item if isinstance(item, str) else
                 Inline(item.kind, _english_titles(item.children),
                        item.attrs + ((("lang", "en"),) if item.kind == "title" else ()))
                 for item in content)


def test_a_title_kept_word_for_word_is_in_the_source_language():
    po = catalogue(s5="Il écrivit <t>Memoirs of a Revolutionary</t> en exil.<n1/>")
    result = apply_catalog(sample_document(), po, "fr")
    title = segments(result.document)["s5"].content[1]
    assert (title.kind, title.attr("lang")) == ("title", "en")
    po = catalogue(s5="Il écrivit <t>Mémoires</t> en exil.<n1/>")
    title = segments(apply_catalog(sample_document(), po, "fr").document)["s5"].content[1]
    assert (title.kind, title.children, title.attr("lang")) == ("title", ("Mémoires",), None)


def test_a_catalogue_not_yet_migrated_applies_whatever_its_note_numbers():
    """<n7/> of a catalogue made when placeholders carried the printed note number (and
    before a note was inserted) is the sentence's first note reference: still applied."""
    po = catalogue(s5="Il écrivit <t>Mémoires d'un révolutionnaire</t> en exil.<n1/>")
    s5 = next(e for e in po if e.msgctxt == "s5")
    s5.msgid, s5.msgstr = (s5.msgid.replace("<n1/>", "<n7/>"), s5.msgstr.replace("<n1/>", "<n7/>"))
    result = apply_catalog(sample_document(), po, "fr")
    assert {s.id: s.state for s in result.statuses}["s5"] == "translated"
    assert segments(result.document)["s5"].content[-1] == noteref("1")
    assert segments(result.document)["s5"].content[0] == "Il écrivit "


def test_text_alone_takes_a_short_path_with_the_parser_s_result():
    """A segment of text alone translated by a text without tags or entities is not
    parsed: the result is the parser's (the source's content when the translation is its
    text again, whitespace aside; else the translation as one run); with markup, the
    parser's errors."""
    from serge_publish.catalog.apply import _translated_content
    from serge_publish.catalog.placeholders import MarkupError, message_to_content
    from serge_publish.model import Segment

    sources = [("Serge was born  in 1890.",), ("Two ", "runs\n of text "), ("a < b & c",)]
    translations = ["Serge est né en 1890.", " Serge was born\tin 1890. ", "Two runs of text",
                    "Two  runs of text", "a &lt; b &amp; c", "a < b", "<i>x</i>", "x &amp y",
                    "  spaced  ", "Serge was born in 1890."]
    for content in sources:
        segment = Segment("s1", content)
        msgid, _ = content_to_message(content)
        for msgstr in translations:
            for lang in ("en", ""):
                try:
                    expected = message_to_content(msgstr, content, "s1", lang)
                except MarkupError as exc:
                    expected = exc.message
                try:
                    got = _translated_content(msgstr, segment, msgid, True, lang)
                except MarkupError as exc:
                    got = exc.message
                assert got == expected, (content, msgstr)
    kept = _translated_content("Serge was born in 1890.", Segment("s1", sources[0]),
                               "Serge was born in 1890.", True, "en")
    assert kept == sources[0]
