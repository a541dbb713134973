"""The rendering step of ``serge-publish build``: every output as bytes, keyed by its path
under ``build/``. A pure function of the plan: it neither reads nor writes ``build/``.

Every page is what a full build writes: the languages it links are those of the plan
(the source and configured languages that publish the page's essay, see
:meth:`Plan.linked`), and an essay page links its EPUB and an index page its anthology,
whichever formats, essays and languages this run writes. So ``build --lang fr`` writes
the French files byte for byte as ``build`` does.
"""
from __future__ import annotations

from ..errors import BuildError, Diagnostic, Report
from ..project import LANGUAGE_FILES, RESERVED_IDS, TOP_FILES, Project
from ..writers import epub, html
from ..writers.edition import Anthology
from .build_plan import Plan

INDEX, STYLE = TOP_FILES[0], TOP_FILES[1]
ANTHOLOGY = LANGUAGE_FILES["epub"][0]


class Renderer:
    """Every output of the build as bytes (``files``), keyed by its path under build/."""

    def __init__(self, project: Project, plan: Plan, formats: tuple[str, ...],
                 report: Report, tick, anthology: bool, css: bytes) -> None:
        self.project, self.plan, self.formats = project, plan, formats
        self.report, self.tick, self.with_anthology = report, tick, anthology
        self.css = css
        self.files: dict[str, bytes] = {}
        self.notes: dict[str, str] = {}          # lang -> what became of the anthology
        self.seen: set[Diagnostic] = set()
        self.owners = self._claim_paths()

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

    def _site(self, lang: str, essay: str | None = None) -> html.Site:
        published = bool(self.plan.published(lang))
        return html.Site(self.project.config.name, self.plan.source_lang,
                         self.plan.linked(lang, essay), has_epub=essay is not None,
                         has_anthology=essay is None and published)

    # ---------------------------------------------------------------- outputs
    def _add(self, rel: str, data: bytes, diagnostics=()) -> None:
        if rel in self.files:            # _claim_paths makes this impossible; never overwrite
            raise BuildError(f"build/{rel} would be written twice",
                             hint="rename the essay whose id gives this file name")
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
            self._add(f"{lang}/{ANTHOLOGY}", *epub.anthology_epub(book, self.css))
        else:
            self.notes[lang] = "no essay published"

    def _html_pages(self, lang: str) -> None:
        published = self.plan.published(lang)
        for item in published:
            if item.essay in self.plan.selected:
                self._add(f"{lang}/{item.essay}.html",
                          *html.essay_html(item.edition, self._site(lang, item.essay)))
        if published:
            self._add(f"{lang}/{INDEX}", html.index_html(lang, self._links(published),
                                                         self._site(lang)))

    def _links(self, published) -> tuple[html.EssayLink, ...]:
        links = []
        for item in published:
            title, title_lang = html.essay_title(item.edition)
            links.append(html.EssayLink(item.essay, title, title_lang,
                                        item.edition.document.metadata.author, True))
        return tuple(links)

    def _site_pages(self) -> None:
        langs = tuple(t for t in self.plan.site if self.plan.published(t))
        self._add(INDEX, html.languages_html(self.project.config.name,
                                             self.plan.source_lang, langs))
        self._add(STYLE, self.css)
