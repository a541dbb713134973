"""`serge-publish release`: the bundle in build/dist/ (checksums, manifest, reproducibility),
its OPDS feeds and its site, on the two-essays test root with every language published
(threshold 0, untranslated passages shown in English). The shipped project's release,
the Nu checker and the browser: test_release_shipped.py."""
from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import lxml.html
import pytest
from lxml import etree

from build_helpers import files_of, run
from serge_publish.commands.catalog import status_command
from serge_publish.project import find_project

# slow: builds and releases its test roots, several times
pytestmark = pytest.mark.slow

LANGS = ("en", "fr", "es", "de")
ATOM = "{http://www.w3.org/2005/Atom}"
EPOCH = "1700000000"


def configure(project: Path, base_url: str = "", translators: str = 'fr = "Ann Lee"') -> Path:
    config = project / "serge-publish.toml"
    text = config.read_text("utf-8").replace("threshold = 80", "threshold = 0")
    text = text.replace('base_url = ""', f'base_url = "{base_url}"')
    text = text.replace("[translators]\n", f"[translators]\n{translators}\n")
    config.write_text(text, "utf-8")
    return project


def release(project: Path, *args: str) -> tuple[Path, str, str]:
    code, out, err = run("--project", str(project), "release", *args)
    assert code == 0, err
    return project / "build" / "dist", out, err


@pytest.fixture(scope="module")
def released(prepared_root, tmp_path_factory) -> Path:
    """One release of the root, every language published, shared by this module's tests
    (read only)."""
    project = tmp_path_factory.mktemp("released") / "p"
    shutil.copytree(prepared_root("two-essays"), project)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        dist, _, _ = release(configure(project), "--version", "1.0")
    return dist


def pages_of(dist: Path) -> list[Path]:
    return sorted(dist.rglob("*.html"))


# ---------------------------------------------------------------- the bundle

