"""Typography per language, applied to the TEXT NODES of an XHTML tree, never to markup,
at write time (sources and catalogues keep what was typed).

Each text node is set by the rules of its own language (the nearest ``lang`` or
``xml:lang``), so a passage that fell back to the source language, or an English title kept
in a French note, keeps its own typography inside a translated edition. ``RULES`` is the
table, one :class:`Rules` per language; languages without an entry (and the
pseudo-language) are left as they are. Elements with ``translate="no"`` and code are never
touched. The rules, in the order they run:

- backticks used as quotes: ````a''`` and ```a'`` become the language's outer and inner
  quotation marks;
- straight quotes become the language's quotation marks (outer "...", inner '...');
  an apostrophe between letters (or after a letter, closing nothing) becomes U+2019;
- ``--`` becomes an em dash; a hyphen after a space (or opening a paragraph or sentence)
  and before a space and a word becomes the language's dash (``Rules.dash``: en " — ", the
  spaced em dash the sources use; fr, de, pl, cs and sv " – "; es " — "): "act - history",
  "doubt it? - The main thing", "der Krieg - 1917" (a minus is written "-5"). In English only, a
  hyphen glued between a word and "or", "and", "nor" or "but" followed by a space ("it-or
  against it", "so certain-and which led") is a dash "—" (conservative: a hyphen with a
  word on each side is otherwise always a hyphen: "Covid-19", "well-known", "hit-or-miss",
  "rock-and-roll" and "either-or" stay);
- number ranges: ``1919-1921``, ``135-159``, ``121-2`` take an en dash. Only two numbers of
  at most four digits, the second not longer than the first, and increasing (``121-2`` is
  read as 121-122); never after or before a letter, ``/``, ``.``, or another hyphen and
  number: ISO dates (2016-01-18), phone numbers (555-1234, 01-23-45), ids ("F-16",
  "978-0-19"), scores ("3-2") stay. In English, two month names too ("July–August 2013";
  French "juillet-août" and Spanish "julio-agosto" keep their hyphen);
- ``...`` becomes ``…``; in French the points are set close to the word before them and
  followed by a space before a word ("inertie… d’un");
- no-break spaces: "p. 12", "pp. 3" keep the number with its abbreviation (U+00A0); French:
  a narrow no-break space (U+202F) inside « », before ; : ! ? and before %;
- French ordinals and centuries: "1er", "2e", "1re" and a Roman numeral with "e"/"er" before
  "siècle", "millénaire" or the name of an International, a Republic, a congress... ("XXe
  siècle", "IIIe Internationale") get their letters in ``<sup>``;
- French and Spanish note calls go before the punctuation they follow ("lutter ».[3]" is set
  "lutter »[3]."): a ``.``, ``,``, ``;`` or ``:`` right before a note reference (or a run
  of them) moves after it. English and German keep them after the punctuation.
"""
from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass

from lxml import etree

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
NNBSP = "\u202f"
_SKIP_TAGS = frozenset({"code", "pre", "script", "style", "kbd", "samp"})
_BLOCK_TAGS = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "dt", "dd",
                         "figcaption", "blockquote", "title", "td", "th", "div", "section",
                         "header", "footer", "nav", "body", "article", "aside", "ol", "ul"})
_CLOSING_FOLLOWERS = set(".,;:!?)]}\u2026")
_OPENING_CONTEXT = set(" \t\n\u00a0\u202f\u2009([{\u2014\u2013/-«“‘„‚‹")


@dataclass(frozen=True)
class Quotes:
    open1: str
    close1: str
    open2: str
    close2: str


QUOTES = {
    "en": Quotes("“", "”", "‘", "’"),
    "fr": Quotes("«" + NNBSP, NNBSP + "»", "“", "”"),
    "es": Quotes("«", "»", "“", "”"),
    "ca": Quotes("«", "»", "“", "”"),
    "de": Quotes("„", "“", "‚", "‘"),
    "cs": Quotes("„", "“", "‚", "‘"),
    "ru": Quotes("«", "»", "„", "“"),
    "uk": Quotes("«", "»", "„", "“"),
    "it": Quotes("«", "»", "“", "”"),
    "pt": Quotes("«", "»", "“", "”"),
    "pt-BR": Quotes("“", "”", "‘", "’"),
    "pl": Quotes("„", "”", "«", "»"),
    "nl": Quotes("“", "”", "‘", "’"),
    "sv": Quotes("”", "”", "’", "’"),
}


