"""What a production editor checks before an edition goes out (issue 9), on the purpose-made
root ``tests/roots/editions``: credits are names from the configuration and the way a
translation was made is a translated statement; the project's texts are translated through
``locale/<lang>/LC_MESSAGES/_project.po``; empty notes and captions without their picture
print editorial lines; a raster cover; hidden landmarks; the book's own stylesheet; the OPF
metadata; the anthology's order, contents, half-title, introduction and colophon."""
from __future__ import annotations

import io
import json
import struct
import zipfile
import zlib
from pathlib import Path

import pytest
from lxml import etree
from PIL import Image

from build_helpers import NS, build, edit_catalogue, run
from serge_publish.catalog import read_catalog, write_catalog
from serge_publish.config import config_from_dict
from serge_publish.names import looks_like_name
from serge_publish.writers import cover, raster
from serge_publish.writers.raster import cover_png

# slow: builds every edition of its test root for each test
pytestmark = pytest.mark.slow

OPF = {"opf": "http://www.idpf.org/2007/opf", "dc": "http://purl.org/dc/elements/1.1/"}
SENTENCE = ("Draft translation by the serge-publish team (machine-assisted; needs review by "
            "a human translator)")
FR_PROJECT = {"name": "Essais de test", "description": "Deux courts essais pour les tests.",
              "blurb": "Le mot de l’éditeur.", "rights": "CC BY-NC 4.0",
              "rights alpha": "© l’auteur.", "rights beta": "Tous droits réservés.",
              "description beta": "Un essai sur le passé vaincu.", "subject Testing": "Tests",
              "introduction": "Ces essais ont été choisis pour les tests.\n\nUn second "
                              "paragraphe."}


def translated_root(make_root, fr_project: dict[str, str] | None = FR_PROJECT,
                    folder: str = "p") -> Path:
    """The root with every French segment "translated" (copied) and, unless None, the
    project's texts translated; the catalogue headers name a sentence, not a person."""
    project = make_root("editions", folder=folder)
    for essay in ("alpha", "beta"):
        path = edit_catalogue(project, "fr", essay, lambda i, e: e.msgid)
        po = read_catalog(path)
        po.metadata["Last-Translator"] = SENTENCE
        write_catalog(path, po)
    if fr_project is not None:
        path = project / "locale" / "fr" / "LC_MESSAGES" / "_project.po"
        po = read_catalog(path)
        for entry in po:
            entry.msgstr = fr_project.get(entry.msgctxt, "")
        write_catalog(path, po)
    return project


def zfile(book: Path, name: str) -> bytes:
    with zipfile.ZipFile(book) as z:
        return z.read(f"EPUB/{name}")


def xml(book: Path, name: str) -> etree._Element:
    return etree.fromstring(zfile(book, name))


def text_of(root: etree._Element) -> str:
    return " ".join("".join(root.itertext()).split())


@pytest.fixture
def built(make_root) -> Path:
    project = translated_root(make_root)
    build(project)
    return project


# ---------------------------------------------------------------- credits

def test_credits_are_names_and_the_status_is_a_translated_statement(built):
    book = built / "build" / "fr" / "alpha.epub"
    opf = xml(book, "content.opf")
    assert opf.xpath("//dc:contributor/text()", namespaces=OPF) == ["Jeanne Dupont"]
    colophon = text_of(xml(book, "colophon.xhtml"))
    assert "Jeanne Dupont" in colophon and "Paul Martin" in colophon        # translator, reviser
    assert "Traduction provisoire, non révisée." in colophon
    assert "Draft translation" not in colophon and "serge-publish team" not in colophon
    assert "Draft" not in text_of(xml(book, "titlepage.xhtml"))
    page = (built / "build" / "fr" / "alpha.html").read_text("utf-8")
    assert "Draft translation" not in page and "Traduction provisoire" in page


