"""The HTML importer: exact structure of a saved blog page, fidelity, edge cases."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from test_import_markdown import doc_words, outline

from serge_publish.errors import InputError, Report
from serge_publish.importers import html
from serge_publish.model import Document

FIXTURE = Path(__file__).parent / "fixtures" / "import" / "blog-article.html"

# What a reader of the saved page sees of the article, written out by hand: no navigation,
# site header, share buttons, related posts, newsletter form, sidebar, footer, cookie notice,
# comment form or reply links; the note list's own "Notes" heading left out (editions print
# their own); list and note numbers as the browser shows them.
VISIBLE_TEXT = """
Writing in the Dark: Victor Serge’s Prose
Notes on a novelist who wrote for the drawer
By Marta Ruiz
Posted on January 18, 2016
Victor Serge wrote most of his novels without any hope of seeing them printed. 1 He wrote in
Leningrad under surveillance, in Orenburg in exile, and later in Mexico, where publishers had
little interest in an anti-Stalinist of the left.
His prose is quick and visual. Reading The Case of Comrade Tulayev, one has the impression of a
camera moving from face to face; the archive of his papers keeps the drafts. 2
A literature of witness
Serge insisted that a writer owes something to those who cannot speak:
We have to write for the people who are silenced, and for those who come after them.
Three places recur in his work:
1. the prison, 2. the city at night, 3. the party meeting.
Serge in Petrograd, 1921.
The last years
He died in Mexico City in 1947, poor and nearly forgotten. 3 His son Vlady kept the papers;
see the gallery.
1. Most of the manuscripts were confiscated at the Soviet border in 1936.
2. The drafts are now held at Yale, in the Beinecke Library.
3. See his Notebooks, the last entry.
Paul Weller says: January 19, 2016 at 10:02 am
Thank you for this. I read Midnight in the Century last winter and could not put it down.
Is there a good biography?
Marta Ruiz says: January 19, 2016 at 12:40 pm
Susan Weissman’s book is the one to read — start there.
"""

PERMALINK = "https://longmemory.example.org/2016/01/writing-in-the-dark/"
ARTICLE_OUTLINE = [
    "title: title: Writing in the Dark: Victor Serge’s Prose",
    "front: subtitle: Notes on a novelist who wrote for the drawer",
    "front: byline: By Marta Ruiz",
    "front: dateline: Posted on January 18, 2016",
    "body: div",
    "body:   p: Victor Serge wrote most of his novels without any hope of seeing them "
    "printed.[^1] He wrote in Leningrad under surveillance, in Orenburg in exile, and later "
    "in Mexico, where publishers had little interest in an *anti-Stalinist* of the left.",
    "body:   p: His prose is quick and visual. Reading _The Case of Comrade Tulayev_, one has "
    "the impression of a camera moving from face to face; the [archive of his papers]"
    "(https://archive.example.org/serge) keeps the drafts.[^2]",
    "body: div",
    "body:   head: A literature of witness",
    "body:   p: Serge insisted that a writer owes something to those who cannot speak:",
    "body:   quote",
    "body:     p: We have to write for the people who are silenced, and for those who come "
    "after them.",
    "body:   p: Three places recur in his work:",
    "body:   p: 1. the prison,",
    "body:   p: 2. the *city* at night,",
    "body:   p: 3. the party meeting.",
    "body:   figure",
    "body:     caption: Serge in Petrograd, 1921.",
    "body: div",
    "body:   head: The last years",
    "body:   p: He died in Mexico City in 1947, poor and nearly forgotten.[^3] His son Vlady "
    "kept the papers; see the gallery.",
    "back: notes",
    "back:   note#n1 n=1",
    "back:     p: Most of the manuscripts were confiscated at the Soviet border in 1936.",
    "back:   note#n2 n=2",
    "back:     p: The drafts are now held at Yale, in the Beinecke Library.",
    "back:   note#n3 n=3",
    "back:     p: See his *Notebooks*, the last entry.",
    "back: comments",
    "back:   comment",
    "back:     p: Paul Weller says:",
    f"back:     p: [January 19, 2016 at 10:02 am]({PERMALINK}#comment-7)",
    "back:     p: Thank you for this. I read *Midnight in the Century* last winter and could "
    "not put it down.",
    "back:     p: Is there a good biography?",
    "back:   comment",
    "back:     p: Marta Ruiz says:",
    f"back:     p: [January 19, 2016 at 12:40 pm]({PERMALINK}#comment-8)",
    "back:     p: Susan Weissman’s book is the one to read — start there.",
]


def read(text: str, path: str = "p.html") -> tuple[Document, Report]:
    report = Report()
    return html.read(text, path, "en", report), report


def page(body: str, head: str = "") -> str:
    return f"<!DOCTYPE html>\n<html><head>{head}</head><body>\n{body}\n</body></html>"


@pytest.fixture(scope="module")
def article() -> tuple[Document, Report]:
    return read(FIXTURE.read_text(encoding="utf-8"), "blog-article.html")


def test_article_structure(article):
    doc, _ = article
    assert outline(doc) == ARTICLE_OUTLINE
    assert (doc.id, doc.lang, doc.next_id) == ("tmp", "en", 1)


def test_article_metadata(article):
    meta = article[0].metadata
    assert (meta.author, meta.date, meta.publisher, meta.provenance) == (
        ("Marta Ruiz",), "2016-01-18", "The Long Memory", PERMALINK)


def test_article_diagnostics(article):
    _, report = article
    assert [(d.severity, d.code, d.where) for d in report.diagnostics] == [
        ("warning", "import.element-dropped", "blog-article.html:47"),   # share buttons
        ("warning", "import.element-dropped", "blog-article.html:60"),   # a script
        ("warning", "import.element-dropped", "blog-article.html:74"),   # related posts
        ("warning", "import.element-dropped", "blog-article.html:81"),   # newsletter form
        ("warning", "import.element-dropped", "blog-article.html:96"),   # entry footer
        ("warning", "import.image-no-text", "blog-article.html:73"),
        ("warning", "import.link-dropped", "blog-article.html:80"),
        ("info", "import.comments", "blog-article.html:104"),
    ]


def test_article_lines_are_source_lines(article):
    doc, _ = article
    assert str(doc.title.segments[0].location) == "blog-article.html:39"
    first_p, second_p = doc.body[0].children
    assert (first_p.segments[0].location.line, second_p.segments[0].location.line) == (52, 56)
    assert doc.back[0].children[2].location.line == 93


def test_article_fidelity(article):
    doc, _ = article
    assert doc_words(doc) == re.findall(r"\w+", VISIBLE_TEXT)


# -- notes -----------------------------------------------------------------------------------

def test_dpub_aria_notes_missing_and_unreferenced():
    doc, report = read(page(
        '<article><h1>T</h1>\n<p>A<a href="#en1" role="doc-noteref">[1]</a> and\n'
        'b<a href="#en9" role="doc-noteref">[2]</a>.</p>\n'
        '<section role="doc-endnotes"><ol>\n<li id="en1">One. <a href="#x" role="doc-backlink">'
        'back</a></li>\n<li id="en2">Two.</li>\n</ol></section></article>'))
    assert outline(doc)[2:] == ["body:   p: A[^1] and b[^2].", "back: notes",
                                "back:   note#n1 n=1", "back:     p: One.",
                                "back:   note#n2 n=2", "back:   note#n3 n=3",
                                "back:     p: Two."]
    assert [(d.code, d.where) for d in report.warnings] == [
        ("import.note-missing", "p.html:5"), ("import.note-unreferenced", "p.html:8")]


def test_paragraph_notes_with_leading_backlink_and_second_paragraph():
    doc, report = read(page(
        '<h1>T</h1><p>Text<sup><a href="#fn-a" id="ref-a">a</a></sup>.</p>'
        '<div id="notes"><h3>Notes</h3><p id="fn-a"><a href="#ref-a">a.</a> First note.</p>'
        '<p>Its second paragraph.</p></div>'))
    assert outline(doc)[2:] == ["body:   p: Text[^1].", "back: notes", "back:   note#n1 n=1",
                                "back:     p: First note.", "back:     p: Its second paragraph."]
    assert report.warnings == []


def test_an_article_class_naming_footnotes_is_not_the_note_list():
    doc, _ = read(page('<div class="post has-footnotes"><h1>T</h1><p>Body<sup>'
                       '<a href="#fn1">1</a></sup>.</p><ol class="footnotes"><li id="fn1">N.'
                       '</li></ol></div>'))
    assert outline(doc)[2:] == ["body:   p: Body[^1].", "back: notes", "back:   note#n1 n=1",
                                "back:     p: N."]


def test_backlinks_in_sup_do_not_hide_the_note_list():
    doc, report = read(page('<h1>T</h1><p>x<sup><a href="#fn1">1</a></sup></p>'
                            '<ol class="footnotes"><li id="fn1"><p>Note. <sup>'
                            '<a href="#fnref1">↩</a></sup></p></li></ol>'))
    assert outline(doc)[2:] == ["body:   p: x[^1]", "back: notes", "back:   note#n1 n=1",
                                "back:     p: Note."]
    assert report.warnings == []


# -- finding the article ---------------------------------------------------------------------

def test_main_is_used_without_article_and_furniture_is_dropped():
    doc, _ = read(page(
        '<header><p>Site</p><nav><a href="/">Home</a></nav></header>'
        '<main><h1>T</h1><p hidden>Hidden.</p><p style="display: none">Also hidden.</p>'
        '<div class="social-links">Share</div><p>Kept.</p>'
        '<div class="comments-closed">Comments are closed.</div></main>'
        '<aside>Sidebar</aside><footer>Foot</footer>'))
    assert outline(doc) == ["title: title: T", "body: div", "body:   p: Kept."]


def test_no_h1_uses_first_paragraph_with_a_warning():
    doc, report = read(page("<p>First words.</p>\n<p>Second.</p>"))
    assert outline(doc) == ["title: title: First words.", "body: div", "body:   p: Second."]
    assert [(d.code, d.where) for d in report.warnings] == [("import.no-title", "p.html:3")]


@pytest.mark.parametrize("text", ["", "   \n", page("<script>var x;</script><nav>Menu</nav>")])
def test_no_text_is_an_error(text):
    with pytest.raises(InputError) as info:
        read(text, "empty.html")
    assert info.value.message == "no text found" and info.value.where == "empty.html:1"
    assert info.value.hint


# -- content ---------------------------------------------------------------------------------

def test_inline_markup():
    doc, report = read(page(
        '<h1>T</h1><p>An <i>i</i>, <b>b</b>, <cite>Book</cite>, <code>x  y</code>, line<br>'
        'break, <span translate="no">Marx</span>, <a href="javascript:x()">bad</a>, '
        '<a href="#top">top</a> and <img class="emoji" alt="🙂" src="e.png">.</p>'))
    assert outline(doc)[2] == ("body:   p: An *i*, *b*, _Book_, `x y`, line break, `Marx`, "
                               "bad, top and 🙂.")
    assert [d.code for d in report.warnings] == ["import.link-dropped"]


def test_code_block_quote_figure_and_inline_image():
    doc, _ = read(page(
        '<h1>T</h1><pre>def f():\n    return 1</pre>'
        '<figure><blockquote><p>Q.</p></blockquote><figcaption>— Someone</figcaption></figure>'
        '<p>Before <img src="a.png" alt="A picture"> after.</p>'))
    assert outline(doc)[2:] == ["body:   p: `def f(): return 1`", "body:   quote",
                                "body:     p: Q.", "body:   p: — Someone",
                                "body:   p: Before after.", "body:   figure",
                                "body:     caption: A picture"]


def test_plain_byline_address_and_page_metadata():
    doc, _ = read(page('<article><h1>The Essay</h1><p>By Jo Smith</p><p>Text.</p></article>',
                       head='<title>The Essay – Small Review</title>'
                            '<meta name="author" content="J. Smith">'
                            '<meta property="article:published_time" content="2001-09-03">'))
    assert outline(doc)[:2] == ["title: title: The Essay", "front: byline: By Jo Smith"]
    meta = doc.metadata
    assert (meta.author, meta.date, meta.publisher) == (("J. Smith",), "2001-09-03", "Small Review")


def test_hgroup_subtitle_and_time_inside_the_title_stays():
    doc, _ = read(page('<article><hgroup><h1>T <time>1917</time></h1><p>Sub.</p></hgroup>'
                       '<p>Text.</p></article>'))
    assert outline(doc) == ["title: title: T 1917", "front: subtitle: Sub.", "body: div",
                            "body:   p: Text."]


def test_address_byline_and_time_in_one_paragraph():
    doc, _ = read(page('<article><h1>T</h1><p class="meta"><address>Ann Lee</address></p>'
                       '<p>On <time datetime="2010-05-01">May Day</time></p><p>Text.</p>'
                       '</article>'))
    assert outline(doc)[:3] == ["title: title: T", "front: byline: Ann Lee",
                                "front: dateline: On May Day"]
    assert (doc.metadata.author, doc.metadata.date) == (("Ann Lee",), "2010-05-01")
