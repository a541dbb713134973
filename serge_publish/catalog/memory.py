"""Translation memory: exact and close matches between messages, with guards.

Exact matches (the same msgid elsewhere in the project, or in a compendium in the same
language) are reused as they are: identical sentences are translated once. A close match is
only *offered*, as a fuzzy translation showing the matched source as previous msgid (``#|``):
at least ``THRESHOLD`` of its words in common (``difflib``'s ratio over word tokens, case
ignored), or, for short messages (headings, short sentences: fewer than ``SHORT`` words),
``CHAR_THRESHOLD`` of its characters (“Exile” → “In exile”, “Conclusions” → “Conclusion”,
pairs msgmerge makes too). It is offered only if nothing that changes meaning differs: its
numbers, its placeholders (tags, note references) and its negations (``not``, ``never``,
``n't``... in the source language) must be the same. msgmerge offers “Chapitre 1” for
“Chapter 12”; this memory does not.

Two consecutive sentences of a catalogue can be added as one unit (:meth:`add_pair`): a
sentence made by joining them is offered both halves' translations, joined.

The memory is indexed: each message's words (lower case, first ``KEY_CHARS`` letters, so
that “novel” and “novels” share a key) point to the messages that hold them, and only the
``CANDIDATES`` messages sharing the most uncommon keys with a query are compared with it.
Old catalogues whose note placeholders carry note numbers (``<n12/>``) are read as today's
(``<n1/>`` = the sentence's first note reference), their translations renamed to match.
"""
from __future__ import annotations

import difflib
import functools
import hashlib
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import polib

from serge_publish import languages
from serge_publish.catalog.placeholders import (
    join_messages,
    message_tags,
    normalize_message,
    rename_notes,
    renumber_notes,
)

THRESHOLD = 0.8           # word ratio
CHAR_THRESHOLD = 0.7      # character ratio, for short messages only
SHORT = 6                 # words: a message shorter than this is compared by characters too
KEY_CHARS = 5
CANDIDATES = 30           # messages compared with a query, those sharing the most keys
COMMON = 50               # a key held by more messages than this is not used to find them
_WORD = re.compile(r"\w+")
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


class Later:
    """A value made when first asked for (``later()``), then kept: pairs that several
    memories share, read only if one of them is asked something."""

    def __init__(self, make: Callable[[], tuple[tuple[str, str], ...]]) -> None:
        self._make: Callable[[], tuple[tuple[str, str], ...]] | None = make
        self._value: tuple[tuple[str, str], ...] = ()

    def __call__(self) -> tuple[tuple[str, str], ...]:
        if self._make is not None:
            make, self._make = self._make, None
            self._value = make()
        return self._value


@dataclass(frozen=True)
class Match:
    source: str         # the msgid that was translated
    target: str         # its translation
    ratio: float
    origin: str = ""    # where it comes from, e.g. "locale/fr/LC_MESSAGES/x.po"


@dataclass(frozen=True)
class _Unit:
    match: Match
    tokens: tuple[str, ...]     # word tokens, lower case
    folded: str                 # the message, lower case
    words: int


def _unit(match: Match) -> _Unit:
    return _Unit(match, *_measures(match.source))


@functools.lru_cache(maxsize=1 << 17)
def _measures(source: str) -> tuple[tuple[str, ...], str, int]:
    """A message's word tokens (lower case), the message in lower case, its word count;
    remembered: the memory of each essay holds the messages of the language's others."""
    tokens = tuple(t.casefold() for t in _TOKEN.findall(source))
    words = len(_WORD.findall(_TAGS.sub(" ", source)))
    return tokens, source.casefold(), words


@functools.lru_cache(maxsize=1 << 17)
def _keys(message: str) -> frozenset[str]:
    return frozenset(w.casefold()[:KEY_CHARS] for w in _WORD.findall(_TAGS.sub(" ", message)))


def _ratio(a: tuple | str, b: tuple | str, threshold: float) -> float:
    """difflib's ratio of ``a`` and ``b`` if it may reach ``threshold`` (else 0)."""
    size = len(a) + len(b)
    if not size or 2 * min(len(a), len(b)) / size < threshold:
        return 0.0
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    if matcher.quick_ratio() < threshold:
        return 0.0
    ratio = matcher.ratio()
    return ratio if ratio >= threshold else 0.0


