"""The furniture tables (``serge_publish/data/furniture/*.json``): each has English's keys
and placeholders, is translated, and is set in its language's punctuation; the lookup
(a script subtag, written or likely: zh-TW and zh-HK get the Traditional Chinese table,
never the Simplified one); and editions built in Japanese, Arabic and Chinese (Taiwan)
have their furniture in their language, not English."""
from __future__ import annotations

import json
import re
import zipfile
from collections import Counter
from importlib import resources
from pathlib import Path

import pytest
from lxml import etree

from build_helpers import run, translated_project
from serge_publish import languages
from serge_publish.writers.furniture import available, furniture_for, lookup, table_to_add

XHTML = "{http://www.w3.org/1999/xhtml}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
PLACEHOLDER = re.compile(r"\{[a-z_]+\}")
ADDED = {"pl", "nl", "sv", "ja", "zh", "zh-Hant", "ko", "ar", "he", "uk", "cs"}
CJK = {"ja", "zh", "zh-Hant"}
EDITORIAL = ("empty_note", "image_not_reproduced")
FULL_WIDTH = "、。，：；！？（）〔〕「」『』"


def _table(lang: str) -> dict[str, str]:
    return json.loads(resources.files("serge_publish").joinpath(
        f"data/furniture/{lang}.json").read_text("utf-8"))


TABLES = {lang: _table(lang) for lang in available()}
ENGLISH = TABLES["en"]


# ---------------------------------------------------------------- the tables

def test_the_languages_with_tables():
    assert {"en", "fr", "es", "de", "ru", "it", "pt"} | ADDED <= set(TABLES)
    for tag in TABLES:                # a file's name is the tag the lookup asks for
        assert languages.normalize(tag) == tag


@pytest.mark.parametrize("lang", sorted(TABLES))
def test_a_table_has_english_keys_and_each_value_its_placeholders(lang):
    table = TABLES[lang]
    assert set(table) == set(ENGLISH)
    for key, value in table.items():
        assert Counter(PLACEHOLDER.findall(value)) == \
            Counter(PLACEHOLDER.findall(ENGLISH[key])), key
        assert value.strip() == value and value


SAME_WORD = {("fr", "notes")}            # French "Notes" is English's word


@pytest.mark.parametrize("lang", sorted(set(TABLES) - {"en"}))
def test_no_table_is_english_left_untranslated(lang):
    for key in ("contents", "notes", "colophon", "translated_by", "fallback_notice",
                "accessibility_summary", "status_draft"):
        assert TABLES[lang][key] != ENGLISH[key] or (lang, key) in SAME_WORD, key


@pytest.mark.parametrize("lang", sorted(TABLES))
def test_a_table_is_set_in_its_language_s_punctuation(lang):
    table = TABLES[lang]
    text = "\n".join(table.values())
    assert "'" not in text and '"' not in text                  # curly, as the language has
    if lang in CJK:      # full-width punctuation, no space around it; 〔〕 for the editor
        assert not re.search(r"[:;,!?()\[\]]", text)
        assert not re.search(f" [{FULL_WIDTH}]|[{FULL_WIDTH}] ", text)
        assert all(table[k].startswith("〔") and table[k].endswith("〕") for k in EDITORIAL)
    else:
        assert all(table[k].startswith("[") and table[k].endswith("]") for k in EDITORIAL)
    if lang == "ar":                                             # ، not ,
        assert "," not in text and "،" in text
    if lang == "fr":                                             # a narrow no-break space
        assert not re.search(r"[ \u00a0][;:!?]", text) and "\u202f:" in text


# ---------------------------------------------------------------- the lookup

@pytest.mark.parametrize("code, table", [
    ("zh-Hant", "zh-Hant"), ("zh_Hant", "zh-Hant"), ("zh-TW", "zh-Hant"),
    ("zh_TW", "zh-Hant"), ("zh-HK", "zh-Hant"), ("zh_MO", "zh-Hant"),
    ("zh-Hant-TW", "zh-Hant"), ("zh_Hant_HK", "zh-Hant"),
    ("zh", "zh"), ("zh-Hans", "zh"), ("zh_CN", "zh"), ("zh-SG", "zh"),
    ("pt-BR", "pt"), ("ja_JP", "ja"), ("ar-EG", "ar"), ("iw", "he"), ("uk", "uk"),
])
def test_a_tag_finds_the_table_of_its_language_and_script(code, table):
    furniture = furniture_for(languages.normalize(code))
    assert (furniture.lang, furniture.fallback) == (table, False)
    assert furniture["contents"] == TABLES[table]["contents"]


