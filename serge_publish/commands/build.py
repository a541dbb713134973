"""serge-publish build: EPUB 3 and HTML editions of every essay in every language.

Three steps, as MkDocs and Sphinx do: read everything and decide (``build_plan``), render
every output in memory (``build_render``), then check every target and write them all, each
atomically, the report last (``build_write``). Only the last step touches ``build/``,
which the build never reads: its outputs are a function of source/, locale/,
serge-publish.toml, published.toml and the tool's version. Nothing there is ever deleted.
An edition published once is recorded in ``published.toml`` (after the outputs are
written) and stays published below the threshold until it is removed from that file.

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
from ..errors import BuildError, Report
from ..project import TOP_FILES, Project
from ..writers.furniture import furniture_for
from ..config import PUBLISHED_NAME, THRESHOLD_RANGE, is_threshold, render_published
from ..dates import source_date_epoch
from .build_plan import Plan, make_plan
from .build_render import Renderer
from .build_report import BuildProgress, report_json
from .build_write import write_outputs

FORMATS = ("epub", "html")
REPORT_NAME = TOP_FILES[2]


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
        renderer = Renderer(project, plan, formats, report, progress.tick,
                            anthology=not options.essays, css=stylesheet())
        files = renderer.render()
    new = plan.newly_published()
    _tell_published(project, plan, new, formats, report)
    result = BuildResult(plan, sorted(f"build/{rel}" for rel in files), threshold, report,
                         renderer.notes)
    data = report_json(result, formats, options.use_fuzzy, include).encode()
    write_outputs(project.build_dir, files, (REPORT_NAME, data))
    _record_published(project, plan.record, new)
    return result


def _tell_published(project: Project, plan: Plan, new: dict[str, tuple[str, ...]],
                    formats: tuple[str, ...], report: Report) -> None:
    """Say which editions published.toml records from now on, and, when this run does not
    rewrite every page, that the pages of the other languages link them after a full build."""
    others = [t for t in plan.site if t not in plan.langs]
    for lang, essays in new.items():
        stale = f"; the pages of {', '.join(others or plan.site)} link them after a full " \
                "build (serge-publish build)" if others or "html" not in formats else ""
        report.info("build.published-recorded",
                    f"{lang}: {', '.join(essays)} now published and recorded in "
                    f"{PUBLISHED_NAME} (a recorded edition stays published below the "
                    f"threshold until removed from it){stale}",
                    PUBLISHED_NAME)


def _record_published(project: Project, record: dict[str, tuple[str, ...]],
                      new: dict[str, tuple[str, ...]]) -> None:
    if not new:
        return
    merged = {**record, **{lang: tuple(sorted({*record.get(lang, ()), *essays}))
                           for lang, essays in new.items()}}
    try:
        atomic.write_text(project.published_path, render_published(merged))
    except OSError as exc:
        raise BuildError(f"cannot write {PUBLISHED_NAME}: {exc.strerror or exc}",
                         where=str(project.published_path),
                         hint="the editions were written; make the file writable and build "
                              "again to record them") from exc


def _settings(project: Project, options: BuildOptions) -> tuple[float, tuple[str, ...], bool]:
    threshold = project.config.threshold if options.threshold is None else options.threshold
    if not is_threshold(threshold):
        raise BuildError(f"threshold {threshold:g} is not a percentage",
                         hint="pass --threshold with a number from "
                              f"{THRESHOLD_RANGE[0]} to {THRESHOLD_RANGE[1]}")
    formats = tuple(f for f in FORMATS if f in (options.formats or FORMATS))
    unknown = set(options.formats) - set(FORMATS)
    if unknown:
        raise BuildError(f"unknown format {sorted(unknown)[0]!r}",
                         hint=f"formats: {', '.join(FORMATS)}")
    include = project.config.include_comments if options.include_comments is None \
        else options.include_comments
    source_date_epoch()              # a bad SOURCE_DATE_EPOCH stops the build before reading
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
