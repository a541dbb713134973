"""A compendium (``update --compendium``): which target languages it may serve.

Its ``Language`` header says which: one in fr serves fr and fr-CA, one in pt_PT does not
serve pt-BR (:func:`serge_publish.languages.same_language`); one without the header serves
every language. For a language it does not serve it is skipped with a warning; when it
serves none of the languages updated (one language updated, in another language), it is
refused with a message: offering German sentences as French translations helps no one.

An exact match from a compendium whose ``Language`` header is the language updated is
filled in as translated, as ``msgmerge -C`` does; a close match is offered as fuzzy. A
compendium without the header (its language unknown) only offers, fuzzy.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from serge_publish import languages
from serge_publish.errors import Diagnostic, InputError, PublishError

if TYPE_CHECKING:
    import polib


def compendium_use(compendium: Path | None, tags: list[str]
                   ) -> tuple[dict[str, list[tuple[str, polib.POFile, bool]]],
                              dict[str, list[Diagnostic]]]:
    """Per language, the compendium to use (as [(origin, catalogue, exact)]: ``exact``
    when its Language header says it is in that language) and the warnings."""
    extras: dict[str, list[tuple[str, polib.POFile, bool]]] = {tag: [] for tag in tags}
    notes: dict[str, list[Diagnostic]] = {tag: [] for tag in tags}
    if compendium is None:
        return extras, notes
    from serge_publish.catalog.po import read_catalog  # (an update without imports none)
    po = read_catalog(compendium)
    lang = _catalog_language(po, str(compendium))
    fits = [t for t in tags if lang is None or languages.same_language(t, lang)]
    if not fits:
        raise InputError(f"the compendium is in {lang}, not in {', '.join(tags)}",
                         where=str(compendium),
                         hint="pass a compendium in the language updated (its Language "
                              f"header), or update that language: --lang {lang}")
    for tag in tags:
        if tag in fits:
            extras[tag].append((str(compendium), po, lang is not None))
        else:
            notes[tag].append(Diagnostic("update.compendium-language",
                                         f"the compendium is in {lang}: not used for {tag}",
                                         str(compendium)))
    return extras, notes


def _catalog_language(po: polib.POFile, where: str) -> str | None:
    """The BCP 47 tag of a catalogue's Language header; None when it has none."""
    value = po.metadata.get("Language", "").strip()
    try:
        return languages.normalize(value, where) if value else None
    except PublishError as exc:
        raise InputError(f"its Language header {value!r} is not a language code", where,
                         hint="set Language to the gettext name of the compendium's "
                              "language, e.g. fr or pt_BR") from exc