@dataclass(frozen=True)
class Rules:
    """The typography of one language (see the module's documentation)."""
    quotes: Quotes
    dash: str = " \u2014 "              # what " - " between words becomes
    dash_words: tuple[str, ...] = ()     # "it-or against it": a hyphen before these is a dash
    french: bool = False                 # French spaces, ellipsis and ordinals
    calls_before_punctuation: bool = False
    range_words: tuple[str, ...] = ()    # "July-August": words a range joins with an en dash


RULES: dict[str, Rules] = {tag: Rules(q) for tag, q in QUOTES.items()}
RULES.update({
    "en": Rules(QUOTES["en"], dash_words=("or", "and", "nor", "but"), range_words=(
        "January", "February", "March", "April", "May", "June", "July", "August",
        "September", "October", "November", "December")),
    "fr": Rules(QUOTES["fr"], dash=" \u2013 ", french=True, calls_before_punctuation=True),
    "es": Rules(QUOTES["es"], calls_before_punctuation=True),
    "ca": Rules(QUOTES["ca"], calls_before_punctuation=True),
    "de": Rules(QUOTES["de"], dash=" \u2013 "),
    # the spaced en dash between words, as in German
    "pl": Rules(QUOTES["pl"], dash=" \u2013 "),
    "cs": Rules(QUOTES["cs"], dash=" \u2013 "),
    "sv": Rules(QUOTES["sv"], dash=" \u2013 "),
})


def rules_for(lang: str) -> Rules | None:
    return RULES.get(lang) or RULES.get(lang.split("-")[0].lower())


def quotes_for(lang: str) -> Quotes | None:
    rules = rules_for(lang)
    return rules.quotes if rules else None


def typeset_tree(root: etree._Element, lang: str) -> None:
    """Apply each text node's language rules in place (root's own language is ``lang``).

    One walk over the text nodes in document order (lxml's ``iterwalk``: no recursion),
    written out here: a text node costs a few operations, not a generator's round trip
    (the generator it was is kept as the tests' reference, tests/typeset_reference.py).
    Each text node is first looked up in the memo (by its text, language and the
    character before it), then typeset if it is not there. (Passing over a paragraph
    whose whole text, looked at once, has no trigger was measured slower: most have
    one.)"""
    if not isinstance(root.tag, str):
        return
    _note_calls_before_punctuation(root, lang)
    prev = ""
    french_nodes = []
    rules_of: dict[str, Rules | None] = {}
    memo_get = _MEMO.get
    # the open elements: (their language, or "" when skipped; whether they are a block),
    # the language given at the bottom
    open_: list[tuple[str, bool]] = [(lang, False)]
    push, pop = open_.append, open_.pop
    walker = etree.iterwalk(root, events=("start", "end", "comment", "pi"))
    for event, el in walker:
        if event == "start":
            tag = el.tag
            local = tag[tag.find("}") + 1:]               # the local name ("{ns}p": "p")
            block = local in _BLOCK_TAGS
            get = el.get
            if local in _SKIP_TAGS or get("translate") == "no":
                walker.skip_subtree()                      # its "end" still comes
                push(("", block))
                continue
            own = get("lang") or get(XML_LANG) or open_[-1][0]
            push((own, block))
            owner, attr, node_lang = el, "text", own
            text = el.text
            if block:
                prev = ""
        elif event == "end":
            _, block = pop()
            if len(open_) == 1:                  # the root: its tail is not its own
                continue
            owner, attr, node_lang = el, "tail", open_[-1][0]
            text = el.tail
            if block:
                prev = ""
        else:                                    # a comment, a processing instruction
            owner, attr, node_lang = el, "tail", open_[-1][0]
            text = el.tail
        if not text:
            continue
        key = (text, node_lang, prev)
        done = memo_get(key)
        if done is None:
            try:
                rules = rules_of[node_lang]
            except KeyError:
                rules = rules_of[node_lang] = rules_for(node_lang)
            if rules is None:
                prev = text[-1]
                continue
            done = _typeset_node(key, rules)
        typeset, ordinals = done
        if typeset is not None:
            setattr(owner, attr, typeset)
            text = getattr(owner, attr)          # as lxml keeps it
        prev = text[-1:] or prev
        if ordinals:
            french_nodes.append((owner, attr))
    for owner, attr in french_nodes:
        superscript_ordinals(owner, attr)


