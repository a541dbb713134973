"""Where things are in a publishing project, and its configuration (serge-publish.toml)."""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from . import atomic, languages
from .errors import CatalogError, Diagnostic, ProjectError, PublishError

CONFIG_NAME = "serge-publish.toml"


@dataclass(frozen=True)
class Config:
    name: str = "Untitled project"
    publisher: str = ""
    source_language: str = "en"
    target_languages: tuple[str, ...] = ()
    rights: str = ""
    translators: dict[str, str] = field(default_factory=dict)  # lang -> names
    threshold: float = 80.0            # % of words translated to publish an edition
    include_comments: bool = False     # put reader comments into editions
    base_url: str = ""                 # where the static site is published


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
    def locale_dir(self) -> Path:
        return self.root / "locale"

    @property
    def build_dir(self) -> Path:
        return self.root / "build"

    def source_path(self, essay: str) -> Path:
        return self.source_dir / f"{essay}.xml"

    def pot_path(self, essay: str) -> Path:
        return self.inside(self.locale_dir / f"{essay}.pot")

    def po_path(self, lang: str, essay: str) -> Path:
        """``lang`` in gettext form (pt_BR)."""
        return self.inside(self.locale_dir / lang / "LC_MESSAGES" / f"{essay}.po")

    def inside(self, path: Path) -> Path:
        """``path``, refused (CatalogError) when it is a link that leads out of the
        project: the file is named, the file it leads to is never read or shown."""
        try:
            resolved = path.resolve()
        except (OSError, RuntimeError) as exc:       # a loop of links (RuntimeError in 3.11)
            raise CatalogError("this catalogue is a link that leads nowhere (a loop)",
                               where=str(path), hint="replace the link with the catalogue "
                                                     "itself, or remove it") from exc
        if not resolved.is_relative_to(self.root.resolve()):
            raise CatalogError("this catalogue is a link to a file outside the project: "
                               "it is not read", where=str(path),
                               hint="replace the link with a copy of the catalogue it "
                                    "stands for, or remove it")
        return path

    def stray_locale_folders(self) -> list[Diagnostic]:
        """A folder under locale/ that is not the gettext name of a language (pt-BR for
        pt_BR, a typo): its catalogues would never be read."""
        if not self.locale_dir.is_dir():
            return []
        return [Diagnostic("locale.stray-folder", message, f"locale/{folder.name}/")
                for folder in sorted(self.locale_dir.iterdir())
                if folder.is_dir() and not folder.name.startswith(".")
                and (message := _locale_folder_problem(folder.name))]

    def essays(self) -> list[str]:
        """Essay ids of every source, sorted."""
        return sorted(p.stem for p in self.source_dir.glob("*.xml"))

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


def find_project(start: Path | None = None) -> Project:
    """The project whose config is in ``start`` or the nearest folder above it."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / CONFIG_NAME).is_file():
            return Project(folder, load_config(folder / CONFIG_NAME))
    raise ProjectError(f"no {CONFIG_NAME} in {here} or any folder above it",
                       hint="run 'serge-publish init DIR' to create a project, "
                            "or pass --project DIR")


def load_config(path: Path) -> Config:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ProjectError(f"cannot read the configuration: {exc}", where=str(path)) from exc
    except tomllib.TOMLDecodeError as exc:
        raise ProjectError(f"invalid TOML: {exc}", where=str(path),
                           hint="fix the syntax; see README.md, 'Configuration'") from exc
    return config_from_dict(data, str(path))


def config_from_dict(data: dict, where: str) -> Config:
    proj = data.get("project", {})
    build = data.get("build", {})
    try:
        config = Config(
            name=str(proj.get("name", Config.name)),
            publisher=str(proj.get("publisher", "")),
            source_language=str(proj.get("source_language", "en")),
            target_languages=tuple(str(x) for x in proj.get("target_languages", [])),
            rights=str(proj.get("rights", "")),
            translators={str(k): str(v) for k, v in data.get("translators", {}).items()},
            threshold=float(build.get("threshold", 80.0)),
            include_comments=bool(build.get("include_comments", False)),
            base_url=str(proj.get("base_url", "")),
        )
    except (TypeError, ValueError, AttributeError) as exc:
        raise ProjectError(f"invalid configuration value: {exc}", where=where,
                           hint="see README.md, 'Configuration'") from exc
    if not 0 <= config.threshold <= 100:
        raise ProjectError("[build] threshold must be between 0 and 100", where=where)
    return config


def render_config(config: Config) -> str:
    def q(value: str) -> str:
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'

    langs = ", ".join(q(x) for x in config.target_languages)
    return (
        "# serge-publish project configuration (see README.md, 'Configuration')\n"
        "[project]\n"
        f"name = {q(config.name)}\n"
        f"publisher = {q(config.publisher)}\n"
        f"source_language = {q(config.source_language)}\n"
        f"target_languages = [{langs}]\n"
        f"rights = {q(config.rights)}\n"
        f"base_url = {q(config.base_url)}\n\n"
        "[translators]\n# fr = \"Name of the French translator\"\n\n"
        "[build]\n"
        f"threshold = {config.threshold:g}   # % of words translated to publish a language\n"
        f"include_comments = {'true' if config.include_comments else 'false'}\n"
    )


def init_project(root: Path, config: Config) -> Project:
    """Create an empty project in ``root`` (which may exist but must not hold a project)."""
    if (root / CONFIG_NAME).exists():
        raise ProjectError(f"{root / CONFIG_NAME} exists already",
                           hint="this folder is a project; use it as it is")
    for sub in ("source/originals", "locale"):
        (root / sub).mkdir(parents=True, exist_ok=True)
    atomic.write_text(root / CONFIG_NAME, render_config(config))
    return Project(root, config)
