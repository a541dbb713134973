"""Read and write gettext catalogues; the output is byte-identical to GNU ``msgcat`` 0.21.

``format_catalog`` ports gettext's write-po.c: width 79, the ``""`` first line, breaks
where Unicode line breaking allows them (UAX #14 by unicode_segmentation_rs, tailored as
libunistring 1.0 tailors it for msgcat; no C library, so the same on every machine),
``#| ``/``#~ `` prefixes counted, no break inside c/python format
directives, flags normalised (unknown flags dropped, fuzzy dropped on untranslated entries),
duplicate references and untranslated obsolete entries dropped, charset always UTF-8.
``read_catalog`` is our own parser: polib drops ``#~|`` lines, ``\\a`` and octal escapes.
"""
from __future__ import annotations

import codecs
import functools
import itertools
import operator
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import AnyStr, Literal

import polib

from serge_publish import atomic
from serge_publish.catalog.linebreak import PROHIBITED, breaks, breaks_anywhere, char_width
from serge_publish.catalog.output import write_catalog_text
from serge_publish.errors import CatalogError

WIDTH = 79
FORMATS = ("c objc python python-brace java java-printf csharp javascript scheme lisp "
           "elisp librep ruby sh awk lua object-pascal smalltalk qt qt-plural kde kde-kuit "
           "boost tcl perl perl-brace php gcc-internal gfc-internal ycp").split()
_ESC = {"\a": "a", "\b": "b", "\f": "f", "\n": "n", "\r": "r", "\t": "t", "\v": "v",
        "\\": "\\", '"': '"'}
_ESC_TABLE = str.maketrans({k: "\\" + v for k, v in _ESC.items()})
_UNESC = {v: k for k, v in _ESC.items()}
_C = (rb"%(\d+\$)?[-+ #0'I]*(?:\*(?:\d+\$)?|\d+)?(?:\.(?:\*(?:\d+\$)?|\d*))?"
      rb"(?:hh|h|ll|l|L|q|j|z|Z|t)?(?:[diouxXeEfFgGaAcCsSpn%]|<PRI\w+>)")
_DIRECTIVE = {"c": re.compile(_C), "objc": re.compile(_C.replace(b"n%]", b"n%@]")),
              "python": re.compile(rb"%(\([^)]*\))?[-+ #0]*(?:\*|\d+)?(?:\.(?:\*|\d+))?"
                                   rb"[hlL]?[diouxXeEfgGcrs%]")}
_ID = rb"(?:[A-Za-z_][A-Za-z0-9_]*|[0-9]+)"
_BRACE = re.compile(rb"\{" + _ID + rb"(?:\.[A-Za-z_][A-Za-z0-9_]*|\[" + _ID + rb"\])*")
_SPEC = re.compile(rb"(?:.?[<>=^])?[-+ ]?#?0?[0-9]*(?:\.[0-9]+)?[bcdoxXneEfFgG%]?", re.S)
def _directive_mask(value: bytes, fmt: str | None) -> bytearray:
    """1 on the bytes of a format directive but its first, where msgcat never breaks."""
    mask, pos = bytearray(len(value)), 0
    kinds: set[bool] = set()  # whether a directive names its argument (%1$d, %(x)s)
    if fmt == "python-brace":
        end = _brace_protected(value)
        mask[1:end + 1] = b"\x01" * end
    while fmt in _DIRECTIVE and (pos := value.find(b"%", pos)) >= 0:
        m = _DIRECTIVE[fmt].match(value, pos)
        kinds |= {m.group(1) is not None} if m and not m.group().endswith(b"%") else set()
        if m is None or len(kinds) > 1:  # gettext stops at an invalid directive
            break
        mask[pos + 1:m.end()] = b"\x01" * (m.end() - pos - 1)
        pos = m.end()
    return mask


def _brace_protected(v: bytes) -> int:
    """gettext 0.21 marks python-brace directives relative to the directive, not to the
    string (a bug), so it protects the first bytes of the string: how many."""
    marks: list[tuple[int, bool]] = []
    pos = 0
    while (pos := v.find(b"{", pos)) >= 0:
        if v.startswith(b"{{", pos):
            pos += 2
            continue
        marks.append(_brace_directive(v, pos, True))
        if not marks[-1][1]:
            break
        pos += marks[-1][0] + 1
    first = min(marks, default=(0, False))
    return first[0] if first[1] and any(ok for _, ok in marks) else 0


def _brace_directive(v: bytes, s: int, top: bool) -> tuple[int, bool]:
    """(offset from s of the closing brace, or of the error; whether it is valid)."""
    if not (m := _BRACE.match(v, s)):
        return 1, False
    i = m.end()
    if v[i:i + 1] in (b".", b"["):
        sub = re.compile(_ID).match(v, i + 1) if v[i:i + 1] == b"[" else None
        return (sub.end() if sub else i + 1) - s, False
    if v[i:i + 1] == b":":
        if not top or i + 1 >= len(v):
            return i + top - s, False
        if v[i + 1:i + 2] == b"{":
            off, ok = _brace_directive(v, i + 1, False)
            if not ok:
                return off, False
            i += off + 2
        else:
            i = spec.end() if (spec := _SPEC.match(v, i + 1)) else i + 1  # always matches
    return i - s, v[i:i + 1] == b"}"


def _escape(portion: str, mask: bytearray) -> tuple[bytes, bytearray]:
    """The escaped bytes, and the break overrides (per character start) msgcat uses."""
    data = portion.translate(_ESC_TABLE).encode("utf-8")
    over = bytearray(len(data))
    for m in re.finditer(rb"\\.", data, re.S):  # never inside an escape sequence
        over[m.start() + 1] = PROHIBITED
    if any(mask):  # format directive bytes; the escapes move their offsets
        src = dst = 0
        for ch in portion:
            over[dst] |= mask[src]
            src += len(ch.encode("utf-8"))
            dst += len(ch.translate(_ESC_TABLE).encode("utf-8"))
    if portion.endswith("\n"):
        over[-2] = PROHIBITED  # never break right before a final \n
    return bytes(data), over



def new_entry(msgid: str = "", msgstr: str = "", msgid_plural: str = "",
              msgstr_plural: dict | None = None, msgctxt: str | None = None,
              obsolete: bool | None = False, comment: str = "", tcomment: str = "",
              occurrences: list | None = None, flags: list | None = None,
              previous_msgctxt: str | None = None, previous_msgid: str | None = None,
              previous_msgid_plural: str | None = None,
              linenum: int | None = None) -> polib.POEntry:
    """``polib.POEntry(...)`` without its constructor's keyword lookups: the same
    attributes, set in polib's order (a test holds this to polib's constructor)."""
    entry = polib.POEntry.__new__(polib.POEntry)
    entry.__dict__.update(
        msgid=msgid, msgstr=msgstr, msgid_plural=msgid_plural,
        msgstr_plural={} if msgstr_plural is None else msgstr_plural, msgctxt=msgctxt,
        obsolete=obsolete, encoding=polib.default_encoding, comment=comment,
        tcomment=tcomment, occurrences=[] if occurrences is None else occurrences,
        flags=[] if flags is None else flags, previous_msgctxt=previous_msgctxt,
        previous_msgid=previous_msgid, previous_msgid_plural=previous_msgid_plural,
        linenum=linenum)
    return entry


@functools.lru_cache(maxsize=1 << 14)
def _wrapped(prefix: str, name: str, value: str, wrap: bool, fmt: str | None
             ) -> tuple[str, ...]:
    """``_wrap``'s lines, remembered: the same msgid is written in the template and in the
    catalogue of every language. A string that fits on its first line (no newline in it,
    its escaped width within the line's) is that line, as the break finder would decide.
    The lines of a string that must be wrapped (the costly ones) are also remembered
    apart (``_wrapped_lines``), where the many short ones do not push them out: a
    project whose essays hold more strings than this cache (the languages' catalogues
    are written one after the other) still wraps each msgid once."""
    if "\n" not in value and "\x04" not in value:
        escaped = value.translate(_ESC_TABLE)
        room = (WIDTH - 3 if wrap else 2**31 - 4) - len(prefix) - len(name)
        if len(escaped) <= room and (escaped.isascii() or _width(escaped) <= room):
            return (f'{prefix}{name} "{escaped}"',)
    return _wrapped_lines(prefix, name, value, wrap, fmt)


@functools.lru_cache(maxsize=1 << 16)
def _wrapped_lines(prefix: str, name: str, value: str, wrap: bool, fmt: str | None
                   ) -> tuple[str, ...]:
    return tuple(_wrap_lines(prefix, name, value, wrap, fmt))


