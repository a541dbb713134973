"""Where things are in a publishing project; its configuration is read by
:mod:`serge_publish.config`."""
from __future__ import annotations

import functools
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from . import languages
from .config import CONFIG_NAME, PUBLISHED_NAME, Config, load_config, render_config
from .errors import CatalogError, Diagnostic, ProjectError, PublishError

__all__ = ["CONFIG_NAME", "Config", "Project", "find_project", "init_project",
           "LANGUAGE_FILES", "TOP_FILES", "RESERVED_IDS"]

# The build's own files: build/<lang>/<name> per format (what writes it), and build/<name>.
# No essay may take their names: its build/<lang>/<essay>.<format> would be one of them.
LANGUAGE_FILES = {"html": ("index.html", "the essays page"),
                  "epub": ("anthology.epub", "the anthology")}
TOP_FILES = ("index.html", "style.css", "build-report.json")
# The project's own catalogue (locale/_project.pot): it never collides with an essay's,
# since an essay id starts with a letter (importers/ids.py, ESSAY_ID).
PROJECT_CATALOGUE = "_project"
RESERVED_IDS = frozenset(name.rsplit(".", 1)[0] for name in
                         (*(n for n, _ in LANGUAGE_FILES.values()), *TOP_FILES))


@dataclass(frozen=True)
class Project:
    root: Path
    config: Config

    @property
    def source_dir(self) -> Path:
        return self.root / "source"

    @property
    def originals_dir(self) -> Path:
        return self.source_dir / "originals"

    @property
    def journal_path(self) -> Path:
        """The import's write-ahead journal (never a source: sources are ``*.xml``)."""
        return self.source_dir / "import-journal.json"

    @property
    def locale_dir(self) -> Path:
        return self.root / "locale"

    @property
    def published_path(self) -> Path:
        """The record of the editions published so far (written by build, kept in git)."""
        return self.root / PUBLISHED_NAME

    @property
    def build_dir(self) -> Path:
        return self.root / "build"

    def source_path(self, essay: str) -> Path:
        return self.source_dir / f"{essay}.xml"

    def pot_path(self, essay: str) -> Path:
        return self.inside(self.locale_dir / f"{essay}.pot")

    def po_path(self, lang: str, essay: str) -> Path:
        """``lang`` in gettext form (pt_BR). (A build asks for every catalogue of every
        language: the language's folder is made once, each name joined to it.)"""
        folders = self.__dict__.setdefault("_po_folders", {})     # (a frozen dataclass)
        folder = folders.get(lang)
        if folder is None:
            folder = folders[lang] = self.root / "locale" / lang / "LC_MESSAGES"
        return self.inside(folder / f"{essay}.po")

    def inside(self, path: Path) -> Path:
        """``path``, refused (CatalogError) when it is a link that leads out of the
        project: the file is named, the file it leads to is never read or shown."""
        if self._plainly_inside(path):
            return path
        what = "template" if path.suffix == ".pot" else "catalogue"
        try:
            resolved = path.resolve()
        except (OSError, RuntimeError) as exc:       # a loop of links (RuntimeError in 3.11)
            raise CatalogError(f"this {what} is a link that leads nowhere (a loop)",
                               where=str(path), hint=f"replace the link with the {what} "
                                                     "itself, or remove it") from exc
        if not resolved.is_relative_to(self._real_root):
            raise CatalogError(f"this {what} is a link to a file outside the project: "
                               "it is not read", where=str(path),
                               hint=f"replace the link with a copy of the {what} it "
                                    "stands for, or remove it")
        return path

    @functools.cached_property
    def _real_root(self) -> Path:
        return self.root.resolve()

    def _plainly_inside(self, path: Path) -> bool:
        """``path`` is a file (not a link) in a folder that resolves inside the project;
        each folder is resolved once (a build asks for every catalogue of every
        language). False: see what ``path.resolve()`` says."""
        try:
            if not stat.S_ISREG(os.lstat(path).st_mode):
                return False
        except OSError:
            return False
        folder = os.path.dirname(path)
        known = self.__dict__.setdefault("_folders", {})     # (a frozen dataclass)
        inside = known.get(folder)
        if inside is None:
            try:
                inside = Path(folder).resolve().is_relative_to(self._real_root)
            except (OSError, RuntimeError):
                return False
            known[folder] = inside
        return inside

    def stray_locale_folders(self) -> list[Diagnostic]:
        """A folder under locale/ that is not the gettext name of a language (pt-BR for
        pt_BR, a typo): its catalogues would never be read."""
        if not self.locale_dir.is_dir():
            return []
        return [Diagnostic("locale.stray-folder", message, f"locale/{folder.name}/")
                for folder in sorted(self.locale_dir.iterdir())
                if folder.is_dir() and not folder.name.startswith(".")
                and (message := _locale_folder_problem(folder.name))]

    def unread_locale(self) -> list[Diagnostic]:
        """Everything under locale/ that no command reads: :meth:`stray_locale_folders`,
        then :meth:`stray_catalogues` (what update, status, build and release report)."""
        return [*self.stray_locale_folders(), *self.stray_catalogues()]

    def stray_catalogues(self) -> list[Diagnostic]:
        """A template (``locale/*.pot``) or a catalogue (``locale/<lang>/LC_MESSAGES/*.po``)
        named after no essay (no ``source/<name>.xml``) and not the project's own: it is
        never read (a Poedit "Save As" under another name, a source removed). The files of
        a stray folder are not named again: :meth:`stray_locale_folders` names the folder."""
        # (names listed, not globbed: every command runs this, a no-change build too,
        # and pathlib's glob of 2,000 catalogues took 16 ms of its 350)
        if not self.locale_dir.is_dir():
            return []
        essays = self.essays()
        owners = {*essays, PROJECT_CATALOGUE}
        found: list[str] = []           # paths under locale/ of the strays
        with os.scandir(self.locale_dir) as entries:
            for entry in entries:
                if entry.name.endswith(".pot"):
                    if entry.name[:-4] not in owners:
                        found.append(entry.name)
                elif not entry.name.startswith(".") and entry.is_dir() \
                        and not _locale_folder_problem(entry.name):
                    for sub in ("", "/LC_MESSAGES"):    # (one saved beside LC_MESSAGES/)
                        try:
                            names = os.listdir(entry.path + sub)
                        except OSError:     # (none, or not a folder: update says so)
                            continue
                        found += [f"{entry.name}{sub}/{name}" for name in names
                                  if name.endswith(".po") and (not sub or name[:-3] not in owners)]
        return [Diagnostic("locale.stray-catalogue",
                           _stray_catalogue_problem(Path(rel), essays), f"locale/{rel}")
                for rel in sorted(found) if not rel.rpartition("/")[2].startswith(".")]

    def essays(self) -> list[str]:
        """Essay ids of every source, sorted (never the project catalogue's name)."""
        return sorted(p.stem for p in self.source_dir.glob("*.xml")
                      if p.stem != PROJECT_CATALOGUE)

    def require_essays(self, names: tuple[str, ...] | list[str] = ()) -> list[str]:
        known = self.essays()
        for name in names:
            if name not in known:
                raise ProjectError(f"no essay {name!r} in {self.source_dir}",
                                   hint=f"known essays: {', '.join(known) or 'none'}; "
                                        "import one with 'serge-publish import FILE'")
        return list(names) or known


