"""A language's glossary of agreed terms: ``locale/<lang>/glossary.csv`` (or ``.tbx``).

The CSV file has a header row ``source,target,note`` and one term a row::

    source,target,note
    Left Opposition,Opposition de gauche,
    Kibalchich,Kibaltchiche,Serge's birth name: one spelling

A TBX file (ISO 30042) is read simply: each ``termEntry`` (``conceptEntry`` in TBX v3)
gives its first term in the source language and its first term in the target language.

A term is checked in every translation (:func:`serge_publish.catalog.checks.glossary_findings`):
when the source term occurs in a msgid (ignoring case, as a whole word, a plural ``s`` or
``es`` allowed), the target term must occur in the msgstr (ignoring case, anywhere, so that
``bolchevik`` is found in ``bolcheviks``: write the shortest form that every inflection
holds).
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from serge_publish import atomic
from serge_publish.errors import CatalogError

GLOSSARY_NAMES = ("glossary.csv", "glossary.tbx")
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@dataclass(frozen=True)
class Term:
    source: str
    target: str
    note: str = ""
    where: str = ""          # "locale/fr/glossary.csv:3"

    @property
    def pattern(self) -> re.Pattern:
        return re.compile(r"(?<!\w)" + re.escape(self.source) + r"(?:e?s)?(?!\w)",
                          re.IGNORECASE)


def read_glossary(path: Path, shown: str, source_lang: str = "en",
                  target_lang: str = "") -> tuple[Term, ...]:
    """The terms of a glossary file; CatalogError (with file:line) if it cannot be read."""
    if path.suffix == ".tbx":
        return _read_tbx(path, shown, source_lang, target_lang)
    return _read_csv(path, shown)


def _read_csv(path: Path, shown: str) -> tuple[Term, ...]:
    hint = "save it as UTF-8 CSV with the columns source,target,note"
    try:
        text = atomic.read_file(path).decode("utf-8-sig")
    except OSError as exc:
        raise CatalogError(f"cannot read the glossary: {atomic.reason(exc)}", shown,
                           atomic.reason_hint(exc, hint)) from None
    except UnicodeDecodeError as exc:
        raise CatalogError(f"cannot read the glossary: {exc}", shown, hint) from None
    rows = csv.reader(text.splitlines())
    head = [c.strip().lower() for c in next(rows, [])]
    if head[:2] != ["source", "target"]:
        raise CatalogError("the first row must name the columns source,target,note",
                           f"{shown}:1", "add the header row: source,target,note")
    terms = []
    for number, row in enumerate(rows, 2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) < 2 or not row[0].strip() or not row[1].strip():
            raise CatalogError("a term needs a source and a target", f"{shown}:{number}",
                               "write: source term,target term,optional note")
        note = row[2].strip() if len(row) > 2 else ""
        terms.append(Term(row[0].strip(), row[1].strip(), note, f"{shown}:{number}"))
    return tuple(terms)


def _read_tbx(path: Path, shown: str, source_lang: str, target_lang: str) -> tuple[Term, ...]:
    hint = "check that it is well-formed TBX"
    try:
        with atomic.open_file(path) as handle:      # (not by libxml2: a fifo would wait)
            root = etree.parse(handle, etree.XMLParser(resolve_entities=False,
                                                       no_network=True)).getroot()
    except OSError as exc:
        raise CatalogError(f"cannot read the glossary: {atomic.reason(exc)}", shown,
                           atomic.reason_hint(exc, hint)) from None
    except etree.XMLSyntaxError as exc:
        raise CatalogError(f"cannot read the glossary: {exc}", shown, hint) from None
    terms = []
    for entry in root.iter("{*}termEntry", "{*}conceptEntry"):
        found: dict[str, str] = {}
        for lang_set in entry.iter("{*}langSet"):
            lang = (lang_set.get(_XML_LANG) or "").lower()
            term = next((t.text for t in lang_set.iter("{*}term") if t.text), None)
            if term:
                found.setdefault(lang.split("-")[0], term.strip())
        source, target = found.get(source_lang.split("-")[0]), found.get(
            target_lang.lower().split("-")[0])
        if source and target:
            terms.append(Term(source, target, "", f"{shown}:{entry.sourceline}"))
    return tuple(terms)