def test_a_header_that_is_not_a_name_is_reported_unless_a_status_explains_it(make_root):
    project = translated_root(make_root)
    path = edit_catalogue(project, "de", "beta", lambda i, e: e.msgid)
    po = read_catalog(path)
    po.metadata["Last-Translator"] = SENTENCE
    write_catalog(path, po)
    build(project, "--lang", "de", "--lang", "fr")
    report = json.loads((project / "build" / "build-report.json").read_text("utf-8"))
    told = [d for d in report["diagnostics"] if "not printed as a credit" in d]
    assert len(told) == 1 and "locale/de/LC_MESSAGES/beta.po" in told[0]   # fr has a status
    assert "Draft" not in zfile(project / "build" / "de" / "beta.epub", "colophon.xhtml").decode()


def test_a_machine_assisted_draft_says_so_in_its_language(make_root):
    project = translated_root(make_root)
    edit_catalogue(project, "es", "beta", lambda i, e: e.msgid)
    build(project, "--lang", "es")
    colophon = text_of(xml(project / "build" / "es" / "beta.epub", "colophon.xhtml"))
    assert "Traducción provisional, asistida por ordenador, sin revisar por un traductor." \
        in colophon
    assert not xml(project / "build" / "es" / "beta.epub", "content.opf").xpath(
        "//dc:contributor", namespaces=OPF)


@pytest.mark.parametrize("name, expected", [
    ("Jeanne Dupont", True), ("Dupont, Jean", True), ("Ana de la Cruz", True),
    ("Jean-Luc d'Ormesson", True), ("山田太郎", True), ("Équipe Serge", True),
    (SENTENCE, False), ("Jeanne Dupont (revision; 2024)", False), ("draft", False),
    ("machine translation by DeepL", False)])
def test_what_looks_like_a_name(name, expected):
    assert looks_like_name(name) is expected


@pytest.mark.parametrize("table, line, says", [
    ('[credits.fr]\ntranslators = ["Draft translation by the team"]', 7,
     "'Draft translation by the team' does not look like a person's name"),
    ('[credits.fr]\nstatus = "finished"', 7, "status must be one of draft, machine-assisted"),
    ('[credits.fr]\neditor = "Paul"', 7, "unknown key 'editor' in [credits.fr]"),
    ('[essays.alpha]\nurl = "example.org"', 7, "url must start with http"),
    ('[essays.alpha]\npermission_date = "May 2024"', 7, "permission_date must be a date"),
    ('[anthology]\norder = "alpha"', 7, "[anthology] order must be a list of strings"),
])
def test_bad_credits_and_facts_are_located_errors(tmp_path, table, line, says):
    root = tmp_path / "p"
    (root / "source").mkdir(parents=True)
    (root / "serge-publish.toml").write_text(          # the table's key is on line 7
        '[project]\nname = "P"\nsource_language = "en"\ntarget_languages = ["fr"]\n\n'
        f'{table}\n', encoding="utf-8")
    code, out, err = run("--project", str(root), "status")
    assert code == 5 and not out and "Traceback" not in err
    assert f"serge-publish.toml:{line}:" in err and says in err, err


def test_the_old_translators_table_is_still_read():
    config = config_from_dict({"translators": {"fr": "Jeanne Dupont"},
                               "credits": {"fr": {"status": "reviewed",
                                                  "revisers": ["Paul Martin"]}}})
    assert config.translators_of("fr") == ("Jeanne Dupont",)
    assert config.revisers == {"fr": ("Paul Martin",)} and config.status == {"fr": "reviewed"}


# ---------------------------------------------------------------- project texts

def test_project_catalogue_is_extracted_updated_and_counted(make_root):
    project = make_root("editions")
    pot = (project / "locale" / "_project.pot").read_text("utf-8")
    for key in ('msgctxt "name"', 'msgctxt "description"', 'msgctxt "blurb"',
                'msgctxt "introduction"', 'msgctxt "rights alpha"', 'msgctxt "description beta"'):
        assert key in pot
    for lang in ("fr", "es", "de"):
        assert (project / "locale" / lang / "LC_MESSAGES" / "_project.po").is_file()
    code, out, err = run("--project", str(project), "status", "--json", "--lang", "fr")
    assert code == 0, err
    rows = {e["essay"]: e for e in json.loads(out)["languages"][0]["essays"]}
    assert rows["_project"]["total"]["segments"] == 11 and rows["_project"]["exists"]