# A text with none of these is left as it is by every rule (each rule needs one of them:
# quotes, backticks, hyphens; full stops only as "..." or in "p. 12"; French spacing its
# marks and "…").
_TRIGGERS = re.compile("[`\"'\\-]|\\.\\.\\.|p\\. \\d")
_FRENCH_TRIGGERS = re.compile("[`\"'\\-\u2026\u00ab\u00bb;:!?]|\\.\\.\\.|p\\. \\d")
# The same test, faster (_triggered): the regex engine scans a text for a class of
# characters alone several times faster than for an alternation that starts with one; the
# two strings are looked for with ``in``.
_TRIGGER_CHARS = re.compile("[`\"'\\-]")
_FRENCH_TRIGGER_CHARS = re.compile("[`\"'\\-\u2026\u00ab\u00bb;:!?]")
_PAGE_NUMBER = re.compile("p\\. \\d")


def _triggered(text: str, french: bool) -> bool:
    """``(_FRENCH_TRIGGERS if french else _TRIGGERS).search(text) is not None``, faster
    (tests/test_render_typeset_triggers.py holds the two to the same answers)."""
    return (_FRENCH_TRIGGER_CHARS if french else _TRIGGER_CHARS).search(text) is not None \
        or "..." in text or ("p. " in text and _PAGE_NUMBER.search(text) is not None)


# (text, language, the character before it) -> (the text typeset, None if unchanged;
# whether it may have a French ordinal): a text node typeset by its language's rules
_MEMO: dict[tuple[str, str, str], tuple[str | None, bool]] = {}
MEMO_SIZE = 65_536
# what most texts come out as: unchanged (no French ordinal, or one maybe), one tuple each
_UNCHANGED: tuple[str | None, bool] = (None, False)
_HINTED: tuple[str | None, bool] = (None, True)


def set_text(text: str, lang: str, prev: str) -> tuple[str, bool]:
    """One text node as :func:`typeset_tree` sets it, for a writer that typesets the text
    nodes it makes as it makes them, in document order (writers/essay.py): ``text`` (not
    empty) in ``lang``, after the character ``prev`` ("" at the start of a block). Gives
    the text typeset (``text`` itself when nothing changes: the next node's ``prev`` is
    its last character) and whether it may hold a French ordinal (then
    :func:`superscript_ordinals` is to be applied to the node it is set in). The same
    memo, the same rules as the walk."""
    key = (text, lang, prev)
    done = _MEMO.get(key)
    if done is None:
        rules = rules_for(lang)
        if rules is None:
            return text, False
        done = _typeset_node(key, rules)
    typeset, ordinals = done
    return (text if typeset is None else typeset), ordinals


def setter(lang: str) -> Callable[[str, str], tuple[str, bool]]:
    """:func:`set_text` for the texts of one language, its rules found once: ``set_in(text,
    prev)`` (for a writer setting many texts of one language, one after another: the
    segments of an essay)."""
    rules = rules_for(lang)
    if rules is None:
        return lambda text, prev: (text, False)
    get = _MEMO.get

    def set_in(text: str, prev: str) -> tuple[str, bool]:
        key = (text, lang, prev)
        typeset, ordinals = get(key) or _typeset_node(key, rules)
        return (text if typeset is None else typeset), ordinals
    return set_in