def _width(text: str) -> int:
    """Columns, as the break finder counts them (at least the characters for ASCII)."""
    return sum(map(char_width, text))


def _wrap_lines(prefix: str, name: str, value: str, wrap: bool,
                fmt: str | None) -> list[str]:
    if "\x04" in value:
        raise CatalogError(f"<EOT> (U+0004) in {name} {value[:40]!r}", where=name,
                           hint="remove the character: gettext forbids it in strings")
    lines: list[str] = []
    first, offset = True, 0
    mask = _directive_mask(value.encode("utf-8"), fmt)
    portions = re.findall(r"[^\n]*\n|[^\n]+", value) or [""]
    width = (WIDTH if wrap else 2**31 - 1) - 2 - len(prefix)
    for n, portion in enumerate(portions):
        size = len(portion.encode("utf-8"))
        data, over = _escape(portion, mask[offset:offset + size])
        offset += size
        col = len(name) + 1
        if first and data and (n + 1 < len(portions) or col > width
                               or breaks_anywhere(data, over, width, col)):
            lines.append(f'{prefix}{name} ""')   # the string starts on the next line
            first = False
        if first:        # on the keyword's line, unbroken (as breaks_anywhere found)
            cuts = [len(data)]
        else:
            brk = breaks(data, over, width, 0)
            cuts = [m.start() for m in re.finditer(b"\x02", brk)] + [len(data)]
        head, pos = prefix + (name + " " if first else ""), 0
        for cut in cuts:
            lines.append(f'{head}"{data[pos:cut].decode("utf-8")}"')
            head, pos = prefix, cut
        first = False
    return lines


_FLAG_FORMAT = re.compile(r"(no-|possible-)?([a-z-]+)-format")
_FLAG_RANGE = re.compile(r"range: *(\d+)\.\.(\d+)")


@functools.lru_cache(maxsize=1024)
def _flag_line(flags: tuple[str, ...], obsolete: bool, translated: bool
               ) -> tuple[str, bool, str | None]:
    """The `#,` line ("" for none), whether to wrap, the format for wrapping: what the
    flags say depends on them, on the entry being obsolete and on its having a msgstr."""
    formats: dict[str, str] = {}  # format name: "" or "no-"
    rng: list[str] = []
    fuzzy, wrap = False, True
    for flag in (f.strip() for f in flags):
        m = _FLAG_FORMAT.fullmatch(flag)
        r = _FLAG_RANGE.fullmatch(flag)
        fuzzy |= flag == "fuzzy"
        if m and m.group(2) in FORMATS:
            formats[m.group(2)] = "no-" if m.group(1) == "no-" else ""
        rng = [f"range: {int(r[1])}..{int(r[2])}"] if r and not obsolete else rng
        wrap = flag == "wrap" if flag in ("wrap", "no-wrap") else wrap
    parts = ["fuzzy"] if fuzzy and translated else []
    parts += [formats[f] + f + "-format" for f in FORMATS if f in formats] + rng
    fmt = next((f for f in FORMATS if formats.get(f) == ""), None)
    parts += [] if wrap else ["no-wrap"]
    return ("#, " + ", ".join(parts) if parts else ""), wrap, fmt


@functools.lru_cache(maxsize=1 << 14)
def _reference_line(ref: tuple | str) -> tuple[str]:
    """The line of a single reference (the usual case), remembered: a template's
    references are in every language's catalogue."""
    file, line = (ref[0], str(ref[1] or "")) if isinstance(ref, tuple) else (ref, "")
    if file.startswith("./"):
        file = re.sub(r"^(\./)+", "", file)
    return ("#: " + file + (":" + line if line else ""),)


def _references(entry: polib.POEntry) -> list[str] | tuple[str]:
    occurrences = entry.occurrences
    if len(occurrences) == 1:       # the usual case: one reference, one line
        ref = occurrences[0]
        if type(ref) is str or type(ref) is tuple and len(ref) == 2 and \
                type(ref[0]) is str and type(ref[1]) is str:       # remembered as is
            return _reference_line(ref)
        file, line = (ref[0], str(ref[1] or "")) if isinstance(ref, tuple) else (ref, "")
        if file.startswith("./"):
            file = re.sub(r"^(\./)+", "", file)
        return ["#: " + file + (":" + line if line else "")]
    seen: set[tuple[str, str]] = set()
    lines: list[str] = []
    cur = "#:"
    for ref in occurrences:
        file, line = (ref[0], str(ref[1] or "")) if isinstance(ref, tuple) else (ref, "")
        if (file, line) in seen:
            continue
        seen.add((file, line))
        word = re.sub(r"^(\./)+", "", file) + (":" + line if line else "")
        if len(cur) > 2 and len(cur) + len(word) + 1 > WIDTH:
            lines, cur = lines + [cur], "#:"
        cur += " " + word
    return lines + [cur] if seen else lines


@functools.lru_cache(maxsize=1 << 14)
def _comment_lines(mark: str, text: str) -> tuple[str, ...]:
    """Comment lines as they are, a space after a final backslash (which would join
    lines); remembered: a template's comments are in every language's catalogue.
    A carriage return in a comment is written as a space: GNU gettext would take the rest of
    the line for part of the comment, and this module's reader refuses such a line.
    (A comment of several lines with no empty one and no backslash, the usual one, is
    given as one string, its lines joined by newlines: the same text, made at once.)"""
    if "\r" not in text and "\\" not in text and "\n\n" not in text and \
            text[0] != "\n" != text[-1]:        # (no empty line, no backslash: the usual)
        return (f"{mark} " + text.replace("\n", f"\n{mark} "),)   # lines joined by \n
    return tuple(mark + (" " + line if line else "") + " " * line.endswith("\\")
                 for line in text.replace("\r", " ").split("\n"))


def _entry_lines(entry: polib.POEntry) -> list[str]:
    out: list[str] = []
    _add_entry_lines(entry, out)
    return out


_NO_FLAGS = ("", True, None)         # _flag_line of no flag, whatever the entry


def _add_entry_lines(entry: polib.POEntry, out: list[str]) -> bool:
    """The lines of ``entry`` added to ``out``; False (none added) for an obsolete entry
    without translation. Its attributes are read from its dict, once each (this runs for
    every entry of every catalogue written)."""
    e = entry.__dict__ if type(entry) is polib.POEntry else vars_of(entry)
    plural = bool(e["msgid_plural"])
    if plural:
        strs = {int(k): v for k, v in e["msgstr_plural"].items()} or {0: "", 1: ""}
        msgstr0 = strs[min(strs)]
    else:
        msgstr0 = e["msgstr"]
    obsolete = e["obsolete"]
    if obsolete and not msgstr0:
        return False
    flags, wrap, fmt = _flag_line(tuple(e["flags"]), bool(obsolete), bool(msgstr0)) \
        if e["flags"] else _NO_FLAGS
    if e["tcomment"]:
        out += _comment_lines("#", e["tcomment"])
    if e["comment"]:
        out += _comment_lines("#.", e["comment"])
    if e["occurrences"]:
        out += _references(entry)
    if flags:
        out.append(flags)
    if e["previous_msgctxt"] is not None or e["previous_msgid"] is not None or \
            e["previous_msgid_plural"] is not None:
        mark = "#~| " if obsolete else "#| "
        for name in ("msgctxt", "msgid", "msgid_plural"):
            if (prev := e["previous_" + name]) is not None:
                out += _wrapped(mark, name, prev, wrap, fmt)
    prefix = "#~ " if obsolete else ""
    if e["msgctxt"] is not None:
        out += _wrapped(prefix, "msgctxt", e["msgctxt"], wrap, fmt)
    out += _wrapped(prefix, "msgid", e["msgid"], wrap, fmt)
    if plural:
        out += _wrapped(prefix, "msgid_plural", e["msgid_plural"], wrap, fmt)
        for k in sorted(strs):
            out += _wrapped(prefix, f"msgstr[{k}]", strs[k], wrap, fmt)
    else:
        out += _wrapped(prefix, "msgstr", msgstr0, wrap, fmt)
    return True


_FIELDS = ("msgid", "msgstr", "msgid_plural", "msgstr_plural", "msgctxt", "obsolete",
           "comment", "tcomment", "occurrences", "flags", "previous_msgctxt",
           "previous_msgid", "previous_msgid_plural")