def test_project_texts_are_printed_translated(built):
    book = built / "build" / "fr" / "anthology.epub"
    opf = xml(book, "content.opf")
    title = opf.xpath("//dc:title", namespaces=OPF)[0]
    assert title.text == "Essais de test" and title.get(
        "{http://www.w3.org/XML/1998/namespace}lang") is None
    assert opf.xpath("//dc:description/text()", namespaces=OPF) == \
        ["Deux courts essais pour les tests."]
    assert "Essais de test" in text_of(xml(book, "titlepage.xhtml"))
    assert "Essais de test" in text_of(xml(book, "halftitle.xhtml"))
    assert b"Essais de test" in zfile(book, "cover.svg")
    intro = text_of(xml(book, "introduction.xhtml"))
    assert "Ces essais ont été choisis pour les tests." in intro and "Un second" in intro
    rights = opf.xpath("//dc:rights", namespaces=OPF)[0]
    assert "© l’auteur." in rights.text and rights.get(
        "{http://www.w3.org/XML/1998/namespace}lang") is None
    index = (built / "build" / "fr" / "index.html").read_text("utf-8")
    assert "<h1>Essais de test</h1>" in index
    assert '<p class="description">Deux courts essais pour les tests.</p>' in index
    essay = xml(built / "build" / "fr" / "beta.epub", "content.opf")
    assert essay.xpath("//dc:description/text()", namespaces=OPF) == \
        ["Un essai sur le passé vaincu."]


def test_untranslated_project_texts_fall_back_marked_as_the_source(make_root):
    project = translated_root(make_root, fr_project=None)
    build(project, "--lang", "fr")
    opf = xml(project / "build" / "fr" / "anthology.epub", "content.opf")
    title = opf.xpath("//dc:title", namespaces=OPF)[0]
    assert title.text == "Test essays"
    assert title.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
    description = opf.xpath("//dc:description", namespaces=OPF)[0]
    assert description.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
    index = (project / "build" / "fr" / "index.html").read_text("utf-8")
    assert '<p class="description" lang="en">Two short essays for the tests.</p>' in index
    assert opf.xpath("//opf:meta[@property='belongs-to-collection']/@xml:lang",
                     namespaces=OPF) == []       # the anthology itself belongs to none
    essay = xml(project / "build" / "fr" / "alpha.epub", "content.opf")
    collection = essay.xpath("//opf:meta[@property='belongs-to-collection']", namespaces=OPF)[0]
    assert collection.text == "Test essays" and collection.get(
        "{http://www.w3.org/XML/1998/namespace}lang") == "en"


def test_project_cannot_be_an_essay(make_root, tmp_path):
    project = make_root("editions")
    essay = tmp_path / "essay.txt"
    essay.write_text("A title\n\nSome text here.\n", encoding="utf-8")
    code, _, err = run("--project", str(project), "import", str(essay), "--id", "_project")
    assert code == 2 and "cannot be an essay id" in err
    (project / "source" / "_project.xml").write_text("<not-an-essay/>", encoding="utf-8")
    code, out, err = run("--project", str(project), "extract")
    assert code == 0, err
    assert "_project.pot" in out and not (project / "locale" / "_project.po").exists()


# ---------------------------------------------------------------- notes and figures

def test_an_empty_note_prints_an_editorial_line(built):
    page = xml(built / "build" / "fr" / "alpha.epub", "alpha.xhtml")
    note = page.xpath("//x:li[@id='n3']", namespaces=NS)[0]
    line = note.xpath("x:p[@class='editorial-line']", namespaces=NS)[0]
    assert line.text.startswith("[Texte de la note absent de l’original.]")
    english = xml(built / "build" / "en" / "alpha.epub", "alpha.xhtml")
    assert "[The text of this note is missing from the original.]" in text_of(
        english.xpath("//x:li[@id='n3']", namespaces=NS)[0])


def test_the_import_report_says_what_the_edition_prints_for_an_empty_note(tmp_path):
    root = tmp_path / "p"
    (root / "source").mkdir(parents=True)
    (root / "serge-publish.toml").write_text('[project]\nname = "P"\n', encoding="utf-8")
    essay = tmp_path / "essay.txt"
    essay.write_text("A title\n\nA sentence with a note.[1] Another one.[2]\n\nNotes\n\n"
                     "[1] The first note.\n", encoding="utf-8")
    code, out, err = run("--project", str(root), "import", str(essay))
    assert code == 0, err
    assert "note 2 is referenced but its text is missing" in out + err
    assert "editorial line in the book's language" in out + err


