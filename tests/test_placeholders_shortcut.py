"""The parser's shortcut for a translation with its source's very tags in their order
(_parse_as_source) reads every message as the full parser does (``shortcut=False``): the
same content, or the same error; on random sources (titles with and without a language,
nested inlines, notes, untranslated spans) and random messages, valid and invalid."""
from __future__ import annotations

import placeholders_reference as reference
from hypothesis import example, given, settings
from hypothesis import strategies as st
from placeholder_strategies import inlines, words

from catalog_helpers import emph, link, noteref, title
from serge_publish.catalog import placeholders
from serge_publish.catalog.placeholders import (
    MarkupError,
    _analyse,
    _parse,
    _Source,
    content_to_message,
    tags_to_content,
)
from serge_publish.model import Inline


def _outcome(fn, *args, **kwargs):
    try:
        return ("content", fn(*args, **kwargs))
    except MarkupError as exc:
        return ("error", exc.message, exc.where, exc.hint)


def _same(message, content, source_lang):
    """The shortcut's reading, the full parser's and the frozen reference's agree."""
    source = _analyse(content)
    new = _outcome(_parse, message, source, "s9", source_lang)
    full = _outcome(_parse, message, _analyse(content), "s9", source_lang, shortcut=False)
    assert new == full, (message, content)
    read = _outcome(tags_to_content, message, source, content, "s9", source_lang)
    assert read == _outcome(reference.message_to_content, message, content, "s9", source_lang)
    return read


_words = words
_inline = inlines(titled=True, max_size=5, max_leaves=10)
_texts = st.lists(st.sampled_from(["", "x", " ", "&lt;", "&amp;", "&", "<", "a b", "\n",
                                   "&amp;lt;", "<b", "ab"]), min_size=0, max_size=3).map("".join)


def _spaced(tag: str) -> str:
    """A tag written with a space before its end, as the parser accepts (``<a1 >``)."""
    return tag[:-2] + " />" if tag.endswith("/>") else tag[:-1] + " >"


@settings(max_examples=600, deadline=None)
@given(_inline, st.data(), st.sampled_from(["", "en"]))
def test_the_source_s_tags_in_order_with_any_text_read_as_by_the_full_parser(
        content, data, source_lang):
    """The common case, and the shortcut's: the msgid's tags in order (written with or
    without spaces), any text between them; then the same with one tag changed."""
    msgid, _ = content_to_message(content)
    tags = [m.group(0) for m in reference._TOKEN.finditer(msgid) if m.group(2)]
    spaced = [data.draw(st.sampled_from([tag, _spaced(tag)])) for tag in tags]
    texts = [data.draw(_texts) for _ in range(len(tags) + 1)]
    message = texts[0] + "".join(tag + text for tag, text in zip(spaced, texts[1:], strict=True))
    assert _same(message, content, source_lang)[0] == "content"
    if tags:
        k = data.draw(st.integers(0, len(tags) - 1))
        other = data.draw(st.sampled_from(["<i>", "</i>", "<t>", "</t>", "<a1>", "</a1>",
                                           "<n1/>", "<n2/>", "<x1/>", "<x1>", "<i/>", "",
                                           "<b>", "</f1>", "<n1>", "</n1>", "<a1/>"]))
        pairs = enumerate(zip(spaced, texts[1:], strict=True))
        broken = texts[0] + "".join((other if i == k else tag) + text for i, (tag, text) in pairs)
        _same(broken, content, source_lang)


_pieces = st.lists(st.one_of(
    _words,
    st.sampled_from(["<i>", "</i>", "<t>", "</t>", "<a1>", "</a1>", "<a2>", "</a2>",
                     "<f1>", "</f1>", "<n1/>", "<n2/>", "<x1/>", "<x1>", "</n1>", "<i/>",
                     "<b>", "<n12/>", "&lt;", "&gt;", "&amp;", "&", "<", " ", "< i>",
                     "<a1 >", "<n1 />", "</a1/>", "<x2/>", "<f2>", "<t >", "</t >"]),
), max_size=16).map("".join)


@settings(max_examples=600, deadline=None)
@given(_inline, _pieces, st.sampled_from(["", "en"]))
@example(("See ", title("Memoirs"), "."), "Voir <t>Memoirs</t>.", "en")
@example(("See ", title("Memoirs"), "."), "Voir <t> Memoirs </t>.", "en")
@example(("See ", Inline("title", ("Memoirs",), (("lang", "de"),)), "."), "<t>Memoirs</t>", "en")
@example(("a ", emph("b ", title("c")), noteref("3")), "<i>B <t>c</t></i><n1/>", "en")
def test_any_message_reads_as_by_the_full_parser(content, message, source_lang):
    _same(message, content, source_lang)


def test_the_shortcut_is_taken_for_the_source_s_tags_in_order(monkeypatch):
    content = ("See ", link("https://a.org", "the ", emph("archive")), ".", noteref("12"))
    source = _analyse(content)
    taken = []
    real = placeholders._parse_as_source
    monkeypatch.setattr(placeholders, "_parse_as_source",
                        lambda *args: taken.append(1) or real(*args))
    assert _parse("Voir <a1>l'<i>archive</i></a1>.<n1 />", source) == (
        "Voir ", link("https://a.org", "l'", emph("archive")), ".", noteref("12"))
    assert taken == [1]
    _parse("<i>archive</i><a1>l'</a1>.<n1/>", source)          # another order: the full parser
    assert taken == [1]


def test_a_source_whose_own_msgid_is_invalid_is_read_by_the_full_parser():
    """A _Source not made by _analyse, its msgid naming a tag it lacks: no shortcut, and
    each message gets the full parser's error, every time."""
    source = _Source(msgid="a <i>b</i>")                     # no <i> in its counts
    for _ in range(2):
        outcome = _outcome(_parse, "a <i>b</i>", source, "s1")
        assert outcome == _outcome(_parse, "a <i>b</i>", source, "s1", shortcut=False)
        assert outcome[0] == "error"
    assert source.steps is not None and not source.steps.valid
