"""The project's configuration (``serge-publish.toml``), read once into a typed, normalised,
checked value that every later stage takes as given.

Language tags are BCP 47 (``pt_BR`` is read as ``pt-BR``; every target language must also
have a gettext name, for its folder under ``locale/``); translators are lists of names keyed
by the tag; booleans are TOML booleans, strings strings, lists lists; the threshold is a
number from 0 to 100. A wrong value, an unknown key or table, or a bad language is a
ProjectError at ``serge-publish.toml:LINE`` with a hint. tomllib gives no positions: the
line is that of the key in its table, found in the text (see :func:`key_line`).
"""
from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from . import atomic, languages
from .errors import ProjectError, PublishError
from .names import looks_like_name, split_names

CONFIG_NAME = "serge-publish.toml"
HINT = "see README.md, 'Configuration'"
THRESHOLD_RANGE = (0, 100)


@dataclass(frozen=True)
class Config:
    name: str = "Untitled project"
    publisher: str = ""
    source_language: str = "en"             # BCP 47
    target_languages: tuple[str, ...] = ()  # BCP 47, each once, never the source language
    rights: str = ""
    translators: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # tag -> names
    revisers: Mapping[str, tuple[str, ...]] = field(default_factory=dict)     # tag -> names
    editors: Mapping[str, tuple[str, ...]] = field(default_factory=dict)      # tag -> names
    status: Mapping[str, str] = field(default_factory=dict)  # tag -> one of STATUSES
    description: str = ""                   # the anthology's (translated via _project.po)
    blurb: str = ""                         # the publisher's blurb (likewise)
    introduction: str = ""                  # the anthology's introduction (likewise)
    subjects: tuple[str, ...] = ()          # dc:subject of every edition
    order: tuple[str, ...] = ()             # essays of the anthology, first ones first
    essays: Mapping[str, EssayConfig] = field(default_factory=dict)   # id -> facts
    threshold: float = 80.0                 # % of words translated to publish an edition
    include_comments: bool = False          # put reader comments into editions
    base_url: str = ""                      # where the static site is published

    @property
    def site_languages(self) -> tuple[str, ...]:
        """The source language, then the targets: the languages the site links."""
        return (self.source_language, *self.target_languages)

    def translators_of(self, tag: str) -> tuple[str, ...]:
        return tuple(self.translators.get(tag, ()))

    def essay(self, essay: str) -> EssayConfig:
        return self.essays.get(essay, EssayConfig())


# How far a translation is from a finished one: printed in the colophon as a translated
# statement (furniture "status_<name>"), never as a credit.
STATUSES = ("draft", "machine-assisted", "reviewed")


@dataclass(frozen=True)
class EssayConfig:
    """What the editors know of one essay beyond its source ([essays.<id>])."""
    url: str = ""                # the original publication, where known
    description: str = ""        # dc:description of its editions (translated via _project.po)
    subjects: tuple[str, ...] = ()
    permission_from: str = ""    # who gave permission to translate and publish
    permission_date: str = ""    # when (ISO 8601)


def is_threshold(value: object) -> bool:
    """The one rule for a threshold: a number (not a boolean) from 0 to 100."""
    low, high = THRESHOLD_RANGE
    return isinstance(value, (int, float)) and not isinstance(value, bool) \
        and low <= value <= high


# ---------------------------------------------------------------- reading

def load_config(path: Path) -> Config:
    """The checked configuration in ``path``, which must have a [project] table: every
    configuration ``init`` writes has one, and a file without it (emptied, truncated,
    another tool's) would otherwise be read as an untitled English-only project."""
    text = read_toml_text(path)
    data = parse_toml(text, path)
    if "project" not in data:
        what = "is empty: it has" if not data else "has"
        raise ProjectError(f"the configuration {what} no [project] table (name, languages)",
                           where=str(path), hint=f"restore it from git (git restore "
                           f"{path.name}) or write its [project] table again ({HINT}); "
                           "'serge-publish init DIR' writes one for a new project")
    return config_from_dict(data, text, path.name)


def read_toml_text(path: Path) -> str:
    try:
        return atomic.read_file(path).decode("utf-8")
    except OSError as exc:
        raise ProjectError(f"cannot read {path.name}: {atomic.reason(exc)}", where=str(path),
                           hint=atomic.reason_hint(exc)) from exc
    except UnicodeDecodeError as exc:
        raise ProjectError(f"cannot read {path.name}: {exc}", where=str(path),
                           hint="save it as UTF-8") from exc