def similarity(a: str, b: str) -> float:
    """How close two messages are, 0 when not close enough to offer one for the other."""
    return _similarity(_unit(Match(a, "", 1.0)), _unit(Match(b, "", 1.0)))


def _similarity(query: _Unit, unit: _Unit) -> float:
    ratio = _ratio(query.tokens, unit.tokens, THRESHOLD)
    if ratio < 1 and min(query.words, unit.words) < SHORT:
        ratio = max(ratio, _ratio(query.folded, unit.folded, CHAR_THRESHOLD))
    return ratio


@dataclass
class TranslationMemory:
    """Translated messages of one language. ``lang`` is the SOURCE language (negations)."""
    lang: str = "en"
    _exact: dict[str, Match] = field(default_factory=dict)
    _units: list[_Unit] = field(default_factory=list)
    _index: dict[str, list[int]] = field(default_factory=dict)
    _pending: list[Match] = field(default_factory=list)    # not indexed yet
    _seen: set[tuple[str, str]] = field(default_factory=set)
    # Fills the memory first when it is first asked something (then the additions made
    # before, in their order): a merge that asks nothing never reads the catalogues.
    loader: Callable[[TranslationMemory], None] | None = None
    # (the methods unbound: a memory holding itself would live, with the catalogues its
    # additions hold, until the cyclic collector runs, which the commands make rare)
    _deferred: list[tuple[Callable, tuple]] = field(default_factory=list)
    # What comes first: a language's shared memory without one of its slots (an essay's
    # own catalogue), indexed once for every essay of the language (see SharedMemory).
    base: SharedMemory | None = None
    base_slot: int = -1

    def _ready(self) -> None:
        if self.loader is not None:
            loader, self.loader = self.loader, None
            loader(self)
            for method, args in self._deferred:
                method(self, *args)
            self._deferred.clear()

    def add(self, source: str, target: str, origin: str = "", exact: bool = True) -> None:
        """A translation to reuse; ``exact=False``: only offered as fuzzy."""
        if self.loader is not None:
            self._deferred.append((TranslationMemory.add, (source, target, origin, exact)))
            return
        source = normalize_message(source)
        if not source or not target:
            return
        self._store(renumber_notes(source), rename_notes(target, source), origin, exact)

    def add_entries(self, entries: tuple[tuple[str, str], ...] | Later, origin: str = "",
                    exact: bool = True) -> None:
        """What :func:`memory_entries` read from a catalogue: as ``add_catalog`` adds it.
        ``entries`` may be a :class:`Later`: read when the memory is first asked something
        (at once if it has no loader)."""
        if self.loader is not None:
            self._deferred.append((TranslationMemory.add_entries, (entries, origin, exact)))
            return
        for source, target in entries() if isinstance(entries, Later) else entries:
            self._store(source, target, origin, exact)

    def _store(self, source: str, target: str, origin: str, exact: bool) -> None:
        if (source, target) in self._seen or self.base is not None and \
                self.base.holds((source, target), self.base_slot):
            return
        self._seen.add((source, target))
        match = Match(source, target, 1.0, origin)
        if exact:
            self._exact.setdefault(source, match)
        self._remember(match)

    def add_pair(self, first, second, origin: str = "") -> None:
        """Two consecutive translated entries as one unit (offered only, never exact):
        their msgids and their translations joined (see ``join_messages``)."""
        if self.loader is not None:
            self._deferred.append((TranslationMemory.add_pair, (first, second, origin)))
            return
        sources = [renumber_notes(normalize_message(e.msgid)) for e in (first, second)]
        targets = [rename_notes(e.msgstr, normalize_message(e.msgid)) for e in (first, second)]
        if all(sources) and all(targets):
            source, target = join_messages((sources[0], targets[0]), (sources[1], targets[1]))
            self._remember(Match(source, target, 1.0, origin))

    def _remember(self, match: Match) -> None:
        self._pending.append(match)        # indexed when first needed (most updates never)

    def _indexed(self) -> list[_Unit]:
        for match in self._pending:
            for key in _keys(match.source):
                self._index.setdefault(key, []).append(len(self._units))
            self._units.append(_unit(match))
        self._pending.clear()
        return self._units

    def add_catalog(self, po: polib.POFile, origin: str = "", exact: bool = True) -> None:
        """The finished (not fuzzy) translations of a polib catalogue, obsolete ones too."""
        for entry in po:
            if entry.msgstr and not entry.fuzzy and not entry.msgid_plural:
                self.add(entry.msgid, entry.msgstr, origin, exact)

    def empty(self) -> bool:
        """Whether the memory holds nothing: no exact match, nothing to offer."""
        self._ready()
        return not (self._exact or self._units or self._pending) and (
            self.base is None or self.base.empty(self.base_slot))

    def exact(self, source: str) -> Match | None:
        self._ready()
        source = renumber_notes(normalize_message(source))
        found = self.base.exact(source, self.base_slot) if self.base is not None else None
        return found or self._exact.get(source)

    def _candidates(self, source: str) -> list[_Unit]:
        """The units sharing the most uncommon keys with ``source`` (first added first):
        the base's (without its slot), then this memory's own."""
        self._indexed()
        keys = _keys(source)
        base, slot = self.base if self.base and self.base._index else None, self.base_slot
        index = self._index
        if base is None:
            if not index:
                return []
            sizes = {k: len(index[k]) for k in keys if k in index}
        else:
            sizes = {k: n for k in keys if (n := len(index.get(k, ())) + base.size(k, slot))}
        uncommon = [k for k, n in sizes.items() if n <= COMMON] or list(sizes)
        shared: Counter = Counter()
        for k in uncommon:
            if base is not None:
                shared.update(base.posting(k, slot))
            shared.update((_OWN, i) for i in self._index.get(k, ()))
        best = sorted(shared, key=lambda i: (-shared[i], i))[:CANDIDATES]
        return [self._units[i[1]] if i[0] == _OWN else base.unit(i)  # type: ignore[union-attr]
                for i in sorted(best)]

    def suggest(self, source: str) -> Match | None:
        """The closest acceptable translation (see the module), or None."""
        self._ready()
        source = renumber_notes(normalize_message(source))
        query = _unit(Match(source, "", 1.0))
        best: Match | None = None
        for unit in self._candidates(source):
            ratio = _similarity(query, unit)
            if ratio and (best is None or ratio > best.ratio) \
                    and guard(source, unit.match.source, self.lang) is None:
                best = Match(unit.match.source, unit.match.target, ratio, unit.match.origin)
        return best