def vars_of(entry: polib.POEntry) -> dict:
    """The fields the writer reads, of an entry that may compute them (a subclass)."""
    return {name: getattr(entry, name) for name in _FIELDS}


def _header_entry(po: polib.POFile) -> polib.POEntry:
    meta = dict(po.metadata)
    ctype = meta.get("Content-Type", "text/plain; charset=UTF-8")
    meta["Content-Type"] = (re.sub(r"charset=[^\s;]*", "charset=UTF-8", ctype)
                            if "charset=" in ctype else ctype.rstrip("; ") + "; charset=UTF-8")
    msgstr = "".join(f"{k}: {v}\n" for k, v in meta.items())
    return polib.POEntry(msgid="", msgstr=msgstr, tcomment=po.header,
                         flags=["fuzzy"] if po.metadata_is_fuzzy else [])


def format_catalog(po: polib.POFile) -> str:
    """The catalogue as `msgcat` writes it (UTF-8 declared in the header)."""
    active: list[polib.POEntry] = []
    obsolete: list[polib.POEntry] = []
    for e in po:
        (obsolete if e.obsolete else active).append(e)
    if not (po.metadata or po.header or active or obsolete):
        return ""
    out: list[str] = []
    for e in (_header_entry(po), *active, *obsolete):     # the entries, a blank line apart
        if _add_entry_lines(e, out):
            out.append("")
    return "\n".join(out) if out else ""


def entry_blocks(text: str) -> Blocks:
    """The blocks of a catalogue as ``format_catalog`` writes it: its header's lines, then
    each entry's, in order (no line the writer makes is empty: blank lines part them)."""
    return Blocks(text[:-1].split("\n\n") if text.endswith("\n") else [])


_TEMPLATE_FIELDS = ("msgctxt", "msgid", "msgid_plural", "msgstr_plural", "obsolete",
                    "comment", "tcomment", "occurrences", "previous_msgctxt",
                    "previous_msgid", "previous_msgid_plural")
_template_fields = operator.itemgetter(*_TEMPLATE_FIELDS)
_EMPTY_MSGSTR = '\nmsgstr ""'


def format_merged(po: polib.POFile, template: polib.POFile, blocks: list[str]) -> str:
    """``format_catalog(po)`` for a merge of ``template``, whose own text, as
    ``format_catalog`` writes it, has the blocks ``blocks`` (see :func:`entry_blocks`):
    an entry the merge carried with every field of its template entry is written as that
    entry's block, one that differs by its translation only (no flag, a singular message)
    as the block's lines but its ``msgstr ""``, then its msgstr's. The writer's lines are
    made from those fields alone, so these are the bytes it would write; the others are
    formatted. Most of a catalogue's lines (comments, references, the source) are thus
    not made again for each language. (The first and last blocks are checked against
    their entries: blocks of another text are not used.)"""
    n = len(template)
    active: list[polib.POEntry] = []
    obsolete: list[polib.POEntry] = []
    for e in po:
        (obsolete if e.obsolete else active).append(e)
    if len(blocks) != n + 1 or len(active) < n or not (po.metadata or po.header or active) \
            or n and any("\n".join(_entry_lines(template[i])) != blocks[i + 1]
                         for i in {0, n - 1}):      # blocks of another text: not used
        return format_catalog(po)
    out: list[str] = []
    _add_entry_lines(_header_entry(po), out)
    out.append("")
    entry_type, fields, wrapped = polib.POEntry, _template_fields, _wrapped
    for e, (key, flags, msgstr, head), block in zip(
            active[:n], _template_keys(template, blocks), blocks[1:], strict=True):
        mine = e.__dict__
        if key is not None and type(e) is entry_type and fields(mine) == key:
            if mine["flags"] == flags and mine["msgstr"] == msgstr:
                out.append(block)
                out.append("")
                continue
            if head is not None and not mine["flags"] and not mine["msgid_plural"]:
                out.append(head)
                out += wrapped("", "msgstr", mine["msgstr"], True, None)
                out.append("")
                continue
        if _add_entry_lines(e, out):
            out.append("")
    for e in (*active[n:], *obsolete):
        if _add_entry_lines(e, out):
            out.append("")
    return "\n".join(out)


class Blocks(list):
    """A catalogue's blocks (see :func:`entry_blocks`), with what ``format_merged`` worked
    out of them for a template (``_template_keys``), once: every language's catalogue is
    merged with the same template. (Neither is changed once read.)"""
    __slots__ = ("keys",)
    keys: tuple[polib.POFile, list[tuple]]


def _template_keys(template: polib.POFile, blocks: list[str]) -> list[tuple]:
    """For each entry of ``template`` (whose text has the blocks ``blocks``): the fields a
    merged entry must share with it to be written as its block (None: not an entry of
    polib's own class), its flags and msgstr, and its block without its final ``msgstr
    ""`` line when it has no flag and that line (else None); kept with ``blocks`` when
    they are ``Blocks``."""
    known = getattr(blocks, "keys", None)
    if known is not None and known[0] is template:
        return known[1]
    keys: list[tuple] = []
    cut = len(_EMPTY_MSGSTR)
    for t, block in zip(template, blocks[1:], strict=True):
        theirs = t.__dict__
        if type(t) is not polib.POEntry:
            keys.append((None, None, None, None))
            continue
        head = block[:-cut] if not theirs["flags"] and not theirs["msgstr"] and \
            block.endswith(_EMPTY_MSGSTR) else None
        keys.append((_template_fields(theirs), theirs["flags"], theirs["msgstr"], head))
    if isinstance(blocks, Blocks):
        blocks.keys = (template, keys)
    return keys


def write_catalog(path: str | os.PathLike[str], po: polib.POFile) -> None:
    """Write ``po`` as msgcat would; CatalogWriteError (file, what to check) on failure."""
    write_catalog_text(path, format_catalog(po))


# --------------------------------------------------------------------------------- reading

_TOKEN = re.compile(r'\s*(?:(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)(?![\w\[])'
                    r'|"((?:[^"\\]|\\.)*)"|(\S+))')
_ESCAPES = re.compile(r"((?:\\(?:[0-7]{1,3}|x[0-9A-Fa-f]{1,2}))+)|\\(.)")
_HINT = "fix that line; `msgfmt -c -o /dev/null FILE` shows what GNU gettext thinks of it"
_HIDDEN = re.compile(r'\r[ \t\f\v]*(?:#|msgctxt|msgid|msgstr|")')  # a CR line end in a comment
_CR_HINT = ("save the file with LF (Unix) or CRLF line ends, e.g. "
            "`tr '\\r' '\\n' < FILE.po > fixed.po`, check it, then move it back")
_UTF8_HINT = ("the bytes are right: declare charset=UTF-8 in the header "
              '("Content-Type: text/plain; charset=UTF-8\\n")')


_MARK = re.compile(r"(#~?\|?)?")  # always matches, if only the empty string
# A line that is one string, or one keyword and its string: what _TOKEN reads in two steps.
_LINE = re.compile(r'(?:(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)(?![\w\[])\s*)?'
                   r'"((?:[^"\\]|\\.)*)"\s*')
# A whole message in its plainest form, read in one step (see _Parser.entry): comment lines
# ("#", "#.", "#:", "#,", none ending with a backslash), [msgctxt] msgid msgstr, each keyword
# and its first string alone on a line, no whitespace around, no CR; then the blank lines.
# The repeats are possessive (``*+``): giving back what one took never lets the rest match
# (a comment line or a string line cannot start a keyword, nor a string's inside hold its
# closing quote), and the matcher keeps no state to go back to (a quarter of its time).
_IN = r'[^"\\\n]*+(?:\\.[^"\\\n]*+)*+'  # a string's inside (as (?:[^"\\]|\\.)*, no LF)
_Q, _MORE = f'"({_IN})"\\n', f'((?:"{_IN}"\\n)*+)'
_COMMENT = re.compile(r"#([,.:]?) ?([^\n]*)\n")  # a comment line of _ENTRY: kind, text
_new_entry = polib.POEntry.__new__
_ENCODING = polib.default_encoding
_ENTRY = re.compile(r'((?:#(?![~|])[^\n]*+(?<!\\)\n)*+)'
                    r'(?:msgctxt ' + _Q + _MORE + r')?msgid ' + _Q + _MORE +
                    r'msgstr ' + _Q + _MORE + r'\n*+')


