"""The raster cover's fonts (writers/fonts.py): a title DejaVu Serif has no glyphs for
(Japanese, Hebrew...) is drawn with an installed font that has them, never as a row of
empty boxes; when none has them the build says so, naming the EPUB and what to install;
and installing a font rebuilds the EPUBs whose covers it changes, and nothing else.

The fonts "installed" here are made by the tests (fontTools' FontBuilder: a glyph for
each character asked for) in a folder that stands for the system's font folders, so the
results do not depend on the machine's fonts; DejaVu Serif, which the Makefile installs
(fonts-dejavu-core), stays the first font, as on every machine the tool sets up."""
from __future__ import annotations

import io
import json
import re
import shutil
import string
from pathlib import Path

import polib
import pytest
from fontTools.fontBuilder import FontBuilder
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTCollection, TTFont
from PIL import Image

from build_helpers import run
from serge_publish.writers import fonts, raster
from serge_publish.writers.raster import cover_png

JAPANESE = "ヴィクトル・セルジュと過去の敗北"
HEBREW = "ויקטור סרז׳ והעבר המובס"


def make_font(path: Path, chars: str, name: str) -> Path:
    """A TrueType font named ``name`` with a glyph (a triangle) for each of ``chars``."""
    make_tt(chars, name).save(str(path))
    return path


def make_tt(chars: str, name: str) -> TTFont:
    codes = sorted({ord(c) for c in chars})
    glyphs = [".notdef"] + [f"u{c:05X}" for c in codes]
    builder = FontBuilder(1000, isTTF=True)
    builder.setupGlyphOrder(glyphs)
    builder.setupCharacterMap({c: f"u{c:05X}" for c in codes})
    drawn = {}
    for glyph in glyphs:
        pen = TTGlyphPen(None)
        if glyph != ".notdef":
            pen.moveTo((100, 0))
            pen.lineTo((500, 700))
            pen.lineTo((900, 0))
            pen.closePath()
        drawn[glyph] = pen.glyph()
    builder.setupGlyf(drawn)
    builder.setupHorizontalMetrics({g: (1000, 100) for g in glyphs})
    builder.setupHorizontalHeader(ascent=800, descent=-200)
    builder.setupNameTable({"familyName": name, "styleName": "Regular", "fullName": name,
                            "psName": name.replace(" ", "")})
    builder.setupOS2(sTypoAscender=800, sTypoDescender=-200, usWinAscent=800,
                     usWinDescent=200)
    builder.setupPost()
    return builder.font


def forget() -> None:
    """What the process remembers of the fonts and of the covers drawn with them."""
    for cached in (fonts.installed, fonts.face_for, fonts._faces, raster._strip,
                   raster._font, raster._length):
        cached.cache_clear()
    raster._MASKS.clear()
    raster._BOXES.clear()
    raster._DRAWN.clear()


@pytest.fixture
def font_dir(tmp_path, monkeypatch) -> Path:
    """An empty folder standing for the system's font folders."""
    folder = tmp_path / "fonts"
    folder.mkdir()
    monkeypatch.setattr(fonts, "FONT_DIRS", (folder,))
    forget()
    yield folder
    forget()


def test_latin_greek_and_cyrillic_are_drawn_with_dejavu_serif(font_dir):
    make_font(font_dir / "AnySerif-Regular.ttf", "Victor Serge Виктор Серж Βίκτωρ", "Any Serif")
    first = fonts.primary()
    assert first is not None and first[0].endswith("DejaVuSerif.ttf")
    for text in ("Victor Serge: défaite", "Виктор Серж", "Βίκτωρ Σερζ", "«Œuvres» — 1947"):
        assert fonts.face_for(text, "fr") == first
        assert fonts.missing(text, "fr") == ""


def test_a_title_dejavu_lacks_is_drawn_with_an_installed_font_that_has_it(font_dir):
    boxes = cover_png(JAPANESE, "Suzi\u00a0Weissman", "Small Press", "ja")
    assert fonts.missing(JAPANESE, "ja") == "".join(dict.fromkeys(JAPANESE))
    path = make_font(font_dir / "TestMincho-Regular.ttf", JAPANESE, "Test Mincho")
    forget()
    assert fonts.face_for(JAPANESE, "ja") == (str(path), 0)
    assert fonts.missing(JAPANESE, "ja") == ""
    drawn = cover_png(JAPANESE, "Suzi\u00a0Weissman", "Small Press", "ja")
    assert drawn != boxes
    # the cover drawn by strips is the cover drawn whole, with that font
    image, _ = raster._canvas(JAPANESE, "Suzi\u00a0Weissman", "Small Press", "ja")
    assert Image.open(io.BytesIO(drawn)).tobytes() == image.tobytes()
    # the name and the publisher's line are still DejaVu's: their rows are the same
    rows = (0, raster.BAND_BOTTOM)
    band = [Image.open(io.BytesIO(png)).crop((0, *rows[:1], raster.WIDTH, rows[1])).tobytes()
            for png in (boxes, drawn)]
    assert band[0] == band[1]


