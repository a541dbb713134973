"""serge-publish extract / update / status / pseudo: the project's gettext catalogues.

``extract`` writes ``locale/<essay>.pot`` from ``source/<essay>.xml`` (not rewritten when
only its date would change). ``update`` refreshes the templates, then creates or merges
``locale/<lang>/LC_MESSAGES/<essay>.po`` for each language, with the project's other
catalogues of that language (and an optional compendium) as translation memory; a
catalogue a translator saved while it ran is not overwritten (the command stops), and the
previous version of each catalogue it rewrites is kept as ``<essay>.po~``.
``status`` counts segments and words per state, as translate-toolkit's ``pocount`` does.
``pseudo`` fills the pseudo language's catalogues (``qps``) with pseudo-translations.

A target language must have a gettext name (see :mod:`serge_publish.languages`); one that
differs from the source language by its region only (en-GB for an English source) is
accepted with a warning. A compendium is used for the languages its ``Language`` header
allows (fr serves fr and fr-CA; none: every language); for the others it is skipped with a
warning, and refused when it serves none of the languages updated. Warnings come first in
the summary of the language's first catalogue.

Both skip what has not changed since their last run (a hash of the inputs, recorded in
``.serge-cache/``: see :mod:`catalog_cache`), and run on several processes (``jobs``:
``extract`` one essay per task, ``update`` one language per task, the essays of a language
in order, so that an essay's memory sees the catalogues updated before it): the bytes
written and the summaries are the same whatever the number of processes.
"""
from __future__ import annotations

import errno
import functools
import hashlib
import json
import os
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import atomic, catalog, languages
from ..catalog.project import PROJECT_CATALOGUE, ProjectText
from ..collector import fewer_collections
from ..config import Config
from ..errors import CatalogError, Diagnostic, ProjectError, PublishError, SourceError
from ..percent import percent_text
from ..project import Project
from . import parallel

if TYPE_CHECKING:
    from ..model import Document

# (the writer, the project's template and the documents are imported when used: an update
# or an extract with nothing to do imports none of them, nor polib; issue 8)
from .catalog_cache import (
    Cache,
    FileDigests,
    __version__,
    digest,
    file_digest,  # noqa: F401  (the tests' way to read a digest)
)


@dataclass(frozen=True)
class ExtractResult:
    essay: str
    path: Path
    written: bool        # False: unchanged (its date kept)
    entries: int


@dataclass(frozen=True)
class UpdateResult:
    essay: str
    lang: str            # BCP 47
    path: Path
    created: bool
    written: bool
    stats: catalog.MergeStats
    warnings: tuple[Diagnostic, ...] = ()

    def summary(self) -> str:
        s = self.stats
        verb = "created" if self.created else ("updated" if self.written else "unchanged")
        return (f"{self.path}: {verb}; {s.kept} kept, {s.changed} changed (fuzzy), "
                f"{s.filled} filled from identical sentences, {s.offered} offered by the "
                f"translation memory (fuzzy), {s.untranslated} untranslated, "
                f"{s.obsolete} obsolete" + _relinked(s))


def _relinked(s: catalog.MergeStats) -> str:
    """What became of entries that had lost their msgctxt, and of joined sentences."""
    parts = []
    if s.relinked or s.relinked_fuzzy:
        parts.append(f"{s.relinked + s.relinked_fuzzy} without msgctxt matched to their "
                     f"segment ({s.relinked} by identical msgid, {s.relinked_fuzzy} by "
                     "similarity, fuzzy)")
    if s.joined:
        parts.append(f"{s.joined} joined sentences offered both old translations (fuzzy)")
    return "".join(f"; {p}" for p in parts)


def _relative(project: Project, path: Path) -> Path:
    try:
        return path.relative_to(project.root)
    except ValueError:
        return path


def _template(project: Project, essay: str):
    """The essay as published (see model.published) and its template."""
    from ..model import published
    from ..sourcexml import read_source
    doc = published(read_source(project.source_path(essay)), project.config.include_comments)
    return doc, catalog.extract_catalog(doc, project_name=project.config.name,
                                        date=catalog.creation_date())


