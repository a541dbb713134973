"""The writers, on Documents built in code: XHTML trees, furniture, cover, EPUB, HTML."""
from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from dataclasses import replace
from importlib import resources

import pytest
from lxml import etree

from build_helpers import DATE, edition, sample_document, translate
from serge_publish.model import Inline
from serge_publish.writers import epub, html
from serge_publish.writers.cover import cover_svg, wrap
from serge_publish.writers.essay import render_essay
from serge_publish.writers.furniture import available, format_date, furniture_for
from serge_publish.writers.memo import BytesBounded
from serge_publish.writers.xhtml import XML_LANG, page, serialize

NS = {"x": "http://www.w3.org/1999/xhtml", "epub": "http://www.idpf.org/2007/ops",
      "opf": "http://www.idpf.org/2007/opf", "dc": "http://purl.org/dc/elements/1.1/"}
EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"


def essay_tree(doc=None, lang="en"):
    page_ = render_essay(doc or sample_document(), lang, furniture_for(lang))
    root, body = page(page_.title, lang)
    body.append(page_.section)
    return etree.fromstring(serialize(root)), page_


# ---------------------------------------------------------------- XHTML

def test_every_segment_is_an_anchor_and_ids_are_unique():
    tree, _ = essay_tree()
    ids = tree.xpath("//@id")
    assert len(ids) == len(set(ids))
    spans = tree.xpath("//x:span[starts-with(@id, 's')]/@id", namespaces=NS)
    assert spans == [f"s{i}" for i in range(1, 19)]


def test_note_references_and_backlinks():
    tree, _ = essay_tree()
    refs = tree.xpath("//x:a[@role='doc-noteref']", namespaces=NS)
    assert [(a.get("href"), a.get("id"), a.text) for a in refs] == [
        ("#n1", "ref-n1", "1"), ("#n2", "ref-n2", "2"), ("#n1", "ref-n1-2", "1")]
    assert all(a.get(EPUB_TYPE) == "noteref" for a in refs)
    section = tree.xpath("//x:section[@role='doc-endnotes']", namespaces=NS)[0]
    assert section.get(EPUB_TYPE) == "endnotes"
    notes = section.xpath(".//x:li", namespaces=NS)
    assert [(li.get("id"), li.get("value"), li.get(EPUB_TYPE), li.get("role"))
            for li in notes] == [("n1", "1", "endnote", None), ("n2", "2", "endnote", None)]
    backs = section.xpath(".//x:a[@role='doc-backlink']", namespaces=NS)
    assert [b.get("href") for b in backs] == ["#ref-n1", "#ref-n2"]
    assert backs[0].get("aria-label") == "Back to text"


def test_inline_kinds_map_to_whitelisted_elements():
    tree, _ = essay_tree()
    p = tree.xpath("//x:span[@id='s10']", namespaces=NS)[0]
    assert p.xpath("x:a/@href", namespaces=NS) == ["https://example.org/a%20b"]
    assert p.xpath("x:span[@class='link']/text()", namespaces=NS) == ["this"]  # javascript:
    assert p.xpath("x:span[@translate='no']/text()", namespaces=NS) == ["Kibalchich"]
    s9 = tree.xpath("//x:span[@id='s9']", namespaces=NS)[0]
    assert s9.xpath("x:cite/text()", namespaces=NS) == ["Memoirs of a Revolutionary"]
    s8 = tree.xpath("//x:span[@id='s8']", namespaces=NS)[0]
    assert s8.xpath("x:em/text()", namespaces=NS) == ["conscious"]


def test_translator_text_is_only_text():
    evil = '<script>alert(1)</script><img src=x onerror="y"> \x07\x0b\ufffe&amp;'
    doc = translate(sample_document(), "fr", lambda s: s + evil)
    tree, _ = essay_tree(doc, "fr")
    assert not tree.xpath("//x:script|//x:img|//@onerror", namespaces=NS)
    text = "".join(tree.xpath("//x:span[@id='s11']//text()", namespaces=NS))
    assert "<script>alert(1)</script>" in text and "\x07" not in text and "\ufffe" not in text


def test_fallback_segments_keep_their_language_and_direction():
    doc = translate(sample_document(), "ar", lambda s: "نص")
    doc = replace(doc, title=replace(doc.title, segments=(
        replace(sample_document().title.segments[0], lang="en"),)))
    tree, page_ = essay_tree(doc, "ar")
    span = tree.xpath("//x:span[@id='s1']", namespaces=NS)[0]
    assert (span.get("lang"), span.get(XML_LANG), span.get("dir")) == ("en", "en", "ltr")
    assert tree.get("dir") == "rtl" and tree.get("lang") == "ar"
    assert tree.xpath("//x:span[@id='s2']/@lang", namespaces=NS) == []
    assert page_.title == "Victor Serge: on the borders of victory"


