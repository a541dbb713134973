"""Readers: an essay file -> a segmented Document with stable ids.

Formats are an explicit table (``READERS``); each reader returns an unsegmented
Document (one segment per paragraph); ``import_document`` checks the input, runs the
reader, splits paragraphs into sentences and assigns stable ids.
"""
from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import Callable

from ..errors import InputError, Report
from ..model import Document, iter_segments
from . import html, markdown, text
from .hints import Hints, hints_path_for, load_hints
from .ids import assign_ids
from .split import segment_document

Reader = Callable[..., Document]
READERS: dict[str, Reader] = {"text": text.read, "markdown": markdown.read, "html": html.read}
EXTENSIONS = {".txt": "text", ".text": "text", ".md": "markdown", ".markdown": "markdown",
              ".html": "html", ".htm": "html", ".xhtml": "html"}
MAX_BYTES = 5 * 1024 * 1024
MARKDOWN_SIGNS = re.compile(r"^(#{1,6} \S|```|\[\^\d+\]:|> \S)|\*\*\S.*\S\*\*|\]\(https?://",
                            re.M)


def detect_format(path: Path, fmt: str) -> str:
    if fmt != "auto":
        return fmt
    try:
        return EXTENSIONS[path.suffix.lower()]
    except KeyError:
        raise InputError(f"cannot tell the format of {path.name!r} from its extension",
                         where=str(path),
                         hint="pass --format text, --format markdown or --format html") from None


def read_input(path: Path) -> str:
    """The file's text: UTF-8, no BOM, LF line ends; clear errors for anything else."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read the file: {exc.strerror}", where=str(path)) from exc
    if len(data) > MAX_BYTES:
        raise InputError(f"the file is {len(data) / 1048576:.1f} MB; essays over "
                         f"{MAX_BYTES // 1048576} MB are refused", where=str(path),
                         hint="is this really one essay? split it into several files")
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
    return decoded


def check_not_markdown(content: str, path: Path) -> None:
    signs = list(MARKDOWN_SIGNS.finditer(content))
    if len(signs) >= 2:
        line = content[:signs[0].start()].count("\n") + 1
        raise InputError("this looks like Markdown, not plain text "
                         f"({signs[0].group().strip()[:30]!r})", where=f"{path}:{line}",
                         hint="import it with --format markdown (or give it a .md name)")


def import_document(path: Path, essay_id: str, fmt: str, lang: str, report: Report,
                    hints_file: Path | None = None, old: Document | None = None) -> Document:
    fmt = detect_format(path, fmt)
    if fmt not in READERS:
        raise InputError(f"unknown format {fmt!r}", hint=f"use one of {', '.join(READERS)}")
    content = read_input(path)
    if fmt == "text":
        check_not_markdown(content, path)
        hints = load_hints(hints_file or hints_path_for(path))
        draft = text.read(content, str(path), lang, report, hints)
    else:
        draft = READERS[fmt](content, str(path), lang, report)
    doc = segment_document(replace(draft, id=essay_id, lang=lang))
    empty = [ref for ref in iter_segments(doc) if not ref.segment.text.strip()
             and not ref.segment.content]
    if empty:
        raise InputError("an empty segment was produced", where=str(empty[0].segment.location))
    return assign_ids(doc, old)


__all__ = ["READERS", "EXTENSIONS", "import_document", "read_input", "Hints"]