def test_sha256sum_accepts_the_bundle_and_it_lists_every_file(released):
    done = subprocess.run(["sha256sum", "-c", "--strict", "SHA256SUMS"], cwd=released,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    listed = {line.split("  ", 1)[1] for line in (released / "SHA256SUMS").read_text().splitlines()}
    assert listed == set(files_of(released)) - {"SHA256SUMS"}
    assert {f"{lang}/{name}.epub" for lang in LANGS
            for name in ("alpha", "beta", "anthology")} <= listed


def test_the_manifest_describes_each_file(released):
    manifest = json.loads((released / "release.json").read_text("utf-8"))
    assert manifest["version"] == "1.0" and manifest["languages"] == list(LANGS)
    assert manifest["date"] == "2023-11-14"             # SOURCE_DATE_EPOCH 1700000000
    rows = {row["file"]: row for row in manifest["files"]}
    assert set(rows) == set(files_of(released)) - {"SHA256SUMS", "release.json"}
    for path, row in rows.items():
        data = (released / path).read_bytes()
        assert row["size"] == len(data) and row["sha256"] == hashlib.sha256(data).hexdigest()
    alpha_fr = rows["fr/alpha.epub"]
    assert (alpha_fr["language"], alpha_fr["essay"], alpha_fr["format"]) == ("fr", "alpha", "epub")
    assert alpha_fr["completeness"] < 100              # nothing is translated in the root
    assert rows["en/alpha.epub"]["completeness"] == 100
    assert rows["de/anthology.epub"]["essay"] == "anthology"
    assert rows["index.html"]["language"] is None and rows["opds/fr.xml"]["format"] == "opds1"


def test_two_releases_are_identical(make_root, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    first = configure(make_root("two-essays", folder="a"))
    second = configure(make_root("two-essays", folder="b"))
    dist_a, _, _ = release(first)
    before = files_of(dist_a)
    dist_a, _, _ = release(first)                       # again, over the first bundle
    dist_b, _, _ = release(second)
    assert files_of(dist_a) == before == files_of(dist_b)
    assert not list((first / "build").glob(".dist-*"))   # nothing left beside it


def test_the_release_writes_nothing_but_build_dist(make_root, monkeypatch):
    project = configure(make_root("two-essays"))
    before = {p for p in project.rglob("*") if "build" not in p.parts}
    release(project)
    after = {p for p in project.rglob("*") if "build" not in p.parts}
    assert after == before
    assert [p.name for p in (project / "build").iterdir()] == ["dist"]


# ---------------------------------------------------------------- OPDS

def resolves(dist: Path, document: str, href: str) -> bool:
    target = urlsplit(urljoin(f"http://bundle/{document}", href))
    assert target.netloc == "bundle", f"{href} in {document} leaves the bundle"
    return (dist / unquote(target.path.lstrip("/"))).is_file()


def test_opds1_feeds_have_the_required_elements_and_every_edition(released):
    epubs = {str(p.relative_to(released)) for p in released.rglob("*.epub")}
    acquired = set()
    for feed_path in sorted((released / "opds").glob("*.xml")):
        rel = str(feed_path.relative_to(released))
        feed = etree.parse(str(feed_path)).getroot()
        assert feed.tag == f"{ATOM}feed"
        for name in ("id", "title", "updated"):
            assert feed.find(f"{ATOM}{name}").text, (rel, name)
        assert feed.find(f"{ATOM}author/{ATOM}name").text
        rels = {link.get("rel"): link for link in feed.findall(f"{ATOM}link")}
        assert "profile=opds-catalog" in rels["self"].get("type") and "start" in rels
        for link in feed.iter(f"{ATOM}link"):
            assert resolves(released, rel, link.get("href")), (rel, link.get("href"))
        for entry in feed.findall(f"{ATOM}entry"):
            assert entry.find(f"{ATOM}id").text and entry.find(f"{ATOM}title").text
            assert feed.find(f"{ATOM}updated").text >= entry.find(f"{ATOM}updated").text
        if feed_path.stem in LANGS:
            facets = [link for link in feed.findall(f"{ATOM}link")
                      if link.get("rel") == "http://opds-spec.org/facet"]
            assert [f.get("hreflang") for f in facets] == list(LANGS)
            for entry in feed.findall(f"{ATOM}entry"):
                _check_acquisition_entry(entry, feed_path.stem)
                links = {link.get("rel"): link.get("href") for link in entry.findall(f"{ATOM}link")}
                acquired.add(urljoin(f"/{rel}", links["http://opds-spec.org/acquisition/open-access"])[1:])
    assert acquired == epubs


def _check_acquisition_entry(entry: etree._Element, lang: str) -> None:
    assert entry.find(f"{ATOM}author/{ATOM}name").text
    assert entry.find("{http://purl.org/dc/terms/}language").text == lang
    assert entry.find(f"{ATOM}summary").text
    links = {link.get("rel"): link for link in entry.findall(f"{ATOM}link")}
    assert links["http://opds-spec.org/acquisition/open-access"].get("type") == \
        "application/epub+zip"
    assert links["http://opds-spec.org/image"].get("type") == "image/svg+xml"


def test_opds2_feeds_have_the_required_fields_and_every_edition(released):
    """The OPDS 2.0 JSON schema is not available offline: its required fields by hand
    (feed: metadata.title, links with self, publications or navigation; publication:
    metadata.title, links with an acquisition link, images)."""
    epubs = {str(p.relative_to(released)) for p in released.rglob("*.epub")}
    catalog = json.loads((released / "opds" / "catalog.json").read_text("utf-8"))
    acquired = set()
    for path in sorted((released / "opds").glob("*.json")):
        rel = str(path.relative_to(released))
        feed = json.loads(path.read_text("utf-8"))
        assert feed["metadata"]["title"]
        assert any(link["rel"] == "self" and link["type"] == "application/opds+json"
                   for link in feed["links"])
        links = [*feed["links"], *feed.get("navigation", []),
                 *(link for facet in feed["facets"] for link in facet["links"])]
        for publication in feed["publications"]:
            meta = publication["metadata"]
            assert meta["title"] and meta["author"][0]["name"] and meta["language"]
            assert meta["description"] and meta["identifier"].startswith("urn:uuid:")
            acquisition = [link for link in publication["links"]
                           if link["rel"] == "http://opds-spec.org/acquisition/open-access"]
            assert acquisition[0]["type"] == "application/epub+zip"
            assert publication["images"][0]["type"] == "image/svg+xml"
            links += [*publication["links"], *publication["images"]]
            if path.name != "catalog.json":
                assert meta["language"] == path.stem
            acquired.add(urljoin(f"/{rel}", acquisition[0]["href"])[1:])
        for link in links:
            assert resolves(released, rel, link["href"]), (rel, link["href"])
    assert acquired == epubs
    assert len(catalog["publications"]) == len(epubs)
    assert [n["href"] for n in catalog["navigation"]] == [f"{t}.json" for t in LANGS]


# ---------------------------------------------------------------- the site

def test_every_page_has_lang_a_switcher_a_skip_link_and_only_internal_links(released):
    pages = pages_of(released)
    assert len(pages) == 2 + len(LANGS) * 3        # home, translations; index + 2 essays
    for page in pages:
        rel = str(page.relative_to(released))
        tree = lxml.html.parse(str(page)).getroot()
        assert tree.get("lang") in LANGS, rel
        switcher = tree.find(".//nav[@class='language-switcher']")
        assert switcher is not None, rel
        assert {a.get("hreflang") for a in switcher.iter("a")} == set(LANGS), rel
        assert tree.find(".//body")[0].get("href") == "#main"
        assert tree.find(".//main").get("id") == "main"
        for el in tree.iter("a", "link", "script", "img"):
            href = el.get("href") or el.get("src")
            if href is None:
                continue
            if re.match(r"[a-z]+:", href):       # a link of the essay's own text only
                assert el.tag == "a" and any(a.tag == "section" for a in el.iterancestors()), \
                    (rel, href)
                continue
            path, _, fragment = href.partition("#")
            target = urljoin(f"/{rel}", path)[1:] if path else rel
            assert (released / target).is_file(), (rel, href)
            if fragment:
                assert lxml.html.parse(str(released / target)).getroot().get_element_by_id(
                    fragment) is not None, (rel, href)


def test_essay_pages_state_their_downloads(released):
    tree = lxml.html.parse(str(released / "fr" / "alpha.html")).getroot()
    box = tree.find(".//aside[@class='downloads']")
    links = [a for a in box.iter("a")]
    assert [a.get("href") for a in links] == ["alpha.epub", "anthology.epub"]
    for a in links:
        size = (released / "fr" / a.get("href")).stat().st_size
        assert a.get("type") == "application/epub+zip"
        assert f"EPUB 3, {round(size / 1024)} ko" in a.text_content()
    assert "Télécharger" in box.text_content()


def test_the_home_page_says_what_the_collection_is(released):
    tree = lxml.html.parse(str(released / "index.html")).getroot()
    main = tree.find(".//main")
    assert main.find("h1").text == "Test essays"
    description = tree.find(".//meta[@name='description']").get("content")
    assert description == main.find("p").text_content()
    assert "2 essays" in description and "French" in description
    assert main.find(".//time") is not None
    assert [a.get("href") for a in main.findall(".//ul[@class='languages']//a")] == \
        [f"{t}/index.html" for t in LANGS]


def test_the_translations_page_shows_the_counts_of_status(released):
    project = find_project(released.parent.parent)
    tree = lxml.html.parse(str(released / "translations.html")).getroot()
    for lang_status in status_command(project, ("fr", "es", "de")):
        section = tree.get_element_by_id(f"p-{lang_status.lang}").getparent()
        rows = section.findall(".//tbody/tr")
        assert [r.find("th").text for r in rows] == [e.essay for e in lang_status.essays]
        for row, essay in zip(rows, lang_status.essays, strict=True):
            c = essay.counts
            bar = row.find(".//progress")
            assert (int(bar.get("value")), int(bar.get("max"))) == \
                (c.translated_words, c.total_words)
            assert bar.get("aria-label")
            cells = [td.find("span[@class='count']").text for td in row.findall("td")[1:]]
            labels = [td.find("span[@class='label']").text for td in row.findall("td")[1:]]
            assert labels == ["translated", "to review", "untranslated"]
            assert cells == [f"{c.translated} segments / {c.translated_words} words",
                             f"{c.fuzzy} segments / {c.fuzzy_words} words",
                             f"{c.untranslated} segments / {c.untranslated_words} words"]


def test_without_base_url_the_release_says_what_it_leaves_out(make_root):
    dist, _, err = release(configure(make_root("two-essays")))
    assert "base_url is not set" in err and "sitemap.xml" in err
    assert not (dist / "sitemap.xml").exists()
    assert 'rel="canonical"' not in (dist / "fr" / "alpha.html").read_text("utf-8")


def test_with_base_url_pages_carry_canonical_alternates_and_metadata(make_root, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    base = "https://example.org/essays/"
    dist, _, err = release(configure(make_root("two-essays"), base))
    assert "base_url" not in err
    tree = lxml.html.parse(str(dist / "fr" / "alpha.html")).getroot()
    head = tree.find("head")
    assert head.find("link[@rel='canonical']").get("href") == base + "fr/alpha.html"
    alternates = {link.get("hreflang"): link.get("href")
                  for link in head.findall("link[@rel='alternate']")}
    assert alternates == {**{t: f"{base}{t}/alpha.html" for t in LANGS},
                          "x-default": base + "en/alpha.html"}
    og = {m.get("property"): m.get("content") for m in head.findall("meta[@property]")}
    assert og["og:url"] == base + "fr/alpha.html" and og["og:locale"] == "fr"
    assert og["og:type"] == "article" and og["og:title"] == tree.find(".//title").text
    data = json.loads(head.find("script[@type='application/ld+json']").text)
    assert data["@type"] == "Article" and data["inLanguage"] == "fr"
    assert data["translator"] == [{"@type": "Person", "name": "Ann Lee"}]
    assert data["author"][0]["name"] and data["datePublished"]
    assert head.find("link[@rel='icon']").get("href") == "../favicon.svg"
    book = json.loads(lxml.html.parse(str(dist / "de" / "index.html")).getroot()
                      .find(".//script[@type='application/ld+json']").text)
    assert book["@type"] == "Book" and book["inLanguage"] == "de"
    _check_sitemap(dist, base)


def _check_sitemap(dist: Path, base: str) -> None:
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    sitemap = etree.parse(str(dist / "sitemap.xml"))
    locs = [loc.text for loc in sitemap.getroot().iterfind(".//s:loc", ns)]
    assert sorted(locs) == sorted(base + ("" if p == "index.html" else p)
                                  for p in (str(p.relative_to(dist)) for p in pages_of(dist)))
    url = next(u for u in sitemap.getroot().iterfind(".//s:url", ns)
               if u.find("s:loc", ns).text == base + "es/beta.html")
    assert {link.get("hreflang") for link in url.iterfind("x:link", ns)} == {*LANGS, "x-default"}


def test_a_bad_source_date_epoch_stops_the_release(make_root, monkeypatch):
    # the project made first (extract and update refuse the value too): alone, or first
    # of its worker, this test met the refusal in its fixture, not in the release
    project = configure(make_root("two-essays"))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    code, _, err = run("--project", str(project), "release")
    assert code != 0 and "SOURCE_DATE_EPOCH" in err and "Traceback" not in err
    assert not (project / "build" / "dist").exists()


def test_a_release_with_the_source_language_only(make_root):
    """Nothing translated and the default threshold: one language, no switcher, the feeds
    and the bundle still whole."""
    dist, _, _ = release(make_root("two-essays"))
    manifest = json.loads((dist / "release.json").read_text("utf-8"))
    assert manifest["languages"] == ["en"]
    assert sorted(p.relative_to(dist).as_posix() for p in dist.rglob("*.epub")) == \
        ["en/alpha.epub", "en/anthology.epub", "en/beta.epub"]
    home = lxml.html.parse(str(dist / "index.html")).getroot()
    assert home.find(".//nav[@class='language-switcher']") is None
    assert home.find(".//main/p").text_content().endswith(", in English.")
    feed = json.loads((dist / "opds" / "catalog.json").read_text("utf-8"))
    assert len(feed["publications"]) == 3
    assert subprocess.run(["sha256sum", "-c", "--quiet", "SHA256SUMS"], cwd=dist).returncode == 0


def test_a_file_in_the_way_of_build_dist_stops_the_release(make_root):
    project = configure(make_root("two-essays"))
    (project / "build").mkdir()
    (project / "build" / "dist").write_text("not a folder", "utf-8")
    code, _, err = run("--project", str(project), "release")
    assert code == 6 and "it is a file" in err and "hint: move it away" in err
    assert (project / "build" / "dist").read_text("utf-8") == "not a folder"


def test_release_strict_fails_on_a_warning_with_the_bundle_written(make_root):
    """`release --strict`, for CI, as `build --strict`: exit 0 on a release without
    warnings (an info, such as no base_url, is none); exit 4 on a catalogue the release
    never reads (a Poedit "Save As" under another name), said once, the bundle written."""
    project = configure(make_root("two-essays"))
    code, _, err = run("--project", str(project), "release", "--strict")
    assert code == 0 and "warning" not in err, err
    folder = project / "locale" / "fr" / "LC_MESSAGES"
    shutil.copy(folder / "alpha.po", folder / "alpha-copy.po")
    shutil.rmtree(project / "build" / "dist")
    code, out, err = run("--project", str(project), "release", "--strict")
    where = "locale/fr/LC_MESSAGES/alpha-copy.po"
    said = [line for line in err.splitlines() if line.startswith(f"{where}: warning: ")]
    assert code == 4 and len(said) == 1 and "[locale.stray-catalogue]" in said[0], err
    assert "error: --strict: 1 warning" in err and "run release without --strict " \
        "(the bundle was written)" in err
    assert (project / "build" / "dist" / "SHA256SUMS").is_file()
    assert run("--project", str(project), "release")[0] == 0       # without: a warning
