"""Readers: an essay file -> a segmented Document with stable ids.

Formats are an explicit table (``READERS``); each reader returns an unsegmented
Document (one segment per paragraph); ``import_document`` checks the input, runs the
reader, splits paragraphs into sentences and assigns stable ids.
"""
from __future__ import annotations

import re
import stat
import unicodedata
from collections.abc import Callable
from dataclasses import replace
from importlib import import_module
from pathlib import Path

from .. import atomic
from ..errors import InputError, Report
from ..model import Document, iter_segments
from .hints import Hints, hints_path_for, load_hints

Reader = Callable[..., Document]


def _reader(module: str) -> Reader:
    """The ``read`` of the reader module ``module``, imported when first called: the
    readers (markdown-it, lxml.html...) are heavy, and a command that only asks this
    package about ids (validate) reads none."""
    def read(*args, **kwargs) -> Document:
        return import_module(f"{__name__}.{module}").read(*args, **kwargs)
    return read


READERS: dict[str, Reader] = {name: _reader(name) for name in ("text", "markdown", "html")}
EXTENSIONS = {".txt": "text", ".text": "text", ".md": "markdown", ".markdown": "markdown",
              ".html": "html", ".htm": "html", ".xhtml": "html"}
MAX_BYTES = 5 * 1024 * 1024
MARKDOWN_SIGNS = re.compile(
    r"^#{1,6} \S|^```|^> \S|^\[\^?[^\]\s]+\]:\s*\S|^(?:=+|-{3,})\s*$|\[\^[^\]\s]+\]"
    r"|\*\*\S[^*\n]*\S\*\*|(?<![\w*])\*[^*\s][^*\n]*(?<!\s)\*(?![\w*])|\]\(https?://|\]\[[^\]]*\]",
    re.M)
HTML_SIGNS = re.compile(r"^\s*<(?:!doctype|html|head|body)\b"
                        r"|</?(?:p|div|span|a|em|strong|h[1-6]|br|li|ul|ol|article)\b[^>]*>",
                        re.I | re.M)


def detect_format(path: Path, fmt: str) -> str:
    if fmt != "auto":
        return fmt
    try:
        return EXTENSIONS[path.suffix.lower()]
    except KeyError:
        raise InputError(f"cannot tell the format of {path.name!r} from its extension",
                         where=str(path),
                         hint="pass --format text, --format markdown or --format html") from None


XML_INCOMPATIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def read_input(path: Path) -> str:
    """The file's text: UTF-8, no BOM, LF line ends; clear errors for anything else."""
    data = read_bytes(path)
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise InputError("the file is UTF-16, not UTF-8", where=str(path),
                         hint="convert it, e.g. iconv -f UTF-16 -t UTF-8 in.txt > out.txt")
    if b"\x00" in data[:8192]:
        raise InputError("this is a binary file, not text", where=str(path),
                         hint="import a .txt, .md or .html file")
    try:
        decoded = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise InputError(f"not valid UTF-8 (byte 0x{data[exc.start]:02x})",
                         where=f"{path}:{line}",
                         hint="convert the file to UTF-8, e.g. iconv -f WINDOWS-1252 "
                              "-t UTF-8 in.txt > out.txt") from exc
    decoded = decoded.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if not decoded.strip():
        raise InputError("the file is empty", where=str(path),
                         hint="import a file that holds an essay")
    if bad := XML_INCOMPATIBLE.search(decoded):
        line = decoded[:bad.start()].count("\n") + 1
        column = bad.start() - (decoded.rfind("\n", 0, bad.start()) + 1) + 1
        raise InputError(f"control character U+{ord(bad.group()):04X} at column {column} "
                         "(terminal colours, a form feed...) cannot be kept in a source",
                         where=f"{path}:{line}", hint="delete it from the file and import again")
    return decoded


def check_input_file(path: Path) -> int:
    """The size of the regular file at ``path``; InputError naming what is there instead
    (nothing: "no such file", and where a relative path was looked for; a folder, a named
    pipe...: "not a regular file" and what it is)."""
    try:
        info = path.stat()
    except FileNotFoundError:
        raise InputError(f"no such file{_looked_for(path)}", where=str(path),
                         hint=_missing_hint(path)) from None
    except OSError as exc:
        raise InputError(f"cannot read the file: {atomic.reason(exc)}", where=str(path),
                         hint="check the path and its permissions") from exc
    if not stat.S_ISREG(info.st_mode):
        raise InputError(f"not a regular file: it is {_kind(info.st_mode)}", where=str(path),
                         hint="give the path of a .txt, .md or .html file")
    return info.st_size


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (fifo)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "not a file"


