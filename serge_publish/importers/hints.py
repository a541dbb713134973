"""Hints: a small TOML file with which an editor steers the plain-text importer where its
heuristics cannot decide. Found beside the input as ``<input>.hints.toml`` (or given with
``--hints``); the shipped essays keep theirs in ``source/originals/``.

    # run-in headings: the exact heading text, split out of the running text
    headings = ["I. Life", "II. The Witness"]
    # short lines that look like headings but are not (their first words)
    not_headings = []
    # paragraphs (their first words) that are block quotes / that are not
    quotes = []
    not_quotes = []
    # the first words of the first reader comment appended after the notes
    comments_start = ""
    # titles of works: every occurrence in the text is marked as a title (italics);
    # "Title@fr" names the title's language. The only hint the Markdown and HTML
    # importers read (there, an emphasis that is exactly a hinted title becomes a title)
    titles = ["Memoirs of a Revolutionary", "Les Hommes perdus@fr"]

    [metadata]          # facts the text does not state plainly
    date = "2009"
    publisher = "Links International Journal of Socialist Renewal"
    provenance = "..."
    rights = "..."
    author = "..."
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .. import atomic
from ..errors import InputError

KNOWN_KEYS = {"headings", "not_headings", "quotes", "not_quotes", "comments_start", "titles",
              "metadata"}
METADATA_KEYS = {"date", "publisher", "provenance", "rights", "author"}


@dataclass(frozen=True)
class Hints:
    headings: tuple[str, ...] = ()
    not_headings: tuple[str, ...] = ()
    quotes: tuple[str, ...] = ()
    not_quotes: tuple[str, ...] = ()
    comments_start: str = ""
    titles: tuple[str, ...] = ()
    metadata: dict[str, str] = field(default_factory=dict)
    path: str = ""


def hints_path_for(input_path: Path) -> Path:
    return input_path.with_name(input_path.name + ".hints.toml")


def load_hints(path: Path | None) -> Hints:
    if path is None or not path.exists():
        return Hints()
    try:
        data = tomllib.loads(atomic.read_file(path).decode("utf-8"))
    except OSError as exc:
        raise InputError(f"cannot read the hints file: {atomic.reason(exc)}", where=str(path),
                         hint=atomic.reason_hint(exc)) from exc
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise InputError(f"cannot read the hints file: {exc}", where=str(path),
                         hint="fix its TOML syntax (see 'Steering the import' in README.md)"
                         ) from exc
    unknown = set(data) - KNOWN_KEYS
    if unknown:
        raise InputError(f"unknown hint(s): {', '.join(sorted(unknown))}", where=str(path),
                         hint=f"known hints: {', '.join(sorted(KNOWN_KEYS))}")
    metadata = data.get("metadata", {})
    if not isinstance(metadata, dict) or set(metadata) - METADATA_KEYS or \
            not all(isinstance(v, str) for v in metadata.values()):
        raise InputError("[metadata] must be a table of text values", where=str(path),
                         hint=f"known keys: {', '.join(sorted(METADATA_KEYS))}, "
                              'e.g. date = "2009"')
    if not isinstance(data.get("comments_start", ""), str):
        raise InputError("hint 'comments_start' must be a text", where=str(path))

    def strings(key: str) -> tuple[str, ...]:
        value = data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise InputError(f"hint {key!r} must be a list of texts", where=str(path),
                             hint=f'e.g. {key} = ["first words"]')
        return tuple(value)
    return Hints(headings=strings("headings"), not_headings=strings("not_headings"),
                 quotes=strings("quotes"), not_quotes=strings("not_quotes"),
                 comments_start=data.get("comments_start", ""), titles=strings("titles"),
                 metadata=dict(metadata),
                 path=str(path))