def call_punctuation(before: str) -> tuple[str, str] | None:
    """The text before a note call, split where the call goes in languages whose rules
    put calls before the punctuation (``Rules.calls_before_punctuation``): (what stays
    before the call, the punctuation that goes after it), or None (nothing moves: no
    punctuation at the end, or nothing but punctuation). Used by
    :func:`typeset_tree` and by writers that typeset as they go.

    What ``_CALL_PUNCTUATION.search`` finds, without trying the pattern at every
    character of the text: the punctuation at its end, then the spaces before it
    (tests/test_typography_call_punctuation.py holds the two to the same answers). A text
    that ends with a newline (where ``$`` matches too) is left to the pattern."""
    last = before[-1:]
    if last in _CALL_MARKS:                      # (not "": "" is in every string)
        core = before.rstrip(".,;:").rstrip(" \u00a0\u202f")
        if not core:
            return None
        start = len(core)
        return core, before[start:].lstrip(" \u00a0\u202f")
    if last != "\n":
        return None                              # most texts: no punctuation at the end
    m = _CALL_PUNCTUATION.search(before)
    if not m or m.start() == 0:
        return None
    return before[:m.start()], m.group().lstrip(" \u00a0\u202f")


def typeset_text(text: str, lang: str, prev: str = "") -> str:
    """``text`` by the rules of ``lang``; ``prev`` is the character before it, if any."""
    rules = rules_for(lang)
    if rules is None:
        return text
    return _typeset(text, lang, rules, prev)


def _typeset(text: str, lang: str, rules: Rules, prev: str) -> str:
    """:func:`typeset_text`, remembered: ``text`` itself, found so without the memo and
    not remembered, when nothing in it can change."""
    if not _triggered(text, rules.french):
        return text
    key = (text, lang, prev[-1:])
    typeset = (_MEMO.get(key) or _typeset_node(key, rules))[0]
    return text if typeset is None else typeset


def _typeset_node(key: tuple[str, str, str], rules: Rules) -> tuple[str | None, bool]:
    """What :data:`_MEMO` remembers under ``key`` (``rules``: those of its language),
    worked out and remembered. A text with none of its triggers is left as it is (that
    is remembered too: a tree's texts are looked up before they are looked at, and
    many come again, in other essays of a project and in each edition's title)."""
    text, _, prev = key
    french = rules.french
    if (_FRENCH_TRIGGER_CHARS if french else _TRIGGER_CHARS).search(text) is None \
            and "..." not in text \
            and ("p. " not in text or _PAGE_NUMBER.search(text) is None):
        # not _triggered (written out: it runs for each text node made): no rule runs
        done = _HINTED if french and _ORDINAL_HINT.search(text) is not None else _UNCHANGED
    else:
        typeset = _typeset_text(text, rules, prev)
        done = (None if typeset == text else typeset,
                french and _ORDINAL_HINT.search(typeset) is not None)
    if len(_MEMO) >= MEMO_SIZE:
        _MEMO.clear()
    _MEMO[key] = done
    return done


def _typeset_text(text: str, rules: Rules, prev: str) -> str:
    text = _backtick_quotes(text, rules.quotes)
    text = _convert_quotes(text, rules.quotes, prev)
    text = _dashes(text, rules, prev[-1:])
    text = _ranges(text)
    if rules.range_words and "-" in text:
        text = _word_ranges(text, rules.range_words)
    text = _ellipses(text, rules.french)
    if "p. " in text:                        # what every number abbreviation has
        text = _NUMBER_ABBREVIATION.sub("\\1\u00a0", text)
    if rules.french:
        text = _french_spacing(text, prev[-1:])
    return text


# ---------------------------------------------------------------- dashes, ranges, ellipses

