"""The checks of ``serge-publish check``: pure functions from catalogue entries (and the
source segments they translate) to findings, each with a stable code.

Errors (the translation cannot be used, or the catalogue cannot be read):

=============================  ==============================================================
``check.po-syntax``            the catalogue cannot be parsed (what ``msgfmt`` refuses)
``check.po-duplicate``         two entries with the same msgctxt and msgid, or with the same
                               msgctxt (one segment twice: the build would use one of them)
``check.po-empty``             the catalogue is empty (0 bytes, or blank lines alone)
``check.plural-entry``         an entry with msgid_plural and msgstr[n]: a segment has no
                               plural forms (the build prints the source's text)
``check.header-missing``       a header field ``msgfmt -c`` requires is missing
``check.header-language``      the ``Language`` field does not name the folder's language
``check.plural-forms``         ``Plural-Forms`` is malformed (or missing with plural entries)
``check.charset``              ``Content-Type`` names no usable charset
``check.newline``              msgid and msgstr do not both begin (end) with ``\\n``
``check.format``               a ``c-format``/``python-format`` entry changes its directives
``check.tag-missing``          a tag of the source is missing (or there fewer times)
``check.tag-duplicated``       a tag of the source is there more times
``check.tag-invented``         a tag the source does not have (``<a2>`` for one link)
``check.tag-unbalanced``       ``<i>`` never closed, ``</i>`` closing nothing, crossed tags
``check.tag-renamed``          a tag that is not a placeholder (``<em>`` for ``<i>``)
``check.tag-form``             ``<n3>`` for ``<n3/>``, ``<i/>`` for ``<i>…</i>``
``check.note-renumbered``      a note reference with another number (``<n4/>`` for ``<n3/>``)
``check.number-missing``       a number of the source (a year, a page) is not in the translation
``check.bidi-control``         a bidi embedding, override or isolate control (U+202A-U+202E,
                               U+2066-U+2069) the source does not have: it can turn the text
                               around (the build removes it, and says so)
``check.forbidden-character``  a character XML cannot hold (a control character: the
                               vertical tab a Word soft line break becomes, a NUL): the
                               build prints the source's text instead, and says so
=============================  ==============================================================

Warnings (errors with ``--strict``): ``check.whitespace`` (leading or trailing whitespace
the source has not), ``check.final-punctuation`` (the source ends a sentence, the
translation does not; a question stays a question), ``check.note-call-placement`` (the
language places note calls before the punctuation), ``check.glossary``,
``check.inconsistent`` (one source sentence translated two ways), ``check.outdated`` (the
catalogue is older than the source: run ``serge-publish update``), ``check.header-default``
(a header field still has its template value).
"""
from __future__ import annotations

import codecs
import os
import re
from collections import Counter
from dataclasses import dataclass

import polib

from serge_publish.catalog.apply import BIDI_CONTROLS
from serge_publish.catalog.glossary import Term
from serge_publish.catalog.header import plural_forms, plural_forms_well_formed
from serge_publish.catalog.placeholders import (
    MarkupError,
    message_text,
    message_to_content,
    message_tokens,
    normalize_message,
)
from serge_publish.catalog.po import read_catalog
from serge_publish.errors import CatalogError
from serge_publish.model import Content
from serge_publish.xmlchars import forbidden

ERROR, WARNING = "error", "warning"
_TAG_HINT = ("use exactly the tags of the source text (the entry's comment explains them); "
             "tags may move, not change")


@dataclass(frozen=True)
class Finding:
    code: str
    severity: str            # "error" or "warning"
    message: str
    where: str = ""          # "locale/fr/LC_MESSAGES/essay.po:123"
    segment: str = ""        # the segment id (msgctxt)
    hint: str = ""

    def __str__(self) -> str:
        prefix = f"{self.where}: " if self.where else ""
        segment = f"segment {self.segment}: " if self.segment else ""
        text = f"{prefix}{self.severity}: {segment}{self.message} [{self.code}]"
        return f"{text}\n  hint: {self.hint}" if self.hint else text

    def as_dict(self) -> dict:
        file, _, line = self.where.rpartition(":")
        if not line.isdigit():
            file, line = self.where, ""
        return {"code": self.code, "severity": self.severity, "file": file,
                "line": int(line) if line else None, "segment": self.segment or None,
                "message": self.message, "hint": self.hint}