def test_missing_furniture_table_is_marked_english():
    tree, _ = essay_tree(translate(sample_document(), "fi", str.upper), "fi")
    heading = tree.xpath("//x:section[@role='doc-endnotes']/x:h2", namespaces=NS)[0]
    assert heading.text == "Notes" and heading.get("lang") == "en"


def test_toc_follows_headed_divisions():
    _, page_ = essay_tree()
    assert [(e.title, e.fragment) for e in page_.toc] == [
        ("I. Life", "d1"), ("Notes", "notes"), ("About the author", "bio"),
        ("Reader comments", "comments")]
    assert [c.title for c in page_.toc[0].children] == ["Childhood"]


def test_note_reference_to_a_note_left_out_is_unlinked_and_reported():
    doc = sample_document()
    doc = replace(doc, back=doc.back[1:])          # no notes division
    tree, page_ = essay_tree(doc)
    assert not tree.xpath("//x:a[@role='doc-noteref']", namespaces=NS)
    assert [d.code for d in page_.diagnostics] == ["build.note-missing"] * 3


# ---------------------------------------------------------------- furniture

def test_furniture_tables_have_the_same_keys():
    keys = {lang: set(json.loads(resources.files("serge_publish").joinpath(
        f"data/furniture/{lang}.json").read_text("utf-8"))) for lang in available()}
    assert {"en", "fr", "es", "de", "ru", "it", "pt"} <= set(keys)
    assert all(k == keys["en"] for k in keys.values())


def test_furniture_lookup_and_fallback():
    assert furniture_for("pt-BR").lang == "pt" and not furniture_for("pt-BR").fallback
    assert furniture_for("fi").fallback and furniture_for("fi")["notes"] == "Notes"
    qps = furniture_for("qps")
    assert qps["contents"] != "Contents" and "{title}" in qps["cover_alt"]


def test_dates_in_the_editions_language():
    assert format_date("2016-01-18", "fr") == "18 janvier 2016"
    assert format_date("2016-01-18", "de") == "18. Januar 2016"
    assert format_date("2009", "fr") == "2009"
    assert format_date("2016-01-18", "qps") == "2016-01-18"


# ---------------------------------------------------------------- cover

def test_cover_is_svg_with_the_title_in_its_script():
    data = cover_svg("Виктор Серж: на границах победы", "Дуг Грин", "ru", "Press")
    root = etree.fromstring(data)
    text = " ".join(root.itertext())
    assert "Виктор" in text and "Дуг Грин" in text and root.get(XML_LANG) == "ru"
    assert cover_svg("a", "b", "ru") == cover_svg("a", "b", "ru")
    assert all(len(line) <= 18 for line in wrap("a " * 40, 18))
    assert len(wrap("漢" * 30, 10)) == 6


# ---------------------------------------------------------------- EPUB

def _zip(data: bytes) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(data))


def test_epub_zip_is_reproducible_and_ordered():
    data, _ = epub.essay_epub(edition(), b"body {}")
    assert data == epub.essay_epub(edition(), b"body {}")[0]
    z = _zip(data)
    first = z.infolist()[0]
    assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED
    assert z.read("mimetype") == b"application/epub+zip" and not first.extra
    names = [i.filename for i in z.infolist()[1:]]
    assert names == sorted(names)
    assert {i.date_time for i in z.infolist()} == {(2016, 1, 18, 0, 0, 0)}


def test_epub_entries_are_deflated_at_the_container_level():
    """Every entry but mimetype and the PNG cover is libdeflate's raw deflate at
    ``COMPRESS_LEVEL`` (6): the bytes are those of that level. The PNG, compressed
    already, is stored, as mimetype is."""
    import deflate

    from serge_publish.writers.epubzip import COMPRESS_LEVEL
    data, _ = epub.essay_epub(edition(), b"body {}")
    z = _zip(data)
    for info in z.infolist()[1:]:
        if info.filename.endswith(".png"):
            assert info.compress_type == zipfile.ZIP_STORED
            assert z.read(info.filename).startswith(b"\x89PNG")
            continue
        assert info.compress_type == zipfile.ZIP_DEFLATED
        raw = bytes(deflate.deflate_compress(z.read(info.filename), COMPRESS_LEVEL))
        assert info.compress_size == len(raw)
        start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
        assert data[start:start + len(raw)] == raw
    assert {i.filename for i in z.infolist() if i.compress_type == zipfile.ZIP_STORED} \
        == {"mimetype", "EPUB/cover.png"}


