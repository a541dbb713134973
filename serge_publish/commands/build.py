"""serge-publish build: EPUB 3 and HTML editions of every essay in every language.

Three steps, as MkDocs and Sphinx do: read everything and decide (``build_plan``), render
every output in memory, then write them all, each atomically. Only the last step touches
``build/``, and nothing there is ever deleted: an edition whose language falls below the
threshold keeps its previous build.

Layout (BCP 47 folder names)::

    build/index.html                 the languages
    build/style.css                  the stylesheet of the HTML pages
    build/<lang>/index.html          the essays of one language
    build/<lang>/<essay>.html        one essay
    build/<lang>/<essay>.epub        one essay
    build/<lang>/anthology.epub      every published essay of the language
    build/build-report.json          what was built, what fell back and why
"""
from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources

from .. import atomic, languages
from ..errors import BuildError, Diagnostic, Report
from ..project import Project
from ..writers import epub, html
from ..writers.edition import Anthology
from ..writers.furniture import furniture_for
from .build_plan import Plan, make_plan
from .build_report import BuildProgress, report_json

FORMATS = ("epub", "html")
REPORT_NAME = "build-report.json"


@dataclass(frozen=True)
class BuildOptions:
    langs: tuple[str, ...] = ()          # default: source + configured targets
    formats: tuple[str, ...] = FORMATS
    essays: tuple[str, ...] = ()         # default: all
    threshold: float | None = None       # default: the configuration's
    use_fuzzy: bool = False
    include_comments: bool | None = None  # default: the configuration's


@dataclass
class BuildResult:
    plan: Plan
    outputs: list[str]                   # project-relative paths written, sorted
    threshold: float
    report: Report = field(default_factory=Report)
    notes: dict[str, str] = field(default_factory=dict)   # lang -> anthology note


def build_command(project: Project, options: BuildOptions = BuildOptions(),
                  progress: BuildProgress | None = None) -> BuildResult:
    """Read, check, render, then write every edition; returns what was done."""
    threshold, formats, include = _settings(project, options)
    report = Report()
    progress = progress or BuildProgress(enabled=False)
    with progress:
        plan = make_plan(project, options.langs, options.essays, threshold, options.use_fuzzy,
                         include, report, progress.tick)
        _check_furniture(plan, report)
        renderer = _Renderer(project, plan, formats, report, progress.tick,
                             anthology=not options.essays)
        files = renderer.render()
    result = BuildResult(plan, sorted(f"build/{rel}" for rel in files), threshold, report,
                         renderer.notes)
    files[REPORT_NAME] = report_json(result, formats, options.use_fuzzy, include).encode()
    _write_all(project, files)
    return result


def _write_all(project: Project, files: dict[str, bytes]) -> None:
    """The only step that touches build/: every file atomically, in a stable order."""
    for rel in sorted(files):
        try:
            atomic.write_bytes(project.build_dir / rel, files[rel])
        except OSError as exc:
            raise BuildError(f"cannot write {rel}: {exc.strerror or exc}",
                             where=str(project.build_dir / rel),
                             hint="check that the build folder is writable") from exc


def _settings(project: Project, options: BuildOptions) -> tuple[float, tuple[str, ...], bool]:
    threshold = project.config.threshold if options.threshold is None else options.threshold
    if not 0 <= threshold <= 100:
        raise BuildError(f"threshold {threshold:g} is not a percentage",
                         hint="pass --threshold with a number from 0 to 100")
    formats = tuple(f for f in FORMATS if f in (options.formats or FORMATS))
    unknown = set(options.formats) - set(FORMATS)
    if unknown:
        raise BuildError(f"unknown format {sorted(unknown)[0]!r}",
                         hint=f"formats: {', '.join(FORMATS)}")
    include = project.config.include_comments if options.include_comments is None \
        else options.include_comments
    return threshold, formats, include


def _check_furniture(plan: Plan, report: Report) -> None:
    for lang in plan.langs:
        if furniture_for(lang).fallback:
            report.warn("build.furniture-missing",
                        f"no furniture table for {lang}: contents, notes and the other book "
                        "furniture are in English",
                        f"serge_publish/data/furniture/{languages.primary(lang)}.json")


def stylesheet() -> bytes:
    return resources.files("serge_publish").joinpath("data/style.css").read_bytes()