def where(path: str, entry: polib.POEntry) -> str:
    return f"{path}:{entry.linenum}" if entry.linenum else path


# ------------------------------------------------------------------------------ headers

REQUIRED_FIELDS = ("Project-Id-Version", "PO-Revision-Date", "Last-Translator",
                   "Language-Team", "Language", "MIME-Version", "Content-Type",
                   "Content-Transfer-Encoding")
_DEFAULTS = {"Project-Id-Version": "PACKAGE VERSION", "PO-Revision-Date": "YEAR-MO-DA",
             "Last-Translator": "FULL NAME", "Language-Team": "LANGUAGE"}


def header_findings(po: polib.POFile, path: str, language: str) -> list[Finding]:
    """What ``msgfmt -c`` checks in a header; ``language`` is the folder's (gettext form)."""
    meta, where_ = po.metadata, f"{path}:1"
    found = [Finding("check.header-missing", ERROR, f"the header has no {name} field",
                     where_, hint=f"add \"{name}: ...\\n\" to the header (serge-publish "
                                  "update writes the fields it owns)")
             for name in REQUIRED_FIELDS if name not in meta]
    found += [Finding("check.header-default", WARNING, f"{name} still has its template "
                      f"value {meta[name]!r}", where_, hint=f"fill in {name}")
              for name, default in _DEFAULTS.items() if meta.get(name, "").startswith(default)]
    if "Language" in meta and meta["Language"] != language:
        found.append(Finding("check.header-language", ERROR, f"Language is "
                             f"{meta['Language']!r} in a catalogue of {language!r}", where_,
                             hint=f"write \"Language: {language}\\n\" (or move the file)"))
    return found + _plural_findings(po, where_, language) + _charset_findings(meta, where_)


def _bcp47(language: str) -> str:
    """The BCP 47 tag of a catalogue's gettext language (sr@latin: sr-Latn, whose plural
    rule is Serbian's, as update writes it); itself if it is none."""
    from serge_publish import languages
    from serge_publish.errors import PublishError
    try:
        return languages.normalize(language)
    except PublishError:
        return language


def _plural_findings(po: polib.POFile, where_: str, language: str) -> list[Finding]:
    value = po.metadata.get("Plural-Forms")
    if value is None:
        if any(e.msgid_plural for e in po):
            return [Finding("check.plural-forms", ERROR, "plural messages but no "
                            "Plural-Forms field", where_, hint="run serge-publish update")]
        return []
    if not plural_forms_well_formed(value):
        return [Finding("check.plural-forms", ERROR, f"Plural-Forms is malformed: {value!r}",
                        where_, hint=f"write \"Plural-Forms: "
                                     f"{plural_forms(_bcp47(language))}\\n\" "
                                     "(serge-publish update writes it in place of a "
                                     "malformed one)")]
    return []


def _charset_findings(meta: dict, where_: str) -> list[Finding]:
    value = meta.get("Content-Type")
    if value is None:
        return []
    m = re.search(r"charset=([A-Za-z0-9_.:-]+)", value)
    try:
        if m and m[1] != "CHARSET":
            codecs.lookup(m[1])
            return []
    except LookupError:
        pass
    return [Finding("check.charset", ERROR, f"Content-Type names no known charset: {value!r}",
                    where_, hint="write \"Content-Type: text/plain; charset=UTF-8\\n\"")]


# ------------------------------------------------------------------------------ entries

