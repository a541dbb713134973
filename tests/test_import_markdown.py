"""The Markdown importer: exact structure of a realistic essay, fidelity, edge cases."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from serge_publish.errors import InputError, Report
from serge_publish.importers import markdown
from serge_publish.model import Document, Inline, iter_blocks

FIXTURE = Path(__file__).parent / "fixtures" / "import" / "essay.md"


def render(content) -> str:
    """Inline content as compact markup: *emph*, _title_, `code`, [text](href), [^n]."""
    out = []
    for item in content:
        if isinstance(item, str):
            out.append(item)
        elif item.kind == "noteref":
            out.append(f"[^{item.attr('n')}]")
        elif item.kind == "link":
            out.append(f"[{render(item.children)}]({item.attr('href')})")
        else:
            mark = {"emph": "*", "title": "_", "notranslate": "`"}[item.kind]
            out.append(f"{mark}{render(item.children)}{mark}")
    return "".join(out)


def outline(doc: Document) -> list[str]:
    """One line per block: section, indented kind (#id, attrs) and its one segment."""
    lines = []
    for section, blocks in doc.sections:
        for block, path in iter_blocks(blocks):
            label = "  " * len(path) + block.kind + (f"#{block.id}" if block.id else "")
            label += "".join(f" {k}={v}" for k, v in block.attrs)
            text = "".join(render(s.content) for s in block.segments)
            lines.append(f"{section}: {label}" + (f": {text}" if block.segments else ""))
    return lines


def flat(content) -> str:
    """Every character the reader sees, note reference numbers included."""
    return "".join(i if isinstance(i, str) else flat(i.children) for i in content)


def doc_words(doc: Document) -> list[str]:
    """Words in document order; a note's number counts when the note has text (an empty
    note stands for a missing definition: the input shows no number for it)."""
    words = []
    for _, blocks in doc.sections:
        for block, _ in iter_blocks(blocks):
            if block.kind == "note" and block.children:
                words.append(block.attr("n"))
            for segment in block.segments:
                words += re.findall(r"\w+", flat(segment.content))
    return words


def source_words(text: str) -> list[str]:
    """The words of the Markdown source without URLs: what the reader sees, in order."""
    text = re.sub(r"!\[([^\]]*)\]\([^)]*\)", r"\1", text)          # image -> its alt
    text = re.sub(r"\[([^\]^][^\]]*)\]\([^)]*\)", r"\1", text)      # link -> its text
    text = re.sub(r"\[\^(\w+)\]:?", r" \1 ", text)                  # note marks -> label
    return re.findall(r"\w+", text)


def read(text: str, path: str = "e.md") -> tuple[Document, Report]:
    report = Report()
    return markdown.read(text, path, "en", report), report


@pytest.fixture(scope="module")
def essay() -> tuple[Document, Report]:
    return read(FIXTURE.read_text(encoding="utf-8"), "essay.md")


ESSAY_OUTLINE = [
    "title: title: The Case for *Slow* Translation",
    "front: byline: By Lena Okafor",
    "front: dateline: March 3, 2019",
    "body: div",
    "body:   p: Every translation is an argument about what a text is for. A hurried "
    "translation argues that the text is a container of information;[^1] a slow one argues "
    "that it is a way of speaking.",
    "body:   p: This essay was first given as a talk at the [Lisbon Translation Days]"
    "(https://translationdays.example.org/2019), and I have kept some of its spoken "
    "*informality*.",
    "body: div",
    "body:   head: What gets lost",
    "body:   p: Consider the opening of a letter that Victor Serge wrote from exile:",
    "body:   quote",
    "body:     p: I have lost everything except the habit of hope. It is not a small thing to "
    "keep.",
    "body:   p: The sentence is plain, but its rhythm carries its meaning.[^2] A translator "
    "working to a deadline will usually do three things:",
    "body:   p: keep the words,",
    "body:   p: lose the rhythm,",
    "body:   p: and apologise in a footnote.[^3]",
    "body:   figure",
    "body:     caption: Serge's notebook, Mexico, 1946",
    "body: div",
    "body:   head: A practical proposal",
    "body:   p: 1. Read the whole text aloud before translating a line.",
    "body:   p: 2. Translate the *notes* last.",
    "body:   p: Code stays as it is: the file `essay.po` holds every sentence, like this:",
    'body:   p: `msgid "Every translation is an argument about what a text is for." '
    'msgstr ""`',
    "back: notes",
    "back:   note#n1 n=1",
    "back:     p: This is the view of most machine translation, and of many publishers.",
    "back:   note#n2 n=2",
    "back:     p: On rhythm in prose, see Henri Meschonnic, *Poétique du traduire* (1999).",
    "back:     p: Meschonnic was himself a translator of the Bible.",
    "back:   note#n3 n=3",
    "back:   note#n4 n=4",
    "back:     p: A note the author forgot to refer to.",
]


def test_essay_structure(essay):
    doc, _ = essay
    assert outline(doc) == ESSAY_OUTLINE
    assert (doc.id, doc.lang, doc.next_id) == ("tmp", "en", 1)


def test_essay_metadata(essay):
    doc, _ = essay
    assert (doc.metadata.author, doc.metadata.date) == (("Lena Okafor",), "2019-03-03")
    assert doc.metadata.source_file == ""


def test_essay_warnings(essay):
    _, report = essay
    assert [(d.code, d.where) for d in report.diagnostics] == [
        ("import.note-missing", "essay.md:26"),
        ("import.note-unreferenced", "essay.md:48"),
    ]


def test_essay_leaves_hold_one_unsegmented_segment_with_its_line(essay):
    doc, _ = essay
    leaves = [b for _, blocks in doc.sections for b, _ in iter_blocks(blocks) if b.segments]
    assert all(len(b.segments) == 1 and b.segments[0].id == "tmp" for b in leaves)
    lines = {render(b.segments[0].content)[:20]: b.segments[0].location for b in leaves}
    assert str(lines["The Case for *Slow* "]) == "essay.md:1"
    assert str(lines["keep the words,"]) == "essay.md:24"
    assert str(lines["Meschonnic was himse"]) == "essay.md:46"


def test_essay_link_attrs(essay):
    doc, _ = essay
    link = doc.body[0].children[1].segments[0].content[1]
    assert link == Inline("link", ("Lisbon Translation Days",),
                          (("href", "https://translationdays.example.org/2019"),))


def test_essay_fidelity(essay):
    doc, _ = essay
    assert doc_words(doc) == source_words(FIXTURE.read_text(encoding="utf-8"))


# -- edge cases ------------------------------------------------------------------------------

def test_empty_document_is_an_error():
    with pytest.raises(InputError) as info:
        read("\n\n  \n", "empty.md")
    assert info.value.message == "no text found" and info.value.where == "empty.md:1"
    assert info.value.hint


def test_no_heading_uses_first_paragraph_as_title():
    doc, report = read("Just a first paragraph.\n\nAnd a second.\n")
    assert outline(doc) == ["title: title: Just a first paragraph.", "body: div",
                            "body:   p: And a second."]
    assert [(d.code, d.where) for d in report.warnings] == [("import.no-title", "e.md:1")]


def test_later_h1_opens_a_division_and_content_before_title_is_kept():
    doc, _ = read("Intro line.\n\n# Title\n\nText.\n\n# Second part\n\nMore.\n")
    assert outline(doc) == ["title: title: Title", "body: div", "body:   p: Intro line.",
                            "body:   p: Text.", "body: div", "body:   head: Second part",
                            "body:   p: More."]


def test_unsafe_link_is_dropped_with_a_warning_and_its_text_kept():
    doc, report = read("# T\n\nSee [this](javascript:alert(1)) and [mail](mailto:a@b.org) "
                       "and [rel](../x.html).\n")
    assert outline(doc)[2] == ("body:   p: See this and [mail](mailto:a@b.org) and "
                               "[rel](../x.html).")
    assert [(d.code, d.where) for d in report.warnings] == [("import.link-dropped", "e.md:3")]


def test_inline_markup_whitespace_and_breaks():
    doc, _ = read("# T\n\nA  **strong** and *em*,\nline  \nbreak, `a  b` and "
                  "***both***.\n")
    assert outline(doc)[2] == "body:   p: A *strong* and *em*, line break, `a b` and *both*."


def test_inline_note_and_repeated_reference():
    doc, report = read("# T\n\nOne[^a] two^[An *inline* note.] three[^a].\n\n[^a]: A.\n")
    assert outline(doc)[2:] == ["body:   p: One[^1] two[^2] three[^1].", "back: notes",
                                "back:   note#n1 n=1", "back:     p: A.",
                                "back:   note#n2 n=2", "back:     p: An *inline* note."]
    assert report.warnings == []


def test_front_matter_gives_metadata_and_a_title():
    doc, _ = read("---\ntitle: From the Front\nauthor: Ada Byron\ndate: 2020-02-29\n"
                  "site: The Review\n---\n\nFirst paragraph.\n")
    assert outline(doc) == ["title: title: From the Front", "body: div",
                            "body:   p: First paragraph."]
    assert doc.title.location.line == 2
    meta = doc.metadata
    assert (meta.author, meta.date, meta.publisher) == (("Ada Byron",), "2020-02-29", "The Review")


def test_image_without_text_is_skipped_with_a_warning():
    doc, report = read("# T\n\nText.\n\n![](x.png)\n")
    assert outline(doc) == ["title: title: T", "body: div", "body:   p: Text."]
    assert [(d.code, d.where) for d in report.warnings] == [("import.image-no-text", "e.md:5")]


def test_ordered_list_start_and_nested_items():
    doc, _ = read("# T\n\n3. three\n   - inner\n4. four\n\n> - quoted item\n")
    assert outline(doc)[2:] == ["body:   p: 3. three", "body:   p: inner", "body:   p: 4. four",
                                "body:   quote", "body:     p: quoted item"]


def test_raw_html_block_keeps_its_text_with_a_warning():
    doc, report = read("# T\n\n<div class=\"x\">\nSome <b>raw</b> text\n</div>\n\n"
                       "<!-- a comment -->\n")
    assert outline(doc)[2:] == ["body:   p: Some raw text"]
    assert [d.code for d in report.warnings] == ["import.raw-html"]


def test_byline_only_right_after_the_title():
    doc, _ = read("# T\n\nFirst.\n\nBy the way, this is not a byline.\n")
    assert doc.front == () and doc.metadata.author == ()