def parse_toml(text: str, path: Path) -> dict:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"\(at line (\d+), column \d+\)$", str(exc))
        message = str(exc)[:found.start()].strip() if found else str(exc)
        raise ProjectError(f"invalid TOML: {message}",
                           where=f"{path.name}:{found[1]}" if found else str(path),
                           hint=f"fix the syntax; {HINT}") from exc


def key_line(text: str, table: str | None, key: str | None = None) -> int | None:
    """The line (from 1) of ``key`` in ``[table]`` (``table`` None: the top level; ``key``
    None: the table's header), found in the TOML text; None when it is not written in
    that simple form (dotted keys, inline tables)."""
    current: str | None = None
    for number, line in enumerate(text.splitlines(), 1):
        header = re.match(r"\s*\[\s*([^\[\]]+?)\s*\]\s*(#.*)?$", line)
        if header:
            current = header[1].strip().strip('"\'')
            if key is None and current == table:
                return number
            continue
        found = re.match(r"""\s*(?:"([^"]*)"|'([^']*)'|([A-Za-z0-9_-]+))\s*=""", line)
        if key is not None and current == table and found and key in found.groups():
            return number
    return None


class _Reader:
    """Checks one TOML document's values, each error located at its key's line."""

    def __init__(self, text: str, file: str) -> None:
        self.text, self.file = text, file

    def error(self, message: str, table: str | None, key: str | None = None,
              hint: str = HINT) -> ProjectError:
        line = key_line(self.text, table, key)
        if line is None and key is not None:
            line = key_line(self.text, table)
        where = f"{self.file}:{line}" if line else self.file
        return ProjectError(message, where=where, hint=hint)

    def table(self, data: dict, name: str, keys: tuple[str, ...] | None) -> dict:
        value = data.get(name, {})
        if not isinstance(value, dict):
            raise self.error(f"{name} must be a table ([{name}])", None, name)
        for key in value if keys is not None else ():
            if keys is not None and key not in keys:
                raise self.error(f"unknown key {key!r} in [{name}]", name, key,
                                 f"the keys of [{name}] are {', '.join(keys)}; {HINT}")
        return value

    def string(self, table: dict, name: str, key: str, default: str) -> str:
        value = table.get(key, default)
        if not isinstance(value, str):
            raise self.error(f"[{name}] {key} must be a string (in quotes), not "
                             f"{_shown(value)}", name, key)
        return value

    def boolean(self, table: dict, name: str, key: str, default: bool) -> bool:
        value = table.get(key, default)
        if not isinstance(value, bool):
            raise self.error(f"[{name}] {key} must be true or false (without quotes), not "
                             f"{_shown(value)}", name, key)
        return value

    def language(self, code: object, name: str | None, key: str) -> str:
        label = f"[{name}] {key}" if name else key
        if not isinstance(code, str):
            raise self.error(f"{label}: a language must be a string such as \"fr\", "
                             f"not {_shown(code)}", name, key)
        try:
            return languages.normalize(code)
        except PublishError as exc:
            raise self.error(f"{label}: {exc.message}", name, key,
                             exc.hint or HINT) from None


def _shown(value: object) -> str:
    kinds = {bool: "a boolean", int: "a number", float: "a number", str: "a string",
             list: "a list", dict: "a table"}
    return f"{kinds.get(type(value), type(value).__name__)} ({_toml(value)})"


def _toml(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value) if not isinstance(value, str) else f'"{value}"'


PROJECT_KEYS = ("name", "publisher", "source_language", "target_languages", "rights",
                "base_url", "description", "blurb", "subjects")
BUILD_KEYS = ("threshold", "include_comments")
CREDIT_KEYS = ("translators", "revisers", "editors", "status")
ESSAY_KEYS = ("url", "description", "subjects", "permission_from", "permission_date")
ANTHOLOGY_KEYS = ("order", "introduction")
TABLES = ("project", "translators", "credits", "essays", "anthology", "build")


