"""The rendering step of ``serge-publish build``: every output as bytes, keyed by its path
under ``build/``. The bytes are a function of the plan: it writes nothing, and what it
reads of ``build/`` (whether a file is still the one the state records) only decides
what is rendered again. Each output has a key, a hash of everything it depends on (see
build_state); an output whose key and bytes on disk are those recorded is not rendered
again, and the warnings recorded when it was rendered are reported again, in the same
order.

Every page is what a full build writes: the languages it links are those of the plan
(the source and configured languages that publish the page's essay, see
:meth:`Plan.linked`), and an essay page links its EPUB and an index page its anthology,
whichever formats, essays and languages this run writes. So ``build --lang fr`` writes
the French files byte for byte as ``build`` does.
"""
from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from ..errors import BuildError, Diagnostic, Report
from ..project import LANGUAGE_FILES, RESERVED_IDS, TOP_FILES, Project
from ..writers import fonts
from .build_jobs import Jobs
from .build_plan import (
    EditionPlan,
    Plan,
    Planner,
    PlanOptions,
    forget_made_editions,
    is_outline,
    plan_essay,
    take_edition,
    unpack_edition,
    unpack_head,
)
from .build_state import (
    ChapterStore,
    State,
    diagnostic_of,
    diagnostic_row,
    digest,
    output_record,
)
from .build_write import OutputSink, Written

if TYPE_CHECKING:  # the writers (ebooklib, PIL) are imported only when something is rendered
    from ..writers import html
    from ..writers.edition import Edition
    from .build_write import OutputWriter

INDEX, STYLE = TOP_FILES[0], TOP_FILES[1]
ANTHOLOGY = LANGUAGE_FILES["epub"][0]


def anthology_order(published: list[EditionPlan], order: tuple[str, ...]
                    ) -> list[EditionPlan]:
    """The essays of an anthology: in the configured order ([anthology] order), the others
    after them by date of first publication (then by id)."""
    def key(item: EditionPlan) -> tuple[int, str, str]:
        place = order.index(item.essay) if item.essay in order else len(order)
        return place, item.date or "9999", item.essay

    return sorted(published, key=key)


@dataclass(frozen=True)
class Output:
    """One file of the build: its path under build/, its key, what makes it."""
    rel: str
    key: str
    kind: str                 # "epub", "html" (one essay), "anthology", "index", "site"
    lang: str = ""
    essay: str = ""


def html_key(tool_key: str, edition_key: str, linked: tuple[str, ...],
             project_key: str) -> str:
    """The key of an essay's HTML page (see Renderer._html_outputs): its edition, the
    languages it links, its language's project texts."""
    return digest(tool_key, "html", edition_key, linked, project_key)


def linked_languages(site: tuple[str, ...], lang: str, published: Callable[[str], bool]
                     ) -> tuple[str, ...]:
    """The languages a page of ``lang`` links, its own included (see Plan.linked): the
    site's languages, and ``lang`` when it is not one of them, that publish it."""
    order = site if lang in site else (*site, lang)
    return tuple(t for t in order if published(t))


@dataclass(frozen=True)
class Prerender:
    """What a plan job renders of an essay's editions as it plans them (see
    :func:`prerender`): the formats and languages this run writes, what an essay's page
    says of the project in each of them (``sites``, but the languages the page links,
    which the decisions give), the keys its page is known by, the chapter store (where an
    edition's chapter is recorded, for its EPUB and its language's anthology), and, for
    one essay (:meth:`given`), the decisions of the languages its job does not make and
    whether this run writes it."""
    formats: tuple[str, ...]
    langs: tuple[str, ...]
    site_langs: tuple[str, ...]
    sites: dict[str, Any]                # lang -> html.Site (its ``languages``: none)
    project_keys: dict[str, str]
    tool_key: str
    chapters: ChapterStore | None
    fresh: bool = False                  # every chapter rendered (build --force)
    known: dict[str, bool] = field(default_factory=dict)
    selected: bool = True                # the essay is one this run writes

    def given(self, known: dict[str, bool], selected: bool) -> Prerender:
        return replace(self, known=known, selected=selected)