def test_a_table_in_another_script_is_not_used():
    """zh-Latn (pinyin) is not given Chinese characters, nor sr-Latn a Cyrillic table:
    English and the warning, which names the table to add."""
    assert [languages.script(t) for t in ("zh-TW", "zh-HK", "zh", "sr", "pt-BR")] == \
        ["Hant", "Hant", "Hans", "Cyrl", "Latn"]
    assert lookup("zh-Latn") == ("zh-Latn",) and furniture_for("zh-Latn").fallback
    assert lookup("zh-TW") == ("zh-TW", "zh-Hant")
    assert lookup("zh-CN") == ("zh-CN", "zh-Hans", "zh")
    assert lookup("pt-BR")[-1] == "pt" and furniture_for("pt-BR").lang == "pt"
    assert lookup("fi") == ("fi",) and furniture_for("fi").fallback
    assert [table_to_add(t) for t in ("fi", "sr-Latn", "zh-Latn", "pt-BR", "yue", "fa")] \
        == ["fi", "sr-Latn", "zh-Latn", "pt", "yue", "fa"]


# ---------------------------------------------------------------- editions

def _xml(book: Path, name: str) -> etree._Element:
    with zipfile.ZipFile(book) as z:
        return etree.fromstring(z.read(name))


@pytest.mark.parametrize("lang", ["ja", "ar", "zh-TW"])
def test_an_edition_has_its_furniture_in_its_language(make_root, lang):
    project = translated_project(make_root, lang)
    code, _, err = run("--project", str(project), "build", "--threshold", "0")
    assert code == 0, err
    assert "build.furniture-missing" not in err
    table = TABLES["zh-Hant" if lang == "zh-TW" else lang]
    rtl = "rtl" if lang == "ar" else None

    page = etree.parse(str(project / "build" / lang / "alpha.html"),
                       etree.HTMLParser()).getroot()
    assert (page.get("lang"), page.get("dir")) == (lang, rtl)
    (notes,) = page.xpath("//section[@role='doc-endnotes']/h2")
    (colophon,) = page.xpath("//section[@id='colophon']")
    assert notes.text == table["notes"] and colophon[0].text == table["colophon"]
    labels = colophon.xpath("dl/dt")
    assert [dt.text for dt in labels][:3] == [
        table["original_publication"], table["original_url"], table["original_language"]]
    assert table["status_draft"] in colophon.xpath("dl/dd/text()")
    assert colophon.xpath("p[@class='fallback-notice']/text()") == [table["fallback_notice"]]
    assert not [el for el in (notes, colophon, *labels) if el.get("lang")]

    book = project / "build" / lang / "alpha.epub"
    nav = _xml(book, "EPUB/nav.xhtml")
    assert nav.get("dir") == rtl                 # the contents read right to left too
    assert [t.text for t in nav.iter(f"{XHTML}title", f"{XHTML}h2")] == \
        [table["contents"], table["contents"], table["landmarks"]]
    title_page = _xml(book, "EPUB/titlepage.xhtml")
    assert title_page.get("dir") == rtl
    # (the Latin name isolated in a <bdi> in a right-to-left book)
    assert "".join(title_page.xpath("//*[@class='translators']//text()")) == \
        table["translated_by"].format(names="Jeanne Dupont")
    assert title_page.xpath("//*[@class='translators']/*[local-name()='bdi']/text()") == \
        (["Jeanne Dupont"] if rtl else [])
    cover = _xml(book, "EPUB/cover.xhtml")
    assert cover.find(f".//{XHTML}img").get("alt").startswith(
        table["cover_alt"].split("{title}")[0])
    for name in ("EPUB/nav.xhtml", "EPUB/titlepage.xhtml", "EPUB/cover.xhtml",
                 "EPUB/alpha.xhtml", "EPUB/colophon.xhtml"):
        english = [el for el in _xml(book, name).iter()
                   if isinstance(el.tag, str) and el.get(XML_LANG) == "en"]
        # fallback segments, and in the colophon the part of the rights the project
        # catalogue leaves untranslated (a value, marked in its <dd>): no furniture
        assert all(el.tag == f"{XHTML}span" and (
            re.fullmatch(r"s\d+", el.get("id", "")) or el.getparent().tag == f"{XHTML}dd")
            for el in english), name
    opf = _xml(book, "EPUB/content.opf")
    (summary,) = opf.xpath("//*[@property='schema:accessibilitySummary']")
    assert summary.text == table["accessibility_summary"] and summary.get(XML_LANG) is None
    assert opf.get("dir") == rtl


def test_the_warning_names_the_table_of_the_language_and_script(make_root):
    project = make_root("two-essays")
    assert run("--project", str(project), "update", "--lang", "sr-Latn")[0] == 0
    code, _, err = run("--project", str(project), "build", "--lang", "sr-Latn")
    assert code == 0, err
    assert "build.furniture-missing" in err and "data/furniture/sr-Latn.json" in err