def test_a_caption_without_its_picture_is_a_bracketed_editorial_note(built):
    page = xml(built / "build" / "fr" / "alpha.epub", "alpha.xhtml")
    assert not page.xpath("//x:figure | //x:figcaption", namespaces=NS)
    line = page.xpath("//x:p[@class='editorial-line'][x:span[@id='s6']]", namespaces=NS)[0]
    shown = text_of(line)
    assert shown.startswith("[Photographie non reproduite") and shown.endswith("friends]")


# ---------------------------------------------------------------- cover

def test_a_raster_cover_is_declared_and_reproducible(built, make_root):
    book = built / "build" / "fr" / "anthology.epub"
    opf = xml(book, "content.opf")
    item = opf.xpath("//opf:item[@properties='cover-image']", namespaces=OPF)[0]
    assert item.get("media-type") == "image/png" and item.get("id") == "cover-image"
    assert opf.xpath("//opf:meta[@name='cover']/@content", namespaces=OPF) == ["cover-image"]
    image = Image.open(io.BytesIO(zfile(book, item.get("href"))))
    assert image.size == (1600, 2560) and image.format == "PNG"
    cover_page = xml(book, "cover.xhtml")                 # the cover page keeps the SVG
    assert cover_page.xpath("//x:img/@src", namespaces=NS) == ["cover.svg"]
    again = translated_root(make_root, folder="again")
    build(again, "--lang", "fr")
    assert (again / "build" / "fr" / "anthology.epub").read_bytes() == book.read_bytes()


def test_cover_lines_are_balanced_and_never_break_a_name():
    lines = cover.balanced_wrap("Victor Serge: on the borders of victory and defeat", 30,
                                cover._width)
    assert len(lines) == 2 and abs(len(lines[0]) - len(lines[1])) < 10    # no lone word
    names = " and ".join(cover.keep_together(n) for n in ("Doug Enaa Greene", "Suzi Weissman"))
    for line in cover.balanced_wrap(names, 18, cover._width):
        assert line.replace("\u00a0", " ") in {"Doug Enaa Greene", "and Suzi Weissman",
                                               "Doug Enaa Greene and", "Suzi Weissman"}
    assert cover.balanced_wrap("Victor Serge : deux essais", 14, cover._width) == \
        ["Victor Serge :", "deux essais"]                  # never a line starting with ":"
    french = " et ".join(cover.keep_together(n) for n in ("Suzi Weissman", "Doug Enaa Greene"))
    assert cover.balanced_wrap(french, 30, cover._width) == \
        ["Suzi\u00a0Weissman", "et Doug\u00a0Enaa\u00a0Greene"]   # "et" starts the line
    assert cover.balanced_wrap(french, 18, cover._width) == \
        ["Suzi\u00a0Weissman et", "Doug\u00a0Enaa\u00a0Greene"]  # never a name cut to fit
    assert cover_png("T", "A") == cover_png("T", "A")


