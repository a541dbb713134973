"""Typography per language, on text nodes only."""
from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
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
    ("pl", '"Tak" - i \'nie\'', "„Tak” – i «nie»"),
    ("cs", '"Ano" - a \'ne\'', "„Ano“ – a ‚ne‘"),
    ("sv", '"Ja" - och \'nej\'', "”Ja” – och ’nej’"),
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


# ---------------------------------------------------------------- across text nodes

def test_a_closing_quote_before_an_element_is_not_repeated():
    p = _tree("« Oui »<a>3</a>")
    typeset_tree(p, "fr")
    assert (p.text, p[0].text) == (f"«{NNBSP}Oui{NNBSP}»", "3")
    assert "".join(p.itertext()) == f"«{NNBSP}Oui{NNBSP}»3"


def test_a_closing_quote_at_the_end_of_a_span_is_not_repeated():
    p = _tree("<span id='s189'>jusqu’au bout.</span> <span id='s190'>Jusqu’au bout. »</span>"
              " <span id='s191'>C’est ainsi</span>")
    typeset_tree(p, "fr")
    assert p[1].text == f"Jusqu’au bout.{NNBSP}»"
    assert p[1].tail == " " and p[2].text == "C’est ainsi"
    assert "»»" not in "".join(p.itertext())


@pytest.mark.parametrize("markup, expected", [
    ("<em>oui</em>!", f"oui{NNBSP}!"),               # space added in this node only
    ("<em>oui </em>!", "oui !"),                      # the previous node's space is kept
    ("Oui <em>»</em>", "Oui »"),
    ("<em>«</em>oui", f"«{NNBSP}oui"),
    ("<em>a</em>: b", f"a{NNBSP}: b"),
])
def test_french_spaces_across_nodes_never_change_the_previous_node(markup, expected):
    p = _tree(markup)
    typeset_tree(p, "fr")
    assert "".join(p.itertext()) == expected


_PIECES = st.lists(st.sampled_from(["a", "b", " ", "\u00a0", "«", "»", "!", "?", ":", ";",
                                    ".", "3"]), max_size=6).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, min_size=1, max_size=5))
def test_french_spacing_only_ever_adds_or_replaces_spaces_in_a_node(pieces):
    """Property: each text node keeps its own « » and every other non-space character,
    in order (three full stops are one ellipsis character); typesetting twice changes
    nothing more."""
    markup = pieces[0] + "".join(f"<em>{piece}</em>" for piece in pieces[1:])
    p = _tree(markup)
    typeset_tree(p, "fr")
    nodes = [p.text or "", *(c.text or "" for c in p)]
    for before, after in zip(pieces, nodes, strict=False):
        assert [c for c in after if not c.isspace()] == \
            [c for c in before.replace("...", "\u2026") if not c.isspace()]
    once = "".join(p.itertext())
    typeset_tree(p, "fr")
    assert "".join(p.itertext()) == once


# ---------------------------------------------------------------- the cases file

CASES = tomllib.loads((Path(__file__).parent / "fixtures" / "typography" / "cases.toml")
                      .read_text("utf-8"))


@pytest.mark.parametrize("case", CASES["text"], ids=lambda c: f"{c['lang']}:{c['in'][:30]}")
def test_typography_cases(case):
    assert typeset_text(case["in"], case["lang"]) == case["out"]


@pytest.mark.parametrize("case", CASES["tree"], ids=lambda c: f"{c['lang']}:{c['in'][:30]}")
def test_typography_tree_cases(case):
    p = etree.fromstring(f"<p>{case['in']}</p>")
    typeset_tree(p, case["lang"])
    assert etree.tostring(p, encoding=str) == f"<p>{case['out']}</p>"


# ---------------------------------------------------------------- remembered results

_TEXT = st.text(alphabet=st.sampled_from(list("ab1 9-.'\"`…«»;:!?%p\u00a0")), max_size=20)


@settings(max_examples=300, deadline=None)
@given(_TEXT, st.sampled_from(["en", "fr", "de", "es", "xx"]),
       st.sampled_from(["", " ", "a", "«", "-", '"']))
def test_remembered_typesetting_is_the_rules_applied_afresh(text, lang, prev):
    from serge_publish.writers import typography
    rules = typography.rules_for(lang)
    fresh = text if rules is None else typography._typeset_text(text, rules, prev)
    assert typeset_text(text, lang, prev) == fresh
    assert typeset_text(text, lang, prev) == fresh          # from the memo this time
    if prev:                                                # only the last character counts
        assert typeset_text(text, lang, "x" + prev) == fresh


def test_text_without_a_trigger_character_is_returned_as_it_is():
    from serge_publish.writers import typography
    text = "Une phrase sans rien à changer, 1917 à 1921"
    typography._MEMO.clear()
    assert typeset_text(text, "fr") is text
    assert not typography._MEMO                  # not even remembered


def test_the_memo_is_bounded(monkeypatch):
    from serge_publish.writers import typography
    monkeypatch.setattr(typography, "MEMO_SIZE", 3)
    typography._MEMO.clear()
    for n in range(10):
        assert typeset_text(f'"{n}"', "en") == f"“{n}”"
        assert len(typography._MEMO) <= 3
