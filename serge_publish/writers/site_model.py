"""What the site and the feeds of a release are given (decided by
``commands/release_site.py``), and the site's words: ``data/site_text.json`` (English,
marked ``lang="en"``, for a language without a table).
"""
from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources

from lxml import etree

from .. import languages
from .xhtml import element, set_isolated_text, set_lang


@dataclass(frozen=True)
class Download:
    path: str                    # site path of the file
    size: int                    # bytes


@dataclass(frozen=True)
class EssayEntry:
    """One edition (an essay, or the anthology) in one language."""
    essay: str
    lang: str
    title: str
    title_lang: str | None       # set when the title is shown in another language
    authors: tuple[str, ...]
    translators: tuple[str, ...]
    date: str                    # first publication, ISO ("" unknown)
    summary: str
    epub: Download
    cover: str                   # site path of its cover
    percent: float               # words translated
    identifier: str
    modified: str                # the edition's date, ISO 8601 UTC

    @property
    def page(self) -> str:
        return f"{self.lang}/{'index' if self.essay == 'anthology' else self.essay}.html"


@dataclass(frozen=True)
class LanguageEntry:
    lang: str
    essays: tuple[EssayEntry, ...]
    anthology: EssayEntry | None


@dataclass(frozen=True)
class ProgressRow:
    """The counts ``serge-publish status`` gives for one catalogue."""
    essay: str
    segments: tuple[int, int, int]      # translated, fuzzy, untranslated
    words: tuple[int, int, int]
    percent: float


@dataclass(frozen=True)
class SiteInfo:
    name: str
    source_lang: str
    publisher: str
    base_url: str
    version: str
    updated: str                                  # ISO date of the release
    description: Mapping[str, str]                # language -> what the collection is
    languages: tuple[LanguageEntry, ...]
    progress: tuple[tuple[str, tuple[ProgressRow, ...]], ...] = ()   # language -> rows

    def language(self, lang: str) -> LanguageEntry:
        return next(entry for entry in self.languages if entry.lang == lang)

    @property
    def authors(self) -> tuple[str, ...]:
        names: dict[str, None] = {}
        for entry in self.languages:
            for essay in entry.essays:
                names.update(dict.fromkeys(essay.authors))
        return tuple(names)


# ---------------------------------------------------------------- words

@cache
def _tables() -> dict[str, dict[str, str]]:
    path = resources.files("serge_publish").joinpath("data/site_text.json")
    return json.loads(path.read_text(encoding="utf-8"))


def words(lang: str) -> tuple[dict[str, str], str | None]:
    """The site's words in ``lang``, and "en" when they are English instead."""
    tables = _tables()
    for tag in (lang, languages.primary(lang)):
        if tag in tables:
            return tables[tag], None
    return tables["en"], "en"


def say(tag: str, key: str, lang: str, parent: etree._Element, **values: str) -> etree._Element:
    """An element holding a site word, marked English where it falls back (the names
    isolated in its values in ``<bdi>``s: see :func:`xhtml.set_isolated_text`)."""
    table, fallback = words(lang)
    el = element(tag, parent=parent)
    text = table[key].format(**values)
    if text:
        set_isolated_text(el, text)
    if fallback and languages.primary(lang) != fallback:
        set_lang(el, fallback, lang)
    return el


def size_text(size: int, lang: str) -> str:
    return words(lang)[0]["kilobytes"].format(n=max(1, round(size / 1024)))
