"""The HTML page written by lxml's own serialiser (issue 8): the bytes lxml.html.tostring
wrote (it makes the same call, then looks for a <meta http-equiv="Content-Type"> to
remove, which lxml does not write); and the colophon of an edition's HTML page, made
after its EPUB, given the EPUB's kept tree rather than a copy of it."""
from __future__ import annotations

import copy

import lxml.html
from lxml import etree

from build_helpers import edition, sample_document
from serge_publish.writers import matter
from serge_publish.writers.furniture import furniture_for
from serge_publish.writers.html import _strip_namespaces, serialize_html
from serge_publish.writers.matter import colophon
from serge_publish.writers.xhtml import element, indent, page, set_lang


def _page():
    root, body = page("Titre « court »", "fr", "../style.css")
    section = element("section", parent=body, epub_type="chapter", role="doc-chapter")
    p = element("p", "Un <b> & \"mot\" ", parent=section, class_="x")
    em = element("em", "mot", parent=p)
    set_lang(em, "en", "fr")
    em.tail = " et\u00a0fin"
    element("a", "1", parent=p, href="#n 1?a=\"b\"&c", title='un "titre" <meta>',
            epub_type="noteref")
    element("img", parent=section, src="a b.png", alt="")
    element("br", parent=section)
    return root


def test_the_page_is_what_lxml_html_wrote():
    mine = serialize_html(_page())
    html = _strip_namespaces(copy.deepcopy(_page()))
    head = html.find("head")
    head.insert(0, etree.Element("meta", charset="utf-8"))
    head.insert(1, etree.Element("meta", name="viewport",
                                 content="width=device-width, initial-scale=1"))
    indent(html)
    theirs = lxml.html.tostring(html, doctype="<!DOCTYPE html>", encoding="utf-8",
                                method="html") + b"\n"
    assert mine == theirs
    assert mine.startswith(b"<!DOCTYPE html>\n<html lang=\"fr\">")
    assert b'<meta charset="utf-8">' in mine and b"Content-Type" not in mine


def test_the_last_use_of_a_colophon_is_given_the_kept_tree(monkeypatch):
    fr = furniture_for("fr")
    one = edition(sample_document(), "fr")
    made = []
    real = matter._colophon
    monkeypatch.setattr(matter, "_colophon", lambda *a: made.append(a) or real(*a))
    for_epub = colophon((one,), ("Titre",), "fr", fr)
    kept = matter._LAST_COLOPHON[2]
    for_page = colophon((one,), ("Titre",), "fr", fr, last_use=True)
    assert len(made) == 1 and for_page is kept and for_page is not for_epub
    assert etree.tostring(for_page) == etree.tostring(for_epub)
    again = colophon((one,), ("Titre",), "fr", fr, last_use=True)    # given away: made again
    assert len(made) == 2 and again is not for_page
    assert etree.tostring(again) == etree.tostring(for_epub)
    copied = colophon((one,), ("Titre",), "fr", fr)                   # and kept again
    assert len(made) == 3 and etree.tostring(copied) == etree.tostring(for_epub)