_FORMAT = {"c-format": re.compile(r"%(?:\d+\$)?[-+ #0']*(?:\*|\d+)?(?:\.(?:\*|\d+))?"
                                  r"(?:hh|h|ll|l|L|q|j|z|t)?[diouxXeEfFgGaAcspn]"),
           "python-format": re.compile(r"%(?:\([^)]*\))?[-+ #0]*(?:\*|\d+)?(?:\.(?:\*|\d+))?"
                                       r"[diouxXeEfFgGcrsa]")}


def syntax_findings(entry: polib.POEntry, path: str) -> list[Finding]:
    """msgfmt -c's checks of one entry: ``\\n`` at both ends, format directives."""
    found, at = [], where(path, entry)
    targets = [t for t in ([entry.msgstr] if not entry.msgid_plural
                           else entry.msgstr_plural.values()) if t]
    for target in targets:
        for end, test in (("begin", str.startswith), ("end", str.endswith)):
            if test(entry.msgid, "\n") != test(target, "\n"):
                found.append(Finding("check.newline", ERROR, f"msgid and msgstr do not both "
                                     f"{end} with \\n", at, entry.msgctxt or "",
                                     f"make the translation {end} as the source does"))
        for flag, pattern in _FORMAT.items():
            if flag in entry.flags and sorted(pattern.findall(entry.msgid.replace("%%", ""))) \
                    != sorted(pattern.findall(target.replace("%%", ""))):
                found.append(Finding("check.format", ERROR, f"the {flag} directives of the "
                                     "translation differ from the source's", at,
                                     entry.msgctxt or "", "keep every % directive"))
    return found


def translated(entry: polib.POEntry) -> bool:
    return bool(entry.msgstr) and not entry.fuzzy and not entry.obsolete


# -------------------------------------------------------------------------- placeholders

_NAME = re.compile(r"(?:[ita]|[anx]\d+)")


def _single(name: str) -> bool:
    return name[0] in "nx"


def _shown(name: str) -> str:
    return f"<{name}/>" if _single(name) else f"<{name}>…</{name}>"


def placeholder_findings(msgstr: str, msgid: str, content: Content | None, at: str,
                         segment: str) -> list[Finding]:
    """Each broken placeholder of ``msgstr`` (the source's tags are ``msgid``'s), with its
    own code; the module's parser has the last word (``check.tag-invalid``) when the
    source segment's ``content`` is given."""
    def finding(code: str, message: str) -> Finding:
        return Finding(code, ERROR, message, at, segment, _TAG_HINT)

    source = Counter(n for closing, n, _ in message_tokens(msgid) if not closing)
    tokens = message_tokens(msgstr)
    used = Counter(n for closing, n, _ in tokens if not closing)
    missing = [n for n in source if used[n] < source[n]]
    found = [finding("check.tag-form", f"write {_shown(n)}, not <{'/' if c else ''}{n}"
                     f"{'/' if e else ''}>") for c, n, e in tokens
             if n in source and (_single(n) != e if not c else _single(n))]
    for name in [n for n in used if n not in source]:
        if not _NAME.fullmatch(name):
            instead = " or ".join(_shown(n) for n in missing) or "a placeholder"
            found.append(finding("check.tag-renamed", f"<{name}> is not a tag of the source: "
                                 f"write {instead} as the source does"))
        elif name[0] == "n" and any(n[0] == "n" for n in missing):
            old = " ".join(_shown(n) for n in missing if n[0] == "n")
            found.append(finding("check.note-renumbered", f"note reference <{name}/> where "
                                 f"the source has {old}: keep the note placeholders as "
                                 "the source numbers them (<n1/> is its first)"))
        else:
            found.append(finding("check.tag-invented", f"{_shown(name)} is not in the source"))
    for name in missing:
        found.append(finding("check.tag-missing", f"missing {_shown(name)}: the source has it "
                             f"{_times(source[name])}, the translation {_times(used[name])}"))
    found += [finding("check.tag-duplicated", f"{_shown(n)} is there {_times(used[n])}, in "
                      f"the source {_times(source[n])}") for n in source if used[n] > source[n]]
    found += _balance_findings(tokens, finding)
    if not found and content is not None:
        try:
            message_to_content(msgstr, content, segment)
        except MarkupError as exc:
            found.append(finding("check.tag-invalid", exc.message))
    return found