def _locale_folder_problem(name: str) -> str:
    """Why ``name`` cannot be a catalogue folder ("" if it can)."""
    try:
        gettext_name = languages.to_gettext(languages.normalize(name))
    except PublishError:
        return ("this folder is not named after a language, so its catalogues are not "
                "read: rename it to a language's gettext name (fr, pt_BR, sr@latin) or move "
                "it out of locale/")
    if gettext_name == name:
        return ""
    return (f"catalogues are read from locale/{gettext_name}/, not from this folder: "
            f"move its files there (merge them if both folders hold some) and remove it")


def _stray_catalogue_problem(path: Path, essays: list[str]) -> str:
    """Why the template or catalogue at ``path`` is never read, and what to do."""
    what = "template" if path.suffix == ".pot" else "catalogue"
    if what == "catalogue" and path.parent.name != "LC_MESSAGES":
        return (f"catalogues are read from locale/{path.parent.name}/LC_MESSAGES/, not from "
                f"this folder, so this one is never read: move it there (if "
                f"LC_MESSAGES/{path.name} exists, merge the two, e.g. with msgcat, and keep "
                "one)")
    problem = (f"this {what} belongs to no essay of the project (there is no "
               f"source/{path.stem}.xml), so it is never read: ")
    if what == "template":
        return problem + "remove it ('serge-publish extract' writes the template of every essay)"
    import difflib
    close = difflib.get_close_matches(path.stem, essays, n=1, cutoff=0.6)
    if close:
        return problem + (f"rename it to {close[0]}.po if it is a translation of the essay "
                          f"{close[0]}, or remove it")
    return problem + ("rename it to <essay>.po if it is a translation of one of the essays "
                      f"({', '.join(essays) or 'there is none'}); restore source/{path.stem}.xml "
                      "if that was removed by mistake; else remove it")


def find_project(start: Path | None = None) -> Project:
    """The project whose config is in ``start`` or the nearest folder above it."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / CONFIG_NAME).exists():        # (not a file: load_config says so)
            return Project(folder, load_config(folder / CONFIG_NAME))
    raise ProjectError(f"no {CONFIG_NAME} in {here} or any folder above it",
                       hint="run 'serge-publish init DIR' to create a project, "
                            "or pass --project DIR")


def init_project(root: Path, config: Config) -> Project:
    """Create an empty project in ``root`` (which may exist but must not hold a project)."""
    if (root / CONFIG_NAME).exists():
        raise ProjectError(f"{root / CONFIG_NAME} exists already",
                           hint="this folder is a project; use it as it is")
    from . import atomic
    for sub in ("source/originals", "locale"):
        (root / sub).mkdir(parents=True, exist_ok=True)
    atomic.write_text(root / CONFIG_NAME, render_config(config))
    return Project(root, config)
