"""The rendering step of ``serge-publish build``: every output as bytes, keyed by its path
under ``build/``. Reads ``build/`` (what earlier builds left, which is never deleted) but
writes nothing.
"""
from __future__ import annotations

import re

from ..errors import BuildError, Diagnostic, Report
from ..project import LANGUAGE_FILES, RESERVED_IDS, Project
from ..writers import epub, html
from ..writers.edition import Anthology
from .build_plan import Plan

_HREFLANG = re.compile(r'hreflang="([^"]+)"')


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
        self.kept = {lang: self._dropped(lang) for lang in plan.langs}
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

    def _dropped(self, lang: str) -> tuple[str, ...]:
        """Essays the anthology of ``lang`` in build/ holds that are no longer published: that
        anthology is kept as it is (falling below the threshold never deletes an edition)."""
        path = self.project.build_dir / lang / "anthology.epub"
        if "epub" not in self.formats or not self.with_anthology or not path.is_file():
            return ()
        try:
            held = epub.anthology_essays(path.read_bytes(), self.plan.essays)
        except (OSError, ValueError):
            return ()
        return tuple(e for e in held if not self.plan.editions[(lang, e)].published)

    def _planned_paths(self) -> set[str]:
        paths: set[str] = set()
        for lang in self.plan.langs:
            published = self.plan.published(lang)
            for item in published:
                if item.essay in self.plan.selected:
                    paths.update(f"{lang}/{item.essay}.{fmt}" for fmt in self.formats)
            if published and "epub" in self.formats and self.with_anthology \
                    and not self.kept[lang]:
                paths.add(f"{lang}/anthology.epub")
            if published and "html" in self.formats:
                paths.add(f"{lang}/index.html")
        return paths

    def exists(self, rel: str) -> bool:
        """Built now, or by an earlier build (which is never deleted)."""
        return rel in self.planned or (self.project.build_dir / rel).is_file()

    def configured(self) -> list[str]:
        """The source language, then the configured targets."""
        return list(self.project.config.site_languages)

    def site_languages(self, file_name: str = "index.html") -> tuple[str, ...]:
        """Languages that have ``<lang>/<file_name>``, built now or before: the source and
        configured ones, then those of this run (a pseudo-translation built once is not
        linked from later builds). Source first, then the configuration's order."""
        order = self.configured()
        found = set(order) | set(self.plan.langs)
        ranked = sorted(found, key=lambda t: (order.index(t) if t in order else len(order), t))
        return tuple(t for t in ranked if self.exists(f"{t}/{file_name}"))

    def one_sided(self) -> dict[str, tuple[str, ...]]:
        """Pages in build/ that this run did not rewrite and that lack a link to a language
        (the source or a configured one: others are linked by the runs that build them
        only) that has the same page now: language of the pages -> languages not linked."""
        lacking: dict[str, set[str]] = {}
        if "html" not in self.formats:
            return {}
        configured = set(self.configured())
        for lang in self.site_languages():
            for path in sorted((self.project.build_dir / lang).glob("*.html")):
                if f"{lang}/{path.name}" in self.files:
                    continue
                linked = set(_HREFLANG.findall(path.read_text("utf-8", errors="replace")))
                wanted = set(self.site_languages(path.name)) & configured - linked
                if wanted:
                    lacking.setdefault(lang, set()).update(wanted)
        return {lang: tuple(sorted(tags)) for lang, tags in lacking.items()}

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
        elif self.kept[lang]:
            self._keep_anthology(lang)
        elif published:
            editions = tuple(p.edition for p in published)
            book = Anthology(editions, lang, self.plan.source_lang, editions[0].publisher,
                             max(e.date for e in editions))
            self._add(f"{lang}/anthology.epub", *epub.anthology_epub(book, self.css))
        else:
            self.notes[lang] = "no essay published"

    def _keep_anthology(self, lang: str) -> None:
        dropped = ", ".join(self.kept[lang])
        self.notes[lang] = f"kept the previous build: it holds {dropped}, no longer published"
        self.report.warn("build.anthology-kept",
                         f"the anthology is not rebuilt: it holds {dropped}, which is no "
                         f"longer published in {lang}; the previous build is kept",
                         f"build/{lang}/anthology.epub")

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