@dataclass
class _Message:
    """The message the parser is reading (filled line by line, so not frozen): its comments,
    and its strings by keyword ("msgid", "msgstr[0]", "previous_msgid"...) as read so far."""

    translator: list[str] = field(default_factory=list)  # "#"
    extracted: list[str] = field(default_factory=list)  # "#."
    references: list[tuple[str, str]] = field(default_factory=list)  # "#:" (file, line or "")
    flags: list[str] = field(default_factory=list)  # "#,"
    strings: dict[str, str] = field(default_factory=dict)
    obsolete: bool | None = None  # decided by its first keyword (not a #| one)
    line: int | None = None  # of its msgid
    translated: bool = False  # a msgstr or msgstr[n] keyword was read

    def done(self) -> bool:
        return self.translated

    def obsolete_as(self, obsolete: bool) -> bool:
        """Whether the message is obsolete: as ``obsolete`` says if nothing said it before."""
        if self.obsolete is None:
            self.obsolete = obsolete
        return self.obsolete


def _reference(word: str) -> tuple[str, str]:
    """A `#:` word as (file, line), line "" if it has none."""
    file, colon, line = word.rpartition(":")
    return (file, line) if colon and line.isdecimal() else (word, "")   # r":\d+$"


def _comments(comments: str) -> tuple[list[str], list[str], list[str], list[tuple[str, str]]]:
    """The comment lines of a message read in one step (``_ENTRY``'s first group): its
    flags, translator's comment lines, extracted comment lines and references, as
    comment() reads them line by line."""
    translator: list[str] = []
    extracted: list[str] = []
    references: list[tuple[str, str]] = []
    flags: list[str] = []
    for kind, body in _COMMENT.findall(comments):
        if kind == ".":
            extracted.append(body)
        elif kind == ":":
            references += [_reference(r) for r in body.split()]
        elif kind == ",":
            flags += [f.strip() for f in body.split(",") if f.strip()]
        else:
            translator.append(body)
    return flags, translator, extracted, references


class _Parser:
    """GNU's PO grammar, token by token, into polib entries with line numbers."""

    def __init__(self, path: str, charset: str, lean: bool = False):
        self.path, self.charset, self.no = path, charset, 0
        self.lean = lean  # messages read in one step keep their flags, not their comments
        self.entries: list[polib.POEntry] = []
        self.cur = _Message()
        self.key: str | None = None  # the keyword the next string belongs to
        self.pending: int | None = None  # the line of a keyword still without its string
        self.fast = True  # whole plain messages in one step (False: line by line, the same)
        self.after = 0  # the line (from 0) after the last message entry() read

    def fail(self, message: str, no: int | None = None, hint: str = _HINT) -> CatalogError:
        return CatalogError(message, where=f"{self.path}:{no or self.no}", hint=hint)

    def parse(self, text: str) -> list[polib.POEntry]:
        if (end := re.search(r"\r\n?|\n", text)) and end[0] == "\r":
            raise self.fail("the line ends are CR only (classic Mac OS): GNU gettext reads "
                            "the file as one line, its first comment hiding every message "
                            "after it", 1, hint=_CR_HINT)
        first = text.find("\n")
        carry, crlf = "", (text[:first] if first >= 0 else text).endswith("\r")  # else content
        whole_ok = self.fast and "\r" not in text and "\x04" not in text
        # line i (from 0) starts at pos; the lines are cut out one by one as read (most are
        # not: whole messages are read in one step). After the last line (the empty one
        # after a final line end, if any), pos is past the end.
        size, pos, i = len(text), 0, 0
        while pos <= size:
            if whole_ok and text.startswith(("#", "m"), pos) and not carry and self.between():
                at = pos
                pos, i = self.messages(text, pos, i)
                if pos != at:
                    continue
            nl = text.find("\n", pos)
            line = text[pos:nl] if nl >= 0 else text[pos:]
            i, pos, self.no = i + 1, pos + len(line) + 1, i + 1
            if line.endswith("\\"):  # GNU joins lines at a backslash-newline, anywhere
                carry += line[:-1]
                continue
            s, carry = (carry + line[:-1 if crlf and line.endswith("\r") else None]).lstrip(), ""
            if s[:1] in ('"', "m") and (fast := _LINE.fullmatch(s)):   # most lines
                if fast[1]:
                    self.keyword(fast[1], False, False)
                self.string(fast[2])
                continue
            mark = m[0] if (m := _MARK.match(s)) else ""
            if mark == "#" and s:
                self.comment(s)
            elif s:
                self.tokens(s[len(mark):], "~" in mark, "|" in mark)
        self.need_string()
        self.flush(eof=True)
        return self.entries

    def done(self) -> bool:
        return self.cur.done()

    def between(self) -> bool:
        """Whether the parser is between two messages: nothing of the next read yet (the
        previous one, if any, has its msgstr)."""
        c = self.cur
        return self.pending is None and (c.translated or not (
            c.strings or c.translator or c.extracted or c.references or c.flags))

    def messages(self, text: str, pos: int, i: int) -> tuple[int, int]:
        """Whole plain messages read one after the other from ``pos`` (line ``i`` from 0),
        as long as there are: where the reading stopped (``pos`` if no message was read),
        and its line. After a message read in one step the parser is between two messages
        again (see entry), so each next one is only matched."""
        match, entry, startswith = _ENTRY.match, self.entry, text.startswith
        while (m := match(text, pos)) and entry(m, i + 1):
            i, pos = self.after, m.end()           # lines read in one step
            if not startswith(("#", "m"), pos):
                break
        return pos, i

    def entry(self, m: re.Match[str], no: int) -> bool:
        """A whole plain message (``_ENTRY`` matched at line ``no``), read as the line-by-line
        path would; False (nothing read) if it holds an escape that fails, which that path
        then reports at its line. (This runs for every message of every catalogue a build
        reads: each step is the cheapest found.)"""
        comments, ctx, ctx_more, msgid, id_more, msgstr, str_more = m.groups()
        text, end, at = m.string, m.end(), m.start(4)   # at: msgid's string
        if text.find("\\", at if ctx is None else m.start(2), end) >= 0:
            try:                               # escapes: as the line-by-line path reads them
                msgid, msgstr = self.joined(msgid, id_more), self.joined(msgstr, str_more)
                if ctx is not None:
                    ctx = self.joined(ctx, ctx_more)
            except CatalogError:
                return False
            lines = text.count("\n", at, end)
        else:  # the strings as they are, lines joined: '"\n"' is only found between two
            # (no string holds a quote without a backslash before it); each one joined
            # is a line more (three characters fewer): the lines from msgid's are counted
            # without reading them again
            lines = 2 + end - m.end(7)      # msgid's, msgstr's, the blank ones after
            if id_more:
                joined = id_more[1:-2].replace('"\n"', "")
                msgid += joined
                lines += (len(id_more) - len(joined)) // 3
            if str_more:
                joined = str_more[1:-2].replace('"\n"', "")
                msgstr += joined
                lines += (len(str_more) - len(joined)) // 3
            if ctx_more:                       # (None without a msgctxt)
                ctx += ctx_more[1:-2].replace('"\n"', "")
        line = no + text.count("\n", m.start(), at)   # msgid's: after comments, msgctxt
        self.after = line - 1 + lines        # the next line (from 0), if this one is read
        if self.lean:  # the flags alone: "#," lines (as comment() reads them)
            flags = [f.strip() for line_ in comments.split("\n") if line_[:2] == "#,"
                     for f in line_[2:].split(",") if f.strip()] if "#," in comments else []
            translator: list[str] = []
            extracted: list[str] = []
            references: list[tuple[str, str]] = []
        else:
            flags, translator, extracted, references = _comments(comments)
        if self.cur.translated:
            self.flush()
        if end == len(text) or text.startswith(("msgctxt ", "msgid "), end) or (
                text.startswith("#", end) and text[end + 1:end + 2] not in "~|"):
            # what follows ends the message without a word (flush): it is one now (a "#~"
            # or "#|" line may hold a string of its msgstr). Its attributes are new_entry's,
            # in its order, set at once.
            entry = _new_entry(polib.POEntry)
            entry.__dict__ = {
                "msgid": msgid, "msgstr": msgstr, "msgid_plural": "", "msgstr_plural": {},
                "msgctxt": ctx, "obsolete": False, "encoding": _ENCODING,
                "comment": "\n".join(extracted) if extracted else "",
                "tcomment": "\n".join(translator) if translator else "",
                "occurrences": references, "flags": flags, "previous_msgctxt": None,
                "previous_msgid": None, "previous_msgid_plural": None, "linenum": line}
            self.entries.append(entry)
            return True
        strings = {"msgctxt": ctx} if ctx is not None else {}
        strings["msgid"], strings["msgstr"] = msgid, msgstr
        self.cur = _Message(translator, extracted, references, flags, strings, False, line, True)
        self.key, self.pending = "msgstr", None
        return True

    def joined(self, first: str, more: str) -> str:
        """A keyword's strings (the first, and the lines of those after it) as one."""
        if not more:
            return _ESCAPES.sub(self.unescape, first) if "\\" in first else first
        # ``more`` is lines '"..."\n' whose insides hold no raw '"' or LF: split between them
        parts = [first, *more[1:-2].split('"\n"')]
        if "\\" not in first and "\\" not in more:
            return "".join(parts)
        return "".join(_ESCAPES.sub(self.unescape, p) if "\\" in p else p for p in parts)

    def comment(self, s: str) -> None:
        if _HIDDEN.search(s):  # GNU: a comment runs to the next LF, over any CR
            raise self.fail("a carriage return (CR) inside a comment, then what looks like a "
                            "line of its own: GNU gettext reads it as part of the comment",
                            hint=_CR_HINT)
        self.need_string()
        if self.done():
            self.flush()
        elif "msgid" in self.cur.strings or "msgctxt" in self.cur.strings:
            raise self.fail("a message without msgstr", self.cur.line)
        kind = s[:2] if s[1:2] in (",", ".", ":") else "#"
        body = s[len(kind):]
        body = body[1:] if body.startswith(" ") else body
        if kind == "#,":
            self.cur.flags += [f.strip() for f in body.split(",") if f.strip()]
        elif kind == "#:":
            self.cur.references += [_reference(r) for r in body.split()]
        else:
            (self.cur.extracted if kind == "#." else self.cur.translator).append(body)

    def tokens(self, body: str, obsolete: bool, prev: bool) -> None:
        pos = 0
        while m := _TOKEN.match(body, pos):
            pos = m.end()
            if m[1]:
                self.keyword(m[1], obsolete, prev)
            elif m[2] is not None:
                self.string(m[2])
            elif m[3].startswith('"'):
                raise self.fail("unterminated string", hint='end the string with "')
            elif m[3].startswith("#"):  # a comment after tokens: GNU gives it to the next message
                return self.comment(body[m.start(3):])
            else:
                raise self.fail(f"syntax error near {m[3][:20]!r}")

    def keyword(self, kw: str, obsolete: bool, prev: bool) -> None:
        self.need_string()
        if (prev or kw in ("msgctxt", "msgid")) and self.done():
            self.flush()
        c, key = self.cur, "previous_" + kw if prev else kw
        if not prev and c.obsolete_as(obsolete) != obsolete:
            raise self.fail("inconsistent use of #~", hint="mark every line of an obsolete "
                            "message with #~, and no line of an active one")
        s = c.strings
        bad = {"msgctxt": "msgid" in s or "msgctxt" in s, "msgid": "msgid" in s,
               "msgid_plural": "msgid" not in s or "msgid_plural" in s or self.done(),
               "msgstr": "msgid" not in s or "msgid_plural" in s or self.done()}
        if prev and kw.startswith("msgstr") or not prev and bad.get(
                kw, "msgid_plural" not in s or "msgstr" in s or kw in s):
            raise self.fail(f"unexpected {kw}", hint="a message is [msgctxt] msgid "
                            "[msgid_plural] then msgstr or msgstr[0], msgstr[1]...")
        if kw == "msgid" and not prev:
            c.line = self.no
        s[key], self.key, self.pending = "", key, self.no
        c.translated |= key.startswith("msgstr")

    def string(self, raw: str) -> None:
        if self.key is None or "\x04" in raw:
            raise self.fail("<EOT> (U+0004) in a string" if self.key else
                            "a string outside of any message")
        self.cur.strings[self.key] += _ESCAPES.sub(self.unescape, raw) if "\\" in raw else raw
        self.pending = None

    def unescape(self, m: re.Match[str]) -> str:
        if m[1]:
            data = bytes(int(x[1:], 16) if x[0] == "x" else int(x, 8)
                         for x in re.findall(r"x[0-9A-Fa-f]+|[0-7]+", m[1]))
            try:
                return data.decode(self.charset)
            except UnicodeDecodeError:
                raise self.fail(f"escaped bytes that are not {self.charset}") from None
        if m[2] not in _UNESC:
            raise self.fail("invalid control sequence", hint="write a backslash as \\\\")
        return _UNESC[m[2]]

    def need_string(self) -> None:
        if self.pending is not None:
            raise self.fail("a keyword without its string", self.pending)

    def flush(self, eof: bool = False) -> None:
        c, s, self.key = self.cur, self.cur.strings, None
        self.cur = _Message()
        if "msgid" not in s and "msgctxt" in s:
            raise self.fail("msgctxt without msgid")
        if "msgid" in s and not c.done():
            raise self.fail("a message without msgstr", c.line)
        if "msgid" in s:
            self.entries.append(new_entry(
                msgid=s["msgid"], msgstr=s.get("msgstr", ""), msgctxt=s.get("msgctxt"),
                msgid_plural=s.get("msgid_plural", ""), obsolete=c.obsolete,
                msgstr_plural={int(k[7:-1]): v for k, v in s.items() if k.startswith("msgstr[")},
                flags=c.flags, tcomment="\n".join(c.translator), comment="\n".join(c.extracted),
                occurrences=c.references, linenum=c.line, **{k: s.get(k) for k in (
                    "previous_msgctxt", "previous_msgid", "previous_msgid_plural")}))


