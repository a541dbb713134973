"""Rights and subjects in the language each part of them is in (hardening).

An edition's rights are the essay's statement and the project's, each translated by the
project catalogue or not: when one is and the other is not, the text is in two
languages, and each part is marked with its own (the OPF repeats dc:rights, one a
language; the colophon's <dd> holds a span a part, marked as a fallback segment is). A
subject the catalogue does not translate is shown in the source language, and its
dc:subject says so."""
from __future__ import annotations

import io
import zipfile
from dataclasses import replace
from types import SimpleNamespace

import pytest
from lxml import etree

from build_helpers import DATE, NS, PUBLISHER, edition, sample_document, translate
from serge_publish.commands.build_plan import essay_facts, project_publisher
from serge_publish.config import config_from_dict
from serge_publish.writers import epub, html
from serge_publish.writers.edition import Anthology, EssayFacts
from serge_publish.writers.xhtml import XML_LANG

ESSAY_EN = "All rights reserved by the author."
PROJECT_EN = "The essays are reproduced for study."
TEXTS = {"ja": ("著作権は著者に帰属する。", "論考は研究のために転載されている。"),
         "zh": ("作者保留所有权利。", "论文为研究而转载。"),
         "ar": ("جميع الحقوق محفوظة للمؤلف.", "أعيد نشر المقالات للدراسة.")}


def _edition(lang: str, essay_translated: bool, project_translated: bool, **publisher):
    essay, project = TEXTS[lang]
    doc = replace(translate(sample_document(), lang, str.upper),
                  metadata=replace(sample_document().metadata, rights=ESSAY_EN))
    facts = EssayFacts(rights=essay if essay_translated else ESSAY_EN,
                       rights_lang="" if essay_translated else "en")
    pub = replace(PUBLISHER, rights=project if project_translated else PROJECT_EN,
                  rights_lang="" if project_translated else "en", **publisher)
    return replace(edition(doc, lang, facts=facts, translators=("T",)), publisher=pub)


def _opf(data: bytes) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return etree.fromstring(z.read("EPUB/content.opf"))


def _colophon(data: bytes) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return etree.fromstring(z.read("EPUB/colophon.xhtml"))


def _rights(opf: etree._Element) -> list[tuple[str | None, str]]:
    return [(el.get(XML_LANG), el.text) for el in opf.xpath("//dc:rights", namespaces=NS)]


def _rights_dd(root: etree._Element, ns: dict | None = None) -> etree._Element:
    """The last <dd> holding the essay's rights (the essay's block)."""
    path = "//x:dd" if ns else "//dd"
    return [dd for dd in root.xpath(path, namespaces=ns or {})
            if "".join(dd.itertext()).strip() and any(
                t in "".join(dd.itertext()) for t in (ESSAY_EN, *sum(TEXTS.values(), ())))][-1]


@pytest.mark.parametrize("lang", ["ja", "zh", "ar"])
def test_untranslated_essay_rights_beside_translated_project_rights(lang):
    """The audit's case: the essay's statement falls back to English, the project's is
    translated. Before, one dc:rights xml:lang="en" held both, and so did the colophon's
    <dd lang="en" dir="ltr"> (the Arabic sentence set left to right)."""
    ed = _edition(lang, essay_translated=False, project_translated=True)
    data, _ = epub.essay_epub(ed, b"")
    assert _rights(_opf(data)) == [("en", ESSAY_EN), (None, TEXTS[lang][1])]
    dd = _rights_dd(_colophon(data), NS)
    assert dd.get("lang") is None and dd.get(XML_LANG) is None
    english, own = dd
    assert (english.text, english.get("lang"), english.get(XML_LANG)) == (ESSAY_EN, "en", "en")
    assert english.get("dir") == ("ltr" if lang == "ar" else None)
    assert own.text == TEXTS[lang][1] and own.get("lang") is None and own.get("dir") is None
    assert english.tail == " "            # the space belongs to the English sentence


@pytest.mark.parametrize("lang", ["ja", "zh", "ar"])
def test_untranslated_project_rights_beside_translated_essay_rights(lang):
    """The reverse case, not marked at all before: the project's statement in English."""
    ed = _edition(lang, essay_translated=True, project_translated=False)
    data, _ = epub.essay_epub(ed, b"")
    assert _rights(_opf(data)) == [(None, TEXTS[lang][0]), ("en", PROJECT_EN)]
    own, english = _rights_dd(_colophon(data), NS)
    assert own.text == TEXTS[lang][0] and own.get("lang") is None
    assert (english.text, english.get("lang"), english.get(XML_LANG)) == \
        (PROJECT_EN, "en", "en")
    # no space after a Japanese or Chinese sentence, one after an Arabic one
    assert own.tail == (" " if lang == "ar" else None)


