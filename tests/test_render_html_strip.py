"""Namespaces stripped for the HTML page (issue 8): the known namespaced attributes
dropped by lxml in one walk, other ones found as the tags are renamed; the same tree
as the element-by-element stripping it replaced."""
from __future__ import annotations

import copy

import lxml.html
from lxml import etree

from serge_publish.writers.html import _strip_namespaces
from serge_publish.writers.xhtml import element, page, set_lang

XLINK = "http://www.w3.org/1999/xlink"


def _reference(root):
    """The stripping as it was written before."""
    root.tail = None
    dropped = []
    for el in root.iter():
        tag = el.tag
        if not isinstance(tag, str):
            dropped.append(el)
            continue
        if tag[0] == "{":
            el.tag = tag[tag.index("}") + 1:]
        attrib = el.attrib
        if attrib:
            for name in [n for n in attrib if n[0] == "{"]:
                del attrib[name]
    for node in dropped:
        parent = node.getparent()
        if parent is not None:
            node.tail = None
            parent.remove(node)
    etree.cleanup_namespaces(root)
    return root


def _page():
    root, body = page("T", "fr", "../style.css")
    section = element("section", parent=body, epub_type="chapter", role="doc-chapter")
    p = element("p", "Un ", parent=section, class_="x")
    em = element("em", "mot", parent=p)
    set_lang(em, "en", "fr")
    em.tail = " et"
    p.append(etree.ProcessingInstruction("pi", "x"))
    p[-1].tail = " (dropped)"
    a = element("a", "1", parent=p, href="#n1", epub_type="noteref")
    a.set(f"{{{XLINK}}}href", "#n1")
    a.set("{urn:other}flag", "yes")
    etree.SubElement(section, "{urn:other}thing", {"{urn:other}a": "1", "b": "2"}).tail = "t"
    section.append(etree.Comment("c"))
    section.tail = "tail"
    return root


def test_the_stripped_tree_is_that_of_the_reference():
    mine, theirs = _strip_namespaces(_page()), _reference(_page())
    assert etree.tostring(mine) == etree.tostring(theirs)
    assert lxml.html.tostring(mine) == lxml.html.tostring(theirs)
    assert b"xmlns" not in etree.tostring(mine) and b"flag" not in etree.tostring(mine)
    section = mine[1][0]
    assert copy.deepcopy(section).tag == "section"
    assert [c.tag for c in mine.iter()] == [
        "html", "head", "title", "link", "body", "section", "p", "em", "a", "thing"]
    assert mine[1][0][1].attrib == {"b": "2"}