# The essays' HTML pages rendered by the plan jobs of this process, by key (see
# :func:`html_key`): each until its render job takes it (see render_pair), or the render
# ends. Every page of a build is rendered before the first is written (250 MB of them at
# N=200, L=10): they are kept in memory while those kept so are at most PAGES_RAW bytes,
# the others in a spool file of this process (see :class:`_Spool`: 0.1 ms to write and
# read back a 110 kB page, where deflating it in memory and inflating it took 0.6 ms, a
# fifth of what making the page costs); in memory again if it cannot be written.
# key -> (the page, None when spooled; its place in the spool; its length; diagnostics)
_PAGES: dict[str, tuple[bytes | None, int, int, tuple[Diagnostic, ...]]] = {}
_RAW = [0]                               # the bytes of the pages kept in memory
PAGES_RAW = 64 * 1024 * 1024


class _Spool:
    """An unlinked temporary file of this process, the pages appended to it and read back
    at their place. A process forked with one (and pages in it) starts its own, and
    forgets those pages: they are its parent's, which alone reads its file."""

    def __init__(self) -> None:
        self.file: Any = None
        self.pid = 0
        self.end = 0

    def mine(self) -> bool:
        if self.file is not None and self.pid != os.getpid():
            self.file = None          # (its descriptor in this process let go, not the file)
            for key in [k for k, v in _PAGES.items() if v[0] is None]:
                del _PAGES[key]
        return self.file is not None

    def put(self, data: bytes) -> int | None:
        """The place ``data`` was written at; None if it could not be."""
        import tempfile
        try:
            if not self.mine():
                self.file = tempfile.TemporaryFile(buffering=0)
                self.pid, self.end = os.getpid(), 0
            self.file.seek(self.end)
            view = memoryview(data)
            while view:
                view = view[self.file.write(view):]
        except OSError:
            return None
        place, self.end = self.end, self.end + len(data)
        return place

    def get(self, place: int, size: int) -> bytes | None:
        """The bytes written at ``place``; None if they cannot be read."""
        if not self.mine():
            return None
        try:
            self.file.seek(place)
            data = self.file.read(size)
        except OSError:
            return None
        return data if len(data) == size else None

    def close(self) -> None:
        if self.mine():
            self.file.close()
        self.file = None


_SPOOL = _Spool()


def prerender(request: Prerender, plans: dict[str, tuple[EditionPlan, tuple]],
              made: dict[str, Edition], keys: dict[str, str]) -> set[str]:
    """The outputs of an essay's published editions in this run's languages, rendered by
    the job that planned them (``plans``, ``made``: the editions, ``keys``: their keys,
    by language) while it holds them: their chapter, recorded for their EPUB and their
    language's anthology (in this process and in the chapter store, see
    writers.epub.essay_chapter), and their HTML page, kept in this process (:data:`_PAGES`)
    for its render job, bound to this process (see Renderer._make and Jobs.each). So an
    edition is never packed, handed back and unpacked to be rendered, which took some
    18% of a build (N=200, L=10): its render job is given its outline (see
    build_plan.pack_outline). The languages whose editions were rendered are returned:
    none when the essay is not one this run writes, or when a language the pages link is
    neither planned here nor ``known``."""
    published = {**request.known, **{t: item.published for t, (item, _) in plans.items()}}
    if not request.selected or any(t not in published for t in request.site_langs):
        return set()
    from ..writers import epub, html
    done = set()
    for lang in request.langs:
        edition = made.get(lang)
        if edition is None or lang not in plans or not plans[lang][0].published:
            continue
        if "epub" in request.formats:
            epub.prepare_chapter(edition, keys[lang].encode(), request.chapters,
                                 fresh=request.fresh)
        if "html" in request.formats:
            linked = linked_languages(request.site_langs, lang, published.__getitem__)
            data, diagnostics = html.essay_html(
                edition, replace(request.sites[lang], languages=linked))
            key = html_key(request.tool_key, keys[lang], linked,
                           request.project_keys.get(lang, ""))
            _keep_page(key, data, tuple(diagnostics))
        done.add(lang)
    return done