class _LibDeflater:
    """zipfile's compressor of a deflated entry, giving libdeflate's stream at
    ``COMPRESS_LEVEL`` (as writers.epubzip deflates) at its flush."""

    def __init__(self) -> None:
        self.data = bytearray()

    def compress(self, data: bytes) -> bytes:
        self.data += data
        return b""

    def flush(self) -> bytes:
        import deflate

        from serge_publish.writers.epubzip import COMPRESS_LEVEL
        return bytes(deflate.deflate_compress(bytes(self.data), COMPRESS_LEVEL))


def _zipfile_bytes(entries, stamp=(2016, 1, 18, 0, 0, 0)):
    """What zipfile writes for ``entries``, deflated by libdeflate (see _LibDeflater)."""
    from unittest import mock

    from serge_publish.writers.epubzip import COMPRESS_LEVEL
    real = zipfile._get_compressor             # type: ignore[attr-defined]
    out = io.BytesIO()
    with mock.patch.object(zipfile, "_get_compressor", lambda kind, level=None: (
            _LibDeflater() if kind == zipfile.ZIP_DEFLATED else real(kind, level))), \
            zipfile.ZipFile(out, "w") as target:
        for name, content in entries:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.create_system = 3
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(info, content, compresslevel=COMPRESS_LEVEL)
    return out.getvalue()


def test_a_remembered_deflated_entry_is_written_as_zipfile_writes_it(monkeypatch):
    """``write_deflated`` with a stream met before gives zipfile's very bytes (headers,
    offsets, central directory; libdeflate's stream), wherever the entry falls; the stream
    is not deflated again."""
    import deflate

    from serge_publish.writers import epubzip
    monkeypatch.setattr(epubzip, "_DEFLATED", BytesBounded(1 << 30, lambda c, k: len(c)))
    chapter = ("<p>Chapitre : é</p>" * 500).encode()
    entries = [("EPUB/a.xhtml", b"first" * 40), ("EPUB/ch.xhtml", chapter),
               ("EPUB/z.css", b"body {}")]
    expected = _zipfile_bytes(entries)
    moved = [("EPUB/0.xhtml", b"x" * 3000), *entries[1:]]  # another offset, same bytes
    expected_moved = _zipfile_bytes(moved)

    def ours(entries):
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as target:
            for name, content in entries:
                info = zipfile.ZipInfo(name, date_time=(2016, 1, 18, 0, 0, 0))
                info.create_system = 3
                info.external_attr = 0o644 << 16
                info.compress_type = zipfile.ZIP_DEFLATED
                epubzip.write_deflated(target, info, content)
        return out.getvalue()

    assert ours(entries) == expected                    # cold: zipfile itself, remembered
    assert chapter in epubzip._DEFLATED
    calls = []
    real = deflate.deflate_compress
    monkeypatch.setattr(deflate, "deflate_compress", lambda *a: calls.append(a) or real(*a))
    assert ours(entries) == expected                    # warm: written from memory
    assert calls == []
    assert ours(moved) == expected_moved
    assert len(calls) == 1                               # only the new entry deflated
    with zipfile.ZipFile(io.BytesIO(ours(moved))) as z:
        assert z.testzip() is None and z.read("EPUB/ch.xhtml") == chapter


def test_an_essay_epub_remembers_its_chapter_and_stylesheet_deflated(monkeypatch):
    import zlib

    from serge_publish.writers import epubzip
    monkeypatch.setattr(epubzip, "_DEFLATED", BytesBounded(1 << 30, lambda c, k: len(c)))
    ed = edition()
    data, _ = epub.essay_epub(ed, b"body {}", key=b"k")
    chapter = _zip(data).read("EPUB/" + epub.chapter_file(ed.essay))
    assert chapter in epubzip._DEFLATED and b"body {}" in epubzip._DEFLATED
    stream, crc = epubzip._DEFLATED[chapter]
    assert crc == zlib.crc32(chapter) and zlib.decompress(stream, -15) == chapter
    assert epub.essay_epub(ed, b"body {}", key=b"k")[0] == data      # from memory: same


