"""Rule-based sentence segmentation (SRX-style break rules plus no-break exceptions).

:func:`split_sentences` returns ``(start, end)`` offsets into the text it is given. The spans
are in order, do not overlap, are stripped of surrounding whitespace, and together cover every
non-whitespace character exactly once. The function is pure; the only I/O is reading
``data/abbreviations.json`` once (cached).

Break rules, tried at every run of sentence-final punctuation (one pass, one compiled regex):

* A candidate is ``. ! ? … ‽`` (any run of them, so ``...``, ``?!``, ``…!``), followed by any
  closing quotes/brackets glued to it (``” " ’ ' » « ) ]``; for languages other than German a
  closing ``»`` may also follow a space, as in French ``« Non. » Puis``), then any note markers
  (see below), then whitespace. CJK ``。！？`` break without whitespace.
* It is a break only if what follows the whitespace starts a sentence: an uppercase letter, a
  letter of a caseless script, a digit, or an opening quote/bracket (``“ ‘ " ' „ « ( [ ¿ ¡``)
  that is not followed by a lowercase letter. A dialogue dash (``— –``, or a spaced ``-``) is
  looked through: ``— Идём`` breaks, ``dead? – all the more`` does not. Anything else (a
  lowercase letter, ``,``, ``;``...) means no break, so ``…!” he said`` stays whole.
* Paragraph breaks (a blank line) are always boundaries. A single newline is ordinary
  whitespace: callers that want one segment per line should split lines first.

Note markers: U+FFFC (OBJECT REPLACEMENT CHARACTER) stands for an inline note reference that the
caller took out. One or more of them after sentence-final punctuation (and its closing quotes),
with or without whitespace between (incl. U+00A0), belong to the PRECEDING sentence, even
when glued to the next word:
``"inhumanity. \\ufffc This"`` -> ``["inhumanity. \\ufffc", "This"]``. Literal markers
``[12]`` and superscript digits in that position on the same line are treated the same way, so
raw text such as the seed essays segments sensibly too; elsewhere they are ordinary text.

No-break exceptions, for a single ``.`` with nothing closing it:

* Abbreviations from ``data/abbreviations.json`` (per language; ``_common`` is merged into all;
  unknown languages fall back to the primary subtag, then to ``en``). ``no_break`` words never
  end a sentence (``Ibid.``, ``pp.``, ``St.``, ``et al.``); ``no_break_before_digit`` words do
  not when a digit follows (``no. 3`` but ``He said no. Then``); ``etc.`` and other
  ``lowercase_only`` words end a sentence when an uppercase letter follows.
* Initials: a single uppercase letter (``E. H. Carr``, ``Louis-Auguste B. Blanqui``,
  ``В. И. Ленин``) or dotted capitals (``U.S.S.R.``, ``J.-C.``). The letter ``I`` is special,
  since it is also the roman numeral one and the pronoun: it is an initial only next to another
  initial (``V. I. Lenin``, ``I. B. Singer``); ``World War I. The`` breaks.
* Enumerators: a number of 1-3 digits, a roman numeral or a single letter that is the FIRST
  token of a sentence is a list/heading number, so ``I. Life Victor Serge was born`` and
  ``II. The Witness`` are not split after the numeral. Elsewhere a roman numeral is a word like
  any other: ``World War II. Serge`` and ``Tsar Alexander II. Serge’s`` break.
* Before a digit, a single period breaks only if the next token looks like a list number
  (``3.``, ``3)``) or a year (four digits). Hence in an endnotes run
  ``Serge 2012, 13. 3. Ibid. 14. 4. Ibid. 15.`` the segments are ``Serge 2012, 13.``,
  ``3. Ibid. 14.``, ``4. Ibid. 15.`` (``Ibid.`` never breaks, the enumerator never breaks, the
  page number before the next enumerator does), while ``The Massachusetts Review22. 3
  (Autumn, 1981)`` (volume 22, number 3) is not split.
* German (``ordinal_numbers``): ``am 9. November`` is an ordinal, not a break.
* A bracketed elision ``[…]`` / ``(...)`` never breaks.

Known ambiguities, decided as follows (documented, tested in ``tests/fixtures/segmentation.json``):

* ``Ibid. 14.`` is one segment; a lone ``[8] Ibid.`` paragraph is one segment.
* ``U.S.``, ``St.``, ``ed.``, ``ff.``, single capitals and Russian ``г.`` never end a sentence,
  even where they do (``in the U.S. It``, ``Plan B. Then``, ``в 1917 г. Он``). ``etc.`` does.
* Numbered notes run together are split only where a period precedes the next number, and
  ``Endnotes 1. Victor Serge`` splits after ``1.`` (the number is not the first token);
  ``Marxists Internet Archive, 6. Weissman, 2001`` splits after ``6.``, leaving the note
  number at the end of the previous note. Splitting numbered notes is the importer's job
  (the numbers are sequential).
* German ``Kapitel 5. Dann`` is read as an ordinal and not split.
* ``can we doubt it? - The main thing`` splits before the spaced hyphen (read as a dash).
* No break without whitespace, so the encoding damage ``revolutionary.We`` and
  ``74.[Doug Enaa Greene`` stay joined.
* After a period, a sentence starting with a small number (``In 1917. 15 men``) is not split.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from . import package_file

__all__ = ["split_sentences", "abbreviations", "OBJECT_REPLACEMENT"]

OBJECT_REPLACEMENT = "\ufffc"

_DATA_FILE = "abbreviations.json"

# Closing quotes/brackets glued to sentence-final punctuation. “ and ‘ are here for German
# („Nein.“ Dann); after whitespace they are opening quotes.
_CLOSERS = "”\"’'»«›‹)\\]}“‘」』）】〕"
# Characters that can open a sentence before its first letter.
_OPENERS = frozenset("“‘\"'„‚«»‹›([{¿¡「『（【〔")
_DASHES = frozenset("—–―")
_CJK = frozenset("。！？．")
# Stripped from the front of the word before a period when looking it up.
_LEADING = "“‘\"'„‚«»‹›([{¿¡—–―-\ufffc"
# Note markers after sentence-final punctuation. U+FFFC may follow any whitespace; a literal
# "[12]" or superscript only on the same line (a line starting with "[2]" is a footnote label).
_NOTE = r"\s*\ufffc|[^\S\n]*(?:\[\d{1,3}\]|[\u00b9\u00b2\u00b3\u2070-\u2079]+)"

_PARAGRAPH = re.compile(r"\n\s*\n|\u2029")
# A list number or a year right after a period + whitespace: the only digit-led sentence starts.
_NUMBER_START = re.compile(r"\d{1,3}[.)](?!\S)|\d{4}(?!\d)")
_ENUMERATOR = re.compile(
    r"\d{1,3}|[^\W\d_]"
    r"|(?=[MDCLXVI])M{0,3}(?:C[MD]|D?C{0,3})(?:X[CL]|L?X{0,3})(?:I[XV]|V?I{0,3})"
    r"|(?=[mdclxvi])m{0,3}(?:c[md]|d?c{0,3})(?:x[cl]|l?x{0,3})(?:i[xv]|v?i{0,3})"
)
_INITIAL_AHEAD = re.compile(r"[^\W\d_]\.")


def _candidate_pattern(spaced_closing_guillemet: bool) -> re.Pattern[str]:
    spaced = r"|[^\S\n]+[»›]" if spaced_closing_guillemet else ""
    # The pattern must START with a plain character class: then `re` scans for that character
    # in C instead of trying the whole pattern at every position (5x faster).
    return re.compile(
        r"(?P<punct>[.!?…‽。！？．][.!?…‽。！？．]*)"
        rf"(?P<close>(?:[{_CLOSERS}]{spaced})*)"
        rf"(?P<notes>(?:{_NOTE})*)"
        r"(?P<ws>\s*)"
    )


@dataclass(frozen=True)
class _Rules:
    candidate: re.Pattern[str]
    no_break: frozenset[str]
    before_digit: frozenset[str]
    phrases: dict[str, frozenset[str]]   # last word -> no-break phrases ending with it
    lowercase_only: frozenset[str]
    ordinal_numbers: bool


@lru_cache(maxsize=1)
def _load_data() -> dict[str, Any]:
    text = package_file("data", _DATA_FILE).read_text("utf-8")
    return json.loads(text)


def _language_key(lang: str) -> str:
    data = _load_data()
    tag = (lang or "").strip().replace("_", "-").lower()
    if tag in data and not tag.startswith("_"):
        return tag
    primary = tag.split("-", 1)[0]
    if primary in data and not primary.startswith("_"):
        return primary
    return "en"


def _with_capitals(words: set[str]) -> set[str]:
    return words | {w[0].upper() + w[1:] for w in words if w[:1].islower()}


@cache
def _rules(key: str) -> _Rules:
    data = _load_data()
    common, own = data.get("_common", {}), data[key]

    def words(kind: str) -> set[str]:
        return _with_capitals(set(common.get(kind, ())) | set(own.get(kind, ())))

    no_break = words("no_break")
    single = frozenset(w for w in no_break if " " not in w)
    phrases: dict[str, set[str]] = {}
    for w in no_break:
        if " " in w:
            phrase = " ".join(w.split())
            phrases.setdefault(phrase.rsplit(" ", 1)[1], set()).add(phrase)
    return _Rules(
        candidate=_candidate_pattern(not own.get("reversed_guillemets", False)),
        no_break=single,
        before_digit=frozenset(words("no_break_before_digit")),
        phrases={k: frozenset(v) for k, v in phrases.items()},
        lowercase_only=frozenset(words("lowercase_only")),
        ordinal_numbers=bool(own.get("ordinal_numbers", False)),
    )


def abbreviations(lang: str = "en", kind: str = "no_break") -> frozenset[str]:
    """The abbreviations of ``kind`` (``no_break``, ``no_break_before_digit``,
    ``lowercase_only``) used for ``lang``, after fallback; ``no_break`` includes phrases."""
    rules = _rules(_language_key(lang))
    if kind == "no_break":
        return rules.no_break | frozenset(p for ps in rules.phrases.values() for p in ps)
    if kind == "no_break_before_digit":
        return rules.before_digit
    if kind == "lowercase_only":
        return rules.lowercase_only
    raise ValueError(f"unknown abbreviation kind {kind!r}")


def split_sentences(text: str, lang: str = "en") -> list[tuple[int, int]]:
    """(start, end) offsets of each sentence in `text`, in order. Each span is stripped of
    surrounding whitespace; together they cover every non-whitespace character exactly once.

    ``lang`` is a BCP 47 tag or gettext locale name (``fr``, ``pt-BR``, ``pt_BR``); it selects
    the abbreviation list and a few language rules. See the module docstring for the rules.
    """
    rules = _rules_for(lang)
    spans: list[tuple[int, int]] = []
    if "\n" not in text and "\u2029" not in text:
        _split_paragraph(text, 0, len(text), rules, spans)
        return spans
    pos = 0
    for sep in _PARAGRAPH.finditer(text):
        _split_paragraph(text, pos, sep.start(), rules, spans)
        pos = sep.end()
    _split_paragraph(text, pos, len(text), rules, spans)
    return spans


@lru_cache(maxsize=256)
def _rules_for(lang: str) -> _Rules:
    return _rules(_language_key(lang))


def _split_paragraph(text: str, ps: int, pe: int, rules: _Rules,
                     spans: list[tuple[int, int]]) -> None:
    while ps < pe and text[ps].isspace():
        ps += 1
    while pe > ps and text[pe - 1].isspace():
        pe -= 1
    if ps >= pe:
        return
    start = ps
    for m in rules.candidate.finditer(text, ps, pe):
        regs = m.regs          # 0 whole, 1 punct, 2 close, 3 notes, 4 ws
        nxt = regs[0][1]
        if nxt >= pe:
            break                                   # the rest is the last sentence
        end = regs[3][1]
        if nxt == end and regs[3][0] == end and text[regs[1][1] - 1] not in _CJK:
            continue                                # glued to what follows: "3.5", "a.[b"
        if _is_break(text, regs, nxt, start, ps, pe, rules):
            spans.append((start, end))
            start = nxt
    spans.append((start, pe))


# What follows a candidate break.
_NO, _LETTER, _DIGIT, _OTHER = 0, 1, 2, 3


def _next_kind(text: str, j: int, pe: int) -> tuple[int, int]:
    """Classify the sentence start at ``j``: (kind, index of the deciding character)."""
    c = text[j]
    if c.isupper():
        return _LETTER, j
    if c in _DASHES or (c == "-" and j + 1 < pe and text[j + 1].isspace()):
        j += 1
        while j < pe and text[j].isspace():
            j += 1
        if j >= pe:
            return _NO, j
        c = text[j]
    opened = False
    while c in _OPENERS or (opened and c in " \u00a0\u202f\u2009"):
        opened = True
        j += 1
        if j >= pe:
            return _NO, j
        c = text[j]
    if c.islower():
        return _NO, j
    if c.isdigit():
        return (_OTHER if opened else _DIGIT), j      # "[8] Ibid." / "(2) The" open a sentence
    if c.isalpha():
        return _LETTER, j
    return (_OTHER if opened else _NO), j


def _word_before(text: str, end: int, lo: int) -> tuple[int, str]:
    """The whitespace-delimited token ending at ``end`` (not before ``lo``): (start, token)."""
    if end <= lo or text[end - 1].isspace():
        return end, ""
    token = text[max(lo, end - 64):end].rsplit(None, 1)[-1]
    return end - len(token), token


def _prev_token(text: str, raw_start: int, lo: int) -> str:
    """The token before the one starting at ``raw_start``, without leading quotes/brackets."""
    window = text[max(lo, raw_start - 64):raw_start].rstrip()
    return window.rsplit(None, 1)[-1].lstrip(_LEADING) if window else ""


def _is_initials(tok: str) -> bool:
    if len(tok) == 1:
        return tok.isupper()
    if "." not in tok:
        return False
    parts = tok.replace("-", "").split(".")
    return all(len(p) == 1 and p.isupper() for p in parts)


def _is_break(text: str, regs: tuple[tuple[int, int], ...], nxt: int, start: int,
              ps: int, pe: int, rules: _Rules) -> bool:
    p0, p1 = regs[1]
    if text[p1 - 1] in _CJK:
        return True
    kind, j = _next_kind(text, nxt, pe)
    if kind == _NO:
        return False
    c0, c1 = regs[2]
    if p1 - p0 != 1 or text[p0] != "." or c1 > c0:
        punct, close = text[p0:p1], text[c0:c1]
        # ! ? … ... or a closed quotation: no abbreviation can be involved, except that a
        # bracketed elision "[…]" / "(...)" is part of the sentence around it.
        if p0 > ps and text[p0 - 1] in "[(" and close[:1] in ")]" and punct[0] in ".…":
            return False
        return True

    raw_start, raw = _word_before(text, p0, ps)
    tok = raw.lstrip(_LEADING)
    if not tok:                                     # ". . ." or a stray period
        return True
    word = tok + "."
    if word in rules.no_break:
        return False
    if kind == _DIGIT and word in rules.before_digit:
        return False
    phrases = rules.phrases.get(word)
    if phrases:
        if _prev_token(text, raw_start, ps) + " " + word in phrases:
            return False
    first = raw_start == start
    if first and _ENUMERATOR.fullmatch(tok):
        return False                                # "3. Ibid.", "II. The Witness"
    if _is_initials(tok):
        if tok != "I":
            return False
        # "I" is a roman numeral or the pronoun unless it sits among initials (V. I. Lenin).
        prev = _prev_token(text, raw_start, ps)
        if len(prev) == 2 and prev[1] == "." and prev[0].isupper():
            return False
        if kind == _LETTER and _INITIAL_AHEAD.match(text, j, pe) and text[j].isupper():
            return False
    if kind == _DIGIT:
        return _NUMBER_START.match(text, j, pe) is not None
    if rules.ordinal_numbers and kind == _LETTER and len(tok) <= 3 and tok.isdigit():
        return False                                # "am 9. November"
    return True
