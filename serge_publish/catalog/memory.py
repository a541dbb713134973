"""Translation memory: exact and close matches between messages, with guards.

Exact matches (the same msgid elsewhere in the project, in the same language) are reused
as they are: identical sentences are translated once. A close match (at least
``THRESHOLD`` of its words in common, by ``difflib``'s ratio over word tokens) is only
*offered*, as a fuzzy translation showing the matched source as previous msgid (``#|``), and
only if nothing that changes meaning differs: its numbers, its placeholders (tags, note
references) and its negations (``not``, ``never``, ``n't``... in the source language) must
be the same. msgmerge offers “Chapitre 1” for “Chapter 12”; this memory does not.
"""
from __future__ import annotations

import difflib
import re
from collections import Counter
from dataclasses import dataclass, field

import polib

from serge_publish import languages
from serge_publish.catalog.placeholders import message_tags, normalize_message

THRESHOLD = 0.8
_TOKEN = re.compile(r"<[^<>]*>|&(?:lt|gt|amp);|\w+(?:['’]\w+)*|[^\w\s]")
_TAGS = re.compile(r"<[^<>]*>")
_NUMBER = re.compile(r"\d+(?:[.,:]\d+)*")
_CONTRACTED = re.compile(r"n['’]t$")
NEGATIONS = {
    "en": "not no never nor neither none nobody nothing nowhere cannot without hardly "
          "barely scarcely",
    "fr": "ne n' pas non jamais rien aucun aucune personne ni nullement sans guère",
    "de": "nicht kein keine keinen keinem keiner keines nie niemals nichts niemand "
          "weder noch ohne",
    "es": "no nunca jamás nada nadie ningún ninguno ninguna ni tampoco sin",
    "it": "non no mai niente nulla nessuno nessuna né senza",
    "pt": "não nunca jamais nada ninguém nenhum nenhuma nem sem",
    "ru": "не нет ни никогда ничего никто никакой без",
}


def negations(message: str, lang: str) -> int:
    """How many negations a message holds (words of the language's list, "n't", "n'...")."""
    words = set(NEGATIONS.get(languages.primary(lang), NEGATIONS["en"]).split())
    prefixes = tuple(w for w in words if w.endswith("'")) + tuple(
        w[:-1] + "’" for w in words if w.endswith("'"))
    tokens = _TOKEN.findall(_TAGS.sub(" ", message.lower()))
    return sum(1 for token in tokens if token in words or _CONTRACTED.search(token)
               or (prefixes and token.startswith(prefixes)))


def guard(source: str, candidate: str, lang: str) -> str | None:
    """Why ``candidate``'s translation must not be offered for ``source`` (None: it may)."""
    if Counter(_NUMBER.findall(_TAGS.sub(" ", source))) != \
            Counter(_NUMBER.findall(_TAGS.sub(" ", candidate))):
        return "numbers differ"
    if message_tags(source) != message_tags(candidate):
        return "placeholders or note references differ"
    if negations(source, lang) != negations(candidate, lang):
        return "negation differs"
    return None


@dataclass(frozen=True)
class Match:
    source: str         # the msgid that was translated
    target: str         # its translation
    ratio: float
    origin: str = ""    # where it comes from, e.g. "locale/fr/LC_MESSAGES/x.po"


@dataclass
class TranslationMemory:
    """Translated messages of one language. ``lang`` is the SOURCE language (negations)."""
    lang: str = "en"
    _exact: dict[str, Match] = field(default_factory=dict)
    _units: list[tuple[Match, tuple[str, ...]]] = field(default_factory=list)
    _seen: set[tuple[str, str]] = field(default_factory=set)

    def add(self, source: str, target: str, origin: str = "", exact: bool = True) -> None:
        """A translation to reuse; ``exact=False`` (a compendium): only offered as fuzzy."""
        source = normalize_message(source)
        if not source or not target or (source, target) in self._seen:
            return
        self._seen.add((source, target))
        match = Match(source, target, 1.0, origin)
        if exact:
            self._exact.setdefault(source, match)
        self._units.append((match, tuple(_TOKEN.findall(source))))

    def add_catalog(self, po: polib.POFile, origin: str = "", exact: bool = True) -> None:
        """The finished (not fuzzy) translations of a polib catalogue, obsolete ones too."""
        for entry in po:
            if entry.msgstr and not entry.fuzzy and not entry.msgid_plural:
                self.add(entry.msgid, entry.msgstr, origin, exact)

    def exact(self, source: str) -> Match | None:
        return self._exact.get(normalize_message(source))

    def suggest(self, source: str) -> Match | None:
        """The closest acceptable translation at or above THRESHOLD, or None."""
        tokens = tuple(_TOKEN.findall(source))
        matcher = difflib.SequenceMatcher(None, autojunk=False)
        matcher.set_seq2(tokens)
        best: Match | None = None
        for unit, unit_tokens in self._units:
            size = len(tokens) + len(unit_tokens)
            if not size or 2 * min(len(tokens), len(unit_tokens)) / size < THRESHOLD:
                continue
            matcher.set_seq1(unit_tokens)
            if matcher.quick_ratio() < THRESHOLD or (best and matcher.quick_ratio() <= best.ratio):
                continue
            ratio = matcher.ratio()
            if ratio >= THRESHOLD and (best is None or ratio > best.ratio) \
                    and guard(source, unit.source, self.lang) is None:
                best = Match(unit.source, unit.target, ratio, unit.origin)
        return best