def config_from_dict(data: dict, text: str = "", file: str = CONFIG_NAME) -> Config:
    """The checked configuration of a parsed ``serge-publish.toml`` (``text`` locates
    errors)."""
    read = _Reader(text, file)
    hint = f"the tables are [{'], ['.join(TABLES)}]; {HINT}"
    for key, value in data.items():
        if key in TABLES:
            continue
        if isinstance(value, dict):
            raise read.error(f"unknown table [{key}]", key, None, hint)
        raise read.error(f"unknown table or key {key!r}", None, key, hint)
    project = read.table(data, "project", PROJECT_KEYS)
    build = read.table(data, "build", BUILD_KEYS)
    anthology = read.table(data, "anthology", ANTHOLOGY_KEYS)
    source = read.language(project.get("source_language", "en"), "project",
                           "source_language")
    return Config(
        name=read.string(project, "project", "name", Config.name),
        publisher=read.string(project, "project", "publisher", ""),
        source_language=source,
        target_languages=_targets(read, project, source),
        rights=read.string(project, "project", "rights", ""),
        **_credits(read, read.table(data, "translators", None),
                   read.table(data, "credits", None)),
        description=read.string(project, "project", "description", ""),
        blurb=read.string(project, "project", "blurb", ""),
        subjects=_strings(read, project, "project", "subjects"),
        introduction=read.string(anthology, "anthology", "introduction", ""),
        order=_strings(read, anthology, "anthology", "order"),
        essays=_essays(read, read.table(data, "essays", None)),
        threshold=_threshold(read, build),
        include_comments=read.boolean(build, "build", "include_comments", False),
        base_url=read.string(project, "project", "base_url", ""),
    )


def _targets(read: _Reader, project: dict, source: str) -> tuple[str, ...]:
    codes = project.get("target_languages", [])
    key = "target_languages"
    if not isinstance(codes, list):
        raise read.error(f"[project] {key} must be a list such as [\"fr\", \"de\"], not "
                         f"{_shown(codes)}", "project", key)
    tags: list[str] = []
    for code in codes:
        tag = read.language(code, "project", key)
        try:
            languages.to_gettext(tag)
        except PublishError as exc:
            raise read.error(f"[project] {key}: {exc.message}", "project", key,
                             exc.hint or HINT) from None
        if tag == source:
            raise read.error(f"[project] {key}: {code!r} is the source language",
                             "project", key, "list only the languages translated into")
        if tag in tags:
            raise read.error(f"[project] {key}: {code!r} is listed twice (as {tag})",
                             "project", key, "list each language once")
        tags.append(tag)
    return tuple(tags)


def _translators(read: _Reader, table: dict) -> dict[str, tuple[str, ...]]:
    """``fr = "A, B"`` or ``fr = ["A", "B"]``, keyed by the BCP 47 tag (the old form)."""
    credits: dict[str, tuple[str, ...]] = {}
    for code, value in table.items():
        tag = read.language(code, "translators", code)
        if tag in credits:
            raise read.error(f"[translators] {code!r} names {tag} a second time",
                             "translators", code, "give each language one line")
        credits[tag] = _names(read, value, "translators", code)
    return credits


def _names(read: _Reader, value: object, table: str, key: str) -> tuple[str, ...]:
    """People's names: a string (separated by , or ;) or a list of strings, each one
    looking like a person's or a team's name (not a sentence)."""
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        names = tuple(dict.fromkeys(n.strip() for n in value if n.strip()))
    elif isinstance(value, str):
        names = split_names(value)
    else:
        raise read.error(f"[{table}] {key} must be a string of names (separated by , or ;) "
                         f"or a list of strings, not {_shown(value)}", table, key)
    for name in names:
        if not looks_like_name(name):
            raise read.error(f"[{table}] {key}: {name!r} does not look like a person's name",
                             table, key, "credits are names (\"Jeanne Dupont\"); say how a "
                             "translation was made with status = \"draft\", "
                             "\"machine-assisted\" or \"reviewed\"")
    return names


def _credits(read: _Reader, old: dict, tables: dict) -> dict:
    """[credits.<lang>] (translators, revisers, editors, status) and the old [translators]."""
    found: dict[str, dict] = {"translators": _translators(read, old), "revisers": {},
                              "editors": {}, "status": {}}
    for code in tables:
        name = f"credits.{code}"
        table = read.table({name: tables[code]}, name, CREDIT_KEYS)
        tag = read.language(code, "credits", code)
        if tag in found["translators"] and "translators" in table:
            raise read.error(f"[{name}] translators: {tag} has translators in [translators] "
                             "too", name, "translators", "name them in one place")
        for role in ("translators", "revisers", "editors"):
            if role in table:
                found[role][tag] = _names(read, table[role], name, role)
        status = read.string(table, name, "status", "")
        if status and status not in STATUSES:
            raise read.error(f"[{name}] status must be one of {', '.join(STATUSES)}, not "
                             f"{status!r}", name, "status")
        if status:
            found["status"][tag] = status
    return found


