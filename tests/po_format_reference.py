"""A frozen copy of po.py's formatter as it was before issue 8's faster writer: the
differential test (test_po_format_reference.py) holds today's format_catalog to it byte for
byte. Only the formatting functions are copied; the escaping, line breaking and format
directive helpers are shared with po.py (unchanged by that work); the line breaker is
linebreak_reference.py, the frozen copy of linebreak.py."""
from __future__ import annotations

import re

import polib
from linebreak_reference import POSSIBLE, breaks

from serge_publish.catalog.po import FORMATS, WIDTH, _directive_mask, _escape
from serge_publish.errors import CatalogError


def _wrap(prefix: str, name: str, value: str, wrap: bool = True,
          fmt: str | None = None) -> list[str]:
    """Lines for `name "value"`, as write-po.c's wrap() (indent off). Remembered: the same
    msgid is written in the template and in the catalogue of every language."""
    return list(_wrapped(prefix, name, value, wrap, fmt))


def _wrapped(prefix: str, name: str, value: str, wrap: bool, fmt: str | None
             ) -> tuple[str, ...]:
    return tuple(_wrap_lines(prefix, name, value, wrap, fmt))


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
        while True:
            col = (len(name) + 1 if first else 0)
            brk = breaks(data, over, width, col)
            if not (first and data and (n + 1 < len(portions) or col > width or POSSIBLE in brk)):
                break
            lines.append(f'{prefix}{name} ""')
            first = False
        cuts = [m.start() for m in re.finditer(b"\x02", brk)] + [len(data)]
        head, pos = prefix + (name + " " if first else ""), 0
        for cut in cuts:
            lines.append(f'{head}"{data[pos:cut].decode("utf-8")}"')
            head, pos = prefix, cut
        first = False
    return lines


def _flags(entry: polib.POEntry, msgstr0: str) -> tuple[list[str], bool, str | None]:
    """The `#,` flags as msgcat orders them, whether to wrap, the format for wrapping."""
    formats: dict[str, str] = {}  # format name: "" or "no-"
    rng: list[str] = []
    fuzzy, wrap = False, True
    for flag in (f.strip() for f in entry.flags):
        m = re.fullmatch(r"(no-|possible-)?([a-z-]+)-format", flag)
        r = re.fullmatch(r"range: *(\d+)\.\.(\d+)", flag)
        fuzzy |= flag == "fuzzy"
        if m and m.group(2) in FORMATS:
            formats[m.group(2)] = "no-" if m.group(1) == "no-" else ""
        rng = [f"range: {int(r[1])}..{int(r[2])}"] if r and not entry.obsolete else rng
        wrap = flag == "wrap" if flag in ("wrap", "no-wrap") else wrap
    parts = ["fuzzy"] if fuzzy and msgstr0 else []
    parts += [formats[f] + f + "-format" for f in FORMATS if f in formats] + rng
    fmt = next((f for f in FORMATS if formats.get(f) == ""), None)
    return parts + ([] if wrap else ["no-wrap"]), wrap, fmt


def _references(entry: polib.POEntry) -> list[str]:
    seen: set[tuple[str, str]] = set()
    lines: list[str] = []
    cur = "#:"
    for ref in entry.occurrences:
        file, line = (ref[0], str(ref[1] or "")) if isinstance(ref, tuple) else (ref, "")
        if (file, line) in seen:
            continue
        seen.add((file, line))
        word = re.sub(r"^(\./)+", "", file) + (":" + line if line else "")
        if len(cur) > 2 and len(cur) + len(word) + 1 > WIDTH:
            lines, cur = lines + [cur], "#:"
        cur += " " + word
    return lines + [cur] if seen else lines


def _comments(mark: str, text: str) -> list[str]:
    """Comment lines as they are; a space after a final backslash, which would join lines."""
    return [mark + (" " + line if line else "") + " " * line.endswith("\\")
            for line in text.split("\n")] if text else []


def _entry_lines(entry: polib.POEntry) -> list[str]:
    plural = bool(entry.msgid_plural)
    strs = {int(k): v for k, v in entry.msgstr_plural.items()} or {0: "", 1: ""}
    fields = [("msgctxt", entry.msgctxt)] if entry.msgctxt is not None else []
    fields += [("msgid", entry.msgid)] + ([("msgid_plural", entry.msgid_plural)] * plural)
    fields += [(f"msgstr[{k}]", strs[k]) for k in sorted(strs)] if plural else [
        ("msgstr", entry.msgstr)]
    msgstr0 = strs[min(strs)] if plural else entry.msgstr
    if entry.obsolete and not msgstr0:
        return []
    flags, wrap, fmt = _flags(entry, msgstr0)
    out = _comments("#", entry.tcomment) + _comments("#.", entry.comment)
    out += _references(entry) + (["#, " + ", ".join(flags)] if flags else [])
    prefix = "#~ " if entry.obsolete else ""
    for name in ("msgctxt", "msgid", "msgid_plural"):
        if (prev := getattr(entry, "previous_" + name)) is not None:
            out += _wrap("#~| " if entry.obsolete else "#| ", name, prev, wrap, fmt)
    for name, value in fields:
        out += _wrap(prefix, name, value, wrap, fmt)
    return out


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
    entries = [e for e in po if not e.obsolete] + [e for e in po if e.obsolete]
    if po.metadata or po.header or entries:
        entries.insert(0, _header_entry(po))
    blocks = [lines for lines in map(_entry_lines, entries) if lines]
    return "\n".join("\n".join(lines) + "\n" for lines in blocks)