def test_opf_metadata():
    ed = edition(translate(sample_document(), "fr", str.upper), "fr",
                 translators=("Jeanne Dupont", "Paul Martin"), fallbacks=2)
    data, _ = epub.essay_epub(ed, b"")
    opf = etree.fromstring(_zip(data).read("EPUB/content.opf"))
    assert opf.get(XML_LANG) == "fr"
    get = lambda path: opf.xpath(path, namespaces=NS)  # noqa: E731
    assert get("//dc:language/text()") == ["fr"]
    assert get("//dc:title/text()") == ["VICTOR SERGE\u202f: ON THE BORDERS OF VICTORY"]
    assert get("//dc:identifier/text()") == [ed.identifier]
    assert ed.identifier.startswith("urn:uuid:") and ed.identifier != edition().identifier
    meta = ed.document.metadata                        # the original, not an opaque urn
    assert get("//dc:source/text()") == [f"{meta.publisher}, {meta.date}"]
    assert get("//opf:meta[@refines='#source-1'][@property='dcterms:issued']/text()") == \
        [meta.date]
    assert get("//dc:contributor/text()") == ["Jeanne Dupont", "Paul Martin"]
    ids = get("//dc:creator/@id | //dc:contributor/@id")
    assert len(ids) == len(set(ids)) == 3
    assert get("//opf:meta[@property='dcterms:modified']/text()") == ["2016-01-18T00:00:00Z"]
    props = set(get("//opf:meta/@property"))
    assert {"schema:accessMode", "schema:accessModeSufficient", "schema:accessibilityFeature",
            "schema:accessibilityHazard", "schema:accessibilitySummary",
            "dcterms:conformsTo"} <= props
    assert get("//dc:rights/@xml:lang") == ["en"]


def test_epub_pages_are_not_generated_and_nav_is_translated():
    ed = edition(translate(sample_document(), "de", str.upper), "de")
    z = _zip(epub.essay_epub(ed, b"")[0])
    nav = etree.fromstring(z.read("EPUB/nav.xhtml"))
    assert not nav.xpath("//x:nav[@epub:type='page-list']", namespaces=NS)
    assert nav.xpath("//x:nav[@epub:type='toc']/x:h2/text()", namespaces=NS) == ["Inhalt"]
    assert "I. LIFE" in nav.xpath("//x:a/text()", namespaces=NS)
    assert "EPUB/toc.ncx" in z.namelist()


def test_anthology_holds_every_edition():
    from serge_publish.writers.edition import Anthology
    a, b = edition(sample_document("one")), edition(sample_document("two"))
    book = Anthology((a, b), "en", "en", a.publisher, DATE)
    z = _zip(epub.anthology_epub(book, b"")[0])
    assert {"EPUB/one.xhtml", "EPUB/two.xhtml"} <= set(z.namelist())
    opf = etree.fromstring(z.read("EPUB/content.opf"))
    assert opf.xpath("//dc:title/text()", namespaces=NS) == ["Test essays"]


def test_the_anthology_reuses_the_chapters_of_its_essays(monkeypatch):
    """Given the editions' keys, an anthology is made of the chapters its essays' EPUBs
    rendered (not rendered again), and is byte for byte the one made without keys."""
    from serge_publish.writers import essay as essay_module
    from serge_publish.writers.edition import Anthology
    a, b = edition(sample_document("one")), edition(sample_document("two"))
    book = Anthology((a, b), "en", "en", a.publisher, DATE)
    monkeypatch.setattr(epub, "_CHAPTERS", BytesBounded(1 << 30, lambda _, c: 1))
    fresh = epub.anthology_epub(book, b"")
    essays = [epub.essay_epub(e, b"", n, key=k)
              for n, (e, k) in enumerate(((a, b"key-a"), (b, b"key-b")), 1)]
    assert essays == [epub.essay_epub(e, b"", n) for n, e in enumerate((a, b), 1)]
    monkeypatch.setattr(essay_module, "_LAST_RENDERED", [])
    monkeypatch.setattr(epub, "render_essay", lambda *args: pytest.fail("rendered again"))
    assert epub.anthology_epub(book, b"", keys=(b"key-a", b"key-b")) == fresh
    one = _zip(essays[0][0]).read("EPUB/one.xhtml")
    assert _zip(fresh[0]).read("EPUB/one.xhtml") == one