def _decode(raw: bytes, path: str) -> tuple[str, str]:
    """The text of a catalogue in the charset its header declares. Refused (at the line of
    the declaration): an unknown charset, and UTF-8 bytes under another charset (msgcat
    would garble them: "Ã©" for "é"); else bytes the charset cannot decode (at their line)."""
    raw = raw.removeprefix(b"\xef\xbb\xbf")
    m = re.search(rb"charset=([A-Za-z0-9_.:-]+)", raw)
    charset = m[1].decode() if m and m[1] != b"CHARSET" else "UTF-8"
    where = path + (":" + str(raw.count(b"\n", 0, m.start()) + 1) if m else "")
    try:
        utf8 = codecs.lookup(charset).name == "utf-8"
    except LookupError:
        raise CatalogError(f"unknown charset {charset!r}", where, "declare a known charset "
                           "in the header, e.g. charset=UTF-8") from None
    if not utf8 and not raw.isascii() and _is_utf8(raw):
        raise CatalogError(f"the header declares charset={charset}, but the file is UTF-8: "
                           f"read as {charset} its text would be garbled", where, _UTF8_HINT)
    try:
        return raw.decode(charset), charset
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        raise CatalogError(f"bytes that are not {charset}", f"{path}:{line}", f"save the "
                           f"file as {charset}, the charset its header declares") from None


def _is_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


_KEY = operator.attrgetter("msgctxt", "msgid")
_HEADER_KEY = (None, "")


def _catalog(entries: list[polib.POEntry], path: str) -> polib.POFile:
    """The catalogue of the entries read: the first active message of empty msgid and no
    msgctxt is its header; a message defined twice is refused (at its second definition).
    (The keys are made, and their uniqueness checked, in C: this runs for every message
    of every catalogue a build reads.)"""
    po = polib.POFile(wrapwidth=WIDTH, encoding="utf-8")
    po.fpath = path
    keys = list(map(_KEY, entries))              # (msgctxt, msgid)
    if len(set(keys)) < len(keys):               # the first one defined again, reported
        seen: dict[tuple[str | None, str], int] = {}  # (msgctxt, msgid): line
        for key, entry in zip(keys, entries, strict=True):
            if key in seen:
                of = f" of segment {key[0]}" if key[0] else ""
                raise CatalogError(f"duplicate message definition{of}",
                                   f"{path}:{entry.linenum}",
                                   f"merge it with the first definition, line {seen[key]}")
            seen[key] = entry.linenum
    try:
        at = keys.index(_HEADER_KEY)             # the only one: keys are unique
    except ValueError:
        at = -1
    if at >= 0 and not entries[at].obsolete:
        entry = entries[at]
        entries = entries[:at] + entries[at + 1:]
        po.header, po.metadata_is_fuzzy = entry.tcomment, entry.fuzzy and ["fuzzy"]
        _read_metadata(entry.msgstr, po.metadata)
    po.extend(entries)      # (all at once: POFile.append checks each again)
    return po


