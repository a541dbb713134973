"""serge-publish build: EPUB 3 and HTML editions of every essay in every language.

Three steps, as MkDocs and Sphinx do: read everything and decide (``build_plan``), render
every output in memory (``build_render``), then check every target and write them all, each
atomically, the report last (``build_write``). Only the last step touches ``build/``, and
nothing there is ever deleted: an edition whose language falls below the threshold keeps
its previous build, and so does an anthology that holds it.

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

from .. import languages
from ..errors import BuildError, Report
from ..project import TOP_FILES, Project
from ..writers.furniture import furniture_for
from ..config import THRESHOLD_RANGE, is_threshold
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
        _warn_one_sided(renderer.one_sided(), report)
    result = BuildResult(plan, sorted(f"build/{rel}" for rel in files), threshold, report,
                         renderer.notes)
    data = report_json(result, formats, options.use_fuzzy, include).encode()
    write_outputs(project.build_dir, files, (REPORT_NAME, data))
    return result


def _warn_one_sided(lacking: dict[str, tuple[str, ...]], report: Report) -> None:
    """Pages left by earlier builds do not link the languages this run added."""
    if lacking:
        missing = sorted({tag for tags in lacking.values() for tag in tags})
        report.warn("build.links-one-sided",
                    f"pages of {', '.join(sorted(lacking))} do not link "
                    f"{', '.join(missing)} yet: run a full build (serge-publish build) to "
                    "link every language from every page", "build/")


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