def test_remembered_chapters_are_bounded_in_bytes(monkeypatch):
    size = len(epub.essay_chapter(edition(), furniture_for("en")).xhtml)
    bounded = BytesBounded(2 * size, lambda _, chapter: len(chapter.xhtml))
    monkeypatch.setattr(epub, "_CHAPTERS", bounded)
    epub.essay_chapter(edition(), furniture_for("en"))
    assert not len(bounded)                     # no key: not remembered
    for n in range(4):
        epub.essay_chapter(edition(), furniture_for("en"), key=b"%d" % n)
        assert len(bounded) <= 2 and bounded.size <= 2 * size
    assert len(bounded) == 2 and bounded.size == sum(len(c.xhtml) for c in bounded.values())


# ---------------------------------------------------------------- HTML

def test_html_page_has_switcher_alternates_and_no_epub_markup():
    site = html.Site("Test essays", "en", ("en", "fr", "qps"), has_epub=True)
    data, _ = html.essay_html(edition(), site)
    assert data.startswith(b"<!DOCTYPE html>")
    root = etree.fromstring(data, etree.HTMLParser())
    assert root.get("lang") == "en"
    assert root.xpath("//link[@rel='alternate']/@hreflang") == ["en", "fr", "qps"]
    switch = root.xpath("//nav[@class='language-switcher']//a")
    assert [(a.get("href"), a.get("hreflang")) for a in switch] == [
        ("../en/sample.html", "en"), ("../fr/sample.html", "fr"), ("../qps/sample.html", "qps")]
    assert switch[0].get("aria-current") == "page"
    assert b"epub:type" not in data and b"xml:lang" not in data
    assert root.xpath("//a[@href='sample.epub']")


def test_source_edition_says_where_it_first_appeared():
    data, _ = html.essay_html(edition(), html.Site("T", "en", ("en",)))
    root = etree.fromstring(data, etree.HTMLParser())
    rows = [" ".join(dd.itertext()) for dd in root.xpath("//section[@class='colophon']//dd")]
    assert "Links International Journal of Socialist Renewal, January 18, 2016" in rows
    assert "Reposted from Red Wedge with the author’s permission." in rows


def test_translated_edition_names_translators_and_links_the_original():
    ed = edition(translate(sample_document(), "fr", str.upper), "fr",
                 translators=("Jeanne Dupont",), fallbacks=1)
    data, _ = html.essay_html(ed, html.Site("T", "en", ("en", "fr")))
    root = etree.fromstring(data, etree.HTMLParser())
    text = " ".join(root.xpath("//footer")[0].itertext())
    assert "Traduction" in text and "Jeanne Dupont" in text and "18 janvier 2016" in text
    assert "pas encore traduits" in text
    assert root.xpath("//footer//a[@hreflang='en']/@href") == ["../en/sample.html"]