def _keep_page(key: str, data: bytes, diagnostics: tuple[Diagnostic, ...]) -> None:
    """``data``, the page of ``key``, kept in :data:`_PAGES` until its render job."""
    old = _PAGES.pop(key, None)
    if old is not None and old[0] is not None:
        _RAW[0] -= old[2]
    if _RAW[0] + len(data) > PAGES_RAW:
        place = _SPOOL.put(data)
        if place is not None:
            _PAGES[key] = (None, place, len(data), diagnostics)
            return
    _RAW[0] += len(data)
    _PAGES[key] = (data, 0, len(data), diagnostics)


def forget_pages() -> None:
    """The pages the plan jobs of this process rendered, given up (the render is done)."""
    _PAGES.clear()
    _RAW[0] = 0
    _SPOOL.close()


def _page(key: str) -> tuple[bytes, list[Diagnostic]] | None:
    """The page kept under ``key``, taken; None if there is none (or it cannot be read
    back): the render job then renders it again."""
    found = _PAGES.pop(key, None) if key else None
    if found is None:
        return None
    data, place, size, diagnostics = found
    if data is None:
        data = _SPOOL.get(place, size)
        if data is None:
            return None
    else:
        _RAW[0] -= size
    return data, list(diagnostics)


@dataclass(frozen=True)
class Replan:
    """How a render job plans an edition again, when what its plan job rendered of it is
    no longer there (a chapter store that could not be written...): the edition is that
    of the same inputs."""
    project: Project
    essay: str
    lang: str
    options: PlanOptions
    listed: tuple[str, ...]

    def edition(self) -> Edition:
        made: dict[str, Edition] = {}
        plan_essay(self.project, self.essay, (self.lang,), self.options, self.listed,
                   False, made=made)
        return made[self.lang]


def render_pair(packed: bytes, css: bytes, site: html.Site | None, epub_position: int | None,
                key: bytes | None = None, chapters: ChapterStore | None = None,
                sink: OutputSink | None = None, stem: str = "", page: str = "",
                again: Replan | None = None
                ) -> dict[str, tuple[bytes | Written, tuple[Diagnostic, ...]]]:
    """A job: one essay in one language, as EPUB (``epub_position``: its place in the
    anthology, 0 if none) and/or HTML (``site``: the HTML page's). ``key``: the edition's
    (see Planner._pair_keys; default: ``packed``), under which its chapter is remembered
    (in ``chapters`` too). With a ``sink``, each output is written there by the job
    (under ``stem``, LANG/ESSAY, and its format's extension), and what was written is
    returned instead of its bytes (see build_write.OutputSink). The edition is the one
    this process planned, when it still has it (see build_plan.MadeEditions), else
    ``packed`` unpacked. When ``packed`` is an outline (build_plan.pack_outline), this
    process's plan job rendered the edition (see :func:`prerender`): its EPUB is made of
    its chapter and its outline, its page is the one rendered then (``page``: its key),
    and the edition is planned again (``again``) only if one of them is gone."""
    from ..writers import epub, html
    whole: list[Edition] = []

    def edition() -> Edition:
        if not whole:
            if is_outline(packed) or not packed:
                if again is None:
                    raise BuildError("an edition's outline was given without a way to "
                                     "plan it again")
                whole.append(again.edition())
            else:
                whole.append(_edition(packed, key))
        return whole[0]

    made: dict[str, tuple[bytes, list[Diagnostic]]] = {}
    if epub_position is not None:
        book = None
        if key is not None and (is_outline(packed) or not packed):
            # its outline: the one given, or the chapter store's (an edition not planned
            # again, its plan recorded), with the chapter recorded there
            found = unpack_head(packed) if packed else \
                (epub.recorded_edition(key, chapters) or (None,))[0] if chapters else None
            if found is not None:
                book = epub.essay_epub(found, css, epub_position, key=key, store=chapters,
                                       outline=True, output=f"build/{stem}.epub")
            if book is None and chapters is not None:
                chapters.forget([key])      # (damaged, if there: this job's is recorded)
        made["epub"] = book or epub.essay_epub(      # (never None: given the whole edition)
            edition(), css, epub_position, key=packed if key is None else key,
            store=chapters, output=f"build/{stem}.epub") or (b"", [])
    if site is not None:
        made["html"] = (_page(page) if is_outline(packed) else None) or \
            html.essay_html(edition(), site)
    done: dict[str, tuple[bytes | Written, tuple[Diagnostic, ...]]] = {}
    for fmt, (data, diagnostics) in made.items():
        done[fmt] = delivered = _deliver(sink, f"{stem}.{fmt}", data, diagnostics)
        if isinstance(delivered[0], Written) and delivered[0].error is not None:
            break                         # the build stops there
    return done