def _read_metadata(msgstr: str, metadata: dict[str, str]) -> None:
    """The header's fields (``msgstr``) into ``metadata``, as polib reads them."""
    name = None
    for line in msgstr.splitlines():
        if ":" in line:
            name, value = line.split(":", 1)
            metadata[name] = value.strip()
        elif name is not None:
            metadata[name] += "\n" + line.strip()


def read_bytes(path: str | os.PathLike[str]) -> tuple[bytes, os.stat_result]:
    """A catalogue's bytes and the state of the file they were read from."""
    try:
        with atomic.open_file(path) as handle:
            return handle.read(), os.fstat(handle.fileno())
    except OSError as exc:
        hint = "check the file name and its permissions"
        if atomic.not_a_file(exc):
            hint = ("put the catalogue itself in its place (git restore FILE, if git has "
                    "it), or remove it: update makes it again from the template")
        raise CatalogError(f"cannot read the catalogue: {atomic.reason(exc)}",
                           os.fspath(path), hint) from None


def parse_catalog(raw: bytes, path: str | os.PathLike[str], *,
                  lean: bool = False) -> polib.POFile:
    """The catalogue in ``raw`` (read from ``path``); CatalogError (file:line) if broken,
    or if it has content but no message (a file of comments, a lost line structure).
    ``lean``: for reading translations only (the build): the messages may lack their
    comments (translator's, extracted, references: not read where a message is read in
    one step, nor the header comment); the strings, flags, line numbers, metadata and
    errors are the same."""
    path = os.fspath(path)
    text, charset = _decode(raw, path)
    return _parse_text(text, charset, path, lean)


def _parse_text(text: str, charset: str, path: str, lean: bool) -> polib.POFile:
    entries = _Parser(path, charset, lean).parse(text)
    if not entries and text.strip():
        line = text[:len(text) - len(text.lstrip())].count("\n") + 1
        raise CatalogError("no message in this catalogue, only comments or blank lines",
                           f"{path}:{line}", "a catalogue holds msgid/msgstr pairs: restore "
                           "it (from version control, or the .po~ that update keeps)")
    return _catalog(entries, path)


def read_catalog(path: str | os.PathLike[str], *, lean: bool = False) -> polib.POFile:
    """Parse a .po/.pot file in any charset; CatalogError (with file:line) if broken
    (``lean``: see :func:`parse_catalog`)."""
    return parse_catalog(read_bytes(path)[0], path, lean=lean)


# ---------------------------------------------------------------- reading for the build


Entry = tuple[str, str, Sequence[str], "int | None"]   # msgid, msgstr, flags, where
# the flag of a plural message with a translation (see Translations.of): a line end is in
# no flag read from a "#," line
PLURAL = "\nplural"
# the flag of the last message of a msgctxt that an earlier one has too (a msgctxt changed
# by hand: see Translations.of), with the first one's line: "\ntwice 28"
TWICE = "\ntwice "
# the bidi embedding, override and isolate controls (removed from translations: see apply)
BIDI_CHARACTERS = tuple(map(chr, [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]))


class Translations:
    """What applying a catalogue reads of it (the build), without a polib entry a message:
    its header's fields, and for each msgctxt of an active message, the last such
    message's ``(msgid, msgstr, flags, where)``; ``where`` is its line, or stands for it
    (see :meth:`line`). Made by :func:`read_translations`, or of a catalogue (:meth:`of`).
    """
    __slots__ = ("metadata", "metadata_is_fuzzy", "messages", "bidi", "clean", "_text",
                 "_contexts", "_at", "_lines")

    def __init__(self, metadata: dict[str, str], metadata_is_fuzzy: bool | list[str],
                 messages: dict[str, Entry], text: str | bytes | None = None,
                 contexts: Sequence[str] = ()):
        self.metadata, self.metadata_is_fuzzy = metadata, metadata_is_fuzzy
        self.messages = messages
        self._text = text          # the text read, where ``where`` is a message's number,
        self._contexts = contexts  # and each message's msgctxt ("" if none), by number
        self._at = (0, 1)          # a place in the text and its line, the last one found
        self._lines: list[int] | None = None
        # whether a msgstr may hold a bidi control (None: not known; see apply_catalog)
        self.bidi: bool | None = None
        # True when no msgstr holds a character XML cannot hold (False: not known)
        self.clean = False

    @classmethod
    def of(cls, po: polib.POFile) -> Translations:
        """The translations of a catalogue (read whole, or made): its active messages with
        a msgctxt, the last one of each msgctxt, as applying it always took them. A plural
        message with a form filled (a segment has no plural forms) has the flag
        ``PLURAL``, and the last of a msgctxt an earlier message has too the flag
        ``TWICE`` with the first one's line (which to take is not known), which no ``#,``
        line can give. (A text read in one step has neither: one holding either is read
        by the full parser.)"""
        messages: dict[str, Entry] = {}
        first: dict[str, int | None] = {}
        for e in po:
            if e.obsolete or e.msgctxt is None:
                continue
            flags = [*e.flags, PLURAL] if e.msgid_plural and any(e.msgstr_plural.values()) \
                else e.flags
            if e.msgctxt in messages:
                first.setdefault(e.msgctxt, messages[e.msgctxt][3])
                flags = [*flags, f"{TWICE}{first[e.msgctxt]}"]
            messages[e.msgctxt] = (e.msgid, e.msgstr, flags, e.linenum)
        return cls(po.metadata, po.metadata_is_fuzzy, messages)

    def line(self, where: int | None) -> int | None:
        """The line of a message's msgid, given its ``where``. A text read in one step
        gives its messages' numbers in the file (the header's 0), and the line of one is
        found when asked for (most catalogues applied need a few, many none): its
        msgctxt's line sought (the only line that is this msgctxt as it is written, when
        the msgctxt holds nothing written otherwise), the lines counted from the last
        one found (they are asked for in about the order of the file); else every
        message's line is counted, once."""
        text = self._text
        if text is None or where is None:
            return where
        ctx = self._contexts[where]
        if self._lines is None and not any(c in ctx for c in _WRITTEN_OTHERWISE):
            sought = f'\nmsgctxt "{ctx}"\nmsgid "'
            # (a text read as bytes is UTF-8: its line sought as bytes, not decoded)
            found = _line_of(text, sought.encode(), b"\n", self._at) if isinstance(
                text, bytes) else _line_of(text, sought, "\n", self._at)
            if found is not None:
                self._at = found
                return found[1] + 1                  # msgid's line: msgctxt's next
        if isinstance(text, bytes):        # read as bytes (UTF-8): decoded to count lines
            text = self._text = text.decode("utf-8")
        if self._lines is None:  # the text in pieces, each (but the first) from a msgid line
            counts = map(str.count, text.split('\nmsgid "'), itertools.repeat("\n"))
            self._lines = list(itertools.accumulate((c + 1 for c in counts), initial=1))[1:]
            if text.startswith('msgid "'):           # the first line: no line end before
                self._lines.insert(0, 1)
        return self._lines[where]


_WRITTEN_OTHERWISE = ('"', "\\", "\n")   # a msgctxt holding one: written with a backslash, or
                                          # on several lines


def _line_of(text: AnyStr, sought: AnyStr, newline: AnyStr, at: tuple[int, int]
             ) -> tuple[int, int] | None:
    """Where the first line that is ``sought`` (a line end, then the line) starts in
    ``text``, and its line, counted from ``at`` (a place in the text and its line) when
    that comes before; None if no line is."""
    pos = 0 if text.startswith(sought[1:]) else text.find(sought) + 1
    if not pos and not text.startswith(sought[1:]):
        return None
    start, line = at if at[0] <= pos else (0, 1)
    return pos, line + text.count(newline, start, pos)


def read_translations(path: str | os.PathLike[str]) -> Translations:
    """The translations of a catalogue, for applying it (the build): what
    ``Translations.of(read_catalog(path, lean=True))`` gives, and the same errors, read
    without a polib entry a message when the file is as msgcat writes it."""
    return parse_translations(read_bytes(path)[0], path)


def parse_translations(raw: bytes, path: str | os.PathLike[str]) -> Translations:
    """:func:`read_translations` of the bytes ``raw`` read from ``path``. A text made only of
    messages in their plainest form (see ``_MESSAGE``) is read in one step, each column of
    strings checked at once (a UTF-8 one as bytes: see :func:`_plain_utf8`); anything else
    (an obsolete message, a plural, a string that is not well formed, a message defined
    twice, a CR, no message...) is read by the full parser, which reports every error as
    ever."""
    path = os.fspath(path)
    found = _plain_utf8(raw, path)
    if found:
        return found
    text, charset = _decode(raw, path)
    found = _plain_translations(text, path, charset) if found is None else None
    return found if found is not None else Translations.of(
        _parse_text(text, charset, path, True))


