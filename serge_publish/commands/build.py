"""serge-publish build: EPUB 3 and HTML editions of every essay in every language.

Three steps, as MkDocs and Sphinx do: read everything and decide (``build_plan``), render
the outputs that are not up to date (``build_render``), and write each, atomically, as soon
as it is rendered (``build_write``: every target is checked before the first is written,
the state and the report say the build is incomplete until the report is written, last).
Only ``build_write`` writes ``build/``, and what is written never depends on what is
there: the outputs are a function of source/, locale/, serge-publish.toml, published.toml
and the tool's version (the one read, ``build_state.read_state``, only skips work).
Nothing there is ever deleted but the temporary files of a killed build (``build_write``).
What a build has done is noted as it goes (``build_state.BuildLog``, under .serge-cache/),
so that one that does not finish is taken up where it stopped.
An edition published once is recorded in ``published.toml`` (after the outputs are
written) and stays published below the threshold until it is removed from that file.

Incremental and parallel: ``build/.serge-build-state.json`` (``build_state``) records a
hash of the inputs of every decision and output; only what changed is read, planned and
rendered again (``--force``: everything), and the bytes are those of a clean build. The
independent jobs (plan one essay, render one essay in one language, one anthology) run
on every core (``--jobs``), with the same bytes whatever their number.

Layout (BCP 47 folder names)::

    build/index.html                 the languages
    build/style.css                  the stylesheet of the HTML pages
    build/<lang>/index.html          the essays of one language
    build/<lang>/<essay>.html        one essay
    build/<lang>/<essay>.epub        one essay
    build/<lang>/anthology.epub      every published essay of the language
    build/build-report.json          what was built, what fell back and why
    build/.serge-build-state.json    what the next build needs to know (see build_state)
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field

from .. import atomic, languages, package_file
from ..collector import fewer_collections
from ..config import CONFIG_NAME, PUBLISHED_NAME, THRESHOLD_RANGE, is_threshold, render_published
from ..dates import EPOCH_VARIABLE, source_date_epoch
from ..errors import (
    BuildError,
    CatalogError,
    Diagnostic,
    ProjectError,
    PublishError,
    Report,
    SourceError,
)
from ..project import TOP_FILES, Project
from ..writers.furniture import furniture_for, table_to_add
from .build_jobs import Jobs
from .build_plan import Plan, Planner, PlanOptions, forget_made_editions
from .build_render import Renderer, forget_pages, prerender_request
from .build_report import BuildProgress, render_report, report_data
from .build_state import (
    BUILD_LOG,
    CHAPTERS_DIR,
    EDITIONS_DIR,
    FILES_CACHE,
    BuildLog,
    ChapterStore,
    EditionCache,
    FileDigests,
    digest,
    read_state,
    tool_digest,
)
from .build_write import OutputWriter, remove_leftovers
from .catalog_cache import recorded_files

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
    force: bool = False                  # render every output, whatever the state says
    jobs: int | None = None              # worker processes (default: every core)


@dataclass
class BuildResult:
    plan: Plan
    outputs: list[str]                   # project-relative paths of this run, sorted
    threshold: float
    report: Report = field(default_factory=Report)
    notes: dict[str, str] = field(default_factory=dict)   # lang -> anthology note
    written: list[str] = field(default_factory=list)      # those rendered and written
    _index: tuple[int, dict[str, list[str]], frozenset[str]] | None = field(
        default=None, repr=False, compare=False)

    def _indexed(self) -> tuple[dict[str, list[str]], frozenset[str]]:
        """The outputs by the path without its extension, and as a set (the summary and
        the report ask once per edition: a scan each time was quadratic)."""
        if self._index is None or self._index[0] != len(self.outputs):
            stems: dict[str, list[str]] = {}
            for path in self.outputs:
                stems.setdefault(path.rsplit(".", 1)[0], []).append(path)
            self._index = (len(self.outputs), stems, frozenset(self.outputs))
        return self._index[1], self._index[2]

    def outputs_by_stem(self) -> dict[str, list[str]]:
        """The outputs by their path without its extension (build/LANG/ESSAY)."""
        return self._indexed()[0]

    def outputs_of(self, lang: str, essay: str) -> list[str]:
        """The outputs of one essay in one language (build/LANG/ESSAY.*), in order."""
        return list(self._indexed()[0].get(f"build/{lang}/{essay}", ()))

    def has(self, path: str) -> bool:
        return path in self._indexed()[1]


def build_command(project: Project, options: BuildOptions = BuildOptions(),
                  progress: BuildProgress | None = None) -> BuildResult:
    """Read, check, render, then write every edition; returns what was done."""
    with fewer_collections():      # the whole build: the state read and the report too
        return _build(project, options, progress)


def _build(project: Project, options: BuildOptions, progress: BuildProgress | None
           ) -> BuildResult:
    threshold, formats, include = _settings(project, options)
    _check_languages(project, options.langs)
    report = Report()
    # catalogues never read (a Poedit "Save As", a folder named pt-BR): in the report, so
    # that build-report.json lists them and --strict fails on them
    report.diagnostics.extend(project.unread_locale())
    progress = progress or BuildProgress(enabled=False)
    tool_key = _tool_key(project, include)
    remove_leftovers(project.build_dir)          # of a killed build: never to be published
    state = read_state(project.build_dir)
    log = BuildLog(project.root.joinpath(*BUILD_LOG))   # what builds did, as they did it
    log.apply(state)                    # (one that did not finish: taken up where it stopped)
    if options.force:
        state.pairs, state.essays = {}, {}
    digests = FileDigests(project.root.joinpath(*FILES_CACHE),   # those update recorded too
                          recorded_files(project.root), project.root)
    state.digests = digests                      # the outputs' too, as git's index does
    chapters = ChapterStore(project.root.joinpath(*CHAPTERS_DIR))
    writer = OutputWriter(project.build_dir, REPORT_NAME, state, log)
    with Jobs(options.jobs, preload=lambda: _preload(project.config.site_languages)) \
            as jobs, progress:
        planner = Planner(
            project, PlanOptions(threshold, options.use_fuzzy, include), state, jobs,
            tool_key, progress.tick, digests, prerender=lambda plan: prerender_request(
                project, plan, formats, tool_key, chapters, options.force),
            # none of an earlier build: this one's
            forget=chapters if options.force and "epub" in formats else None, note=log.note)
        try:
            plan = planner.make_plan(options.langs, options.essays, report)
            state.forget_if_changed()
            _check_furniture(plan, report)
            renderer = Renderer(project, plan, formats, report, progress.tick,
                                anthology=not options.essays, css=stylesheet(),
                                book_css=stylesheet("book"), tool_key=tool_key,
                                keys=planner.keys, chapters=chapters)
            renderer.render(state, planner, jobs, force=options.force, writer=writer)
            jobs.close(wait=False)      # (joined once the report is written: see below)
        finally:   # what the plan jobs of this process kept for the render, given up even
            # when planning failed (``serve`` builds again in this process)
            forget_made_editions()
            forget_pages()
    try:      # the workers end meanwhile
        new = plan.newly_published()
        _tell_published(project, plan, new, formats, report)
        result = BuildResult(plan, sorted(f"build/{o.rel}" for o in renderer.outputs),
                             threshold, report, renderer.notes,
                             [f"build/{rel}" for rel in state.written])
        data = report_data(result, formats, options.use_fuzzy, include)
        text = render_report(data)        # (its key: its bytes', quicker than its data's)
        writer.finish(text, digest(tool_key, "report", text))
        _record_published(project, plan.record, new)
        planner.save_digests()
        # the packed editions an earlier version kept between builds (none is kept now: see
        # build_plan.plan_and_keep)
        EditionCache(project.root.joinpath(*EDITIONS_DIR)).prune(set())
        if state.written:           # chapters are recorded (and made stale) only by rendering
            chapters.prune(planner.keys.values())
        return result
    finally:
        jobs.wait()


def _preload(langs: tuple[str, ...]) -> None:
    """What every job imports, and babel's data of the languages the pages name (each
    page's language switcher), loaded once before the worker processes are forked (they
    inherit them), not once in each; only when there are jobs to run on several."""
    from .. import catalog, sourcexml  # noqa: F401
    from ..catalog.words import count_words
    from ..writers import epub, fonts, html  # noqa: F401
    from . import catalog as catalog_command  # noqa: F401
    # what planning a translation reads and applies a catalogue with (imported lazily,
    # so each worker would import it: some 40 ms of CPU a process), and the word pattern
    # counts are made with (compiled on first use: 20 ms)
    catalog.apply_catalog, catalog.read_translations, catalog.count_catalog  # noqa: B018
    catalog.message_to_content  # noqa: B018
    count_words("")
    from babel import lists  # noqa: F401   (the credits' names: languages.join_names)
    from PIL import ImageFile, ImagePalette  # noqa: F401   (a cover's palette)
    fonts.load()      # (the cover font's glyphs, read with fontTools: 40 ms a process)
    for tag in langs:
        languages.display_name(tag)


def strict_failure(report: Report, command: str = "build",
                   written: str = "the editions were written") -> PublishError | None:
    """``build --strict`` (and ``release --strict``: ``command``, and what it wrote all
    the same): the error a run with warnings ends with (None without). Its exit code says
    what the first of the most serious warnings is about: 3 a source, 4 a catalogue,
    5 published.toml or the configuration, 6 anything else (a missing furniture
    table...). The editions are written all the same."""
    warnings = report.warnings
    if not warnings:
        return None
    kind = min((_strict_kind(w) for w in warnings), key=lambda k: k.exit_code)
    first = next(w for w in warnings if _strict_kind(w) is kind)
    return kind(f"--strict: {len(warnings)} warning{'s' if len(warnings) != 1 else ''} "
                f"(the first of this kind: {first})",
                hint=f"fix what the warnings above say, or run {command} without --strict "
                     f"({written})")


def _strict_kind(warning: Diagnostic) -> type[PublishError]:
    place = warning.where.split(":")[0]
    if place.endswith((".po", ".pot")) or "catalogue" in warning.code:
        return CatalogError
    if place.endswith(".xml"):
        return SourceError
    if place.endswith(".toml"):
        return ProjectError
    return BuildError


def _tool_key(project: Project, include_comments: bool) -> str:
    """What every output depends on: the tool, the configuration, SOURCE_DATE_EPOCH and
    the options that change every edition (those that change some: see build_plan)."""
    return digest(tool_digest(), (project.root / CONFIG_NAME).read_bytes(),
                  os.environ.get(EPOCH_VARIABLE, "").strip(), include_comments)


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


def _check_languages(project: Project, codes: tuple[str, ...]) -> None:
    """A language asked for with --lang that is neither the source nor a target language
    is built only from its catalogues (a pseudo-translation, a language begun with
    ``update --lang``); one without any would build nothing, each edition skipped: it is
    refused (a typo, a language not configured yet)."""
    config = project.config
    essays = project.essays()
    for code in codes:
        tag = languages.normalize(code)
        if tag in config.site_languages:
            continue
        folder = project.locale_dir / languages.to_gettext(tag) / "LC_MESSAGES"
        if any((folder / f"{essay}.po").exists() for essay in essays):
            continue
        targets = ", ".join(config.target_languages) or "none"
        raise ProjectError(
            f"--lang {code}: not one of the project's target languages ({targets}), and no "
            f"catalogue in {folder.relative_to(project.root).as_posix()}/: there is nothing "
            "to build",
            hint=f"add {tag} to target_languages in {CONFIG_NAME} and run 'serge-publish "
                 f"update --lang {tag}' (or check the spelling of --lang {code})")


def _check_furniture(plan: Plan, report: Report) -> None:
    for lang in plan.langs:
        if furniture_for(lang).fallback:
            report.warn("build.furniture-missing",
                        f"no furniture table for {lang}: contents, notes and the other book "
                        "furniture are in English",
                        f"serge_publish/data/furniture/{table_to_add(lang)}.json")


def stylesheet(kind: str = "site") -> bytes:
    """The web site's stylesheet (build/style.css), or the books' (``kind="book"``)."""
    return package_file(f"data/{kind}.css").read_bytes()
