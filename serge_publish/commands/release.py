"""serge-publish release: a checksummed, reproducible bundle in ``build/dist/``.

It holds every published edition (an EPUB per essay and an anthology per language), the
static site (:mod:`writers.site`), the OPDS catalogues (:mod:`writers.opds`), the covers,
``release.json`` (each file with its language, essay, format, size, checksum and the share
of its words translated) and ``SHA256SUMS`` (``sha256sum -c SHA256SUMS`` checks it).

Like the build, the release is a function of the sources, the catalogues, the
configuration and the tool's version (dates from ``SOURCE_DATE_EPOCH`` or the sources,
never the clock): two releases of the same inputs are identical, byte for byte. It reads
nothing under ``build/`` and writes only ``build/dist/``, replaced as a whole: the new
bundle is written beside it, then renamed into place.
"""
from __future__ import annotations

import hashlib
import json
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from .. import atomic, package_file
from ..dates import source_date_epoch
from ..errors import BuildError, InputError, Report
from ..project import Project
from ..writers import opds
from ..writers.edition import identifier
from ..writers.site import render_site
from ..writers.site_meta import FAVICON, SITE_CSS, favicon_svg, sitemap_xml
from ..writers.site_model import SiteInfo
from .build import stylesheet
from .build_plan import make_plan
from .build_render import Renderer
from .catalog import status_command
from .release_site import SiteCollector

DIST, MANIFEST, SUMS = "dist", "release.json", "SHA256SUMS"
LEFT_OUT = ("base_url is not set ([project] base_url in serge-publish.toml): the site works "
            "from file:// but leaves out rel=canonical, absolute hreflang alternates, og:url, "
            "the URLs in its JSON-LD and sitemap.xml")
FORMATS = {".epub": "epub", ".html": "html", ".svg": "svg", ".css": "css", ".json": "json",
           ".xml": "xml"}


@dataclass
class ReleaseResult:
    dist: Path
    version: str
    files: list[str]                     # paths under dist/, sorted
    report: Report = field(default_factory=Report)
    notes: list[str] = field(default_factory=list)


# A version is a plain token: it is printed on the site and written in release.json, and
# people put it in file and tag names (a slash, a space or a newline has no place there).
VERSION = re.compile(r"[A-Za-z0-9][A-Za-z0-9._+-]*")
VERSION_MAX = 64
VERSION_RULE = (f"letters, digits, '.', '-', '+' and '_', starting with a letter or a digit, "
                f"at most {VERSION_MAX} characters")


def check_version(version: str) -> None:
    """InputError unless ``version`` is empty (the date is used) or a plain token."""
    if not version or (VERSION.fullmatch(version) and len(version) <= VERSION_MAX):
        return
    shown = repr(version) if len(version) <= 40 else repr(version[:40]) + "..."
    why = f"is {len(version)} characters long" if VERSION.fullmatch(version) else \
        "is not a plain version"
    raise InputError(f"--version {shown} {why}: a version has {VERSION_RULE}",
                     hint="e.g. --version 1.0 or --version 2024.05-rc1; leave --version out "
                          "to use the date of the latest edition")


def release_command(project: Project, version: str = "") -> ReleaseResult:
    """Render everything in memory, then replace build/dist/ by the new bundle."""
    check_version(version)               # before anything is read
    source_date_epoch()                  # a bad SOURCE_DATE_EPOCH stops before reading
    config = project.config
    report = Report()
    # catalogues never read (see build): in the report, for release --strict
    report.diagnostics.extend(project.unread_locale())
    plan = make_plan(project, (), (), config.threshold, False, config.include_comments,
                     report)
    epubs = Renderer(project, plan, ("epub",), report, lambda _: None, anthology=True,
                     css=stylesheet()).render()
    collector = SiteCollector(project, plan, epubs)
    info = collector.site_info(version, status_command(project, config.target_languages))
    pages, metas = render_site(info, collector.trees)
    files = {**epubs, **pages, **collector.covers, **_static(info),
             **opds.feeds(info, lambda name: identifier(config.name, f"opds/{name}", "feed"))}
    notes = []
    if config.base_url:
        files["sitemap.xml"] = sitemap_xml(metas, config.base_url)
    else:
        notes.append(LEFT_OUT)
        report.info("release.no-base-url", LEFT_OUT, "serge-publish.toml")
    files[MANIFEST] = manifest_json(info, plan, files)
    files[SUMS] = sha256sums(files)
    dist = project.build_dir / DIST
    write_bundle(dist, files)
    return ReleaseResult(dist, info.version, sorted(files), report, notes)


