"""Typesetting a tree walks its text nodes with lxml's iterwalk (issue 8): the same nodes
in the same order as the recursive walk it replaced, deep trees included."""
from __future__ import annotations

from lxml import etree
from typeset_reference import text_nodes as _text_nodes

from serge_publish.writers.typography import NNBSP, typeset_tree

XHTML = "http://www.w3.org/1999/xhtml"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
BLOCKS = {"p", "div", "section", "li", "ol", "h1"}


def _recursive(el, inherited):
    """The walk as it was written before (a recursive generator)."""
    tag = el.tag
    if not isinstance(tag, str):
        return
    local = etree.QName(el).localname
    own = el.get("lang") or el.get(XML_LANG) or inherited
    if local in {"code", "pre", "script", "style", "kbd", "samp"} or el.get("translate") == "no":
        return
    yield el, "text", own, local in BLOCKS
    for child in el:
        yield from _recursive(child, own)
        block = isinstance(child.tag, str) and etree.QName(child).localname in BLOCKS
        yield child, "tail", own, block


def test_the_text_nodes_are_those_of_the_recursive_walk_in_order():
    root = etree.fromstring(
        f'<section xmlns="{XHTML}"><h1>T<em>i</em>t</h1>a<!-- c -->b'
        '<p lang="fr">x<span translate="no">"n"<em>in</em></span>y<code>"c"</code>z'
        '<span xml:lang="de">d<em>e</em>e</span>f</p>tail<div><ol><li>1</li><li/></ol></div>'
        '<?pi x?>after</section>')
    path = root.getroottree().getpath
    got = [(path(el), attr, lang, block) for el, attr, lang, block in _text_nodes(root, "en")]
    want = [(path(el), attr, lang, block) for el, attr, lang, block in _recursive(root, "en")]
    assert got == want
    assert len(got) > 20


def test_a_skipped_root_gives_nothing():
    assert list(_text_nodes(etree.fromstring(f'<code xmlns="{XHTML}">"a"</code>'), "en")) == []
    assert list(_text_nodes(etree.fromstring(f'<p xmlns="{XHTML}" translate="no">a</p>'),
                            "en")) == []


def test_a_tree_deeper_than_the_recursion_limit_is_typeset():
    root = etree.Element(f"{{{XHTML}}}p")
    el = root
    for _ in range(3000):
        el = etree.SubElement(el, f"{{{XHTML}}}span")
    el.text = '"oui" !'
    el.tail = ' "non"'
    typeset_tree(root, "fr")
    assert el.text == f"«{NNBSP}oui{NNBSP}»{NNBSP}!"
    assert el.tail == f" «{NNBSP}non{NNBSP}»"


def test_tails_after_untouched_elements_and_comments_are_typeset():
    root = etree.fromstring(
        f'<p xmlns="{XHTML}"><code>"c"</code> "a"<!-- x --> "b" <em>1er</em></p>')
    typeset_tree(root, "fr")
    assert root[0].text == '"c"'
    assert root[0].tail == f" «{NNBSP}a{NNBSP}»"
    assert root[1].tail == f" «{NNBSP}b{NNBSP}» "
    assert [s.text for s in root.iter(f"{{{XHTML}}}sup")] == ["er"]


def test_a_subtree_is_walked_alone():
    root = etree.fromstring(
        f'<div xmlns="{XHTML}" lang="de"><!-- a -->"x"<p>"a"<em>b</em> "c"</p>"y"<!-- b -->'
        '<p>"z"</p></div>')
    p = root[1]
    path = root.getroottree().getpath
    assert [(path(el), attr, lang) for el, attr, lang, _ in _text_nodes(p, "de")] == [
        ("/*/*[1]", "text", "de"), ("/*/*[1]/*", "text", "de"), ("/*/*[1]/*", "tail", "de")]
    typeset_tree(p, "de")
    assert (p.text, p[0].tail, p.tail, root[-1].text) == ("„a“", " „c“", '"y"', '"z"')


def _typeset_by_generator(root, lang):
    """typeset_tree as it was written over :func:`_text_nodes` (the walk it now writes
    out itself)."""
    from serge_publish.writers import typography as t
    t._note_calls_before_punctuation(root, lang)
    prev = ""
    french_nodes = []
    for owner, attr, node_lang, new_block in _text_nodes(root, lang):
        if new_block:
            prev = ""
        text = owner.text if attr == "text" else owner.tail
        if not text:
            continue
        rules = t.rules_for(node_lang)
        if rules is None:
            prev = text[-1]
            continue
        typeset = t._typeset(text, node_lang, rules, prev)
        if typeset is not text:
            setattr(owner, attr, typeset)
            text = getattr(owner, attr)
        prev = text[-1:] or prev
        if rules.french and t._ORDINAL_HINT.search(text):
            french_nodes.append((owner, attr))
    for owner, attr in french_nodes:
        t.superscript_ordinals(owner, attr)


def test_the_written_out_walk_typesets_as_the_generator_did():
    markup = (
        f'<section xmlns="{XHTML}"><h1>"T" <em>1er</em> - t</h1>a "b<!-- c -->" c'
        '<p lang="fr">x "y"<span translate="no">"n"<em>in</em></span>- y<code>"c"</code>z ;'
        '<span xml:lang="de">"d<em>e</em>" - e</span>f, XXe siècle... p. 3</p>"tail" --'
        '<div><ol><li>1919-1921 "a</li><li/><li lang="es">"o" texto,<a role="doc-noteref">'
        '1</a> más</li></ol></div><p>it-or against it\'s `x\'</p><?pi x?>"after"</section>')
    for lang in ("en", "fr", "de", "es", "ru", "xx"):
        got, want = etree.fromstring(markup), etree.fromstring(markup)
        typeset_tree(got, lang)
        _typeset_by_generator(want, lang)
        assert etree.tostring(got) == etree.tostring(want), lang


def test_a_tree_typeset_again_is_typeset_from_the_memo(monkeypatch):
    """Each text node is looked up in the memo before any rule runs (texts that no rule
    changes included): a tree typeset a second time runs no rule and no regular
    expression of the rules, and comes out the same, French ordinals included."""
    from serge_publish.writers import typography as t
    markup = (
        f'<section xmlns="{XHTML}"><p lang="fr">Le XXe siècle, "dit-il" ; 1er mai'
        '<a role="doc-noteref">1</a>.</p><p>plain text, nothing to do</p>'
        '<p lang="de">"a" - b</p><p>it\'s 1919-1921...</p></section>')
    t._MEMO.clear()
    first = etree.fromstring(markup)
    typeset_tree(first, "en")
    assert any(key[0] == "plain text, nothing to do" for key in t._MEMO)

    def no_rule(*_):
        raise AssertionError("a rule ran on a remembered text")

    monkeypatch.setattr(t, "_typeset_text", no_rule)
    monkeypatch.setattr(t, "_TRIGGERS", None)            # not even looked for
    monkeypatch.setattr(t, "_FRENCH_TRIGGERS", None)
    monkeypatch.setattr(t, "_ORDINAL_HINT", None)
    again = etree.fromstring(markup)
    typeset_tree(again, "en")
    assert etree.tostring(again) == etree.tostring(first)
    assert etree.tostring(first).count(b"<sup>") == 2