def test_the_raster_cover_has_the_designs_colours_and_smooth_text():
    image = Image.open(io.BytesIO(cover_png("Victor Serge", "Doug Enaa Greene", "Pinpoint")))
    assert image.mode == "P"                       # a palette: the design has three colours
    rgb = image.convert("RGB")
    colour = {name: tuple(int(value[i:i + 2], 16) for i in (1, 3, 5)) for name, value in
              (("band", raster.BAND), ("page", raster.BACKGROUND), ("ink", raster.INK),
               ("paper", raster.PAPER))}
    assert rgb.getpixel((5, 5)) == colour["band"] and rgb.getpixel((5, 2500)) == colour["page"]
    assert rgb.getpixel((raster.WIDTH // 2, 2125)) == colour["band"]          # the rule
    band = {c for _, c in rgb.crop((0, 250, raster.WIDTH, 450)).getcolors(1 << 16)}
    page = {c for _, c in rgb.crop((0, 950, raster.WIDTH, 1300)).getcolors(1 << 16)}
    assert colour["paper"] in band and colour["ink"] in page       # the author, the title
    assert len(band) == len(page) == raster.SHADES              # anti-aliased edges
    assert colour["ink"] not in band and colour["band"] not in page   # each on its ground


@pytest.mark.parametrize("title, author, footer", [
    ("Victor Serge", "Doug Enaa Greene", "Pinpoint"),
    ("Виктор Серж: писатель и революция", "Сьюзан Вайсман", ""),
    ("Ägypten, gÿp, jÅ — “quoted”", "Q", "Éé"),
    ("x" * 700, "y " * 300, "z" * 100),           # shrunk to the smallest size, cut
])
def test_the_raster_cover_encodes_exactly_what_was_drawn(title, author, footer):
    """Only the drawn rows are compressed; the others are reused runs of the plain
    colours: the PNG decodes to the same pixels, its stream checks out (Adler-32, CRCs),
    and no undrawn row holds anything but its plain colour."""
    png = cover_png(title, author, footer)
    canvas, drawn = raster._canvas(title, author, footer)
    image = Image.open(io.BytesIO(png))
    image.load()
    assert (image.mode, image.size) == ("P", (raster.WIDTH, raster.HEIGHT))
    assert image.tobytes() == canvas.tobytes()
    assert image.getpalette()[:45] == canvas.getpalette()[:45]
    idat, at = b"", 8
    while at < len(png):
        length, kind = struct.unpack(">I4s", png[at:at + 8])
        data = png[at + 8:at + 8 + length]
        assert struct.unpack(">I", png[at + 8 + length:at + 12 + length])[0] == \
            zlib.crc32(kind + data)
        idat += data if kind == b"IDAT" else b""
        at += 12 + length
    rows = zlib.decompress(idat)                  # checks the stream's Adler-32 too
    assert len(rows) == raster.HEIGHT * (raster.ROW_BYTES + 1)
    inked = {y for r in drawn for y in r}
    for y in range(raster.HEIGHT):
        if y not in inked:
            plain = raster._plain(y)
            assert canvas.crop((0, y, raster.WIDTH, y + 1)).getcolors() == \
                [(raster.WIDTH, plain)], y


def test_adler32_combine_is_zlibs():
    for first, second in ((b"abc", b"defg"), (b"x" * 100_000, b"y" * 70_000), (b"", b"q"),
                          (bytes(range(256)) * 300, b"\xff" * 65_521)):
        assert raster._adler32_combine(zlib.adler32(first), zlib.adler32(second),
                                       len(second)) == zlib.adler32(first + second)


# ---------------------------------------------------------------- navigation and style

def test_landmarks_are_hidden_and_the_ncx_depth_is_right(built):
    book = built / "build" / "fr" / "alpha.epub"
    nav = xml(book, "nav.xhtml")
    landmarks = nav.xpath("//x:nav[@epub:type='landmarks']", namespaces={
        **NS, "epub": "http://www.idpf.org/2007/ops"})[0]
    assert landmarks.get("hidden") == "hidden"
    ncx = xml(book, "toc.ncx")
    depth = ncx.xpath("//ncx:meta[@name='dtb:depth']/@content", namespaces=NS)
    assert depth == ["2"]                              # the essay, then its sections


def test_the_book_stylesheet_is_not_the_sites(built):
    book_css = zfile(built / "build" / "fr" / "alpha.epub", "style.css").decode()
    site_css = (built / "build" / "style.css").read_text("utf-8")
    assert book_css != site_css
    for site_only in ("header.site", "language-switcher", "background:", "color:"):
        assert site_only not in book_css
    assert "header.site" in site_css
    assert "text-indent: 1.5em" in book_css and "nav[hidden]" in book_css
    justify = book_css.index("text-align: justify")
    assert "hyphens: auto" in book_css[book_css.rindex("{", 0, justify):justify]
    assert "@media (min-width" in book_css[:justify]         # left on narrow screens


# ---------------------------------------------------------------- metadata and rights

def test_opf_metadata_of_an_essay(built):
    opf = xml(built / "build" / "fr" / "alpha.epub", "content.opf")
    get = lambda path: opf.xpath(path, namespaces=OPF)  # noqa: E731
    assert get("//opf:meta[@refines='#author-1'][@property='file-as']/text()") == \
        ["Greene, Doug Enaa"]
    assert get("//dc:subject/text()") == ["Biography", "Victor Serge", "Tests"]   # translated
    assert get("//dc:source/text()") == ["https://example.org/alpha"]
    assert get("//opf:meta[@refines='#source-1'][@property='dcterms:issued']/text()") == \
        ["2016-01-18"]
    assert get("//opf:meta[@name='generator']/@content")[0].startswith("serge-publish ")
    assert get("//opf:meta[@property='belongs-to-collection']/text()") == ["Essais de test"]
    assert get("//opf:meta[@property='group-position']/text()") == ["1"]
    description = get("//dc:description/text()")[0]         # its first sentence
    assert description.startswith("Serge said")


def test_rights_permission_and_the_original_link(built):
    colophon = text_of(xml(built / "build" / "fr" / "alpha.epub", "colophon.xhtml"))
    assert "© l’auteur." in colophon
    assert "Autorisation de traduire et de publier Doug Enaa Greene, 1 mai 2024" in colophon
    page = etree.HTML((built / "build" / "fr" / "alpha.html").read_bytes())
    assert page.xpath("//p[@class='original']/a/@href") == ["https://example.org/alpha"]
    beta = etree.HTML((built / "build" / "fr" / "beta.html").read_bytes())
    assert beta.xpath("//p[@class='original']/a/@href") == ["../en/beta.html"]


# ---------------------------------------------------------------- the anthology

def test_the_anthology_order_contents_and_colophon(built):
    book = built / "build" / "fr" / "anthology.epub"
    opf = xml(book, "content.opf")
    spine = opf.xpath("//opf:itemref/@idref", namespaces=OPF)
    hrefs = {i.get("id"): i.get("href") for i in opf.xpath("//opf:item", namespaces=OPF)}
    assert [hrefs[i] for i in spine] == ["cover.xhtml", "halftitle.xhtml", "titlepage.xhtml",
                                         "nav.xhtml", "introduction.xhtml", "alpha.xhtml",
                                         "beta.xhtml", "colophon.xhtml"]    # configured order
    toc = xml(book, "nav.xhtml").xpath("//x:nav[@epub:type='toc']/x:ol/x:li/x:a/text()",
                                       namespaces={**NS, "epub": "http://www.idpf.org/2007/ops"})
    assert any(t.endswith("— Doug Enaa Greene") for t in toc)
    assert any(t.endswith("— Suzi Weissman") for t in toc)
    colophon = xml(book, "colophon.xhtml")
    identifier = opf.xpath("//dc:identifier/text()", namespaces=OPF)[0]
    first = colophon.xpath("//x:dl", namespaces=NS)[0]           # the anthology's own block
    assert identifier in text_of(first) and "Cette édition" in text_of(first)
    assert len(colophon.xpath("//x:dl", namespaces=NS)) == 3      # then one per essay


def test_the_anthology_is_ordered_by_date_by_default(make_root):
    project = translated_root(make_root)
    config = project / "serge-publish.toml"
    config.write_text(config.read_text("utf-8").replace('order = ["alpha", "beta"]\n', ""),
                      encoding="utf-8")
    build(project, "--lang", "fr")
    opf = xml(project / "build" / "fr" / "anthology.epub", "content.opf")
    chapters = [h for h in opf.xpath("//opf:item/@href", namespaces=OPF)
                if h in ("alpha.xhtml", "beta.xhtml")]
    assert chapters == ["beta.xhtml", "alpha.xhtml"]              # 2010 before 2016


def test_configuration_naming_no_essay_is_reported(make_root):
    project = translated_root(make_root)
    config = project / "serge-publish.toml"
    config.write_text(config.read_text("utf-8").replace('order = ["alpha", "beta"]',
                                                        'order = ["alpha", "gamma"]'),
                      encoding="utf-8")
    build(project, "--lang", "fr")
    report = json.loads((project / "build" / "build-report.json").read_text("utf-8"))
    assert any("names the essay 'gamma'" in d for d in report["diagnostics"])
