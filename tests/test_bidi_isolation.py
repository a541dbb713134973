"""A name written in the other direction than the page around it is shown as a unit, in
its own direction (HTML's <bdi>): in an Arabic edition, "Doug Enaa Greene، 1 مايو 2024"
is not laid out with the day's digits on the Latin run ("2024 مايو Doug Enaa Greene, 1"
on screen), nor "A، B و C" with its first two names swapped. The colophon's name and date
(the first publication, the permission), its credits, the title page's author and
"Translated by" names, the authors and translators of the site's and the index pages are
isolated; a note's backlink points back the way the page reads. Names in the page's own
direction are left as they are: the Latin editions' bytes do not change."""
from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from build_helpers import run, translated_project
from serge_publish import languages
from serge_publish.languages import FSI, PDI
from serge_publish.writers import matter
from serge_publish.writers.furniture import furniture_for
from serge_publish.writers.xhtml import element, serialize, set_isolated_text


@pytest.mark.parametrize("name, within, isolated", [
    ("Doug Enaa Greene", "ar", True), ("Doug Enaa Greene", "he", True),
    ("黄 明", "ar", True), ("مترجم", "ar", False), ("2024", "ar", False),
    ("مترجم", "fr", True), ("Doug Enaa Greene", "fr", False), ("", "ar", False),
    ("Ann مترجم", "en", True)])
def test_a_name_in_the_other_direction_is_isolated(name, within, isolated):
    assert languages.isolate(name, within) == (f"{FSI}{name}{PDI}" if isolated else name)


def test_isolated_names_are_put_in_bdi_elements():
    p = element("p")
    assert set_isolated_text(p, f"ترجمة: {FSI}Ann Lee{PDI}، {FSI}Bob\x01 Ray{PDI} و مترجم")
    assert serialize(p).decode().endswith(
        '<p xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops">'
        "ترجمة: <bdi>Ann Lee</bdi>، <bdi>Bob Ray</bdi> و مترجم</p>\n")
    plain = element("p")
    assert not set_isolated_text(plain, "Ann Lee, Bob Ray")
    assert plain.text == "Ann Lee, Bob Ray" and len(plain) == 0


def test_the_title_page_isolates_each_name_of_a_right_to_left_edition():
    names = ("Ann Lee", "Bob Ray", "Li Wei")
    page = serialize(matter.title_page("عنوان", ("Doug Enaa Greene",), names, "P", "ar",
                                       furniture_for("ar"))).decode()
    assert '<p class="author"><bdi>Doug Enaa Greene</bdi></p>' in page
    # each name its own unit (not the list: it reads from the right, as its words do)
    joined = languages.join_names(tuple(f"<bdi>{n}</bdi>" for n in names), "ar")
    assert f'<p class="translators">ترجمة: {joined}</p>' in page, page
    french = serialize(matter.title_page("T", ("Doug Enaa Greene",), names, "P", "fr",
                                         furniture_for("fr"))).decode()
    assert "<bdi>" not in french
    # a line falling back to English (marked so, left to right) has nothing to isolate
    persian = serialize(matter.title_page("T", (), names, "", "fa", furniture_for("fa")))
    assert b"Translated by Ann Lee, Bob Ray, and Li Wei" in persian


@pytest.fixture(scope="module")
def arabic(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("bidi")
    project = translated_project(lambda name, prepared: _copy(name, root), "ar")
    code, _, err = run("--project", str(project), "build", "--threshold", "0")
    assert code == 0, err
    return project / "build" / "ar"


def _copy(name: str, root: Path) -> Path:
    import shutil

    from conftest import ROOTS
    return Path(shutil.copytree(ROOTS / name, root / "p"))


def test_the_arabic_colophon_isolates_the_latin_names_before_their_dates(arabic):
    html = (arabic / "alpha.html").read_text("utf-8")
    with zipfile.ZipFile(arabic / "alpha.epub") as book:
        colophon = book.read("EPUB/colophon.xhtml").decode()
        title_page = book.read("EPUB/titlepage.xhtml").decode()
        chapter = book.read("EPUB/alpha.xhtml").decode()
    with zipfile.ZipFile(arabic / "anthology.epub") as book:
        anthology = book.read("EPUB/colophon.xhtml").decode()
    for page in (html, colophon, anthology):
        assert "<dd><bdi>Links International Journal of Socialist Renewal</bdi>، 18 يناير 2016" \
               "</dd>" in page
        assert "<dd><bdi>Doug Enaa Greene</bdi>، 1 مايو 2024</dd>" in page
        assert "<dd><bdi>Jeanne Dupont</bdi></dd>" in page      # the translation's credits
    assert '<p class="author"><bdi>Doug Enaa Greene</bdi></p>' in title_page
    for page in (html, chapter):                                # the notes' backlinks
        assert 'role="doc-backlink" aria-label="العودة إلى النص">\u21aa\ufe0e</a>' in page
        assert "\u21a9" not in page
    index = (arabic / "index.html").read_text("utf-8")
    assert '<span class="author"><bdi>Doug Enaa Greene</bdi></span>' in index


def test_the_sites_pages_isolate_authors_and_translators():
    from serge_publish.writers.site import _byline
    from serge_publish.writers.site_model import EssayEntry, words
    entry = EssayEntry("e", "ar", "T", None, ("Doug Enaa Greene",), ("Ann Lee", "مترجم"),
                       "2016-01-18", "", None, "", 0.0, "", "")   # type: ignore[arg-type]
    li = element("li")
    _byline(li, entry, "ar")
    made = serialize(li).decode()
    assert '<span class="author"><bdi>Doug Enaa Greene</bdi></span>' in made
    # the site has no Arabic words: "Translated by" is English, marked so (left to right)
    assert words("ar")[1] == "en"
    assert 'dir="ltr" class="translators">Translated by Ann Lee and <bdi>مترجم</bdi></span>' \
        in made, made
    french = element("li")
    _byline(french, entry, "fr")
    made = serialize(french).decode()
    assert '<span class="author">Doug Enaa Greene</span>' in made
    assert "Ann Lee et <bdi>مترجم</bdi></span>" in made, made


# Where, on screen, the day of the permission's date is against the name before it.
ORDER = """(() => {
  const dd = [...document.querySelectorAll('.colophon dd')]
    .find(d => d.textContent.includes('Doug Enaa Greene'));
  const text = dd.lastChild, day = text.data.indexOf('1');
  const range = document.createRange();
  range.setStart(text, day);
  range.setEnd(text, day + 1);
  const digit = range.getBoundingClientRect();
  range.selectNodeContents(dd.firstChild);
  const name = range.getBoundingClientRect();
  return {digit: [digit.left, digit.right, digit.top], name: [name.left, name.right, name.top]};
})()"""


@pytest.mark.slow
def test_chromium_shows_the_name_then_the_date_from_the_right(arabic, tmp_path):
    """The permission "Doug Enaa Greene، 1 مايو 2024" as Chromium lays it out: on one line,
    the name on the right (read first), the day on its left, not inside the Latin run."""
    from browser import Browser
    browser = Browser(tmp_path / "chromium-profile")
    try:
        browser.size(1000, 900)                    # wide: the value holds on one line
        browser.open((arabic / "alpha.html").as_uri())
        where = browser.js(ORDER)
    finally:
        browser.close()
    assert abs(where["digit"][2] - where["name"][2]) < 8, where      # one line
    assert where["digit"][1] <= where["name"][0] + 0.5, where