_OWN = 1 << 62      # the slot of a memory's own units: after every slot of its base


class SharedMemory:
    """The finished translations of a language's catalogues, each in a slot (its place in
    the order the memory reads them), indexed once: the memory of each essay's merge is
    this one without the essay's own slot (``TranslationMemory(base=..., base_slot=...)``),
    holding exactly what adding the other slots' pairs in order would hold, the first
    occurrence of each pair its unit. A slot is replaced when its catalogue changes."""

    def __init__(self) -> None:
        self._slots: dict[int, tuple[tuple[tuple[str, str], ...], str, bool]] = {}
        self._occurrences: dict[tuple[str, str], list[tuple[int, int, str]]] = {}
        self._sources: dict[str, list[tuple[int, int, str, bool]]] = {}
        self._index: dict[str, set[tuple[str, str]]] = {}
        self._alone: dict[int, Counter] = {}    # slot -> keys of the pairs only it holds
        self._exact_slots: dict[int, bool] = {}

    def slot(self, slot: int) -> tuple[tuple[str, str], ...] | None:
        """The pairs in ``slot`` (None: empty)."""
        held = self._slots.get(slot)
        return held[0] if held else None

    def set_slot(self, slot: int, pairs: tuple[tuple[str, str], ...] | None,
                 origin: str = "", exact: bool = True) -> None:
        """``slot`` holds ``pairs`` (as ``memory_entries`` gives them) from now on."""
        held = self._slots.get(slot)
        if held is not None and held[0] is pairs and held[1:] == (origin, exact):
            return
        touched = {pair for pair in (held[0] if held else ())} | set(pairs or ())
        before = {pair: self._alone_in(pair) for pair in touched}
        if held is not None:
            for pair in dict.fromkeys(held[0]):
                self._occurrences[pair] = [o for o in self._occurrences[pair] if o[0] != slot]
                self._sources[pair[0]] = [o for o in self._sources[pair[0]] if o[0] != slot]
            del self._slots[slot]
        if pairs:
            self._slots[slot] = (pairs, origin, exact)
            for i, (source, target) in enumerate(pairs):
                self._occurrences.setdefault((source, target), []).append((slot, i, origin))
                self._sources.setdefault(source, []).append((slot, i, target, exact))
            for pair in dict.fromkeys(pairs):
                self._occurrences[pair].sort()
                self._sources[pair[0]].sort()
        for pair in touched:
            keys = _keys(pair[0])
            if (was := before[pair]) is not None:
                self._alone[was].subtract(keys)
            if not self._occurrences.get(pair):
                self._occurrences.pop(pair, None)
                for key in keys:
                    self._index[key].discard(pair)
                if not self._sources.get(pair[0]):
                    self._sources.pop(pair[0], None)
                continue
            for key in keys:
                self._index.setdefault(key, set()).add(pair)
            if (alone := self._alone_in(pair)) is not None:
                self._alone.setdefault(alone, Counter()).update(keys)

    def _alone_in(self, pair: tuple[str, str]) -> int | None:
        """The slot that alone holds ``pair`` (None: none, or several)."""
        found = self._occurrences.get(pair)
        return found[0][0] if found and found[0][0] == found[-1][0] else None

    def _first(self, pair: tuple[str, str], without: int) -> tuple[int, int, str] | None:
        return next((o for o in self._occurrences.get(pair, ()) if o[0] != without), None)

    def empty(self, without: int) -> bool:
        """Whether the slots but ``without`` hold nothing."""
        return all(slot == without for slot in self._slots)

    def holds(self, pair: tuple[str, str], without: int) -> bool:
        return self._first(pair, without) is not None

    def exact(self, source: str, without: int) -> Match | None:
        """As TranslationMemory.exact over the slots but ``without``."""
        for slot, i, target, exact in self._sources.get(source, ()):
            if slot != without and exact:
                # a pair is stored where it first occurs: later copies add nothing, not
                # even when the first one came from a slot offered only as fuzzy
                first = self._first((source, target), without)
                if first is not None and first[:2] == (slot, i):
                    return Match(source, target, 1.0, first[2])
        return None

    def size(self, key: str, without: int) -> int:
        """How many units hold ``key`` without the slot."""
        alone = self._alone.get(without)
        return len(self._index.get(key, ())) - (alone.get(key, 0) if alone else 0)

    def posting(self, key: str, without: int) -> list[tuple]:
        """The positions (slot, index, pair) of the units holding ``key``."""
        out = []
        for pair in self._index.get(key, ()):
            if (first := self._first(pair, without)) is not None:
                out.append((first[0], first[1], pair))
        return out

    def unit(self, position: tuple) -> _Unit:
        slot, i, (source, target) = position
        return _unit(Match(source, target, 1.0, self._occurrences[(source, target)][
            next(n for n, o in enumerate(self._occurrences[(source, target)])
                 if o[:2] == (slot, i))][2]))


