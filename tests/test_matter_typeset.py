"""The colophon and the title page are typeset as they are made (issue 8), not walked by
``typeset_tree`` once made: the very tree the walk gives, for editions in each case their
texts have (French ordinals and spacing, furniture in English, right-to-left, a link, a
value in another language, an anthology's rows and titles, quotes and dashes)."""
from __future__ import annotations

import dataclasses

import pytest
from lxml import etree

from build_helpers import edition, sample_document
from serge_publish.writers import matter
from serge_publish.writers.edition import Credits, EssayFacts
from serge_publish.writers.furniture import furniture_for
from serge_publish.writers.typography import typeset_tree


def _walked(monkeypatch, make, *args):
    """What ``make(*args)`` gives made untypeset (to be typeset by ``typeset_tree``)."""
    with monkeypatch.context() as m:
        m.setattr(matter, "set_text", lambda text, lang, prev: (text, False))
        return make(*args)


def _editions(lang: str):
    doc = sample_document()
    meta = dataclasses.replace(doc.metadata, publisher='Revue "Clarté" - 1er numéro',
                               date="2016-01-01", provenance="Repris... d'un 'blog'",
                               rights="Droits : réservés!")
    doc = dataclasses.replace(doc, metadata=meta)
    facts = EssayFacts(url="https://example.org/essai?x=1", rights="CC-BY 4.0 -- libre",
                       rights_lang="en", permission_from="L'auteur", permission_date="2017-03")
    return (edition(doc, lang, translators=("Jeanne \"JD\" Dupont",), fallbacks=2,
                    credits=Credits(revisers=("Paul",), status="reviewed"), facts=facts),
            edition(doc, "en"),
            edition(dataclasses.replace(doc, id="other"), lang, facts=EssayFacts(
                rights="Le XXe siècle...", permission_date="2016-01")))


@pytest.mark.parametrize("lang", ["fr", "en", "de", "ru", "ar", "fa", "qps", "xx"])
def test_the_colophon_typeset_as_made_is_the_colophon_walked(monkeypatch, lang):
    furniture = furniture_for(lang)
    essay, source, other = _editions(lang)
    for editions, titles, book in (
            ((essay,), ("Le \"titre\" - 1er",), None),
            ((source,), ("A 'title'",), None),
            ((essay, other), ("Un titre...", "IIIe Internationale"),
             [("Date", "1er janvier 2016", None), ("Lien", "https://x.org/a", "en"),
              ("Droits", "CC -- BY", "en")])):
        made = matter._colophon(editions, titles, lang, furniture, 2, book)
        walked = _walked(monkeypatch, matter._colophon, editions, titles, lang, furniture, 2,
                         book)
        untypeset = etree.tostring(walked, encoding="unicode")
        typeset_tree(walked, lang)
        assert etree.tostring(made) == etree.tostring(walked)
        if lang == "fr":                      # something to typeset, typeset
            assert etree.tostring(made, encoding="unicode") != untypeset
            assert "<sup>" in etree.tostring(made, encoding="unicode")


@pytest.mark.parametrize("lang", ["fr", "en", "de", "ar", "fa", "qps", "xx"])
@pytest.mark.parametrize("title_lang", [None, "en", "fr"])
def test_the_title_page_typeset_as_made_is_the_title_page_walked(monkeypatch, lang,
                                                                  title_lang):
    furniture = furniture_for(lang)
    args = ('Le "XXe siècle" - 1er tome... : oui!', ("Jean 'Jo' Dupont", "Ann Lee"),
            ("Jeanne Dupont",), "Les \"Éditions\" -- 1re", lang, furniture, title_lang)
    made = matter.title_page(*args)
    walked = _walked(monkeypatch, matter.title_page, *args)
    typeset_tree(walked.find(".//{*}section"), lang)
    assert etree.tostring(made) == etree.tostring(walked)
    bare = matter.title_page("Titre", (), (), "", lang, furniture)
    walked = _walked(monkeypatch, matter.title_page, "Titre", (), (), "", lang, furniture)
    typeset_tree(walked.find(".//{*}section"), lang)
    assert etree.tostring(bare) == etree.tostring(walked)