def _balance_findings(tokens, finding) -> list[Finding]:
    stack: list[str] = []
    for closing, name, empty in tokens:
        if _single(name) or empty or not _NAME.fullmatch(name):
            continue
        if not closing:
            stack.append(name)
        elif stack and stack[-1] == name:
            stack.pop()
        else:
            opened = f"<{stack[-1]}>" if stack else "no open tag"
            return [finding("check.tag-unbalanced", f"unbalanced tags: </{name}> closes "
                            f"{opened}")]
    return [finding("check.tag-unbalanced", f"<{stack[-1]}> is never closed")] if stack else []


def _times(n: int) -> str:
    return {0: "not at all", 1: "once", 2: "twice"}.get(n, f"{n} times")


# ------------------------------------------------------------------- numbers, punctuation

_NUMBER = re.compile(r"\d+(?:[,.\u00a0\u202f\u2009 ]\d{3}(?!\d))*")
_CLOSERS = "\"'“”‘’«»‹›)]*"
_TERMINAL = ".?!:…"
_SPACES = " \u00a0\u202f\u2009"


_ROMAN = re.compile(r"(?<![A-Za-z])[IVXLC]+(?=[a-zèé]{0,3}(?![A-Za-z]))")
_ORDINAL = re.compile(r"(?:st|nd|rd|th)(?!\w)")