_BACKTICK_DOUBLE = re.compile(r"``([^`']+?)''")
_BACKTICK_SINGLE = re.compile(r"`([^`'\n]+?)'(?![A-Za-z])")
_DOUBLE_HYPHEN = re.compile(r"(?<!-)--(?!-)")
_SPACED_HYPHEN = re.compile(r"(?:(?<=\s)|^)- (?=\w|[\u2018\u201c\u00ab\u201e(\[\"'])")
_RANGE = re.compile(r"(?<![\w/.\-\u2013])(\d{1,4})-(\d{1,4})(?![\w/\-\u2013]|[.,]\d)")
_ELLIPSIS = re.compile(r"\.\.\.")
_FR_ELLIPSIS = re.compile(r"(?<=\w)[ \u00a0]+\u2026|\u2026(?=\w)")
_NUMBER_ABBREVIATION = re.compile(r"(?<![\w.])(pp?\.) (?=\d)")


def _backtick_quotes(text: str, q: Quotes) -> str:
    """``a'' and `a' (typewriter quotes typed with backticks) as real quotation marks."""
    if "`" not in text:
        return text
    text = _BACKTICK_DOUBLE.sub(lambda m: q.open1 + m.group(1) + q.close1, text)
    return _BACKTICK_SINGLE.sub(lambda m: q.open2 + m.group(1) + q.close2, text)


def _dashes(text: str, rules: Rules, prev: str) -> str:
    if "-" not in text:
        return text
    if "--" in text:
        text = _DOUBLE_HYPHEN.sub("\u2014", text)
    if "- " not in text:
        pass                             # (each pattern below needs what it looks for)
    elif prev.isspace() or not prev or not text.startswith("- "):
        text = _SPACED_HYPHEN.sub(rules.dash.lstrip(), text)
    else:                                # "a" + "- b": not a dash at the node's start
        text = text[:1] + _SPACED_HYPHEN.sub(rules.dash.lstrip(), text[1:])
    for word in rules.dash_words:
        if f"-{word} " not in text:
            continue
        text = _dash_word(word).sub(
                      lambda m: m.group(1) + "\u2014" + m.group(2) + " "
                      if m.group(1).lower() not in _NOT_DASHED else m.group(0), text)
    return text


@functools.cache
def _dash_word(word: str) -> re.Pattern[str]:
    """A hyphen glued between a word and ``word`` (see _dashes), compiled once."""
    return re.compile(rf"(?<![\w-])([^\W\d_]+)-({word}) (?=\w)")


_NOT_DASHED = frozenset({"either", "neither", "whether", "hit", "more", "all", "do", "die"})


def _ranges(text: str) -> str:
    """1919-1921 -> 1919–1921 (see the module's documentation for what is left alone)."""
    if not _digits_around_hyphen(text):
        return text                           # most texts: no range
    return _RANGE.sub(lambda m: m.group(1) + "\u2013" + m.group(2)
                      if _is_range(m.group(1), m.group(2)) else m.group(0), text)


def _digits_around_hyphen(text: str) -> bool:
    """A hyphen between two digits (``\\d``: a decimal digit, as ``str.isdecimal`` says),
    which every range has: looked for hyphen by hyphen (a text has few), not by _RANGE,
    whose lookbehind the regex engine tries at every character."""
    i = text.find("-", 1)
    last = len(text) - 1
    while 0 < i < last:
        if text[i - 1].isdecimal() and text[i + 1].isdecimal():
            return True
        i = text.find("-", i + 1)
    return False


def _word_ranges(text: str, words: tuple[str, ...]) -> str:
    """(Only where a hyphen follows one of ``words`` and another follows it: the pattern
    is tried at every character of the text, each hyphen is looked at here.)"""
    i = text.find("-")
    while i != -1:
        if text.endswith(words, 0, i) and text.startswith(words, i + 1):
            return _word_range(words).sub("\\1\u2013\\2", text)
        i = text.find("-", i + 1)
    return text


@functools.cache
def _word_range(words: tuple[str, ...]) -> re.Pattern[str]:
    """Two of ``words`` joined by a hyphen, compiled once."""
    either = "|".join(words)
    return re.compile(rf"(?<![\w-])({either})-({either})(?![\w-])")


def _is_range(first: str, second: str) -> bool:
    if len(second) > len(first) or first.startswith("0") or second.startswith("0"):
        return False
    full = first[:len(first) - len(second)] + second      # 121-2 is 121-122
    return int(full) > int(first)


