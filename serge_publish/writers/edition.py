"""What the writers are given: one essay (or the anthology) in one language, ready to write.

Built by ``commands/build.py`` after every catalogue has been read and applied; the
writers only turn these into bytes (no I/O, no decisions about thresholds).
"""
from __future__ import annotations

import datetime as dt
import functools
import uuid
from dataclasses import dataclass

from ..model import Document
from ..names import split_names  # noqa: F401  (the writers' name for it)


@dataclass(frozen=True)
class Publisher:
    """Project-wide facts (serge-publish.toml), their texts in the edition's language
    (from locale/<lang>/LC_MESSAGES/_project.po, else the source's)."""
    project: str            # project name (translated: the anthology's title)
    publisher: str = ""
    rights: str = ""
    key: str = ""           # the project's name as configured: identifiers never change
    project_lang: str = ""  # the language of ``project`` when not the edition's
    description: str = ""
    description_lang: str = ""      # its language when not the edition's (not translated)
    blurb: str = ""
    introduction: str = ""
    subjects: tuple[str, ...] = ()
    rights_lang: str = ""           # the language of ``rights`` when not the edition's
    subject_langs: tuple[str, ...] = ()     # each subject's when not the edition's, else ""

    @property
    def identity(self) -> str:
        return self.key or self.project


@dataclass(frozen=True)
class Credits:
    """Who made this translation (names only) and how far it is from finished."""
    translators: tuple[str, ...] = ()
    revisers: tuple[str, ...] = ()
    editors: tuple[str, ...] = ()
    status: str = ""        # "", "draft", "machine-assisted", "reviewed"


@dataclass(frozen=True)
class EssayFacts:
    """What the configuration knows of the essay ([essays.<id>]), texts translated."""
    url: str = ""                    # the original publication
    description: str = ""
    rights: str = ""                 # the essay's rights, translated
    rights_lang: str = ""            # its language when it fell back to the source
    subjects: tuple[str, ...] = ()
    subject_langs: tuple[str, ...] = ()     # each subject's when it fell back, else ""
    permission_from: str = ""
    permission_date: str = ""


@dataclass(frozen=True)
class Edition:
    """One essay in one language. ``document`` is translated (fallback segments carry the
    source language) and already filtered (no reader comments unless configured)."""
    document: Document
    lang: str                      # BCP 47 tag of the edition
    source_lang: str               # BCP 47 tag of the original
    publisher: Publisher
    date: dt.datetime              # UTC; dcterms:modified and zip timestamps
    translators: tuple[str, ...] = ()
    fallbacks: int = 0             # segments shown in the source language
    credits: Credits = Credits()   # revisers, editors, status (translators above)
    facts: EssayFacts = EssayFacts()

    @property
    def essay(self) -> str:
        return self.document.id

    @property
    def is_source(self) -> bool:
        return self.lang == self.source_lang

    @property
    def identifier(self) -> str:
        return identifier(self.publisher.identity, self.essay, self.lang)

    @property
    def source_identifier(self) -> str:
        return identifier(self.publisher.identity, self.essay, self.source_lang)


@dataclass(frozen=True)
class Anthology:
    """Every published essay of one language in one book."""
    editions: tuple[Edition, ...]
    lang: str
    source_lang: str
    publisher: Publisher
    date: dt.datetime

    @property
    def identifier(self) -> str:
        return identifier(self.publisher.identity, "anthology", self.lang)

    @property
    def translators(self) -> tuple[str, ...]:
        names: list[str] = []
        for edition in self.editions:
            names.extend(n for n in edition.translators if n not in names)
        return tuple(names)

    @property
    def is_source(self) -> bool:
        return self.lang == self.source_lang

    @property
    def fallbacks(self) -> int:
        return sum(e.fallbacks for e in self.editions)


@functools.lru_cache(maxsize=4096)      # asked for by the OPF, the colophon, the site...
def identifier(project: str, essay: str, lang: str) -> str:
    """A stable identifier per essay and language: urn:uuid:<uuid5 of the three>."""
    name = f"serge-publish/{project}/{essay}/{lang}"
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, name)}"