def test_layers_only_epub_imports_ebooklib_and_writers_import_no_stage():
    import ast
    from pathlib import Path
    package = Path(epub.__file__).resolve().parents[1]
    for path in sorted(package.rglob("*.py")):
        tree = ast.parse(path.read_text("utf-8"))
        modules = {n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
        modules |= {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        if path.name != "epub.py" or path.parent.name != "writers":
            assert not any(m.startswith("ebooklib") for m in modules), path
        if path.parent.name == "writers":
            assert not any(m.split(".")[-1] in {"commands", "catalog", "importers", "cli"}
                           or m.startswith(("..commands", "..catalog", "..importers"))
                           for m in modules), path


def test_heading_levels_follow_headed_divisions_only():
    from build_helpers import box, leaf, seg
    doc = replace(sample_document(), body=(
        box("div", box("div", leaf("head", seg("s30", "Inner")), leaf("p", seg("s31", "x")))),))
    tree, page_ = essay_tree(doc)
    assert tree.xpath("//x:span[@id='s30']/parent::*", namespaces=NS)[0].tag.endswith("h2")
    assert [e.title for e in page_.toc][0] == "Inner"


def test_titles_and_foreign_words_are_italic_with_their_language():
    doc = translate(sample_document(), "fr", lambda s: s)
    doc = replace(doc, title=replace(doc.title, segments=(replace(
        doc.title.segments[0], content=(
            "Lire ", Inline("title", ("Memoirs",), (("lang", "en"),)), ": ",
            Inline("title", ("Carnets",), (("lang", "fr"),)), " ",
            Inline("foreign", ("so-called",), (("lang", "en"),)), " !")),)))
    tree, _ = essay_tree(doc, "fr")
    span = tree.xpath("//x:span[@id='s1']", namespaces=NS)[0]
    cites = span.xpath("x:cite", namespaces=NS)
    assert [(c.text, c.get("lang"), c.get(XML_LANG)) for c in cites] == [
        ("Memoirs", "en", "en"), ("Carnets", None, None)]       # French in a French book
    foreign = span.xpath("x:i[@class='foreign']", namespaces=NS)[0]
    assert (foreign.text, foreign.get("lang")) == ("so-called", "en")
    assert cites[0].tail == "\u202f: "             # French spacing outside the English title


def test_a_bytes_bounded_memo_drops_the_oldest_and_counts_a_replaced_entry_once():
    memo: BytesBounded[str, bytes] = BytesBounded(10, lambda key, value: len(value))
    memo.put("a", b"1234")
    memo.put("b", b"1234")
    memo.put("a", b"12")                     # replaced: counted once, at its new size
    assert (memo.size, len(memo)) == (6, 2)
    memo.put("c", b"12345")                  # 11 > 10: the oldest ("b") goes
    assert "b" not in memo and memo.get("a") == b"12" and memo["c"] == b"12345"
    assert memo.size == 7
    memo.put("d", b"x" * 11)                 # larger than the bound: not kept
    assert memo.get("d") is None and memo.size == 7 and len(memo) == 2


def test_an_entry_not_to_be_met_again_is_written_as_zipfile_writes_it_and_forgotten(
        monkeypatch):
    """``write_deflated(remember=False)``: zipfile's very bytes, nothing remembered."""
    from serge_publish.writers import epubzip
    monkeypatch.setattr(epubzip, "_DEFLATED", BytesBounded(1 << 30, lambda c, k: len(c)))
    entries = [("EPUB/a.xhtml", b"first" * 40), ("EPUB/b.opf", ("<é/>" * 900).encode())]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name, content in entries:
            info = zipfile.ZipInfo(name, date_time=(2016, 1, 18, 0, 0, 0))
            info.create_system = 3
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            epubzip.write_deflated(target, info, content, remember=False)
    assert out.getvalue() == _zipfile_bytes(entries)
    assert len(epubzip._DEFLATED) == 0


def test_an_epub_zip_written_at_once_is_zipfiles(monkeypatch):
    """``write_epub`` packs the headers itself: the bytes are those zipfile writes (with
    ``write_deflated``), for stored and deflated entries, a name out of ASCII (zipfile's
    UTF-8 flag), a date clamped to a zip's; a book past ZIP64's limits is left to zipfile."""
    from serge_publish.writers import epubzip
    monkeypatch.setattr(epubzip, "_DEFLATED", BytesBounded(1 << 30, lambda c, k: len(c)))
    entries = {"mimetype": b"application/epub+zip", "META-INF/container.xml": b"<c/>",
               "EPUB/cover.png": b"\x89PNG" + bytes(range(256)) * 20,
               "EPUB/ch\u00e9.xhtml": ("<p>Chapitre : \u00e9</p>" * 500).encode(),
               "EPUB/empty.xhtml": b"", "EPUB/style.css": b"body {}"}
    names = ["mimetype", *sorted(n for n in entries if n != "mimetype")]
    for date in (dt.datetime(2016, 1, 18, 12, 30, 59, tzinfo=dt.UTC),
                 dt.datetime(1970, 1, 1, tzinfo=dt.UTC)):
        stamp = epubzip.zip_stamp(date)
        expected = epubzip._write_zipfile(entries, names, stamp, frozenset())
        assert epubzip.write_epub(entries, date, frozenset({"style.css"})) == expected
        assert b"body {}" in epubzip._DEFLATED and entries["EPUB/ch\u00e9.xhtml"] \
            not in epubzip._DEFLATED
        with zipfile.ZipFile(io.BytesIO(expected)) as z:
            assert z.testzip() is None
            assert {n: z.read(n) for n in z.namelist()} == entries
    assert (epubzip._LOCAL.format, epubzip._CENTRAL.format, epubzip._END.format) == (
        zipfile.structFileHeader, zipfile.structCentralDir,    # type: ignore[attr-defined]
        zipfile.structEndArchive.decode())                     # type: ignore[attr-defined]
    assert (epubzip._LOCAL_SIGNATURE, epubzip._CENTRAL_SIGNATURE, epubzip._END_SIGNATURE) == (
        zipfile.stringFileHeader, zipfile.stringCentralDir,    # type: ignore[attr-defined]
        zipfile.stringEndArchive)                              # type: ignore[attr-defined]
    monkeypatch.setattr(zipfile, "ZIP64_LIMIT", 1000)      # the chapter is past it
    assert epubzip._write_direct(entries, names, epubzip.zip_stamp(date), frozenset()) \
        is None