def _edition(packed: bytes, key: bytes | None):
    """The edition ``packed`` holds: taken as this process made it (see
    build_plan.MadeEditions) or unpacked (:func:`unpack_edition`, looked up here at each
    call)."""
    return take_edition(key, packed, unpack_edition)


def _deliver(sink: OutputSink | None, rel: str, data: bytes, diagnostics
             ) -> tuple[bytes | Written, tuple[Diagnostic, ...]]:
    """The bytes of an output, or, with a ``sink``, what became of them once written."""
    return (data if sink is None else sink.put(rel, data)), tuple(diagnostics)


def render_anthology(packed: tuple[bytes, ...], lang: str, source_lang: str,
                     css: bytes, keys: tuple[bytes | None, ...] | None = None,
                     chapters: ChapterStore | None = None, sink: OutputSink | None = None,
                     again: tuple[Replan | None, ...] = ()
                     ) -> tuple[bytes | Written, tuple[Diagnostic, ...]]:
    """A job: the anthology of one language (``packed``: its essays, in order; ``keys``,
    ``chapters``, ``sink`` and ``again``, by essay: see :func:`render_pair`)."""
    from ..writers import epub
    from ..writers.edition import Anthology
    known = tuple(p if k is None else k for p, k in zip(packed, keys or (None,) * len(packed),
                                                        strict=True))
    editions: list = []
    try:
        for key in known:
            # an essay whose chapter is recorded: its edition without its text, the
            # record held for this book (the chapter is never rendered from the outline)
            found = epub.recorded_edition(key, chapters) if chapters is not None else None
            if found is not None and found[0].lang == lang and chapters is not None:
                editions.append(found[0])
                chapters.hold(key, found[1])
            else:
                editions.append(None)
        if all(e is None for e in editions) and all(packed):
            # None recorded (a first or forced build): the chapters of its essays' EPUBs
            # rendered in this process are remembered; if all are, only what the anthology
            # says of each essay is unpacked (not its text). All or none: a chapter
            # rendered here could push a remembered one out.
            heads = [unpack_head(p) for p in packed]
            if all(h.lang == lang and epub.chapter_known(lang, h.essay, k)
                   for h, k in zip(heads, known, strict=True)):
                editions = list(heads)
        # the others: unpacked, or, when their render jobs were given no more than an
        # outline (see render_pair) or nothing (a recorded plan: its chapter was expected
        # to be recorded), planned again
        replans = again or (None,) * len(packed)
        editions = [e if e is not None else
                    r.edition() if r is not None and (not p or is_outline(p)) else
                    _edition(p, k)
                    for e, p, k, r in zip(editions, packed, keys or (None,) * len(packed),
                                          replans, strict=True)]
        book = Anthology(tuple(editions), lang, source_lang, editions[0].publisher,
                         max(e.date for e in editions))
        data, diagnostics = epub.anthology_epub(book, css, keys=known, store=chapters,
                                                output=f"build/{lang}/{ANTHOLOGY}")
    finally:
        if chapters is not None:
            chapters.release()
    return _deliver(sink, f"{lang}/{ANTHOLOGY}", data, diagnostics)


def page_site(project: Project, plan: Plan, lang: str, essay: bool,
              linked: tuple[str, ...], anthology: bool = False) -> html.Site:
    """What an HTML page of ``lang`` says of the project (its texts in ``lang``, from the
    project catalogue) and links (``essay``: the page of an essay, which links its EPUB;
    ``linked``: the languages; ``anthology``: the language's anthology)."""
    from ..writers import html
    publisher = plan.publishers.get(lang)
    name, name_lang = project.config.name, plan.source_lang
    description, description_lang = "", ""
    if publisher is not None:
        name, name_lang = publisher.project, publisher.project_lang or lang
        description = publisher.description
        description_lang = publisher.description_lang
    return html.Site(name, plan.source_lang, project_lang=name_lang,
                     description=description, description_lang=description_lang,
                     languages=linked, has_epub=essay, has_anthology=anthology)


