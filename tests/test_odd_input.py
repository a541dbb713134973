"""Odd but possible input: a huge name on the cover, bidi controls in a translation,
decomposed text in an import, an <embed> in an HTML page."""
from __future__ import annotations

import pytest

from build_helpers import run_cli
from serge_publish.writers import cover


@pytest.mark.parametrize("text", ["x" * 200_000, "漢" * 100_000, "word " * 40_000,
                                  ("a" * 50 + " ") * 4_000])
def test_cover_wrap_measures_each_character_a_bounded_number_of_times(monkeypatch, text):
    calls = 0
    real = cover._char_width

    def counted(ch):
        nonlocal calls
        calls += 1
        return real(ch)
    monkeypatch.setattr(cover, "_char_width", counted)
    lines = cover.wrap(text, 18)
    assert calls <= 3 * len(text)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    assert all(cover._width(line) <= 18 for line in lines)


def test_a_cover_for_a_huge_name_is_made():
    """Linear work is the test above (measures per character, not seconds: timing is for
    benchmarks); a 200,000-character name still gives a cover with its lines."""
    data = cover.cover_svg("x" * 200_000, "y " * 100_000, "en", "z" * 200_000)
    assert data.count(b"<tspan") == 8 + 3 + 2            # the lines each block shows


def test_wrap_still_wraps_as_before():
    assert cover.wrap("one two three four", 9) == ["one two", "three", "four"]
    assert cover.wrap("abcdefghij kl", 4) == ["abcd", "efgh", "ij", "kl"]
    assert cover.wrap("ab abcdefghij", 4) == ["ab", "abcd", "efgh", "ij"]
    assert cover.wrap("漢漢漢 a", 4) == ["漢漢", "漢 a"]


# -- Unicode NFC on import, every reader ----------------------------------------------------


DECOMPOSED = "Caf" + "e\u0301"          # é as e + combining acute accent
COMPOSED = "Caf\u00e9"



@pytest.fixture
def project(tiny_project):
    return tiny_project(None)


@pytest.mark.parametrize("name, text, line", [
    ("e.txt", f"A title\n\nA {DECOMPOSED} in Paris. Two.\n", 3),
    ("e.md", f"# A title\n\nA {DECOMPOSED} in *Paris*.\n", 3),
    ("e.html", f"<html><body><h1>A title</h1>\n<p>A {DECOMPOSED} in Paris.</p></body></html>",
     2),
])
def test_import_composes_decomposed_text(project, tmp_path, capsys, name, text, line):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    code, _, err = run_cli(capsys, "import", str(path))
    assert code == 0
    assert f"{path}:{line}: info: decomposed characters" in err
    source = (project / "source" / "e.xml").read_text(encoding="utf-8")
    assert COMPOSED in source and "\u0301" not in source


def test_composed_text_gives_no_note(project, tmp_path, capsys):
    path = tmp_path / "e.txt"
    path.write_text(f"A title\n\nA {COMPOSED} in Paris.\n", encoding="utf-8")
    code, _, err = run_cli(capsys, "import", str(path))
    assert code == 0 and "decomposed" not in err


# -- <embed> and other dropped elements in HTML ----------------------------------------------

def test_the_text_after_an_embed_is_kept_and_the_embed_reported(project, tmp_path, capsys):
    path = tmp_path / "e.html"
    path.write_text("<html><body><article><h1>A title</h1>\n"
                    '<p>Before the clip. <embed src="clip.swf"> After the clip, more text.</p>\n'
                    "<p>Next <source src=a.ogg> paragraph <wbr>here.</p>\n"
                    '<form class="newsletter"><p>Subscribe now</p></form>\n'
                    "</article></body></html>", encoding="utf-8")
    code, _, err = run_cli(capsys, "import", str(path))
    assert code == 0
    source = (project / "source" / "e.xml").read_text(encoding="utf-8")
    assert "After the clip, more text." in source and "paragraph here." in source
    assert "Subscribe" not in source
    assert f"{path}:2: warning: <embed> dropped" in err
    assert f"{path}:4: warning: <form class=\"newsletter\"> ('Subscribe now') dropped" in err


def test_nested_embeds_keep_every_word():
    from serge_publish.errors import Report
    from serge_publish.importers import html
    from serge_publish.model import iter_segments
    report = Report()
    doc = html.read("<html><body><h1>T</h1><p>a <embed> b <embed> c <i>d</i> e</p>"
                    "</body></html>", "p.html", "en", report)
    text = " ".join(ref.segment.text for ref in iter_segments(doc))
    assert text.split() == ["T", "a", "b", "c", "d", "e"]
    assert [d.code for d in report.warnings] == ["import.element-dropped"] * 2


# -- bidi controls in a translation ---------------------------------------------------------

def test_bidi_controls_in_a_translation_are_reported_and_removed(project, tmp_path, capsys):
    path = tmp_path / "e.txt"
    path.write_text("A title\n\nOne sentence. Two.\n", encoding="utf-8")
    assert run_cli(capsys, "import", str(path))[0] == 0
    assert run_cli(capsys, "update")[0] == 0
    po = project / "locale" / "fr" / "LC_MESSAGES" / "e.po"
    text = po.read_text(encoding="utf-8")
    for msgid, msgstr in (("A title", "Un titre"), ("Two.", "Deux."),
                          ("One sentence.", "Une \u202ephrase\u202c \u2067isolée\u2069.")):
        text = text.replace(f'msgid "{msgid}"\nmsgstr ""', f'msgid "{msgid}"\nmsgstr "{msgstr}"')
    po.write_text(text, encoding="utf-8")
    line = text[:text.index('msgid "One sentence."')].count("\n") + 1   # as for bad tags
    code, _, err = run_cli(capsys, "build", "--lang", "fr", "--format", "html")
    assert code == 0
    assert (f"locale/fr/LC_MESSAGES/e.po:{line}: warning: segment s2: the translation holds "
            "the bidi control character(s) U+202C, U+202E, U+2067, U+2069") in err
    page = (project / "build" / "fr" / "e.html").read_text(encoding="utf-8")
    assert "Une phrase isolée." in page
    assert not any(ch in page for ch in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
