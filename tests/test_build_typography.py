"""Typography per language, on text nodes only."""
from __future__ import annotations

import pytest
from lxml import etree

from serge_publish.writers.typography import NNBSP, typeset_text, typeset_tree

XHTML = "http://www.w3.org/1999/xhtml"


@pytest.mark.parametrize("lang, text, expected", [
    ("en", 'He said "it\'s the \'best\' one."', "He said “it’s the ‘best’ one.”"),
    ("en-GB", '"Yes"', "“Yes”"),
    ("fr", 'Il dit "non" ; puis : oui ! Vraiment?',
     f"Il dit «{NNBSP}non{NNBSP}»{NNBSP}; puis{NNBSP}: oui{NNBSP}! Vraiment{NNBSP}?"),
    ("fr", "« déjà espacé »", f"«{NNBSP}déjà espacé{NNBSP}»"),
    ("fr", "L'homme", "L’homme"),
    ("fr", "http://example.org/?q=1 à 10:30", "http://example.org/?q=1 à 10:30"),
    ("fr", 'texte " citation " fin', f"texte «{NNBSP}citation{NNBSP}» fin"),
    ("de", "\"Hallo\" und 'so'", "„Hallo“ und ‚so‘"),
    ("es", '"Hola"', "«Hola»"),
    ("ru", '"Да" и \'нет\'', "«Да» и „нет“"),
    ("it", '"Sì"', "«Sì»"),
    ("pt", '"Sim"', "«Sim»"),
    ("pt-BR", '"Sim"', "“Sim”"),
    ("qps", '"⟦x⟧"', '"⟦x⟧"'),          # no rules: left as it is
    ("xx", "\"a\" ; b", "\"a\" ; b"),
])
def test_typeset_text(lang, text, expected):
    assert typeset_text(text, lang) == expected


def test_french_spacing_is_idempotent():
    once = typeset_text('Quoi ? "Oui" !', "fr")
    assert typeset_text(once, "fr") == once


def _tree(markup: str) -> etree._Element:
    return etree.fromstring(f'<p xmlns="{XHTML}">{markup}</p>')


def test_tree_rules_follow_each_nodes_language():
    p = _tree('Il dit "oui" ! <span lang="en">He said "yes"!</span> Fin ?')
    typeset_tree(p, "fr")
    text = "".join(p.itertext())
    assert f"«{NNBSP}oui{NNBSP}»{NNBSP}!" in text
    assert "He said “yes”!" in text          # English rules inside the English span
    assert text.endswith(f"Fin{NNBSP}?")     # the tail is French again


def test_tree_quotes_across_inline_elements():
    p = _tree('He wrote "<cite>Memoirs</cite>" and "<em>so</em> on".')
    typeset_tree(p, "en")
    assert "".join(p.itertext()) == "He wrote “Memoirs” and “so on”."


def test_markup_and_untranslatable_spans_are_untouched():
    p = _tree('<a href="x?y=1">"a"</a> <span translate="no">"raw"</span> <code>"c"</code>')
    typeset_tree(p, "fr")
    assert p[0].get("href") == "x?y=1"
    assert p[1].text == '"raw"' and p[2].text == '"c"'
    assert p[0].text == f"«{NNBSP}a{NNBSP}»"