def prerender_request(project: Project, plan: Plan, formats: tuple[str, ...], tool_key: str,
                      chapters: ChapterStore | None, fresh: bool) -> Prerender | None:
    """What the plan jobs of ``plan`` render (see :func:`prerender`), as far as the plan is
    known before they run (its languages, its publishers); None when there is no chapter
    store to record the chapters in (an EPUB's render job, or an anthology made in
    another process, could not find them)."""
    if chapters is None and "epub" in formats:
        return None
    return Prerender(formats, plan.langs, plan.site,
                     {lang: page_site(project, plan, lang, True, ()) for lang in plan.langs},
                     dict(plan.project_keys), tool_key, chapters, fresh)


def _jobs(*work: tuple[Callable, tuple]) -> list:
    """One job of :meth:`Renderer._make`: ``fn(*args)`` for each ``(fn, args)``."""
    return [fn(*args) for fn, args in work]


class Renderer:
    """The outputs of the build (``outputs``, in order), and the bytes of those that are
    not up to date (``files``, keyed by their path under build/)."""

    def __init__(self, project: Project, plan: Plan, formats: tuple[str, ...],
                 report: Report, tick, anthology: bool, css: bytes,
                 book_css: bytes | None = None, tool_key: str = "",
                 keys: dict[tuple[str, str], str] | None = None,
                 chapters: ChapterStore | None = None) -> None:
        self.project, self.plan, self.formats = project, plan, formats
        self.report, self.tick, self.with_anthology = report, tick, anthology
        self.css = css                          # the site's
        self.book_css = css if book_css is None else book_css
        self.tool_key, self.keys = tool_key, keys or {}
        # the fonts installed, which the EPUBs' raster covers are drawn with
        self.fonts = fonts.fingerprint() if "epub" in formats else ""
        self.chapters = chapters                # kept between builds (None: not kept)
        self.files: dict[str, bytes] = {}
        self.notes: dict[str, str] = {}          # lang -> what became of the anthology
        self._claim_paths()                      # refuses two outputs on one path
        self._places: dict[str, dict[str, int]] = {}    # lang -> essay -> anthology place
        self._linked_memo: dict[tuple[str, str | None], tuple[str, ...]] = {}
        self._sites: dict[tuple[str, bool, tuple[str, ...]], html.Site] = {}
        self.outputs = self._outputs()
        self._again: Callable[[str, str, Plan], Replan] | None = None

    def render(self, state: State | None = None, planner: Planner | None = None,
               jobs: Jobs | None = None, force: bool = True,
               writer: OutputWriter | None = None) -> dict[str, bytes]:
        """The bytes of every output not up to date in ``state`` (all with ``force``);
        ``state`` then records every output of this run. With a ``writer``, each output
        is written as soon as it is rendered (after ``writer.begin`` with them all), by
        the job that rendered it (``writer.sink()``, then ``writer.wrote``) or, for
        those made here, by ``writer.put``, and none is kept: the dict returned is
        empty. The editions this process planned and kept for it (see
        build_plan.MadeEditions) are given up at the end, rendered or not."""
        try:
            return self._render(state, planner, jobs, force, writer)
        finally:
            forget_made_editions()
            forget_pages()

    def _render(self, state: State | None, planner: Planner | None, jobs: Jobs | None,
                force: bool, writer: OutputWriter | None) -> dict[str, bytes]:
        state = state if state is not None else State()
        jobs = jobs or Jobs(1)
        stale = [o for o in self.outputs if force or not state.unchanged(o.rel, o.key)]
        if planner is not None:
            planner.load_editions(self.plan, self._editions_needed(stale))
        if writer is not None:
            writer.begin([o.rel for o in stale])
        keys = {o.rel: o.key for o in stale}
        told: dict[str, tuple[Diagnostic, ...]] = {}
        self._again = planner.replan if planner is not None else None
        for rel, (data, diagnostics) in self._make(stale, jobs,
                                                   writer.sink() if writer else None):
            if isinstance(data, Written):          # written by the job (see OutputSink)
                assert writer is not None
                writer.wrote(rel, data)
                state.outputs[rel] = {"key": keys[rel], "size": data.size,
                                      "sha256": data.sha256,
                                      "diagnostics": [diagnostic_row(d) for d in diagnostics]}
                writer.record(rel, state.outputs[rel])
            else:
                state.outputs[rel] = output_record(keys[rel], data, diagnostics)
                if writer is not None:
                    writer.put(rel, data, state.outputs[rel]["sha256"])
                    writer.record(rel, state.outputs[rel])
                else:
                    self.files[rel] = data
            told[rel] = diagnostics
        state.written = sorted(told)
        seen: set[Diagnostic] = set()
        for output in self.outputs:
            diagnostics = told[output.rel] if output.rel in told else tuple(
                diagnostic_of(d) for d in state.outputs[output.rel]["diagnostics"])
            for diagnostic in diagnostics:
                if diagnostic not in seen:
                    seen.add(diagnostic)
                    self.report.diagnostics.append(diagnostic)
        return self.files

    # ---------------------------------------------------------------- planning
    def _claim_paths(self) -> dict[str, str]:
        """Who writes each path (case-insensitively: build/ may be on such a disk); an
        essay whose output would take another's path is refused before anything is done."""
        owners: dict[str, str] = {}

        def claim(rel: str, owner: str) -> None:
            taken = owners.setdefault(rel.lower(), owner)
            if taken != owner:
                raise BuildError(f"build/{rel} is the path of both {taken} and {owner}",
                                 hint="rename the essay (serge-publish import --id NEW-ID): "
                                      "an essay id cannot be "
                                      f"{', '.join(sorted(RESERVED_IDS))}")

        for lang in self.plan.langs:
            for fmt in self.formats:
                name, what = LANGUAGE_FILES[fmt]
                claim(f"{lang}/{name}", f"{what} of {lang}")
            for essay in self.plan.selected:
                for fmt in self.formats:
                    claim(f"{lang}/{essay}.{fmt}", f"essay {essay!r}")
        return owners

    def _outputs(self) -> list[Output]:
        """Every output of this run, in the order their warnings are reported."""
        outputs: list[Output] = []
        for lang in self.plan.langs:
            if "epub" in self.formats:
                outputs += self._epub_outputs(lang)
            if "html" in self.formats:
                outputs += self._html_outputs(lang)
        if "html" in self.formats:
            langs = tuple(t for t in self.plan.site if self.plan.published(t))
            outputs += [Output(INDEX, self._key("languages", langs), "site"),
                        Output(STYLE, self._key("style"), "site")]
        return outputs

    def _key(self, *parts: object) -> str:
        return digest(self.tool_key, *parts)

    def _pair_keys(self, published) -> list[tuple[str, str]]:
        return [(p.essay, self.keys.get((p.lang, p.essay), "")) for p in published]

    def _epub_outputs(self, lang: str) -> list[Output]:
        published = self.plan.published(lang)
        outputs = [Output(f"{lang}/{p.essay}.epub",
                          self._key("epub", self.keys.get((lang, p.essay), ""),
                                    self._position(lang, p.essay), self.fonts),
                          "epub", lang, p.essay)
                   for p in published if p.essay in self.plan.selected]
        if not self.with_anthology:
            self.notes[lang] = "not rebuilt (--essay)"
        elif published:
            outputs.append(Output(f"{lang}/{ANTHOLOGY}",
                                  self._key("anthology", self._pair_keys(published),
                                            self.fonts),
                                  "anthology", lang))
        else:
            self.notes[lang] = "no essay published"
        return outputs

    def _html_outputs(self, lang: str) -> list[Output]:
        published = self.plan.published(lang)
        outputs = [Output(f"{lang}/{p.essay}.html",
                          html_key(self.tool_key, self.keys.get((lang, p.essay), ""),
                                   self._linked(lang, p.essay),
                                   self.plan.project_keys.get(lang, "")),
                          "html", lang, p.essay)
                   for p in published if p.essay in self.plan.selected]
        if published:
            outputs.append(Output(f"{lang}/{INDEX}",
                                  self._key("index", self._pair_keys(published),
                                            self._linked(lang),
                                            self.plan.project_keys.get(lang, "")),
                                  "index", lang))
        return outputs

    def _editions_needed(self, stale: list[Output]) -> list[tuple[str, str]]:
        """The editions to plan again (their plans are recorded) before the ``stale``
        outputs are rendered: those of the essays' pages. An EPUB, and an anthology,
        take the chapter of an essay and its outline from the chapter store, where the
        build that rendered them recorded them, or from the process that rendered them
        in this build; an essay found in neither is planned again by the job (see
        render_pair, render_anthology)."""
        pairs: dict[tuple[str, str], None] = {}
        for output in stale:
            if output.kind == "html":      # (an EPUB: see render_pair)
                pairs[(output.lang, output.essay)] = None
        return list(pairs)

    def _linked(self, lang: str, essay: str | None = None) -> tuple[str, ...]:
        """``plan.linked(lang, essay)``, found once (an essay's page asks for it twice:
        its key and its site; an index page's, for every essay of every language)."""
        found = self._linked_memo.get((lang, essay))
        if found is None:
            found = self._linked_memo[(lang, essay)] = self.plan.linked(lang, essay)
        return found

    def _site(self, lang: str, essay: str | None = None) -> html.Site:
        """What an HTML page of ``lang`` says of the project (its texts in ``lang``, from
        the project catalogue) and links: made once for the essays' pages of ``lang``
        that link the same languages (it is frozen)."""
        linked = self._linked(lang, essay)
        key = (lang, essay is None, linked)
        found = self._sites.get(key)
        if found is None:
            found = self._sites[key] = page_site(
                self.project, self.plan, lang, essay is not None, linked,
                essay is None and bool(self.plan.published(lang)))
        return found

    # ---------------------------------------------------------------- outputs
    def _make(self, stale: list[Output], jobs: Jobs, sink: OutputSink | None = None
              ) -> Iterator[tuple[str, tuple[bytes | Written, tuple[Diagnostic, ...]]]]:
        """The bytes and warnings of the ``stale`` outputs, by path under build/, as they
        are made: the essays and anthologies as jobs, in the order they are done (with a
        ``sink``, the jobs write the outputs, and what they wrote comes instead of their
        bytes), and the index pages and the stylesheet made here (one after each job's
        result while the other processes work; with one process, after the jobs). An
        anthology waits for the jobs of its language's essays (it takes their chapters);
        with several processes it is given after those of the next language (the essays
        of that language keep the other processes busy meanwhile, and the last two
        anthologies end the build side by side), with one after every essay."""
        pairs: dict[str, dict[str, set[str]]] = {}       # lang -> essay -> formats
        for output in stale:
            if output.kind in ("epub", "html"):
                pairs.setdefault(output.lang, {}).setdefault(output.essay, set()).add(
                    output.kind)
        books = {o.lang: o for o in stale if o.kind == "anthology"}
        order = [t for t in dict.fromkeys((*self.plan.langs, *pairs, *books))
                 if t in pairs or t in books]
        # one process: every anthology after the essays (jobs=1 keeps that order)
        delay = 1 if jobs.jobs > 1 else len(order)
        # (rel, function, arguments, label) of each job, in chunks (one a process's turn:
        # a few essays, so that thousands of small jobs do not cost as many hand-overs)
        chunks: list[tuple[list[tuple[str, Callable, tuple, str]], tuple[int, ...]]] = []
        chunks_of: dict[str, tuple[int, ...]] = {}
        places: list[str | None] = []       # the essay of each chunk (see Jobs.home)
        bound: list[bool] = []              # whether it must run there
        keys = {o.rel: o.key for o in stale}
        for place, lang in enumerate([*order, *[""] * delay]):
            start = len(chunks)
            essays = list(pairs.get(lang, {}).items())
            size = 1 if jobs.jobs == 1 else max(1, min(8, len(essays) // (4 * jobs.jobs)))
            # each chunk the essays planned by one process, which may still have their
            # editions (see build_plan.plan_and_keep)
            homes: dict[int | None, list[tuple[str, set[str]]]] = {}
            for item in essays:
                homes.setdefault(jobs.home(item[0]), []).append(item)
            for group in homes.values():
                for first in range(0, len(group), size):
                    chunks.append(([(f"{lang}/{essay}", render_pair, (
                        self.plan.editions[(lang, essay)].packed, self.book_css,
                        self._site(lang, essay) if "html" in kinds else None,
                        self._position(lang, essay) if "epub" in kinds else None,
                        self._edition_key(lang, essay), self.chapters, sink,
                        f"{lang}/{essay}", keys.get(f"{lang}/{essay}.html", ""),
                        self._replan(lang, essay)),
                        f"{lang}: {essay}") for essay, kinds in group[first:first + size]],
                        ()))
                    places.append(group[first][0])
                    # what their plan job rendered is in that job's process only
                    bound.append(any(self.plan.editions[(lang, essay)].prerendered
                                     for essay, _ in group[first:first + size]))
            chunks_of[lang] = tuple(range(start, len(chunks)))
            book = books.get(order[place - delay]) if place >= delay else None
            if book is not None:
                ordered = self._in_order(book.lang)
                chunks.append(([(book.rel, render_anthology, (
                    tuple(p.packed for p in ordered), book.lang, self.plan.source_lang,
                    self.book_css, tuple(self._edition_key(p.lang, p.essay) for p in ordered),
                    self.chapters, sink,
                    tuple(self._replan(p.lang, p.essay) for p in ordered)),
                    f"{book.lang}: anthology")], chunks_of[book.lang]))
                places.append(None)
                bound.append(False)
        here = self._here(stale)
        for i, results in jobs.each(_jobs, [tuple((fn, args) for _, fn, args, _ in chunk)
                                            for chunk, _ in chunks],
                                    after=[after for _, after in chunks],
                                    places=places, bound=bound):
            for (rel, fn, _, label), result in zip(chunks[i][0], results, strict=True):
                self.tick(label)
                if fn is render_pair:
                    for fmt, done in result.items():
                        yield f"{rel}.{fmt}", done
                else:
                    yield rel, result
            if jobs.jobs > 1:
                # the other processes are at work: this one makes its pages meanwhile, one
                # a result (all at once, some 80 ms at N=200, L=10, kept the processes
                # whose jobs ended meanwhile waiting for their next)
                yield from itertools.islice(here, 1)
        yield from here

    def _here(self, stale: list[Output]
              ) -> Iterator[tuple[str, tuple[bytes, tuple[Diagnostic, ...]]]]:
        """The index pages and the stylesheet among the ``stale`` outputs (made in this
        process: they are few and small)."""
        if not any(o.kind in ("index", "site") for o in stale):
            return                       # the HTML writer is not even imported
        from ..writers import html
        for output in stale:
            if output.kind == "index":
                yield output.rel, (html.index_html(
                    output.lang, self._links(self.plan.published(output.lang)),
                    self._site(output.lang)), ())
            elif output.rel == INDEX:
                langs = tuple(t for t in self.plan.site if self.plan.published(t))
                yield INDEX, (html.languages_html(self.project.config.name,
                                                  self.plan.source_lang, langs), ())
            elif output.rel == STYLE:
                yield STYLE, (self.css, ())

    def _replan(self, lang: str, essay: str) -> Replan | None:
        """How a job plans the edition again when it was not given the edition: its plan
        job rendered it (see :func:`render_pair`), or its plan is recorded and an
        anthology takes its chapter from the chapter store (see :meth:`_editions_needed`);
        None otherwise."""
        item = self.plan.editions[(lang, essay)]
        if self._again is None or not (item.prerendered or not item.packed):
            return None
        return self._again(lang, essay, self.plan)

    def _edition_key(self, lang: str, essay: str) -> bytes | None:
        """The key of the edition (None: none known, its packed bytes stand for it)."""
        key = self.keys.get((lang, essay), "")
        return key.encode() if key else None

    def _in_order(self, lang: str) -> list[EditionPlan]:
        return anthology_order(self.plan.published(lang), self.project.config.order)

    def _position(self, lang: str, essay: str) -> int:
        """The essay's place in its language's anthology (1 for the first), 0 if none."""
        if lang not in self._places:
            self._places[lang] = {p.essay: place
                                  for place, p in enumerate(self._in_order(lang), 1)}
        return self._places[lang].get(essay, 0)

    def _links(self, published) -> tuple[html.EssayLink, ...]:
        from ..writers import html
        links = []
        for item in published:
            title, title_lang, author = item.link
            links.append(html.EssayLink(item.essay, title, title_lang, author, True))
        return tuple(links)