# A message in its plainest form: comment lines ("#", "#.", "#:": not "#~" nor "#|", none
# ending with a backslash, which would join the next line), then its "#," lines (flags),
# then "#| " lines of previous strings (checked apart: few messages have them),
# [msgctxt] msgid msgstr, each keyword and its first string alone on a line, then the
# blank lines. A string's lines are matched as lines that start with a quote, each to
# its end (no line is given back, as it would be in seeking the quote before the line
# end): the group is the first line without its opening quote, then the next lines (a
# line end and the next line's opening quote between two). Far cheaper than matching
# escapes, so the strings are checked after (_strings, a column of them at once): each
# line ends with a quote, no quote is left unescaped inside. Every line of a match is
# thus one the full parser reads as a line of this message (a comment, a keyword and its
# string, a string), with the same errors (none, once the strings are checked). Where no
# such message starts, a line is matched alone, in the last group: matches follow one
# another from the first line to the last, and a text with such a line is read by the
# full parser. (The comment lines are a group only where the text is read as bytes:
# there every byte not of a keyword is in a group, and decoded.)
_STRING_IN = r'"([^\n]*+(?:\n"[^\n]*+)*+)\n'
_MESSAGE_OF = (r'{}((?:#,[^\n]*+(?<!\\)\n)*+)'
               r'((?:#\| [^\n]*+\n)*+)(?:(m)sgctxt ' + _STRING_IN + r')?'
               r'msgid ' + _STRING_IN + r'msgstr ' + _STRING_IN + r'\n*+'
               r'|([^\n]*\n)')
_COMMENTS = r'(?:#(?![~|,])[^\n]*+(?<!\\)\n)*+'
_MESSAGE = re.compile(_MESSAGE_OF.format(_COMMENTS))
# the same, of the bytes of a UTF-8 text (every byte of a character not ASCII is one
# [^\n] matches: the same matches as in its text), its comment lines a group
_MESSAGE_BYTES = re.compile(_MESSAGE_OF.format(f"({_COMMENTS})").encode())
# a group of _MESSAGE's strings well formed: each line's inside well formed, then its
# closing quote, a line end and the next line's opening quote between two (the same as
# the group split at those, each inside matched alone: no inside holds a line end)
_LINES = re.compile(rf'{_IN}(?:"\n"{_IN})*+"')
_PREVIOUS = re.compile(rf'(?:#\| (?:msgctxt|msgid) "{_IN}"\n(?:#\| "{_IN}"\n)*+)++')
_STRING = re.compile(r'"((?:[^"\\]|\\.)*)"')
_NO_FLAGS_READ: tuple[str, ...] = ()
_EOT = "\x04"              # never in a text read in one step
_JOIN = '"\n"'             # between two lines' insides (never elsewhere in a group)
_CLOSE = '"' + _EOT         # a string's closing quote, and the next string
_BOM = b"\xef\xbb\xbf"
_CHARSET = re.compile(rb"charset=([A-Za-z0-9_.:-]+)")   # as _decode finds it


def _plain_translations(text: str, path: str, charset: str) -> Translations | None:
    """The translations of ``text`` if it is only plain messages (see ``_MESSAGE``), each
    defined once; else None (the full parser reads it). (This runs for every catalogue a
    build reads whose charset is not UTF-8: each step is done for all messages at once
    where it can be.)"""
    if "\r" in text or _EOT in text or not text.endswith("\n"):
        return None
    found = _MESSAGE.findall(text)
    if not found:
        return None
    flag_lines, previous, has_ctx, *strings, others = zip(*found, strict=True)
    if any(others):               # a line that starts no plain message
        return None
    return _plain_read(flag_lines, previous, has_ctx, strings, text, path, charset)


def _plain_utf8(raw: bytes, path: str) -> Translations | Literal[False] | None:
    """:func:`_plain_translations` of a UTF-8 catalogue's bytes, read as bytes (the same
    matches, the same strings): None if its charset is not UTF-8 (not read), False if
    it is not only plain messages (or not UTF-8: the full parser says where). Its text
    is not decoded whole (a costly step, for a text of characters outside Latin-1), only
    the groups (which hold every byte not of a keyword, so the whole text is UTF-8 if
    they are): the comments, the flags and previous strings as they are, each column of
    strings (msgid, msgctxt: when not that of the last catalogue read) joined."""
    raw = raw.removeprefix(_BOM)
    m = _CHARSET.search(raw)
    charset = m[1].decode() if m and m[1] != b"CHARSET" else "UTF-8"
    try:
        if codecs.lookup(charset).name != "utf-8":
            return None
    except LookupError:
        return None
    if b"\r" in raw or b"\x04" in raw or not raw.endswith(b"\n"):
        return False
    found = _MESSAGE_BYTES.findall(raw)
    if not found:
        return False
    comments, flag_lines, previous, has_ctx, *strings, others = zip(*found, strict=True)
    if any(others):               # a line that starts no plain message
        return False
    try:     # (the few flag lines and previous strings: decoded again when read)
        _check_utf8(comments)         # (only checked: a build does not read them)
        for lines in itertools.chain(itertools.compress(flag_lines, flag_lines),
                                     itertools.compress(previous, previous)):
            lines.decode()
    except UnicodeDecodeError:
        return False
    read = _plain_read(flag_lines, previous, has_ctx, strings, raw, path, charset)
    return False if read is None else read


_LAST_COMMENTS: list[bytes] = []     # the comment lines last found UTF-8 (but the first's)


def _check_utf8(comments: tuple[bytes, ...]) -> None:
    """UnicodeDecodeError if the comment lines of ``comments`` are not UTF-8. Those of
    every message but the first (the header's: its language's) are those of the last
    catalogue read, most often (an essay's catalogues have its template's comments):
    then compared, not decoded again."""
    comments[0].decode()
    rest = b"".join(comments[1:])
    if not _LAST_COMMENTS or _LAST_COMMENTS[0] != rest:
        rest.decode()
        _LAST_COMMENTS[:] = [rest]


def _plain_read(flag_lines: Sequence[AnyStr], previous: Sequence[AnyStr],
                has_ctx: Sequence[AnyStr], strings: list[tuple[AnyStr, ...]], text: AnyStr,
                path: str, charset: str) -> Translations | None:
    """The translations of the groups of ``_MESSAGE`` (or ``_MESSAGE_BYTES``: all bytes,
    the flag lines and previous strings known to be UTF-8) found in ``text``; None if a
    string is not well formed or a message defined twice (the full parser decides)."""
    n = len(has_ctx)
    with_ctx = n - has_ctx.count(has_ctx[0][:0])     # those not "" (b"")
    unescape = _Parser(path, charset).unescape
    id_read = _strings_again("msgid", strings[1], unescape, charset)
    column = _column(strings[2])
    str_read = _strings(column, strings[2], unescape, BIDI_CHARACTERS)
    ctx_read = _strings_again("msgctxt", strings[0], unescape, charset, has_ctx) \
        if with_ctx else (("",) * n, False)
    if id_read is None or str_read is None or ctx_read is None or any(previous) and not all(
            _previous_read(_text(p), unescape) for p in previous if p):
        return None
    (ids, _), (strs, bidi), (contexts, _) = id_read, str_read, ctx_read
    flags: list[Sequence[str]] = [_NO_FLAGS_READ] * n
    for i in itertools.compress(range(n), flag_lines):     # (the few with flags)
        flags[i] = [f.strip() for line in _text(flag_lines[i])[2:-1].split("\n#,")
                    for f in line.split(",") if f.strip()]
    messages: dict[str, Entry] = dict(zip(itertools.compress(contexts, has_ctx), itertools.compress(
        zip(ids, strs, flags, range(n), strict=True), has_ctx), strict=True))
    if len(messages) != with_ctx:        # a msgctxt twice: the full parser decides
        return None
    bare = list(itertools.compress(range(n), map(operator.not_, has_ctx))) \
        if with_ctx < n else []
    if len({ids[i] for i in bare}) < len(bare):          # defined twice
        return None
    metadata: dict[str, str] = {}
    header = next((i for i in bare if ids[i] == ""), None)
    fuzzy: bool | list[str] = False
    if header is not None:
        metadata.update(_fields_of(strs[header]))
        fuzzy = "fuzzy" in flags[header] and ["fuzzy"]
    read = Translations(metadata, fuzzy, messages, text, contexts)
    read.bidi = bidi        # (sought in the column of msgstrs, where it is one text)
    read.clean = isinstance(column, bytes) and _clean_bytes(column)
    return read