def test_the_first_regular_serif_font_that_has_every_character_is_chosen(font_dir):
    make_font(font_dir / "AaaSans-Regular.ttf", HEBREW, "Aaa Sans")           # a sans
    make_font(font_dir / "TestSerif-Bold.ttf", HEBREW, "Test Serif Bold")     # not regular
    make_font(font_dir / "PartSerif-Regular.ttf", HEBREW[:5], "Part Serif")   # not all
    (font_dir / "Broken-Regular.ttf").write_bytes(b"not a font at all")       # unreadable
    (font_dir / "sub").mkdir()
    good = make_font(font_dir / "sub" / "TestSerif-Regular.ttf", HEBREW, "Test Serif")
    forget()
    assert fonts.face_for(HEBREW, "he") == (str(good), 0)
    (good).unlink()
    forget()
    assert fonts.face_for(HEBREW, "he") == (str(font_dir / "AaaSans-Regular.ttf"), 0)


def test_a_collection_gives_the_face_made_for_the_books_language(font_dir):
    collection = TTCollection()
    collection.fonts = [make_tt(JAPANESE, f"Test Serif CJK {region}")
                        for region in ("JP", "KR", "SC", "TC")]
    path = font_dir / "TestSerifCJK-Regular.ttc"
    collection.save(str(path))
    forget()
    expected = {"ja": 0, "ja-JP": 0, "ko": 1, "zh": 2, "zh-Hans": 2, "zh-CN": 2,
                "zh-Hant": 3, "zh-TW": 3, "zh-Hant-TW": 3, "zh-HK": 0, "en": 0}
    for lang, index in expected.items():         # (no HK face here: the first face)
        assert fonts.face_for(JAPANESE, lang) == (str(path), index), lang


def test_what_to_install_for_characters_no_font_has(font_dir):
    assert fonts.missing("ヴィクトル・セルジュ", "ja") == "ヴィクトル・セジュ"
    assert fonts.package_for("、") == fonts.package_for("가") == "fonts-noto-cjk"
    assert fonts.package_for("ש") == "fonts-noto-core"


def test_the_fingerprint_changes_when_a_font_is_installed_or_changed(font_dir):
    empty = fonts.fingerprint()
    path = make_font(font_dir / "TestSerif-Regular.ttf", "ab", "Test Serif")
    fonts.installed.cache_clear()
    one = fonts.fingerprint()
    make_font(path, "abcdefghij", "Test Serif")          # upgraded: another size
    fonts.installed.cache_clear()
    assert len({empty, one, fonts.fingerprint()}) == 3


def _japanese_project(make_root) -> Path:
    """The two-essays root with Japanese as its one target language, translated (the
    pseudo-translation's text) but for each essay's title, which is in Japanese."""
    project = make_root("two-essays")
    config = project / "serge-publish.toml"
    config.write_text(config.read_text().replace('["fr", "es", "de"]', '["ja"]'))
    code, _, err = run("--project", str(project), "update")
    assert code == 0, err
    for essay in ("alpha", "beta"):
        pseudo = {e.msgctxt: e.msgstr for e in
                  polib.pofile(str(project / "locale/qps/LC_MESSAGES" / f"{essay}.po"))}
        path = project / "locale/ja/LC_MESSAGES" / f"{essay}.po"
        po = polib.pofile(str(path))
        for entry in po:
            entry.msgstr = JAPANESE if entry.msgctxt == "s1" else pseudo[entry.msgctxt]
            entry.flags = [f for f in entry.flags if f != "fuzzy"]
        po.save(str(path))
    shutil.rmtree(project / "locale/qps")
    return project