def _strings(read: _Reader, table: dict, name: str, key: str) -> tuple[str, ...]:
    value = table.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise read.error(f"[{name}] {key} must be a list of strings, not {_shown(value)}",
                         name, key)
    return tuple(dict.fromkeys(v.strip() for v in value if v.strip()))


def _essays(read: _Reader, tables: dict) -> dict[str, EssayConfig]:
    essays: dict[str, EssayConfig] = {}
    for essay, value in tables.items():
        name = f"essays.{essay}"
        table = read.table({name: value}, name, ESSAY_KEYS)
        date = read.string(table, name, "permission_date", "")
        if date and not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", date):
            raise read.error(f"[{name}] permission_date must be a date such as "
                             f"\"2024-05-01\", not {date!r}", name, "permission_date")
        url = read.string(table, name, "url", "")
        if url and not re.match(r"https?://", url):
            raise read.error(f"[{name}] url must start with http:// or https://", name, "url")
        essays[essay] = EssayConfig(
            url=url, description=read.string(table, name, "description", ""),
            subjects=_strings(read, table, name, "subjects"),
            permission_from=read.string(table, name, "permission_from", ""),
            permission_date=date)
    return essays


def _threshold(read: _Reader, build: dict) -> float:
    value = build.get("threshold", Config.threshold)
    if not is_threshold(value):
        raise read.error(f"[build] threshold must be a number from {THRESHOLD_RANGE[0]} to "
                         f"{THRESHOLD_RANGE[1]}, not {_shown(value)}", "build", "threshold",
                         "the share of words translated to publish an edition, e.g. "
                         "threshold = 80")
    return float(value)


# ---------------------------------------------------------------- writing

def render_config(config: Config) -> str:
    def q(value: str) -> str:
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'

    langs = ", ".join(q(x) for x in config.target_languages)
    credits = "".join(f"{q(tag) if '-' in tag else tag} = {q(', '.join(names))}\n"
                      for tag, names in config.translators.items())
    return (
        "# serge-publish project configuration (see README.md, 'Configuration')\n"
        "[project]\n"
        f"name = {q(config.name)}\n"
        f"publisher = {q(config.publisher)}\n"
        f"source_language = {q(config.source_language)}\n"
        f"target_languages = [{langs}]\n"
        f"rights = {q(config.rights)}\n"
        f"base_url = {q(config.base_url)}\n\n"
        f"[translators]\n# fr = \"Name of the French translator\"\n{credits}\n"
        "[build]\n"
        f"threshold = {config.threshold:g}   # % of words translated to publish a language\n"
        f"include_comments = {'true' if config.include_comments else 'false'}\n"
    )


# ---------------------------------------------------------------- published.toml

PUBLISHED_NAME = "published.toml"
PUBLISHED_HINT = "see README.md, 'Editions'"


def load_published(path: Path) -> dict[str, tuple[str, ...]]:
    """The editions published so far (``published.toml`` beside the configuration): BCP 47
    tag -> essay ids, sorted. None recorded when the file does not exist."""
    if not path.exists():
        return {}
    text = read_toml_text(path)
    data = parse_toml(text, path)
    read = _Reader(text, path.name)
    record: dict[str, tuple[str, ...]] = {}
    for code, essays in data.items():
        tag = read.language(code, None, code)
        if tag in record:
            raise read.error(f"{code!r} names {tag} a second time", None, code,
                             f"give each language one line; {PUBLISHED_HINT}")
        if not isinstance(essays, list) or not all(isinstance(e, str) for e in essays):
            raise read.error(f"{code} must be a list of essay ids such as [\"my-essay\"], "
                             f"not {_shown(essays)}", None, code, PUBLISHED_HINT)
        record[tag] = tuple(sorted(set(essays)))
    return record


def published_line(path: Path, tag: str) -> str:
    """``published.toml:LINE`` of a language's entry (the file's name when not found)."""
    try:
        text = read_toml_text(path)
    except PublishError:
        return path.name
    line = key_line(text, None, tag)
    return f"{path.name}:{line}" if line else path.name


def render_published(record: dict[str, tuple[str, ...]]) -> str:
    lines = ["# Editions published by `serge-publish build`, per language (README.md, "
             "'Editions').",
             "# A listed edition stays published when its translation falls below the "
             "threshold",
             "# (its untranslated passages are shown in the original). To unpublish one, "
             "remove it",
             "# here. Keep this file in version control: the build reads it."]
    for tag in sorted(record):
        essays = ", ".join(f'"{e}"' for e in record[tag])
        lines.append(f"{tag} = [{essays}]")
    return "\n".join(lines) + "\n"