def _looked_for(path: Path) -> str:
    """Where a relative ``path`` was looked for: the current folder (not the project's)."""
    return "" if path.is_absolute() else f" (looked for in the current folder, {Path.cwd()})"


def _missing_hint(path: Path) -> str:
    """What to do about a missing input: a close name in its folder, else check the path."""
    folder = path.parent
    if not folder.is_dir():
        return f"check the path: the folder {folder} does not exist either"
    import difflib
    try:
        names = sorted(entry.name for entry in folder.iterdir())
    except OSError:
        names = []
    close = difflib.get_close_matches(path.name, names, n=1, cutoff=0.8)
    if close:
        return f"check the spelling: did you mean {folder / close[0]}?"
    if path.is_absolute():
        return "check the spelling of the path"
    return "check the spelling of the path; a relative path is read from the current " \
           "folder, not from the project's"


def read_bytes(path: Path) -> bytes:
    """At most MAX_BYTES of a regular file; anything else is refused before reading."""
    size = check_input_file(path)
    if size > MAX_BYTES:
        raise InputError(f"the file is {size / 1048576:.1f} MB; essays over "
                         f"{MAX_BYTES // 1048576} MB are refused", where=str(path),
                         hint="is this really one essay? split it into several files")
    try:
        with atomic.open_file(path) as handle:
            data = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise InputError(f"cannot read the file: {atomic.reason(exc)}", where=str(path),
                         hint=atomic.reason_hint(exc, "check the file's permissions")) from exc
    if len(data) > MAX_BYTES:
        raise InputError(f"the file is over {MAX_BYTES // 1048576} MB", where=str(path),
                         hint="is this really one essay? split it into several files")
    return data


def check_plain_text(content: str, path: Path) -> None:
    """Refuse HTML or Markdown given as plain text: their markup would become words."""
    for signs, name, fmt, ext in ((HTML_SIGNS, "HTML", "html", ".html"),
                                  (MARKDOWN_SIGNS, "Markdown", "markdown", ".md")):
        found = list(signs.finditer(content))
        if len(found) >= 2 or (found and fmt == "html" and found[0].group().startswith("<!")):
            line = content[:found[0].start()].count("\n") + 1
            raise InputError(f"this looks like {name}, not plain text "
                             f"({found[0].group().strip()[:30]!r})", where=f"{path}:{line}",
                             hint=f"import it with --format {fmt} (or give it a {ext} name)")


def composed(content: str, path: Path, report: Report) -> str:
    """``content`` in Unicode NFC (é as one character, not e + U+0301), for every reader:
    search, hyphenation and the Nu checker expect it; the first line changed is reported."""
    if unicodedata.is_normalized("NFC", content):
        return content
    lines = content.split("\n")
    first = next(i for i, line in enumerate(lines, 1)
                 if not unicodedata.is_normalized("NFC", line))
    report.info("import.composed", "decomposed characters (a letter followed by a combining "
                "accent) were composed (Unicode NFC), here and in any later line",
                f"{path}:{first}")
    return unicodedata.normalize("NFC", content)


def import_document(path: Path, essay_id: str, fmt: str, lang: str, report: Report,
                    hints_file: Path | None = None, old: Document | None = None) -> Document:
    fmt = detect_format(path, fmt)
    if fmt not in READERS:
        raise InputError(f"unknown format {fmt!r}", hint=f"use one of {', '.join(READERS)}")
    from .ids import assign_ids
    from .split import segment_document
    from .tidy import tidy
    from .titles import mark_titles
    content = composed(read_input(path), path, report)
    hints = load_hints(hints_file or hints_path_for(path))
    if fmt == "text":
        check_plain_text(content, path)
        draft = READERS["text"](content, str(path), lang, report, hints)
    else:
        draft = READERS[fmt](content, str(path), lang, report)
    doc = segment_document(tidy(replace(draft, id=essay_id, lang=lang)))
    doc = mark_titles(doc, hints.titles, report, hints.path or "")
    empty = [ref for ref in iter_segments(doc) if not ref.segment.text.strip()
             and not ref.segment.content]
    if empty:
        raise InputError("an empty segment was produced", where=str(empty[0].segment.location))
    return assign_ids(doc, old)


__all__ = ["READERS", "EXTENSIONS", "import_document", "read_input", "Hints"]