def roman(number: int) -> str:
    out = ""
    for value, letters in ((100, "C"), (90, "XC"), (50, "L"), (40, "XL"), (10, "X"),
                           (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        count, number = divmod(number, value)
        out += letters * count
    return out


def _wanted(text: str):
    """Each number of a source text, with the forms a translation may give it in: an
    ordinal as a Roman numeral (20th century: XXe siècle), the end of a year range in full
    (2008-9: 2009), a decade by its year (‘30s: 1930)."""
    for m in _NUMBER.finditer(text):
        digits = re.sub(r"\D", "", m[0])
        before, after = text[:m.start()], text[m.end():]
        forms = {digits}
        if _ORDINAL.match(after) and 0 < int(digits) < 400:
            forms.add(roman(int(digits)))
        year = re.search(r"(\d{4})[-–]$", before)
        if year and len(digits) < 4:
            forms.add(year[1][:4 - len(digits)] + digits)
        decade = re.match(r"s(?!\w)", after) is not None and len(digits) == 2
        yield digits, forms, decade


def numbers(message: str) -> Counter:
    """The numbers of a message's text (tags left out, thousands separators ignored) and
    its Roman numerals."""
    text = message_text(message)
    return Counter([re.sub(r"\D", "", m) for m in _NUMBER.findall(text)]
                   + _ROMAN.findall(text))


def number_findings(msgstr: str, msgid: str, at: str, segment: str) -> list[Finding]:
    pool, lost = numbers(msgstr), []
    for digits, forms, decade in _wanted(message_text(msgid)):
        found = next((f for f in forms if pool[f] > 0), None)
        if found is None and decade:
            found = next((n for n in pool if pool[n] and n.isdigit() and n.endswith(digits)),
                         None)
        if found is None:
            lost.append(digits)
        else:
            pool[found] -= 1
    return [Finding("check.number-missing", ERROR, f"the number {n} of the source is not in "
                    "the translation", at, segment, "keep numbers (years, pages) as digits; "
                    "if spelling it out is right here, add the translator comment "
                    "\"# check-ok: number-missing\" to the entry") for n in lost]


def bidi_findings(msgstr: str, msgid: str, at: str, segment: str) -> list[Finding]:
    extra = sorted(set(BIDI_CONTROLS.findall(msgstr)) - set(BIDI_CONTROLS.findall(msgid)))
    if not extra:
        return []
    names = ", ".join(f"U+{ord(ch):04X}" for ch in extra)
    return [Finding("check.bidi-control", ERROR, f"the translation holds the bidi control "
                    f"character(s) {names}, which can turn the text around", at, segment,
                    "delete them: an edition sets the direction from its language (the "
                    "build removes them)")]


def forbidden_findings(msgstr: str, at: str, segment: str) -> list[Finding]:
    """A character XML cannot hold (:mod:`serge_publish.xmlchars`, the rule the build
    applies): the build prints the source's text instead of the translation."""
    names = forbidden(msgstr)
    if not names:
        return []
    return [Finding("check.forbidden-character", ERROR, f"the translation holds {names}, a "
                    "character XML cannot hold: the build prints the source's text "
                    "instead", at, segment, "replace it with a space (a Word soft line "
                    "break pasted in is U+000B; a NUL is U+0000)")]


def whitespace_findings(msgstr: str, msgid: str, at: str, segment: str) -> list[Finding]:
    found = []
    for end, test in (("begins", lambda s: s[:1]), ("ends", lambda s: s[-1:])):
        if test(msgstr).isspace() and not test(msgid).isspace():
            found.append(Finding("check.whitespace", WARNING, f"the translation {end} with "
                                 "whitespace, the source does not", at, segment,
                                 "remove the space (the output would lose it anyway)"))
    return found


def final_marks(message: str) -> str:
    """The punctuation marks that end a message's text, among closing quotes, brackets
    and spaces (note calls left out): ``?».`` for ``¿…?».<n8/>``; "" if it ends with a word."""
    text = message_text(message)
    tail = text[len(text.rstrip(_SPACES + _CLOSERS + _TERMINAL + ";,")):]
    return "".join(ch for ch in tail if ch in _TERMINAL + ";,")


def punctuation_findings(msgstr: str, msgid: str, at: str, segment: str) -> list[Finding]:
    source, target = final_marks(msgid)[-1:], final_marks(msgstr)
    if not source or source not in _TERMINAL:
        return []
    if not any(ch in _TERMINAL + ";" for ch in target):
        return [Finding("check.final-punctuation", WARNING, f"the source ends with "
                        f"{source!r}, the translation with no final punctuation", at, segment,
                        f"end the translation with {source!r} (or an equivalent mark)")]
    if source in "?!" and source not in target and "…" not in target:
        return [Finding("check.final-punctuation", WARNING, f"the source ends with "
                        f"{source!r}, the translation with {target!r}", at, segment,
                        f"keep the {'question' if source == '?' else 'exclamation'}")]
    return []


# ------------------------------------------------------------------------- note calls

# Per language: the marks a note call is placed before (the call follows the word). French
# (Imprimerie nationale): before any punctuation and closing guillemet; Spanish (RAE,
# Ortografía 2010): before the delimiting marks . , ; : but after closing quotes, ?, ! and
# brackets, which belong to the unit the note is about. Other languages (English, German:
# a call that refers to the whole sentence follows its full stop) have no rule here.
NOTE_CALL_RULES = {"fr": ".,;:!?…»”’" + _SPACES, "es": ".,;:…"}
_CALLS = r"(?:<n[^<>/\s]+/>)+"


def _rule(lang: str) -> str | None:
    return NOTE_CALL_RULES.get(lang.split("-")[0].split("_")[0].lower())


def _misplaced(lang: str) -> re.Pattern | None:
    marks = _rule(lang)
    if marks is None:
        return None
    semicolon = r"|(?<!&lt)(?<!&gt)(?<!&amp);" if ";" in marks else ""   # not an entity's
    others = re.escape(marks.replace(";", ""))
    return re.compile(rf"(?P<run>(?:[{others}]{semicolon})+)(?P<calls>{_CALLS})")


def place_note_calls(msgstr: str, lang: str) -> str:
    """``msgstr`` with each note call moved before the punctuation the language's rule
    puts after it (``…mot.<n3/>`` → ``…mot<n3/>.``); unchanged without a rule."""
    pattern = _misplaced(lang)
    if pattern is None:
        return msgstr

    def move(m: re.Match) -> str:
        run = m["run"]
        if not run.strip(_SPACES):            # spaces alone: nothing to move over
            return m[0]
        lead = run[:len(run) - len(run.lstrip(_SPACES))]
        body = run[len(lead):]
        at_end = m.end() == len(msgstr)
        return m["calls"] + lead + (body.rstrip(_SPACES) if at_end else body)
    return pattern.sub(move, msgstr)


def note_call_findings(msgstr: str, lang: str, at: str, segment: str) -> list[Finding]:
    fixed = place_note_calls(msgstr, lang)
    if fixed == msgstr:
        return []
    calls = " ".join(re.findall(r"<n[^<>/\s]+/>", msgstr))
    tail = normalize_message(fixed)[-30:]
    return [Finding("check.note-call-placement", WARNING, f"the note call {calls} follows "
                    f"the punctuation; the {lang} rule places it before", at, segment,
                    f"write …{tail}")]


# ---------------------------------------------------------------------------- glossary

def glossary_findings(msgstr: str, msgid: str, terms: tuple[Term, ...], at: str,
                      segment: str) -> list[Finding]:
    """A source term in ``msgid`` wants its target term in ``msgstr`` (ignoring case), or
    the source term kept as it is (the original title of a work cited)."""
    text, target = message_text(msgid), message_text(msgstr)
    return [Finding("check.glossary", WARNING, f"“{term.source}” is “{term.target}” in the "
                    f"glossary ({term.where}), not found in the translation", at, segment,
                    term.note or "use the agreed term (or fix the glossary)")
            for term in terms if term.pattern.search(text)
            and term.target.lower() not in target.lower() and term.source not in target]


# ------------------------------------------------------------------------- consistency

@dataclass(frozen=True)
class Translation:
    msgid: str
    msgstr: str
    where: str
    segment: str


def consistency_findings(items: list[Translation]) -> list[Finding]:
    """A source sentence translated two ways: every translation after the first that
    differs from it, pointing to the first."""
    first: dict[str, Translation] = {}
    found = []
    for item in items:
        key = normalize_message(item.msgid)
        seen = first.setdefault(key, item)
        if seen is not item and normalize_message(seen.msgstr) != normalize_message(item.msgstr):
            found.append(Finding("check.inconsistent", WARNING, f"translated differently in "
                                 f"{seen.where} (segment {seen.segment}): "
                                 f"“{_short(seen.msgstr)}”", item.where, item.segment,
                                 "translate the same sentence the same way (or reword one "
                                 "of them on purpose)"))
    return found


def _short(text: str, size: int = 60) -> str:
    text = normalize_message(text)
    return text if len(text) <= size else text[:size - 1] + "…"


# ------------------------------------------------------------------------------ driving

def catalog_file_findings(path, shown: str, language: str
                          ) -> tuple[polib.POFile | None, list[Finding]]:
    """The catalogue read (None if it cannot be) and its syntax and header findings."""
    try:
        po = read_catalog(path)
    except CatalogError as exc:
        code = "check.po-duplicate" if "duplicate" in exc.message else "check.po-syntax"
        at = exc.where.replace(str(path), shown, 1) if exc.where else shown
        return None, [Finding(code, ERROR, exc.message, at, hint=exc.hint or "")]
    if not (len(po) or po.metadata or po.header):         # nothing read: an empty file
        return None, [_empty_finding(path, shown)]
    found = header_findings(po, shown, language)
    for entry in po:
        if not entry.obsolete:
            found += syntax_findings(entry, shown)
    return po, found + twice_findings(po, shown)


def segments_twice(po: polib.POFile) -> dict[str, list[polib.POEntry]]:
    """The segment ids (msgctxt) of more than one active entry, with those entries (a
    msgctxt changed by hand, an entry pasted twice with another msgid)."""
    by_id: dict[str, list[polib.POEntry]] = {}
    for entry in po:
        if not entry.obsolete and entry.msgctxt is not None:
            by_id.setdefault(entry.msgctxt, []).append(entry)
    return {sid: entries for sid, entries in by_id.items() if len(entries) > 1}


def twice_findings(po: polib.POFile, path: str) -> list[Finding]:
    """One error a segment with more than one entry, at its last one, naming every line."""
    found = []
    for sid, entries in segments_twice(po).items():
        lines = [str(e.linenum) for e in entries]
        shown = ", ".join(lines[:-1]) + " and " + lines[-1]
        found.append(Finding("check.po-duplicate", ERROR, f"defined {_times(len(entries))} "
                             f"(lines {shown})", where(path, entries[-1]), segment=sid,
                             hint="a segment has one entry: give each other entry the "
                                  "msgctxt of the segment it translates (its #: line names "
                                  "its place in the source), or run serge-publish update, "
                                  "which keeps the entry whose msgid is the source's and "
                                  "makes the others obsolete (#~)"))
    return found


def _empty_finding(path, shown: str) -> Finding:
    """One finding for an empty catalogue (not one a missing header field)."""
    try:
        size = os.stat(path).st_size
    except OSError:
        size = -1
    what = "0 bytes" if size == 0 else "blank lines alone"
    return Finding("check.po-empty", ERROR, f"the catalogue is empty ({what})", shown,
                   hint=f"restore its translations from version control (git restore "
                        f"{shown}), or run serge-publish update, which makes it again from "
                        "the template (every segment untranslated)")


def entry_findings(entry: polib.POEntry, source: tuple[str, Content] | None, lang: str,
                   shown: str, terms: tuple[Term, ...] = ()) -> list[Finding]:
    """Every check of one translated entry; ``source`` is its segment's current msgid and
    content (None: the segment is no longer in the source)."""
    at, segment = where(shown, entry), entry.msgctxt or ""
    if entry.msgid_plural:
        return [Finding("check.plural-entry", ERROR, "a segment has no plural forms: the "
                        "build prints the source's text for this entry", at, segment,
                        "remove msgid_plural and the msgstr[n] lines, keep one msgstr (the "
                        "translation)")]
    if not translated(entry):
        return []
    if source is None or normalize_message(source[0]) != normalize_message(entry.msgid):
        what = "no longer in the source" if source is None else "changed in the source"
        return [Finding("check.outdated", WARNING, f"the segment is {what}: the catalogue "
                        "is out of date", at, segment, "run 'serge-publish update'")]
    msgstr, msgid = entry.msgstr, entry.msgid
    found = (placeholder_findings(msgstr, msgid, source[1], at, segment)
             + number_findings(msgstr, msgid, at, segment)
             + bidi_findings(msgstr, msgid, at, segment)
             + forbidden_findings(msgstr, at, segment)
             + whitespace_findings(msgstr, msgid, at, segment)
             + punctuation_findings(msgstr, msgid, at, segment)
             + note_call_findings(msgstr, lang, at, segment)
             + glossary_findings(msgstr, msgid, terms, at, segment))
    accepted = accepted_codes(entry)
    return [f for f in found if f.code not in accepted]


_ACCEPTED = re.compile(r"^check-ok:(.*)$", re.MULTILINE)


def accepted_codes(entry: polib.POEntry) -> set[str]:
    """The codes a translator accepted for this entry, in a translator comment
    ``# check-ok: number-missing, final-punctuation`` (``check.`` may be left out). Only
    the warnings and the ``number-missing`` error can be accepted: a broken tag never."""
    codes = {c.strip() for m in _ACCEPTED.findall(entry.tcomment or "")
             for c in re.split(r"[,\s]+", m) if c.strip()}
    codes = {c if c.startswith("check.") else f"check.{c}" for c in codes}
    return codes & (ACCEPTABLE | {"check.number-missing"})


ACCEPTABLE = frozenset({"check.whitespace", "check.final-punctuation",
                        "check.note-call-placement", "check.glossary", "check.inconsistent"})
