"""HTML pages serialised from XHTML trees (issue 8): namespaces stripped in place (a copy
unless the caller gives the tree away), indentation walked with a stack."""
from __future__ import annotations

import copy

from lxml import etree

from serge_publish.writers.html import serialize_html, to_html
from serge_publish.writers.xhtml import EPUB_TYPE, XML_LANG, element, indent, page, set_lang


def _page() -> etree._Element:
    root, body = page("T", "fr", "../style.css")
    section = element("section", parent=body, epub_type="chapter", role="doc-chapter")
    p = element("p", "Un ", parent=section)
    em = element("em", "mot", parent=p)
    set_lang(em, "en", "fr")
    em.tail = " et <b> & fin"
    p.append(etree.Comment(" gone "))
    p[-1].tail = " (dropped with its comment)"
    element("a", "1", parent=p, href="#n1", epub_type="noteref")
    return root


def test_the_html_page_has_no_namespace_and_no_epub_markup():
    data = serialize_html(_page())
    assert data.startswith(b'<!DOCTYPE html>\n<html lang="fr">\n  <head>\n    '
                           b'<meta charset="utf-8">\n')
    assert b"xmlns" not in data and b"epub:" not in data and b"xml:lang" not in data
    assert b"<!--" not in data and b"dropped" not in data
    assert '<p>Un <em lang="en">mot</em> et &lt;b&gt; &amp; fin<a href="#n1">1</a></p>' \
        in data.decode()
    assert data.endswith(b"</html>\n")


def test_a_page_given_away_gives_the_same_bytes_and_a_page_lent_is_untouched():
    lent = _page()
    before = etree.tostring(lent)
    assert serialize_html(lent) == serialize_html(_page(), own=True)
    assert etree.tostring(lent) == before


def test_to_html_copies_without_the_tail_and_namespaced_attributes():
    root = _page()
    section = root[1][0]
    section.tail = "tail"
    plain = to_html(section)
    assert plain.tag == "section" and plain.tail is None
    assert plain.get("role") == "doc-chapter" and plain.get(EPUB_TYPE) is None
    assert plain[0][0].get("lang") == "en" and plain[0][0].get(XML_LANG) is None
    assert [c.tag for c in plain.iter()] == ["section", "p", "em", "a"]
    assert section.tag.startswith("{") and section.tail == "tail"    # the original kept


def _indent_recursive(el, level=0):
    """The indentation as it was written before (recursive)."""
    children = [c for c in el if isinstance(c.tag, str)]
    if not children or (el.text or "").strip() or len(children) != len(el):
        return
    blocks = {"section", "div", "p", "ul", "li", "body", "html", "head", "title"}
    if any(etree.QName(c).localname not in blocks or (c.tail or "").strip() for c in children):
        return
    pad = "\n" + "  " * (level + 1)
    el.text = pad
    for child in children:
        _indent_recursive(child, level + 1)
        child.tail = pad
    children[-1].tail = "\n" + "  " * level


def test_indentation_is_that_of_the_recursive_walk():
    markup = ('<html><head><title>t</title></head><body><section><div><p>a <em>b</em></p>'
              '<ul><li>1</li><li><p>2</p><p>3</p></li></ul></div><div>text<p>x</p></div>'
              '<div><p>x</p>tail</div><div><p>a</p><!-- c --></div><div>\u00a0<p>x</p></div>'
              '<div><span>s</span></div></section></body></html>')
    mine, theirs = etree.fromstring(markup), etree.fromstring(markup)
    indent(mine)
    _indent_recursive(theirs)
    assert etree.tostring(mine) == etree.tostring(theirs)
    assert etree.tostring(mine) != etree.tostring(etree.fromstring(markup))
    again = copy.deepcopy(mine)
    indent(again)
    assert etree.tostring(again) == etree.tostring(mine)


def test_a_tree_deeper_than_the_recursion_limit_is_indented():
    root = el = etree.Element("div")
    for _ in range(3000):
        el = etree.SubElement(el, "div")
    indent(root)
    assert el.tail == "\n" + "  " * 2999


def test_the_language_switcher_looks_each_name_up_once():
    from serge_publish import languages
    from serge_publish.writers import html
    site = html.Site("P", "en", ("en", "fr", "de"))
    languages.display_name.cache_clear()
    first = html.index_html("fr", (), site)
    again = html.index_html("de", (), site)
    assert languages.display_name.cache_info().misses == 3
    for tag in ("en", "fr", "de"):
        assert f">{languages.display_name(tag)}</a>".encode() in first + again
    assert "français".encode() in first