def test_the_build_names_the_epub_whose_cover_lacks_glyphs_and_a_font_rebuilds_the_epubs(
        make_root, font_dir):
    project = _japanese_project(make_root)
    code, out, err = run("--project", str(project), "build", "--jobs", "1")
    assert code == 0, err
    said = [line for line in (out + err).splitlines() if "[build.cover-glyphs]" in line]
    assert len(said) == 3, said                       # two essays and the anthology
    for essay in ("alpha", "beta"):
        line = next(s for s in said if s.startswith(f"build/ja/{essay}.epub: warning: "))
        assert "ヴ (U+30F4)" in line and "apt-get install fonts-noto-cjk" in line
    # the anthology's cover: its names are joined with the Japanese comma
    assert any(s.startswith("build/ja/anthology.epub: warning: ") and "、 (U+3001)" in s
               for s in said)
    report = json.loads((project / "build/build-report.json").read_text())
    assert "build.cover-glyphs" in json.dumps(report)
    pages = {p: p.read_bytes() for p in (project / "build/ja").glob("*.html")}
    assert pages
    # a CJK font has Latin letters too (the anthology's names, joined by "、")
    make_font(font_dir / "TestMincho-Regular.ttf", JAPANESE + "、" + string.ascii_letters,
              "Test Mincho")
    forget()
    code, out, err = run("--project", str(project), "build", "--jobs", "1")
    assert code == 0, err
    assert "[build.cover-glyphs]" not in out + err, (out + err)[-3000:]
    written = re.search(r"(\d+) files? written", out + err)
    # the EPUBs of every language (the fonts are part of every EPUB's key), no page
    assert written and int(written.group(1)) == 6, out + err
    assert {p: p.read_bytes() for p in pages} == pages


def _best_cmap(font: TTFont) -> set[int]:
    """The characters fontTools' own reading of a face's character map gives a glyph."""
    return {c for c, glyph in (font.getBestCmap() or {}).items() if glyph != ".notdef"}


def _expanded(coverage) -> set[int]:
    return {c for start, end in zip(*coverage, strict=True) for c in range(start, end + 1)}


def test_a_character_map_is_read_from_its_bytes_as_fonttools_reads_it(font_dir, monkeypatch):
    """The characters a face has (writers/fonts._coverage: runs read from the ``cmap``
    table's bytes, not fontTools' map of every character to a glyph name, hundreds of
    megabytes for a CJK collection) are those fontTools reads: segments mapped by a delta
    and through an array of glyph ids (format 4), characters beyond the BMP (format 12),
    the faces of a collection sharing one map, and the DejaVu fonts the Makefile installs."""
    shuffled = make_tt("abcdefgh", "Shuffled")          # format 4 through glyph id arrays
    order = shuffled.getGlyphOrder()
    mapping = dict(zip(map(ord, "abcdefgh"), reversed(order[1:]), strict=True))
    mapping[ord("z")] = order[2]                        # two characters, one glyph
    for table in shuffled["cmap"].tables:
        table.cmap = dict(mapping)
    shuffled.save(str(font_dir / "Shuffled-Regular.ttf"))
    make_font(font_dir / "Astral-Regular.ttf", "Ab𝔸𝔹𝕮🜁" + HEBREW, "Astral")  # format 12
    collection = TTCollection()
    collection.fonts = [make_tt(JAPANESE + "abc", f"Shared CJK {r}") for r in ("JP", "KR")]
    collection.save(str(font_dir / "SharedCJK-Regular.ttc"))
    dejavu = sorted(Path("/usr/share/fonts/truetype/dejavu").glob("DejaVu*.ttf"))
    assert dejavu                                 # fonts-dejavu-core, as the Makefile installs
    files = sorted(font_dir.glob("*.tt[fc]")) + dejavu
    expected = {}
    for path in files:
        faces = list(TTCollection(str(path))) if path.suffix == ".ttc" else [TTFont(str(path))]
        expected[path] = [_best_cmap(face) for face in faces]
    assert expected[font_dir / "Shuffled-Regular.ttf"] == [set(map(ord, "abcdefghz"))]
    assert 0x1D538 in expected[font_dir / "Astral-Regular.ttf"][0]
    # read without fontTools' character maps: its reader is never asked for one
    monkeypatch.setattr(TTFont, "getBestCmap", lambda self, *a, **k: pytest.fail("read"))
    forget()
    for path in files:
        faces = fonts._faces(str(path))
        assert [_expanded(has) for _, _, has in faces] == expected[path], path.name
    shared = fonts._faces(str(font_dir / "SharedCJK-Regular.ttc"))
    assert shared[0][2] is shared[1][2]           # one map, read once
    assert fonts.face_for("𝔸𝕮", "en") == (str(font_dir / "Astral-Regular.ttf"), 0)
    assert fonts.missing("ab\u0378", "en") == "\u0378"      # (unassigned: in no font)