def _ellipses(text: str, french: bool) -> str:
    if "..." in text:
        text = _ELLIPSIS.sub("\u2026", text)
    if french and "\u2026" in text:
        text = _FR_ELLIPSIS.sub(lambda m: "\u2026 " if m.group().startswith("\u2026")
                                else "\u2026", text)
    return text


def _convert_quotes(text: str, q: Quotes, prev: str) -> str:
    """Each straight quote by what is around it: the character before it as already
    converted (the end of a quotation mark put before it), the one after as typed. Only
    the quotes are looked at (the text between them is copied as it is)."""
    if '"' not in text and "'" not in text:
        return text                           # most text nodes: nothing to convert
    out: list[str] = []
    before = prev[-1:] if prev else ""
    doubles = singles = 0                     # quotes opened and not yet closed
    last = 0                                  # where the text not yet copied starts
    size = len(text)
    for m in _STRAIGHT_QUOTE.finditer(text):
        i = m.start()
        if i > last:
            out.append(text[last:i])
            before = text[i - 1]
        after = text[i + 1] if i + 1 < size else ""
        if m.group() == '"':
            if _opens(before, after, doubles):
                ch, doubles = q.open1, doubles + 1
            else:
                ch, doubles = q.close1, max(doubles - 1, 0)
        else:
            if before.isalnum() and after.isalpha():
                ch = "\u2019"                 # apostrophe: l'homme, don't
            elif _opens(before, after, singles):
                ch, singles = q.open2, singles + 1
            elif singles:
                ch, singles = q.close2, singles - 1
            else:
                ch = "\u2019"                 # the students' books, Hans' Buch
        out.append(ch)
        before = ch[-1]
        last = i + 1
    out.append(text[last:])
    return "".join(out)


_STRAIGHT_QUOTE = re.compile("[\"']")


def _opens(before: str, after: str, depth: int) -> bool:
    """Opening after a space or an opening mark; with spaces on both sides, alternate."""
    if before and before not in _OPENING_CONTEXT:
        return False
    if after and (after.isspace() or after in _CLOSING_FOLLOWERS):
        return depth == 0 and before.isspace()
    return True


# (the marks of which each rule needs one in the text: each match has one at or after
# its start, and no rule adds one of them; a rule is not tried on a text without them)
_FR_RULES: tuple[tuple[re.Pattern[str], str, str], ...] = (
    (re.compile(r"(?<=\d)[ \u00a0\u202f]?(?=%)"), NNBSP, "%"),
    (re.compile(r"«[ \u00a0\u202f]*"), "«" + NNBSP, "«"),
    (re.compile(r"(?<![ \u00a0\u202f])[ \u00a0\u202f]*»"), NNBSP + "»", "»"),
    (re.compile(r"(?<=[^\s;:!?(\[«/=\u00a0\u202f])[ \u00a0\u202f]?"
                r"(?=[;!?]+(?:[\s»”)\].,\u2026]|$))"), NNBSP, ";!?"),
    (re.compile(r"(?<=[^\s;:!?(\[«\u00a0\u202f/])[ \u00a0\u202f]?(?=:(?:\s|$))"), NNBSP,
     ":"),
)


_FR_MARKS = frozenset("«»;:!?")


def _french_spacing(text: str, before: str = "") -> str:
    """The French spaces of ``text``. ``before`` (the end of the previous text node) is
    only ever looked at, by lookbehinds: no match starts in it, so it is never changed
    (after a space there, no second space is added here)."""
    if not ("«" in text or "»" in text or ";" in text or ":" in text or "!" in text
            or "?" in text):
        return text        # nothing is done without one of these (_FR_MARKS; "%" alone too)
    for pattern, replacement, marks in _FR_RULES:
        if len(marks) == 1:
            if marks not in text:
                continue
        elif not any(mark in text for mark in marks):
            continue
        parts, last = [], len(before)
        combined = before + text
        for match in pattern.finditer(combined, len(before)):
            parts += [combined[last:match.start()], replacement]
            last = match.end()
        text = "".join(parts) + combined[last:]
    return text


# ---------------------------------------------------------------- French ordinals

