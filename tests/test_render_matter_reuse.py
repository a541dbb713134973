"""Front and back matter made once per edition (issue 8): the colophon of an edition's EPUB
is copied for its HTML page rather than made again, each caller getting a tree of its own;
furniture tables are looked up in a dict made once, and the same table is given again."""
from __future__ import annotations

import dataclasses

from lxml import etree

from build_helpers import edition, sample_document
from serge_publish.writers import matter
from serge_publish.writers.furniture import Furniture, furniture_for
from serge_publish.writers.matter import colophon


def _markup(el):
    return etree.tostring(el, encoding="unicode")


def test_the_colophon_of_the_same_edition_is_a_copy_of_its_own(monkeypatch):
    fr = furniture_for("fr")
    one = edition(sample_document(), "fr")
    first = colophon((one,), ("Titre",), "fr", fr)
    made = []
    real = matter._colophon
    monkeypatch.setattr(matter, "_colophon", lambda *a: made.append(a) or real(*a))
    reference = _markup(first)
    first.set("class", "changed by its caller")
    second = colophon((one,), ("Titre",), "fr", fr)
    assert made == []                                   # copied, not made again
    assert second is not first and _markup(second) == reference
    colophon((one,), ("Autre",), "fr", fr)              # another title: made again
    assert len(made) == 1
    other = dataclasses.replace(one, translators=("Ana Other",))   # equal: not the same
    assert "Ana Other" in _markup(colophon((other,), ("Titre",), "fr", fr))
    assert len(made) == 2
    book = [("Identifiant", "urn:book", None)]
    with_book = colophon((one,), ("Titre",), "fr", fr, book=book)
    book.append(("Autre", "x", None))                   # the caller's list, changed after
    again = colophon((one,), ("Titre",), "fr", fr, book=book)
    assert len(made) == 4 and _markup(again) != _markup(with_book)


def test_furniture_lookups_and_tables_are_made_once():
    table = furniture_for("fr")
    assert furniture_for("fr") is table
    assert table["colophon"] == dict(table.words)["colophon"]
    fresh = Furniture(table.lang, table.words)
    assert fresh == table and fresh["notes"] == table["notes"]
    assert furniture_for("xx-unknown").fallback
