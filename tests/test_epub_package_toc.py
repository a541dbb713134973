"""The navigation document's and NCX's helpers made cheaper for an anthology's table of
thousands of entries (issue 8): a link normalised as ``posixpath.normpath`` normalises
it, without its walk when it has no ``/``; the table's depth as deep as it goes,
without walking into entries without children."""
from __future__ import annotations

import posixpath

from serge_publish.writers import opf
from serge_publish.writers.opf import Link

HREFS = ["", ".", "..", "...", "essay.xhtml", "essay.xhtml#h-1", "a/../b.xhtml",
         "./essay.xhtml", "a//b.xhtml#x", "/abs.xhtml", "//two.xhtml", "a/./b/", "#frag",
         "x.xhtml#a/b", "x.xhtml#..", "..#x", "é.xhtml#ü", " spaced .xhtml"]


def test_a_link_is_normalised_as_normpath_normalises_it():
    for href in HREFS:
        assert opf._href(href) == posixpath.normpath(href), href


def reference_depth(links) -> int:
    """opf._depth as it was."""
    return max((1 + reference_depth(link.children) for link in links), default=0)


def test_the_depth_is_as_deep_as_the_table_goes():
    leaf = Link("a.xhtml", "A", uid="nav-1")
    tables = [[], [leaf], [leaf, Link("b.xhtml", "B", (leaf,))],
              [Link("c.xhtml", "C", (leaf, Link("d.xhtml", "D", (leaf, Link(
                  "e.xhtml", "E", (leaf,)))))), leaf],
              [Link("f.xhtml", "F", ())]]
    for table in tables:
        assert opf._depth(table) == reference_depth(table)
        assert opf._depth(tuple(table)) == reference_depth(tuple(table))
