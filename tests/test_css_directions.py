"""The stylesheets as Chromium lays out a right-to-left and a Japanese edition: an Arabic
page, chapter and contents read from the right (text aligned to its start, the notes'
numbers, the contents' indentation and the colophon's values on the right), and Japanese
italics stay upright, emphasis marked with sesame dots (book.css, site.css).

Chromium is driven over the DevTools protocol (tests/browser.py), as in
test_release_shipped.py."""
from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from browser import Browser

from build_helpers import run, translated_project

pytestmark = pytest.mark.slow

# Where the text of the first element matching a selector ends and starts, against its
# box's content edges (in px; positive: inside the box).
EDGES = """(selector => {
  const el = document.querySelector(selector);
  const range = document.createRange();
  range.selectNodeContents(el);
  const text = range.getBoundingClientRect(), box = el.getBoundingClientRect();
  const style = getComputedStyle(el);
  return {left: text.left - box.left - parseFloat(style.paddingLeft),
          right: box.right - parseFloat(style.paddingRight) - text.right,
          dir: style.direction};
})"""


@pytest.fixture
def browser(tmp_path):
    opened = Browser(tmp_path / "chromium-profile")
    yield opened
    opened.close()


def _built(make_root, lang: str, tmp_path: Path) -> Path:
    project = translated_project(make_root, lang)
    code, _, err = run("--project", str(project), "build", "--threshold", "0")
    assert code == 0, err
    with zipfile.ZipFile(project / "build" / lang / "alpha.epub") as book:
        book.extractall(tmp_path / "book")
    return project


def _style(browser: Browser, selector: str, prop: str) -> str:
    return browser.js(f"getComputedStyle(document.querySelector({selector!r}))"
                      f".getPropertyValue({prop!r})")


def test_an_arabic_edition_reads_from_the_right(make_root, browser, tmp_path):
    project = _built(make_root, "ar", tmp_path)
    browser.size(390, 900)              # narrow: the text is not justified, but aligned
    page = (project / "build" / "ar" / "alpha.html").as_uri()
    epub = tmp_path / "book" / "EPUB"
    notes, colophon = 'section[role="doc-endnotes"] ol', ".colophon dd"
    # the page has it all; the EPUB, its notes in the chapter and its colophon apart
    for url, selectors in ((page, (notes, colophon)), (epub.joinpath("alpha.xhtml").as_uri(),
                                                       (notes,)),
                           (epub.joinpath("colophon.xhtml").as_uri(), (colophon,))):
        browser.open(url)
        assert browser.js("document.documentElement.dir") == "rtl", url
        if colophon in selectors:
            for selector in (".fallback-notice", colophon):       # a line or two each
                edges = browser.js(f"{EDGES}({selector!r})")
                assert edges["dir"] == "rtl" and abs(edges["right"]) < 1.5, \
                    (url, selector, edges)
                assert edges["left"] > 5, (url, selector, edges)  # ragged on the left
            assert _style(browser, colophon, "margin-left") == "0px", url
            assert float(_style(browser, colophon, "margin-right")[:-2]) > 15, url
        if notes in selectors:
            assert _style(browser, notes, "padding-left") == "0px", url
            assert float(_style(browser, notes, "padding-right")[:-2]) > 20, url
    browser.open((tmp_path / "book" / "EPUB" / "nav.xhtml").as_uri())
    assert browser.js("document.documentElement.dir") == "rtl"
    # the first entry ends where its list's content ends on the right, far from its left
    gaps = browser.js("""(() => {
      const a = document.querySelector('nav a'), ol = a.closest('ol');
      const box = ol.getBoundingClientRect(), text = a.getBoundingClientRect();
      const style = getComputedStyle(ol);
      return [box.right - parseFloat(style.paddingRight) - text.right,
              text.left - box.left - parseFloat(style.paddingLeft)];
    })()""")
    assert abs(gaps[0]) < 1.5 and gaps[1] > 20, gaps
    nested = browser.js("document.querySelectorAll('nav ol ol').length")
    assert nested > 0                               # the essay's sections under it
    assert _style(browser, "nav ol ol", "padding-left") == "0px"
    assert float(_style(browser, "nav ol ol", "padding-right")[:-2]) > 10


def test_japanese_italics_stay_upright_and_emphasis_has_sesame_dots(make_root, browser,
                                                                   tmp_path):
    project = _built(make_root, "ja", tmp_path)
    epub = tmp_path / "book" / "EPUB"
    for url in ((project / "build" / "ja" / "alpha.html").as_uri(),
                epub.joinpath("alpha.xhtml").as_uri(), epub.joinpath("colophon.xhtml").as_uri()):
        browser.open(url)
        assert browser.js("document.documentElement.lang") == "ja", url
        em = "em:not([lang])"                     # (an untranslated one is English)
        for selector in (em, ".fallback-notice"):
            if browser.js(f"!!document.querySelector({selector!r})"):
                assert _style(browser, selector, "font-synthesis-style") == "none", url
        if "colophon" not in url:
            assert browser.js(f"!!document.querySelector({em!r})"), url
            assert _style(browser, em, "text-emphasis-style") in ("sesame", "filled sesame"), url
        # an English passage in the Japanese text keeps its italics from its own font
        english = '[lang="en"] em, em[lang="en"]'
        if browser.js(f"!!document.querySelector({english!r})"):
            assert _style(browser, english, "text-emphasis-style") == "none", url