def _naming_what_is_not_a_file(command):
    """``command``, a NotAFileError (a fifo, a socket or a device where a source, a
    template or a catalogue should be: atomic.open_file) or a loop of links there raised
    as the error of that kind of file, naming it (exit code 3 or 4, as a source or
    catalogue that cannot be read)."""
    @functools.wraps(command)
    def run(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except OSError as exc:
            loop = exc.errno == errno.ELOOP
            if not (loop or isinstance(exc, atomic.NotAFileError)):
                raise
            name = str(exc.filename or "")
            kind, what = (SourceError, "source") if name.endswith(".xml") else \
                (CatalogError, "template" if name.endswith(".pot") else "catalogue")
            if loop:
                raise kind(f"cannot read the {what}: it is a link that leads nowhere (a "
                           "loop)", where=name, hint=f"replace the link with the {what} "
                           "itself (git restore FILE, if git has it)") from None
            raise kind(f"cannot read the {what}: it is {atomic.NOT_A_FILE}", where=name,
                       hint=atomic.NOT_A_FILE_HINT) from None
    return run


@_naming_what_is_not_a_file
@fewer_collections()
def extract_command(project: Project, essays: tuple[str, ...] = (),
                    jobs: int | None = None) -> list[ExtractResult]:
    """Write the template of each essay (all by default), then the project's; an essay's
    whose source, configuration and template are as the last run left them is not rendered
    again (see catalog_cache)."""
    cache = Cache.load(project.root)
    _TEMPLATES.clear()                   # the sources may have changed since the last run
    _EXTRACTED.clear()
    try:
        names = project.require_essays(essays)
        results = [r for r, _ in _extract(project, names, cache, jobs, keep=False)]
        read = {essay: rendered[0] for (_, essay), rendered in _TEMPLATES.items()}
    finally:
        _TEMPLATES.clear()
        _POTS.clear()
        _EXTRACTED.clear()
    texts = _ProjectTemplate(project, cache,
                             lambda: {**_recorded_documents(project, cache, names), **read})
    results.append(texts.extract())                                       # then the project's
    cache.save()
    return results


def _extract(project: Project, names: list[str], cache: Cache, jobs: int | None,
             keep: bool = True) -> list[tuple[ExtractResult, str | None]]:
    """Each essay's ExtractResult and the digest of its template; the cache updated. The
    documents and templates rendered are kept in ``_TEMPLATES`` (``keep``: False, only the
    documents' metadata, all that the project's template needs of them). The essays whose
    template is as recorded are answered here, only the others given to ``jobs``
    processes (none forked when there is nothing to render)."""
    state = (project, cache.templates, keep, cache.digests)
    done: dict[str, tuple] = {}
    for essay in names:
        found = _extract_recorded(state, essay)
        if found is not None:
            done[essay] = found
    stale = [essay for essay in names if essay not in done]
    if stale:
        _before_rendering()
        _sweep_templates(project)
        jobs = _jobs(jobs, lambda: sum(_size(project.source_path(e)) for e in stale)
                     / EXTRACT_RATE)
    done.update(zip(stale, parallel.run_all(_extract_one, state, stale, jobs), strict=True))
    for essay in names:
        _, _, record, rendered, fresh = done[essay]
        cache.digests.update(fresh)
        cache.templates[str(_relative(project, project.pot_path(essay)))] = record
        if rendered is not None:         # for update's workers, which inherit it
            _TEMPLATES[(project.root, essay)] = rendered
            _EXTRACTED.add((project.root, essay))
    return [done[essay][:2] for essay in names]


def _sweep_templates(project: Project) -> None:
    """Remove what a killed run left of its templates' writes (they are written without
    syncs, whose writes leave the leftovers to their caller: see atomic.write_bytes)."""
    atomic.remove_leftovers(project.locale_dir, f"*.pot.*{atomic.TEMP_SUFFIX}",
                            recursive=False)


def _before_rendering() -> None:
    """Import what rendering a template needs once, before the workers fork (each would
    import it for itself: the reader, lxml, the extraction, the writer)."""
    from ..model import published  # noqa: F401
    from ..sourcexml import read_source  # noqa: F401
    catalog.extract_catalog, catalog.save_template, catalog.format_catalog  # noqa: B018


def _before_merging(tags: list[str], forking: bool = True) -> None:
    """Import what merging needs once, and, when workers will be forked, work out the
    languages' plural forms (babel) before: each would do it for itself. (Without workers
    they are worked out when a catalogue needs them: a new one, or one whose header has
    none; an update of translated catalogues imports no babel.)"""
    from ..catalog.po import format_merged  # noqa: F401
    catalog.merge_catalog, catalog.SharedMemory, catalog.replace_catalog  # noqa: B018
    for tag in tags if forking else ():
        catalog.header.plural_forms(tag)


# Without --jobs, the work goes to worker processes (one a core) only when there is enough
# of it: a worker costs about 0.05 CPU s (the fork, the pages it copies as it writes to
# them, the pool, the results sent back), and at N=20 essays, L=5 languages, extract and
# update cost 0.06 to 0.2 CPU s more on two processes than on one, for work of 0.3 to 1 s.
# The work is guessed from the bytes to read, at the rates measured (source XML read and
# templates rendered; templates and catalogues read, merged and written).
FORK_SECONDS = 1.0            # the work, in CPU seconds guessed, from which workers pay
EXTRACT_RATE = 4_000_000      # bytes of source a second
UPDATE_RATE = 40_000_000      # bytes of template and catalogue a second


def _jobs(jobs: int | None, seconds: Callable[[], float]) -> int | None:
    """The processes to use: ``jobs`` if given, else one for less than FORK_SECONDS of
    work (``seconds()``, guessed), else the default (every core). The bytes written are
    the same."""
    return jobs if jobs is not None else 1 if seconds() < FORK_SECONDS else None


def _size(path: Path) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return 0


def _template_key(project: Project, source: str | None, pot: str | None) -> str:
    config = project.config
    return digest("extract", __version__, source, config.name,
                  str(config.include_comments), pot)


def _extract_recorded(state: tuple[Project, dict, bool, FileDigests], essay: str
                      ) -> tuple | None:
    """``_extract_one``'s answer when the essay's source and template are as recorded."""
    project, records, _, digests = state
    path = project.pot_path(essay)
    shown = _relative(project, path)
    source, pot = digests(project.source_path(essay)), digests(path)
    record = records.get(str(shown))
    if source and pot and record and record.get("key") == _template_key(project, source, pot):
        return ExtractResult(essay, shown, False, record["entries"]), pot, record, None, {}
    return None


def _extract_one(state: tuple[Project, dict, bool, FileDigests], essay: str
                 ) -> tuple[ExtractResult, str | None, dict, tuple | None, dict]:
    """The template of one essay: (result, digest of the template's bytes, cache record,
    (document, template) if it was rendered: without ``keep``, (document without its text,
    None), which costs a worker nothing to send back; the digests recorded)."""
    found = _extract_recorded(state, essay)
    if found is not None:
        return found
    project, _, keep, digests = state
    path = project.pot_path(essay)
    shown = _relative(project, path)
    source = digests(project.source_path(essay))
    # (without ``keep``, not remembered: a run on one process would hold every essay's)
    doc, template = _templates(project, essay) if keep else _template(project, essay)
    written = catalog.save_template(path, template, durable=False)
    pot = digests.written(path)
    return (ExtractResult(essay, shown, written, len(template)), pot,
            {"key": _template_key(project, source, pot), "entries": len(template),
             "rights": doc.metadata.rights},
            (doc, template) if keep else (replace(doc, front=(), body=(), back=()), None),
            digests.taken())


# ----------------------------------------------------------------------------- project texts

def project_texts(config: Config, docs: dict[str, Document]) -> tuple[ProjectText, ...]:
    """The project's translatable texts: from serge-publish.toml, and each essay's rights
    statement (from its source)."""
    texts = [ProjectText("name", config.name, "the project's name: the anthology's title"),
             ProjectText("description", config.description,
                         "the anthology's description (its metadata, the site)"),
             ProjectText("blurb", config.blurb, "the publisher's blurb"),
             ProjectText("introduction", config.introduction, "the anthology's introduction"),
             ProjectText("rights", config.rights, "the rights of every edition")]
    subjects = dict.fromkeys(config.subjects + tuple(
        s for essay in sorted(docs) for s in config.essay(essay).subjects))
    texts.extend(ProjectText(f"subject {s}", s, "a subject (keyword) of the editions")
                 for s in subjects)
    for essay in sorted(docs):
        texts.append(ProjectText(f"rights {essay}", docs[essay].metadata.rights,
                                 f"the rights statement of the essay {essay}"))
        texts.append(ProjectText(f"description {essay}", config.essay(essay).description,
                                 f"the description of the essay {essay} (its metadata)"))
    return tuple(texts)


def _recorded_documents(project: Project, cache: Cache, names: list[str]
                        ) -> dict[str, Document]:
    """The essays of ``names`` (whose template records this run's ``_extract`` checked
    against their sources, or wrote) as the project's template needs them: their rights
    statement, as their record holds it, in a document without text (not read again
    from the source). An essay whose record holds none (an older cache) is left out."""
    from ..model import Block, Document, Metadata
    out = {}
    for essay in names:
        record = cache.templates.get(str(_relative(project, project.pot_path(essay))))
        rights = record.get("rights") if isinstance(record, dict) else None
        if isinstance(rights, str):
            out[essay] = Document(id=essay, lang=project.config.source_language,
                                  title=Block("title"), metadata=Metadata(rights=rights))
    return out


def _documents(project: Project, known: dict[str, Document] | None = None
               ) -> dict[str, Document]:
    """Each essay's document: ``known`` (read by this run, its metadata at least), else
    read from its source."""
    from ..sourcexml import read_source
    known = known or {}
    return {essay: known[essay] if essay in known else read_source(project.source_path(essay))
            for essay in project.essays()}


def _project_template(project: Project, known: dict[str, Document] | None = None):
    from ..catalog.project import project_template
    return project_template(project_texts(project.config, _documents(project, known)),
                            project_name=project.config.name, date=catalog.creation_date())


def _update_project(project: Project, tag: str, pot) -> tuple[UpdateResult, object]:
    path = project.po_path(languages.to_gettext(tag), PROJECT_CATALOGUE)
    old, read = catalog.load_catalog(path)
    merged, stats = catalog.merge_catalog(
        pot, old, tag=tag, team=catalog.language_team(tag, project.config.translators),
        comment=catalog.project.project_comment(project.config.name, tag))
    # as an essay's: refused if a translator saved it meanwhile, the old one kept as .po~
    written = catalog.replace_catalog(path, merged, read, root=project.root)
    return UpdateResult(PROJECT_CATALOGUE, tag, _relative(project, path), old is None,
                        written, stats), merged


class _ProjectTemplate:
    """The project's template and catalogues, skipped as the essays' are when nothing they
    depend on changed: the configuration's texts, every source (its rights statement), the
    template's and the catalogue's bytes (see catalog_cache)."""

    def __init__(self, project: Project, cache: Cache,
                 known: Callable[[], dict[str, Document]] | None = None):
        self.project, self.cache, self.known = project, cache, known
        self.path = project.pot_path(PROJECT_CATALOGUE)
        self.shown = str(_relative(project, self.path))
        config = project.config
        texts = (config.name, config.description, config.blurb, config.introduction,
                 config.rights, config.subjects,
                 tuple((e, config.essay(e)) for e in project.essays()))
        self.inputs = digest("project", __version__, repr(texts), *(
            cache.digests(project.source_path(e)) for e in project.essays()))
        self.template = None
        self.pot: str | None = None

    def extract(self) -> ExtractResult:
        shown = _relative(self.project, self.path)
        self.pot = self.cache.digests(self.path)
        record = self.cache.templates.get(self.shown)
        if self.pot and record and record.get("key") == digest(self.inputs, self.pot):
            return ExtractResult(PROJECT_CATALOGUE, shown, False, record["entries"])
        self.template = template = _project_template(
            self.project, None if self.known is None else self.known())
        _sweep_templates(self.project)
        written = catalog.save_template(self.path, template, durable=False)
        self.pot = self.cache.digests.written(self.path)
        self.cache.templates[self.shown] = {"key": digest(self.inputs, self.pot),
                                            "entries": len(template)}
        return ExtractResult(PROJECT_CATALOGUE, shown, written, len(template))

    def read_template(self):
        """The template as extract left it: read from its file when that holds the bytes
        ``extract`` found or wrote (and extract's header fields), else rendered."""
        try:
            data: bytes | None = atomic.read_file(self.path)
        except OSError:
            data = None
        if data is not None and self.pot and hashlib.sha256(data).hexdigest() == self.pot:
            pot = catalog.parse_catalog(data, self.path)
            date = pot.metadata.get("POT-Creation-Date", "")
            if pot.metadata == catalog.template_metadata(self.project.config.name, date):
                return pot
        pot = _project_template(self.project)
        catalog.adopt_date(self.path, pot)         # as extract left it
        return pot

    def key(self, tag: str, current: str | None) -> str:
        return digest("project-update", __version__, tag, self.pot, current,
                      catalog.language_team(tag, self.project.config.translators))

    def update(self, tag: str) -> UpdateResult:
        path = self.project.po_path(languages.to_gettext(tag), PROJECT_CATALOGUE)
        shown = str(_relative(self.project, path))
        current = self.cache.digests(path)
        record = self.cache.catalogues.get(shown)
        if current and record and record.get("key") == self.key(tag, current):
            return UpdateResult(PROJECT_CATALOGUE, tag, Path(shown), False, False,
                                catalog.MergeStats(**record["stats"]))
        if self.template is None:
            self.template = self.read_template()
        result, merged = _update_project(self.project, tag, self.template)
        now = (self.cache.digests.written if result.written else self.cache.digests)(path)
        self.cache.catalogues[shown] = {"key": self.key(tag, now),
                                        "stats": asdict(catalog.steady_stats(merged))}
        return result


def target_languages(project: Project, codes: tuple[str, ...]) -> list[str]:
    """BCP 47 tags for ``codes`` (default: the configured targets); refuses bad codes,
    the source language and languages without a gettext name (as the configuration
    does for its targets)."""
    if not codes and not project.config.target_languages:
        raise ProjectError("no language given and none configured",
                           hint="pass --lang fr, or set target_languages in "
                                "serge-publish.toml")
    tags = []
    if not codes:
        return list(project.config.target_languages)      # checked when the file was read
    for code in codes:
        tag = languages.normalize(code)
        if tag == project.config.source_language:
            raise PublishError(f"{code!r} is the source language of the essays",
                               hint="translate into another language")
        languages.to_gettext(tag)             # PublishError if it has no gettext name
        if tag not in tags:
            tags.append(tag)
    return tags


def language_warnings(project: Project, tag: str) -> list[Diagnostic]:
    """A target that is the source language in another region only (en-GB for en); a
    language that is not a target (its catalogues are made, but not published)."""
    found = []
    if tag not in project.config.target_languages:
        found.append(Diagnostic(
            "update.not-target", f"the language {tag} is not in target_languages: its "
            "catalogues are made, but 'build' publishes its editions only once the language "
            "is added to target_languages in serge-publish.toml ('build --lang' builds them "
            "meanwhile, linked by no other page)",
            where=tag, severity="info"))
    source = project.config.source_language
    if languages.regional_variant(tag, source):
        found.append(Diagnostic(
            "update.regional-variant", f"{tag} is the source language ({source}) in another "
            "region: its catalogue starts empty, every sentence must be translated (copied "
            "where it reads the same)", where=tag))
    return found


@_naming_what_is_not_a_file
@fewer_collections()
def update_command(project: Project, langs: tuple[str, ...] = (),
                   essays: tuple[str, ...] = (), compendium: Path | None = None,
                   jobs: int | None = None) -> list[UpdateResult]:
    """Create or merge the catalogue of each essay in each language, the languages on
    ``jobs`` processes (default: all cores; the same bytes whatever their number). A
    catalogue whose inputs are as the last run left them is not merged (see
    catalog_cache): its summary is what merging it again would report."""
    tags = target_languages(project, langs)
    names = project.require_essays(essays)
    extras, notes = catalog.compendium_use(compendium, tags)
    for tag in tags:
        notes[tag] = language_warnings(project, tag) + notes[tag]
    cache = Cache.load(project.root)
    _TEMPLATES.clear()                   # the sources may have changed since the last run
    _EXTRACTED.clear()
    try:
        pots = {essay: pot for essay, (_, pot) in
                zip(names, _extract(project, names, cache, jobs), strict=True)}
        job = _Job(project, tuple(names), pots, extras, cache.catalogues, cache.memory,
                   cache.digests)
        # a language whose catalogues are all as recorded answered here, the others given
        # to ``jobs`` processes (none forked when there is nothing to merge)
        answered: dict[str, tuple] = {tag: (language.run(), language.records, language.memory, {})
                    for tag in tags if (language := _Language(job, tag)).recorded()}
        stale = [tag for tag in tags if tag not in answered]
        if stale:
            jobs = _jobs(jobs, lambda: sum(_Language(job, tag).work() for tag in stale)
                         / UPDATE_RATE)
            _before_merging(stale, jobs != 1)
        _read_templates(job, stale)
        answered.update(zip(stale, parallel.run_all(_update_language, job, stale, jobs),
                            strict=True))
        done = [answered[tag] for tag in tags]
    finally:
        _TEMPLATES.clear()
        _POTS.clear()
        _EXTRACTED.clear()
        cache.save()                 # the templates, even if a catalogue stopped the run
    by_lang = {}
    for tag, (results, records, memory, fresh) in zip(tags, done, strict=True):
        by_lang[tag] = results
        cache.digests.update(fresh)
        cache.catalogues.update(records)
        cache.memory.update(memory)
    cache.save()
    out = []
    for index in range(len(names)):
        for tag in tags:
            out.append(replace(by_lang[tag][index], warnings=tuple(notes.pop(tag, ()))))
    if not essays:                     # every essay: the project's catalogue too
        texts = _ProjectTemplate(project, cache,
                                 lambda: _recorded_documents(project, cache, names))
        texts.extract()
        for tag in tags:
            out.append(replace(texts.update(tag), warnings=tuple(notes.pop(tag, ()))))
        cache.save()
    return out


@dataclass(frozen=True)
class _Job:
    """What updating one language needs (inherited by the worker processes)."""
    project: Project
    names: tuple[str, ...]
    pots: dict[str, str | None]      # essay -> digest of its template's bytes
    extras: dict[str, list]          # tag -> compendium use (see compendium_use)
    records: dict[str, dict]         # the cache's catalogue records
    memory: dict[str, str]           # catalogue digest -> digest of its finished translations
    digests: FileDigests = field(default_factory=FileDigests)   # the files' digests
    # (tag, essay) -> the catalogue's path, checked once a run (Project.po_path resolves
    # the path of a catalogue not yet made each time it is asked)
    paths: dict[tuple[str, str], Path] = field(default_factory=dict)


class _Language:
    """Updating the catalogues of one language, essay after essay (an essay's memory sees
    the catalogues updated before it, as in a run on one process)."""

    def __init__(self, job: _Job, tag: str):
        self.job, self.tag, self.project = job, tag, job.project
        self.team = catalog.language_team(tag, job.project.config.translators)
        # path -> (digest of the bytes read, what is read of them): catalogues parsed
        # before their essay's merge, their finished translations (what the memory reads)
        self.parsed: dict[Path, tuple[str | None, Any]] = {}
        self.finished: dict[Path, tuple[str | None, tuple[tuple[str, str], ...]]] = {}
        self.entries: dict[Path, tuple[tuple, tuple]] = {}     # path -> (finished, pairs)
        self.done: set[Path] = set()          # the catalogues whose essay was merged (or not)
        self.paths: dict[str, Path] = {}
        self.relative: dict[Path, str] = {}
        self.digests: dict[Path, str | None] = {}    # path -> its bytes' digest, this run
        self.essays = self.project.essays()
        self.records: dict[str, dict] = {}
        self.memory: dict[str, str] = {}
        self.extras: list[str] | None = None         # what the compendium gives, digested
        self._shared: Any = None               # the memory of every essay, indexed once
        self.compendium = False                 # in the shared memory yet

    @property
    def shared(self) -> catalog.SharedMemory:
        """(made when first used: an update with nothing to do imports no memory)"""
        if self._shared is None:
            self._shared = catalog.SharedMemory()
        return self._shared

    def path(self, essay: str) -> Path:
        if essay not in self.paths:
            key = (self.tag, essay)
            if key not in self.job.paths:
                self.job.paths[key] = self.project.po_path(languages.to_gettext(self.tag),
                                                           essay)
            self.paths[essay] = self.job.paths[key]
        return self.paths[essay]

    def shown(self, path: Path) -> str:
        """``path`` relative to the project's root, as the memory's origins name it."""
        if path not in self.relative:
            self.relative[path] = str(_relative(self.project, path))
        return self.relative[path]

    def run(self) -> list[UpdateResult]:
        return [self.one(essay) for essay in self.job.names]

    def base_key(self, essay: str, current: str | None) -> str:
        """The key without the memory: the template's and the catalogue's bytes..."""
        return digest("update", __version__, self.tag, self.team,
                      self.project.config.source_language, self.job.pots[essay], current)

    def key(self, essay: str, base: str, with_memory: bool) -> str:
        return digest(base, self.memory_digest(essay)) if with_memory else base

    def stale(self, essay: str) -> bool:
        """Whether the essay's catalogue will be merged whatever the memory holds (no
        file, no record, or not the bytes or template recorded): a guess, for reading
        templates early (``one`` decides)."""
        path = self.path(essay)
        record = self.job.records.get(str(_relative(self.project, path)))
        current = self.job.digests(path)
        return not (current and record and record.get("base") == self.base_key(essay, current))

    def work(self) -> int:
        """The bytes that merging the language's catalogues would read (a guess, for
        ``_jobs``, that hashes no file): the template and catalogue of each essay whose
        catalogue is not as recorded (``stale``), or no catalogue yet."""
        total = 0
        for essay in self.job.names:
            path = self.path(essay)
            info, known = self.job.digests.stat(path)
            record = self.job.records.get(self.shown(path))
            if info is None or known is None or record is None or \
                    record.get("base") != self.base_key(essay, known):
                total += _size(self.project.pot_path(essay)) + (info.st_size if info else 0)
        return total

    def recorded(self, essay: str | None = None) -> bool:
        """Whether the essay's catalogue (None: every essay's) is as the last run left it,
        its inputs the recorded ones: ``one`` would merge nothing."""
        if essay is None:
            return all(self.recorded(e) for e in self.job.names)
        path = self.path(essay)
        current = self.digest(path)
        record = self.job.records.get(self.shown(path))
        base = self.base_key(essay, current)
        # the memory's digest (reading the other catalogues) only when the rest matches
        return bool(current and record and record.get("base", base) == base and record.get(
            "key") == self.key(essay, base, record.get("memory", True)))

    def one(self, essay: str) -> UpdateResult:
        path = self.path(essay)
        shown = _relative(self.project, path)
        if path not in self.done:
            info, self.digests[path] = self.job.digests.stat(path)
            if info is not None and self.digests[path] is not None and self.recorded(essay):
                self.done.add(path)
                record = self.job.records[str(shown)]
                return UpdateResult(essay, self.tag, shown, False, False,
                                    catalog.MergeStats(**record["stats"]))
        self.done.add(path)
        now = _read_file(path)                                # as it is now
        current = self.digests[path] = None if now is None else _sha(now[0])
        if now is not None and current is not None:
            self.job.digests.read(path, now[1], current)
        if self.recorded(essay):
            stats = self.job.records[str(shown)]["stats"]
            return UpdateResult(essay, self.tag, shown, False, False,
                                catalog.MergeStats(**stats))
        old, read = self.load(path, now, current)
        comment = ""                   # the header of a new catalogue only
        if old is None or not getattr(old, "header", ""):
            pot, title = self.titled_template(essay)
            comment = catalog.translation_comment(title, essay, self.tag)
        else:
            pot = self.template(essay)
        merged, stats = catalog.merge_catalog(
            pot, old, tag=self.tag, team=self.team, memory=self.translation_memory(essay),
            comment=comment)
        data = self.format(essay, merged, pot).encode("utf-8")
        written = catalog.replace_catalog(path, merged, read, root=self.project.root,
                                          data=data)
        holds = self.wrote(path, data, merged, None if written else current)
        again = catalog.steady_stats(merged)
        if holds:
            base = self.base_key(essay, self.digest(path))
            self.records[str(shown)] = {
                "key": self.key(essay, base, again.untranslated > 0), "base": base,
                "memory": again.untranslated > 0, "stats": asdict(again)}
        else:       # a translator saved it just after: not this merge, merged next time
            self.records[str(shown)] = {"key": None, "base": None, "memory": True,
                                        "stats": asdict(again)}
        return UpdateResult(essay, self.tag, shown, old is None, written, stats)

    def template(self, essay: str):
        """The essay's template: rendered by this run's extract if it was, else read from
        its .pot when the file holds the bytes extract recorded (rendered again if not)."""
        key = (self.project.root, essay)
        pot_path = self.project.pot_path(essay)
        wanted = self.job.pots[essay]
        if key not in _TEMPLATES and wanted is not None:
            try:
                data = atomic.read_file(pot_path)
            except OSError:
                data = None
            if data is not None and hashlib.sha256(data).hexdigest() == wanted:
                found = _POTS.get(key)
                if found is None or found[0] != wanted:
                    found = _POTS[key] = (wanted, catalog.parse_catalog(data, pot_path), data)
                return found[1]
        pot = _templates(self.project, essay)[1]
        found = _POTS.get(key)
        if found is not None and found[1] is pot:
            return pot                      # its date adopted, its bytes known (below)
        catalog.adopt_date(pot_path, pot)   # as extract left it
        if key in _EXTRACTED and wanted is not None:
            # rendered and saved by this run's extract: the .pot holds its text, as
            # format_catalog writes it, when it holds the bytes extract recorded (see format)
            try:
                data = atomic.read_file(pot_path)
            except OSError:
                data = None
            if data is not None and hashlib.sha256(data).hexdigest() == wanted:
                _POTS[key] = (wanted, pot, data)
        return pot

    def format(self, essay: str, merged, pot) -> str:
        """The merged catalogue's text: the template's blocks reused (po.format_merged)
        when ``pot`` is the one read from the .pot, whose bytes extract wrote or found as
        it would write them (format_catalog's), or the one this run's extract rendered and
        saved, the .pot still holding the bytes it wrote (see ``template``)."""
        found = _POTS.get((self.project.root, essay))
        if found is None or found[1] is not pot:
            return catalog.format_catalog(merged)
        from ..catalog.po import entry_blocks, format_merged
        if isinstance(found[2], bytes):    # its blocks, once a run
            found = _POTS[(self.project.root, essay)] = (
                found[0], found[1], entry_blocks(found[2].decode("utf-8")))
        return format_merged(merged, pot, found[2])

    def titled_template(self, essay: str) -> tuple:
        """The essay's template and its title, for a new catalogue's header: the title its
        .pot's header comment gives (the template read, as ``template``); the source
        rendered if that comment or the header fields are not what extract writes."""
        pot = self.template(essay)
        title = catalog.template_title(pot.header or "", essay)
        date = pot.metadata.get("POT-Creation-Date", "")
        if title is None or pot.metadata != catalog.template_metadata(
                self.project.config.name, date):
            doc, pot = _templates(self.project, essay)     # the title: the source read
            catalog.adopt_date(self.project.pot_path(essay), pot)   # as extract left it
            title = catalog.document_title(doc)
        return pot, title

    def wrote(self, path: Path, data: bytes, merged, kept: str | None = None) -> bool:
        """``merged``, formatted as ``data``, is now the catalogue at ``path`` (unless a
        translator saved it meanwhile): the memory reads its finished translations without
        parsing the file, what it gives being what the file gives (see
        catalog.memory_entries); the catalogue itself is let go. ``kept``: the digest of
        the bytes read before the merge, when replace_catalog found the file still holding
        them and them equal to ``data`` (nothing written: not read again). Whether the
        file holds ``data`` (False: a translator saved it just after it was written)."""
        if kept is not None:
            self.digests[path] = kept
            self.finished[path] = (kept, catalog.memory.finished_pairs(merged))
            return True
        try:
            now, info = _read(path)
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            now = None                 # as file_digest reads it
        self.digests[path] = found = None if now is None else _sha(now)
        if found is not None:        # the bytes written, else another's (as any file read)
            (self.job.digests.own if now == data else self.job.digests.read)(path, info, found)
        if now == data:
            self.finished[path] = (self.digests[path], catalog.memory.finished_pairs(merged))
        return now == data

    def load(self, path: Path, read: tuple[bytes, os.stat_result] | None,
             current: str | None) -> tuple[object, catalog.Stamp | None]:
        """As catalog.load_catalog, from the bytes ``one`` read (``read``: None, no file;
        ``current``: their digest), the parse shared with the memory's reading (a merge
        never changes the catalogue it reads); an essay's catalogue is loaded once a run
        (its parse is not kept for that)."""
        held = self.parsed.pop(path, None)
        if read is None:
            return None, None
        data, stat = read
        digest = current or _sha(data)              # (``current`` is theirs)
        if held is None or held[0] != digest:
            held = (digest, catalog.parse_catalog(data, path))
        # as Stamp.of makes it, with the digest already known
        return held[1], catalog.Stamp(data, stat.st_size, stat.st_mtime_ns, digest)

    def finished_pairs(self, path: Path) -> tuple[tuple[str, str], ...]:
        """The finished translations of the catalogue at ``path`` (see
        memory.finished_pairs), read once a run: kept with the digest of the bytes they
        were read from, which is the key of everything this run reads (see ``digest``:
        no stat of every other catalogue for each essay). The catalogue parsed is kept
        only for its own essay's merge, if that is still to come."""
        current = self.digest(path)
        held = self.finished.get(path)
        if held is not None and held[0] == current:
            return held[1]
        parsed = self.parsed.get(path)
        if parsed is None or parsed[0] != current:
            data = _read(path)[0]
            parsed = (_sha(data), catalog.parse_catalog(data, path))
            if path not in self.done:
                self.parsed[path] = parsed
        self.finished[path] = held = (parsed[0], catalog.memory.finished_pairs(parsed[1]))
        return held[1]

    def memory_entries(self, path: Path) -> tuple:
        """What the catalogue at ``path`` gives a translation memory (read once)."""
        finished = self.finished_pairs(path)
        if path not in self.entries or self.entries[path][0] is not finished:
            self.entries[path] = (finished, catalog.memory.entries_of(finished))
        return self.entries[path][1]

    def digest(self, path: Path) -> str | None:
        """The digest of a catalogue's bytes (None: no such file), read once a run: only
        this run writes the language's catalogues meanwhile (and notes what it wrote)."""
        if path not in self.digests:
            self.digests[path] = self.job.digests(path)
        return self.digests[path]

    def others(self, essay: str) -> list[Path]:
        return [p for other in self.essays
                if other != essay and self.digest(p := self.path(other)) is not None]

    def translation_memory(self, essay: str) -> catalog.TranslationMemory:
        """The other essays' catalogues (exact and close matches), then the compendium
        (exact matches too when it is in the language, as ``msgmerge -C``); read only
        if the merge asks it something."""
        def load(_: catalog.TranslationMemory) -> None:
            for slot, other in enumerate(self.essays):
                if other != essay:          # its own slot is left out, as it is
                    path = self.path(other)
                    self.shared.set_slot(slot, None if self.digest(path) is None
                                         else self.memory_entries(path), self.shown(path))
            if not self.compendium:
                self.compendium = True
                for n, (origin, po, exact) in enumerate(self.job.extras[self.tag]):
                    self.shared.set_slot(len(self.essays) + n, catalog.memory_entries(po),
                                         origin, exact)
        return catalog.TranslationMemory(self.project.config.source_language, loader=load,
                                         base=self.shared,
                                         base_slot=self.essays.index(essay))

    def nothing(self) -> str:
        """The memory digest of a catalogue without finished translations, as the cache
        records it (under the name of no catalogue, ""): an update with nothing to do
        imports no memory to compute it."""
        known = self.job.memory.get("")
        if known is None:
            known = self.memory[""] = _nothing()
        return known

    def memory_digest(self, essay: str) -> str:
        """What the memory of ``essay``'s merge holds: the finished translations of the
        other catalogues, then of the compendium, in that order."""
        parts = []
        for path in self.others(essay):
            whole = self.digest(path) or ""              # others() are files
            if whole not in self.memory:
                self.memory[whole] = self.job.memory.get(whole) or \
                    catalog.memory.digest_of(self.finished_pairs(path))
            if self.memory[whole] != self.nothing():    # gives nothing, as no file
                parts.append(self.memory[whole])
        if self.extras is None:
            self.extras = [part for _, po, exact in self.job.extras[self.tag]
                           for part in (catalog.memory_digest(po), str(exact))]
        return digest(*parts, "compendium", *self.extras)


def _read(path: Path) -> tuple[bytes, os.stat_result]:
    """A file's bytes and its state when they were read."""
    with atomic.open_file(path) as handle:
        return handle.read(), os.fstat(handle.fileno())


def _read_file(path: Path) -> tuple[bytes, os.stat_result] | None:
    """A catalogue's bytes and state before its merge, None when there is no such file
    (as file_digest reads it): read once, for its digest and its parse."""
    try:
        with atomic.open_file(path) as handle:
            return handle.read(), os.fstat(handle.fileno())
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        return None


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@functools.cache
def _nothing() -> str:
    """The memory digest of a catalogue without finished translations (computed on first
    use: a build imports this module, not the memory)."""
    return catalog.memory_digest([])


_TEMPLATES: dict[tuple[Path, str], tuple] = {}
_POTS: dict[tuple[Path, str], tuple] = {}   # templates read: (digest, parsed, bytes or blocks)
_EXTRACTED: set[tuple[Path, str]] = set()   # the templates this run's extract rendered, saved


def _templates(project: Project, essay: str) -> tuple:
    """``_template`` once per process and essay (a run's sources do not change)."""
    key = (project.root, essay)
    if key not in _TEMPLATES:
        _TEMPLATES.clear() if len(_TEMPLATES) > 1000 else None
        _TEMPLATES[key] = _template(project, essay)
    return _TEMPLATES[key]


def _read_templates(job: _Job, tags: list[str]) -> None:
    """The templates of the essays whose catalogue in the first language will surely be
    merged (new, or not as the last run left it: most often every language's then), read
    before the workers fork: once, not once a worker. The other languages' catalogues
    are not read here (when nothing changed, that would read every catalogue twice)."""
    if not tags:
        return
    first = _Language(job, tags[0])
    for essay in job.names:
        if first.stale(essay):
            first.template(essay)


def _update_language(job: _Job, tag: str) -> tuple[list[UpdateResult], dict, dict, dict]:
    language = _Language(job, tag)
    return language.run(), language.records, language.memory, job.digests.taken()


@fewer_collections()
def pseudo_command(project: Project, lang: str = languages.PSEUDO,
                   essays: tuple[str, ...] = ()) -> list[UpdateResult]:
    """Catalogues in the pseudo language, every entry pseudo-translated."""
    tag = languages.normalize(lang)
    if tag != languages.PSEUDO:
        raise PublishError(f"{lang!r} is a real language: pseudo-translation would overwrite "
                           "its translations", hint=f"use --lang {languages.PSEUDO}")
    results = []
    for essay in project.require_essays(essays):
        doc, pot = _template(project, essay)
        catalog.save_template(project.pot_path(essay), pot)
        path = project.po_path(languages.to_gettext(tag), essay)
        old = catalog.read_catalog(path) if path.exists() else None
        merged, stats = catalog.merge_catalog(
            pot, old, tag=tag, team="Pseudo-translation",
            comment=catalog.translation_comment(catalog.document_title(doc), essay, tag))
        catalog.pseudo_catalog(merged)
        written = catalog.save_catalog(path, merged)
        results.append(UpdateResult(essay, tag, _relative(project, path), old is None,
                                    written, stats))
    if not essays:
        pot = _project_template(project)
        catalog.save_template(project.pot_path(PROJECT_CATALOGUE), pot)
        path = project.po_path(languages.to_gettext(tag), PROJECT_CATALOGUE)
        old = catalog.read_catalog(path) if path.exists() else None
        merged, stats = catalog.merge_catalog(pot, old, tag=tag, team="Pseudo-translation",
                                              comment=catalog.project.project_comment(
                                                  project.config.name, tag))
        catalog.pseudo_catalog(merged)
        results.append(UpdateResult(PROJECT_CATALOGUE, tag, _relative(project, path),
                                    old is None, catalog.save_catalog(path, merged), stats))
    return results


# ----------------------------------------------------------------------------- status

@dataclass(frozen=True)
class EssayStatus:
    essay: str
    path: Path
    exists: bool         # False: no catalogue yet, counted from the source as untranslated
    counts: catalog.Counts


@dataclass(frozen=True)
class LanguageStatus:
    lang: str
    essays: tuple[EssayStatus, ...] = field(default_factory=tuple)

    @property
    def total(self) -> catalog.Counts:
        return sum((e.counts for e in self.essays), catalog.Counts())


def status_languages(project: Project, codes: tuple[str, ...]) -> list[str]:
    """The languages asked for; by default the configured ones, then the folders under
    locale/ whose name is a gettext language name (another folder holds no catalogue of
    ours and is not a language)."""
    if codes:
        tags = [languages.normalize(c) for c in codes]
        for tag in tags:
            languages.to_gettext(tag)         # PublishError if it has no gettext name
        return tags
    found = [p.parent.name for p in sorted(project.locale_dir.glob("*/LC_MESSAGES"))]
    tags = list(project.config.target_languages)
    for folder in found:
        folder_tag = _folder_language(folder)
        if folder_tag and folder_tag not in tags:
            tags.append(folder_tag)
    return tags


def _folder_language(folder: str) -> str | None:
    """The BCP 47 tag of a folder under locale/ named as gettext names a language."""
    try:
        tag = languages.normalize(folder)
        return tag if languages.to_gettext(tag) == folder else None
    except PublishError:
        return None


@fewer_collections()
def status_command(project: Project, langs: tuple[str, ...] = ()) -> list[LanguageStatus]:
    """Counts per language and essay; a translation whose tags do not match its source
    segment's counts as invalid (needing work), as in ``build``."""
    templates: dict[str, tuple] = {}

    def template(essay: str) -> tuple:
        if essay not in templates:
            templates[essay] = _template(project, essay)
        return templates[essay]

    result = []
    for tag in status_languages(project, langs):
        rows = []
        for essay in project.essays():
            path = project.po_path(languages.to_gettext(tag), essay)
            found = path.exists()               # (not a file: read_catalog says so)
            if found:
                po = catalog.read_catalog(path)
                doc, pot = template(essay)
                # (as build counts: a segment the catalogue lacks is untranslated)
                counts = catalog.count_catalog(po, invalid=catalog.invalid_ids(po, doc),
                                               template=pot)
            else:
                counts = catalog.count_catalog(template(essay)[1])
            rows.append(EssayStatus(essay, _relative(project, path), found, counts))
        rows.append(_project_status(project, tag, templates))
        result.append(LanguageStatus(tag, tuple(rows)))
    return result


def _project_status(project: Project, tag: str, templates: dict) -> EssayStatus:
    path = project.po_path(languages.to_gettext(tag), PROJECT_CATALOGUE)
    found = path.exists()
    if PROJECT_CATALOGUE not in templates:
        templates[PROJECT_CATALOGUE] = _project_template(project)
    pot = templates[PROJECT_CATALOGUE]
    # (a text the catalogue lacks is untranslated, as an essay's segment)
    counts = catalog.count_catalog(catalog.read_catalog(path), template=pot) if found \
        else catalog.count_catalog(pot)
    return EssayStatus(PROJECT_CATALOGUE, _relative(project, path), found, counts)


def _counts_dict(counts: catalog.Counts) -> dict:
    return {
        "translated": {"segments": counts.translated, "words": counts.translated_words},
        "fuzzy": {"segments": counts.fuzzy, "words": counts.fuzzy_words},
        "untranslated": {"segments": counts.untranslated, "words": counts.untranslated_words},
        "invalid": {"segments": counts.invalid, "words": counts.invalid_words},
        "total": {"segments": counts.total, "words": counts.total_words},
        "percent": float(percent_text(counts.percent, 0.1)),
    }


def status_json(status: list[LanguageStatus]) -> str:
    data = {"languages": [
        {"lang": lang.lang, "gettext": languages.to_gettext(lang.lang),
         "essays": [{"essay": e.essay, "path": str(e.path), "exists": e.exists,
                     **_counts_dict(e.counts)} for e in lang.essays],
         "total": _counts_dict(lang.total)}
        for lang in status]}
    return json.dumps(data, indent=2, ensure_ascii=False)


def _cell(segments: int, words: int) -> str:
    return f"{segments:>5} / {words:>6}"


def status_table(status: list[LanguageStatus]) -> str:
    """A table: one row per language and essay, then the language's total."""
    named = [[(e.essay + ("" if e.exists else " (no catalogue)"), e.counts) for e in lang.essays]
             + [("TOTAL", lang.total)] for lang in status]
    width = max([len(name) for rows in named for name, _ in rows] + [5])
    lines = [f"{'LANG':<6} {'ESSAY':<{width}}  {'TRANSLATED':>14}  {'FUZZY':>14}  "
             f"{'UNTRANSLATED':>14}  {'INVALID':>14}  {'WORDS %':>7}",
             f"{'':<6} {'':<{width}}  {'seg / words':>14}  {'seg / words':>14}  "
             f"{'seg / words':>14}  {'seg / words':>14}"]
    for lang, rows in zip(status, named, strict=True):
        for name, c in rows:
            lines.append(f"{lang.lang:<6} {name:<{width}}  "
                         f"{_cell(c.translated, c.translated_words)}"
                         f"  {_cell(c.fuzzy, c.fuzzy_words)}  "
                         f"{_cell(c.untranslated, c.untranslated_words)}  "
                         f"{_cell(c.invalid, c.invalid_words)}  "
                         f"{percent_text(c.percent, 0.1):>6}%")
    return "\n".join(lines)


__all__ = ["ExtractResult", "UpdateResult", "EssayStatus", "LanguageStatus",
           "extract_command", "update_command", "pseudo_command", "status_command",
           "status_json", "status_table", "target_languages"]