def _static(info: SiteInfo) -> dict[str, bytes]:
    site_css = package_file("data/release.css").read_bytes()
    return {"style.css": stylesheet(), SITE_CSS: site_css, FAVICON: favicon_svg(info.name)}


# ---------------------------------------------------------------- manifest and sums

def manifest_json(info: SiteInfo, plan, files: dict[str, bytes]) -> bytes:
    """Every file of the bundle (but this one and SHA256SUMS), described."""
    rows = [_describe(path, data, info, plan) for path, data in sorted(files.items())]
    data = {"name": info.name, "version": info.version, "date": info.updated,
            "base_url": info.base_url, "languages": [e.lang for e in info.languages],
            "files": rows}
    return (json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode()


def _describe(path: str, data: bytes, info: SiteInfo, plan) -> dict:
    parts = PurePosixPath(path).parts
    suffix = PurePosixPath(path).suffix
    lang = essay = completeness = None
    if parts[0] in {e.lang for e in info.languages} and len(parts) == 2:
        lang, stem = parts[0], PurePosixPath(path).stem
        essay = None if stem == "index" else stem
        completeness = _completeness(info, lang, essay)
    elif parts[0] in ("covers",):
        lang, essay = parts[1], PurePosixPath(path).stem
    fmt = FORMATS.get(suffix, suffix.lstrip("."))
    if parts[0] == "opds":
        fmt = "opds1" if suffix == ".xml" else "opds2"
        lang = None if parts[1].startswith("catalog.") else PurePosixPath(path).stem
    return {"file": path, "language": lang, "essay": essay, "format": fmt, "size": len(data),
            "sha256": hashlib.sha256(data).hexdigest(), "completeness": completeness}


def _completeness(info: SiteInfo, lang: str, essay: str | None) -> float | None:
    entry = info.language(lang)
    target = essay or "anthology"
    for edition in (*entry.essays, *([entry.anthology] if entry.anthology else [])):
        if edition.essay == target:
            return round(edition.percent, 1)
    return None


def sha256sums(files: dict[str, bytes]) -> bytes:
    """``sha256sum`` format: the digest, two spaces, the path; sorted by path."""
    return "".join(f"{hashlib.sha256(data).hexdigest()}  {path}\n"
                   for path, data in sorted(files.items())).encode()


# ---------------------------------------------------------------- writing

def write_bundle(dist: Path, files: dict[str, bytes]) -> None:
    """Write the bundle beside ``dist``, then put it in its place (the old one removed)."""
    new, old = dist.with_name(f".{dist.name}-new"), dist.with_name(f".{dist.name}-old")
    try:
        for leftover in (new, old):
            if leftover.exists():
                shutil.rmtree(leftover)
        for rel, data in sorted(files.items()):
            atomic.write_bytes(new / rel, data)
        if dist.is_dir():
            dist.rename(old)
        elif dist.exists():
            raise BuildError(f"cannot write {dist}: it is a file", where=str(dist),
                             hint="move it away, then run serge-publish release again")
        new.rename(dist)
        shutil.rmtree(old, ignore_errors=True)
    except OSError as exc:
        raise BuildError(f"cannot write the release: {exc.strerror or exc}",
                         where=str(exc.filename or dist),
                         hint="check that build/ is writable; the previous build/dist/ is "
                              "kept (or in build/.dist-old)") from exc