class _Renderer:
    """Every output of the build as bytes, keyed by its path under build/."""

    def __init__(self, project: Project, plan: Plan, formats: tuple[str, ...],
                 report: Report, tick, anthology: bool) -> None:
        self.project, self.plan, self.formats = project, plan, formats
        self.report, self.tick, self.with_anthology = report, tick, anthology
        self.css = stylesheet()
        self.files: dict[str, bytes] = {}
        self.notes: dict[str, str] = {}
        self.seen: set[Diagnostic] = set()
        self.planned = self._planned_paths()

    def render(self) -> dict[str, bytes]:
        for lang in self.plan.langs:
            if "epub" in self.formats:
                self._epubs(lang)
            if "html" in self.formats:
                self._html_pages(lang)
        if "html" in self.formats:
            self._site_pages()
        return self.files

    # ---------------------------------------------------------------- planning
    def _planned_paths(self) -> set[str]:
        paths: set[str] = set()
        for lang in self.plan.langs:
            published = self.plan.published(lang)
            for item in published:
                if item.essay in self.plan.selected:
                    paths.update(f"{lang}/{item.essay}.{fmt}" for fmt in self.formats)
            if published and "epub" in self.formats and self.with_anthology:
                paths.add(f"{lang}/anthology.epub")
            if published and "html" in self.formats:
                paths.add(f"{lang}/index.html")
        return paths

    def exists(self, rel: str) -> bool:
        """Built now, or by an earlier build (which is never deleted)."""
        return rel in self.planned or (self.project.build_dir / rel).is_file()

    def site_languages(self, file_name: str = "index.html") -> tuple[str, ...]:
        """Languages that have ``<lang>/<file_name>``, built now or before: the source and
        configured ones, then those of this run (a pseudo-translation built once is not
        linked from later builds). Source first, then the configuration's order."""
        order = [self.plan.source_lang, *self.project.config.target_languages]
        found = set(order) | set(self.plan.langs)
        ranked = sorted(found, key=lambda t: (order.index(t) if t in order else len(order), t))
        return tuple(t for t in ranked if self.exists(f"{t}/{file_name}"))

    # ---------------------------------------------------------------- outputs
    def _add(self, rel: str, data: bytes, diagnostics=()) -> None:
        self.tick(f"build/{rel}")
        self.files[rel] = data
        for diagnostic in diagnostics:
            if diagnostic not in self.seen:
                self.seen.add(diagnostic)
                self.report.diagnostics.append(diagnostic)

    def _epubs(self, lang: str) -> None:
        published = self.plan.published(lang)
        for item in published:
            if item.essay in self.plan.selected:
                self._add(f"{lang}/{item.essay}.epub", *epub.essay_epub(item.edition, self.css))
        if not self.with_anthology:
            self.notes[lang] = "not rebuilt (--essay)"
        elif published:
            editions = tuple(p.edition for p in published)
            book = Anthology(editions, lang, self.plan.source_lang, editions[0].publisher,
                             max(e.date for e in editions))
            self._add(f"{lang}/anthology.epub", *epub.anthology_epub(book, self.css))
        else:
            self.notes[lang] = "no essay published"

    def _html_pages(self, lang: str) -> None:
        for item in self.plan.published(lang):
            if item.essay not in self.plan.selected:
                continue
            site = html.Site(self.project.config.name, self.plan.source_lang,
                             self.site_languages(f"{item.essay}.html"),
                             has_epub=self.exists(f"{lang}/{item.essay}.epub"))
            self._add(f"{lang}/{item.essay}.html", *html.essay_html(item.edition, site))
        if f"{lang}/index.html" in self.planned:
            self._add(f"{lang}/index.html", html.index_html(lang, self._links(lang), html.Site(
                self.project.config.name, self.plan.source_lang, self.site_languages(),
                has_anthology=self.exists(f"{lang}/anthology.epub"))))

    def _links(self, lang: str) -> tuple[html.EssayLink, ...]:
        links = []
        for essay in self.plan.essays:
            item = self.plan.editions[(lang, essay)]
            if item.edition is None or not self.exists(f"{lang}/{essay}.html"):
                continue
            title, title_lang = html.essay_title(item.edition)
            links.append(html.EssayLink(essay, title, title_lang,
                                        item.edition.document.metadata.author,
                                        self.exists(f"{lang}/{essay}.epub")))
        return tuple(links)

    def _site_pages(self) -> None:
        langs = self.site_languages()
        if langs:
            self._add("index.html", html.languages_html(self.project.config.name,
                                                        self.plan.source_lang, langs))
        self._add("style.css", self.css)