# the bytes of a character XML cannot hold (xmlchars.BAD_CHARS) in UTF-8, or that may be
# one: a C0 control but tab, line feed, carriage return (and EOT, which _column puts
# between two strings: a catalogue holding one is not read here), DEL; a C1 control
# (C2 80-9F), a noncharacter of the Basic Multilingual Plane (EF B7 90-AF, EF BF BE-BF),
# any character out of that plane (F0-F4: its noncharacters are not told apart here), an
# escape but \n, \t, \r, \\ and \" (octal, hex, \v...)
_C0_BYTES = bytes(1 if b < 0x20 and b not in b"\t\n\r\x04" or b == 0x7F else 0
                  for b in range(256))
# (each sought only where its first byte is found: ``in`` of one byte is a memchr, many
# times quicker than a pattern's or a longer run's search)
_SUSPECT_BYTES = ((b"\xc2", re.compile(rb"\xc2[\x80-\x9f]")),
                  (b"\xef", re.compile(rb"\xef(?:\xb7[\x90-\xaf]|\xbf[\xbe\xbf])")))
_ASTRAL_LEADS = (b"\xf0", b"\xf1", b"\xf2", b"\xf3", b"\xf4")
_ESCAPED = re.compile(rb"\\(.)", re.DOTALL)      # each escape's letter (\\ one escape)
_PLAIN_ESCAPES = {b"n", b"t", b"r", b'"', b"\\"}


def _clean_bytes(column: bytes) -> bool:
    """Whether the UTF-8 ``column`` of msgstrs (as written in the file: escapes not read)
    surely holds no character XML cannot hold, so that applying them need not look for
    one (xmlchars.forbidden: three times the time, for a catalogue). A C loop each."""
    return b"\x01" not in column.translate(_C0_BYTES) and \
        not any(lead in column for lead in _ASTRAL_LEADS) and \
        not any(first in column and pattern.search(column) for first, pattern in _SUSPECT_BYTES) \
        and (b"\\" not in column or _PLAIN_ESCAPES.issuperset(_ESCAPED.findall(column)))


@functools.lru_cache(maxsize=64)
def _fields_of(msgstr: str) -> tuple[tuple[str, str], ...]:
    """The fields of a header (``_read_metadata``), in order; remembered: a build reads
    the catalogues of each language, their headers alike, essay after essay."""
    metadata: dict[str, str] = {}
    _read_metadata(msgstr, metadata)
    return tuple(metadata.items())


_Read = tuple[Sequence[str], bool]


def _text(lines: str | bytes) -> str:
    """Lines found as text, or as bytes (UTF-8, known to be)."""
    return lines if isinstance(lines, str) else lines.decode()


def _column(groups: Sequence[AnyStr]) -> AnyStr:
    """The ``groups`` (text or bytes) joined, EOT between two."""
    sep = _EOT if isinstance(groups[0], str) else b"\x04"
    return sep.join(groups)

# the last column of msgids, and of msgctxts, read (charset, its strings' groups joined,
# as text or as bytes), and what _strings made of it (shared: never changed)
_LAST_READ: dict[str, tuple[str, str | bytes, Sequence[object], _Read | None]] = {}


def _strings_again(column: str, groups: tuple[AnyStr, ...],
                   unescape: Callable[[re.Match[str]], str], charset: str,
                   present: Sequence[object] = ()) -> _Read | None:
    """:func:`_strings` of a ``column`` ("msgid", "msgctxt") the same as the last one read
    taken again: a build reads one essay's catalogues one after another, and all have
    the same msgids and msgctxts, written alike (update merges each with the essay's
    template). (Comparing two texts is far quicker than reading one.) ``present``: for
    msgctxts, whether each message has one (the group of one that has none is empty,
    read as "": the group of a msgctxt whose line is a quote alone is empty too)."""
    joined = _column(groups)
    last = _LAST_READ.get(column)
    if last is not None and last[0] == charset and type(last[1]) is type(joined) and \
            last[1] == joined and last[2] == present:
        return last[3]
    if present and not all(present):
        quote = '"' if isinstance(joined, str) else b'"'   # (as the groups)
        filled = tuple(g if p else quote for g, p in zip(groups, present, strict=True))
        read = _strings(_column(filled), filled, unescape)
    else:
        read = _strings(joined, groups, unescape)
    _LAST_READ[column] = (charset, joined, present, read)
    return read


def _strings(text: str | bytes, groups: Sequence[str] | Sequence[bytes],
             unescape: Callable[[re.Match[str]], str],
             seek: tuple[str, ...] = ()) -> _Read | None:
    """The strings of a column of ``_MESSAGE``'s ``groups`` (a string's lines after its
    opening quote, a line end and a quote between two), joined in ``text`` (EOT between
    two strings; bytes: UTF-8, None if they are not), as the full parser reads them; None
    if one is not well formed (a line that does not end with a quote, a quote not
    escaped, an escape that fails): the full parser reports it. The strings with a
    backslash are found (read apart, line by line), and the others are checked (no quote,
    no line end, once their lines are joined and their closing quotes dropped) and joined
    at once. With them, whether one of the characters ``seek`` is in a string (sought in
    the text: once in all strings, not once in each)."""
    try:
        decoded = text if isinstance(text, str) else text.decode()
    except UnicodeDecodeError:
        return None
    if decoded.endswith('\n"') or '\n"' + _EOT in decoded:
        # a string whose last line is its opening quote alone: joining the lines would
        # take the line before's last quote for its closing one (a quote too many there)
        return None
    apart = _holding(decoded, "\\")
    joined = decoded.replace(_JOIN, "")   # '"\n"' is only found between two lines
    # each string without its closing quote (the last's dropped next); (rsplit: the same
    # list as split, the separator never overlapping itself, and twice as quick)
    strings = joined.rsplit(_CLOSE)
    if len(strings) != len(groups) or not strings[-1].endswith('"') or "\n" in joined:
        return None          # a line without its closing quote (one alone, or none)
    strings[-1] = strings[-1][:-1]
    # a quote not escaped: one not closing a string (or in a string read apart)
    if joined.count('"') - len(strings) - sum(strings[i].count('"') for i in apart):
        return None
    found = any(c in joined for c in seek)
    for i in apart:
        group = groups[i]
        lines = group if isinstance(group, str) else group.decode()
        if not _LINES.fullmatch(lines):
            return None
        try:
            strings[i] = _unescaped(strings[i], lines, unescape)
        except CatalogError:
            return None
    # (a string read apart: its escapes may make one)
    return strings, found or any(c in strings[i] for i in apart for c in seek)


def _unescaped(string: str, lines: str, unescape: Callable[[re.Match[str]], str]) -> str:
    """A string well formed read as the full parser reads it (each line's escapes), given
    its ``lines`` (a group of ``_MESSAGE``) and ``string``, their insides joined. Most
    strings with escapes have only the commonest (a line end, a quote, a tab), and
    none that is a backslash: then each backslash starts an escape, of a line (a line's
    inside ends with none begun), and these are replaced in the string, each kind at
    once; any other (octal and hex ones may run on into the next line's) is read line
    by line."""
    if "\\\\" not in string:
        plain = string.replace("\\n", "\n").replace('\\"', '"').replace("\\t", "\t")
        if "\\" not in plain:
            return plain
    return "".join([_ESCAPES.sub(unescape, p) if "\\" in p else p
                    for p in lines[:-1].split(_JOIN)])


def _holding(text: str, character: str) -> list[int]:
    """The numbers of the strings that hold ``character`` in ``text``, strings EOT apart."""
    found: list[int] = []
    pos, last, i = text.find(character), 0, 0
    while pos >= 0:
        i += text.count(_EOT, last, pos)
        found.append(i)
        last = text.find(_EOT, pos)
        if last < 0:
            break
        pos = text.find(character, last)
    return found


def _previous_read(lines: str, unescape: Callable[[re.Match[str]], str]) -> bool:
    """Whether a message's "#| " lines are well formed, as the full parser reads them."""
    if not _PREVIOUS.fullmatch(lines):
        return False
    if "\\" in lines:
        try:
            for inside in _STRING.findall(lines):
                _ESCAPES.sub(unescape, inside)
        except CatalogError:
            return False
    return True