def test_rights_in_one_language_stay_one_statement():
    """All of it translated: one dc:rights, unmarked; all of it untranslated: one, in
    English, the <dd> marked as a whole (as before)."""
    data, _ = epub.essay_epub(_edition("ar", True, True), b"")
    essay, project = TEXTS["ar"]
    assert _rights(_opf(data)) == [(None, f"{essay} {project}")]
    data, _ = epub.essay_epub(_edition("ar", False, False), b"")
    assert _rights(_opf(data)) == [("en", f"{ESSAY_EN} {PROJECT_EN}")]
    dd = _rights_dd(_colophon(data), NS)
    assert (dd.get("lang"), dd.get("dir"), len(dd)) == ("en", "ltr", 0)


def test_the_html_page_marks_each_part_with_lang_only():
    ed = _edition("ar", essay_translated=False, project_translated=True)
    page = etree.HTML(html.essay_html(ed, html.Site("P", "en", ("en", "ar")))[0])
    english, own = _rights_dd(page)
    assert (english.get("lang"), english.get("dir"), english.text) == ("en", "ltr", ESSAY_EN)
    assert own.get("lang") is None and own.text == TEXTS["ar"][1]


def test_the_anthology_marks_its_rights_by_language():
    """The anthology's own rights row and its dc:rights: the project's statement,
    untranslated, marked English (before: unmarked in the anthology's own block, and
    joined with the translated essays' statements in one untagged dc:rights)."""
    a, b = (_edition("zh", essay_translated=True, project_translated=False)
            for _ in range(2))
    b = replace(b, document=replace(b.document, id="other"))
    book = Anthology((a, b), "zh", "en", a.publisher, DATE)
    data, _ = epub.anthology_epub(book, b"")
    assert _rights(_opf(data)) == [(None, TEXTS["zh"][0]), ("en", PROJECT_EN)]
    own_row = _colophon(data).xpath("//x:dd", namespaces=NS)
    project_dd = [dd for dd in own_row if dd.text == PROJECT_EN][0]
    assert project_dd.get("lang") == "en"


def test_untranslated_subjects_are_marked_with_the_source_language():
    """Before: <dc:subject>Left Opposition</dc:subject> unmarked in a Japanese book."""
    pub = replace(PUBLISHER, subjects=("ロシア革命", "Left Opposition"),
                  subject_langs=("", "en"))
    facts = EssayFacts(subjects=("Left Opposition", "History"), subject_langs=("en", "en"))
    ed = replace(edition(translate(sample_document(), "ja", str.upper), "ja", facts=facts,
                         translators=("T",)), publisher=pub)
    opf = _opf(epub.essay_epub(ed, b"")[0])
    assert [(el.text, el.get(XML_LANG)) for el in opf.xpath("//dc:subject", namespaces=NS)] \
        == [("Left Opposition", "en"), ("History", "en"), ("ロシア革命", None)]
    book = Anthology((replace(ed, facts=EssayFacts()),), "ja", "en", pub, DATE)
    opf = _opf(epub.anthology_epub(book, b"")[0])
    assert [(el.text, el.get(XML_LANG)) for el in opf.xpath("//dc:subject", namespaces=NS)] \
        == [("ロシア革命", None), ("Left Opposition", "en")]


def test_the_plan_records_the_language_of_the_project_rights_and_subjects():
    config = config_from_dict({"project": {
        "name": "P", "target_languages": ["ja"], "rights": PROJECT_EN,
        "subjects": ["Russian Revolution", "Left Opposition"]},
        "essays": {"sample": {"subjects": ["Left Opposition", "History"]}}})
    project = SimpleNamespace(config=config)
    texts = {"rights": PROJECT_EN, "subject Russian Revolution": "ロシア革命",
             "subject Left Opposition": "Left Opposition", "subject History": "歴史"}
    done = frozenset({"subject Russian Revolution", "subject History"})
    pub = project_publisher(project, "ja", texts, done)
    assert (pub.rights_lang, pub.subjects, pub.subject_langs) == \
        ("en", ("ロシア革命", "Left Opposition"), ("", "en"))
    translated = project_publisher(project, "ja", {**texts, "rights": "転載。"},
                                   done | {"rights"})
    assert translated.rights_lang == ""
    source = project_publisher(project, "en", texts, frozenset())
    assert source.rights_lang == "" and source.subject_langs == ("", "")
    facts = essay_facts(project, sample_document(), texts, "ja", done)
    assert (facts.subjects, facts.subject_langs) == (("Left Opposition", "歴史"), ("en", ""))