_ORDINAL = re.compile(
    r"(?<![\w\u2019'-])(?:(\d{1,4})(er|re|e|ers|res|es)|([IVX]{1,6})(er|re|e))"
    r"(?=[ \u00a0\u202f]+(?:si\u00e8cles?|mill\u00e9naires?|arrondissements?|"
    r"Internationale|R\u00e9publique|Reich|Empire|Congr\u00e8s|congr\u00e8s|Plenum|pl\u00e9num)\b)"
    r"|(?<![\w\u2019'-])(\d{1,4})(er|re|e)(?![\w\u2019'-])")
_SUP_TAG = "{http://www.w3.org/1999/xhtml}sup"
# what every match of _ORDINAL has: a digit or a Roman numeral, then "e" or "r"
_ORDINAL_HINT = re.compile(r"[\dIVX][er]")


def superscript_ordinals(owner: etree._Element, attr: str) -> None:
    """"XXe siècle", "1er" -> "XX<sup>e</sup> siècle", "1<sup>er</sup>" in one text node."""
    text = getattr(owner, attr) or ""
    pieces: list[tuple[str, str]] = []          # (text before, superscript)
    last = 0
    for m in _ORDINAL.finditer(text):
        number = m.group(1) or m.group(3) or m.group(5)
        letters = m.group(2) or m.group(4) or m.group(6)
        pieces.append((text[last:m.start()] + number, letters))
        last = m.end()
    if not pieces:
        return
    rest = text[last:]
    tag = _SUP_TAG if owner.tag.startswith("{") else "sup"
    sups = []
    for _, letters in pieces:
        sup = etree.Element(tag)
        sup.text = letters
        sups.append(sup)
    for i, sup in enumerate(sups):
        sup.tail = pieces[i + 1][0] if i + 1 < len(pieces) else rest
    setattr(owner, attr, pieces[0][0])
    if attr == "text":
        for i, sup in enumerate(sups):
            owner.insert(i, sup)
    else:
        parent = owner.getparent()
        assert parent is not None                # a tail belongs to an element in a tree
        index = parent.index(owner)
        for i, sup in enumerate(sups):
            parent.insert(index + 1 + i, sup)


# ---------------------------------------------------------------- note calls

_CALL_PUNCTUATION = re.compile(r"[ \u00a0\u202f]*[.,;:]+$")
_CALL_MARKS = frozenset(".,;:")
# the elements :func:`_is_note_call` accepts, the root included, in document order (found
# by their attributes: libxml2 finds those faster than it tests a predicate on every element)
_NOTE_CALLS = etree.XPath("(descendant-or-self::*/@role[. = 'doc-noteref']"
                          " | descendant-or-self::*/@class[. = 'noteref'])/..")


def _is_note_call(el: etree._Element) -> bool:
    return isinstance(el.tag, str) and (el.get("role") == "doc-noteref"
                                        or el.get("class") == "noteref")


def _note_calls_before_punctuation(root: etree._Element, lang: str) -> None:
    """In languages whose rules say so, "mot.<call>" becomes "mot<call>."."""
    calls: list[etree._Element] = _NOTE_CALLS(root)  # type: ignore[assignment]
    for call in calls:
        rules = rules_for(_language_of(call, lang))
        if not rules or not rules.calls_before_punctuation:
            continue
        previous = call.getprevious()
        if previous is not None and _is_note_call(previous) and not previous.tail:
            continue                             # the first call of a run moves it
        owner = previous if previous is not None else call.getparent()
        attr = "tail" if previous is not None else "text"
        if owner is None:
            continue
        split = call_punctuation(getattr(owner, attr) or "")
        if split is None:
            continue
        last = call
        following = last.getnext()
        while following is not None and _is_note_call(following) and not last.tail:
            last, following = following, following.getnext()
        setattr(owner, attr, split[0])
        last.tail = split[1] + (last.tail or "")


def _language_of(el: etree._Element, default: str) -> str:
    for ancestor in el.iterancestors():
        own = ancestor.get("lang") or ancestor.get(XML_LANG)
        if own:
            return own
    return default