def finished_pairs(po: Iterable[polib.POEntry]) -> tuple[tuple[str, str], ...]:
    """The (msgid, msgstr) of ``po``'s finished singular translations, in order: all that
    ``memory_entries`` and ``memory_digest`` read of it (a catalogue can be let go)."""
    return tuple((entry.msgid, entry.msgstr) for entry in po      # (POEntry.fuzzy, inline)
                 if entry.msgstr and "fuzzy" not in entry.flags and not entry.msgid_plural)


def entries_of(finished: Iterable[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    """``memory_entries`` of the catalogue whose ``finished_pairs`` are ``finished``."""
    pairs = []
    for msgid, msgstr in finished:
        if source := normalize_message(msgid):
            pairs.append((renumber_notes(source), rename_notes(msgstr, source)))
    return tuple(pairs)


def digest_of(finished: Iterable[tuple[str, str]]) -> str:
    """``memory_digest`` of the catalogue whose ``finished_pairs`` are ``finished``."""
    h = hashlib.sha256()
    for pair in finished:
        for text in pair:
            data = text.encode("utf-8")
            h.update(len(data).to_bytes(8, "big") + data)
    return h.hexdigest()


def memory_entries(po: Iterable[polib.POEntry]) -> tuple[tuple[str, str], ...]:
    """The (source, translation) pairs ``add_catalog`` would add from ``po``, normalised
    as the memory stores them: read once, added to the memory of every other essay."""
    return entries_of(finished_pairs(po))


def memory_digest(po: Iterable[polib.POEntry]) -> str:
    """SHA-256 of what ``po`` gives a translation memory (``add_catalog``): its finished
    singular translations, in order."""
    return digest_of(finished_pairs(po))
