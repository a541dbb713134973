"""Gettext catalogues: extraction, merge, translation memory, application, statistics.

The only package that imports polib. Other modules hand its catalogue objects around
without looking inside them.
"""
from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from serge_publish.catalog.apply import ApplyResult, SegmentStatus, apply_catalog
    from serge_publish.catalog.compendium import compendium_use
    from serge_publish.catalog.counts import STATES, Counts, count_catalog, invalid_ids
    from serge_publish.catalog.extract import document_title, extract_catalog
    from serge_publish.catalog.files import (
        CatalogChangedError,
        Stamp,
        adopt_date,
        backup_path,
        load_catalog,
        replace_catalog,
        save_catalog,
        save_template,
    )
    from serge_publish.catalog.header import (
        creation_date,
        language_team,
        template_metadata,
        template_title,
        translation_comment,
    )
    from serge_publish.catalog.lines import entry_lines
    from serge_publish.catalog.memory import (
        SharedMemory,
        TranslationMemory,
        memory_digest,
        memory_entries,
    )
    from serge_publish.catalog.merge import merge_catalog, steady_stats
    from serge_publish.catalog.output import CatalogWriteError
    from serge_publish.catalog.placeholders import (
        MarkupError,
        content_to_message,
        message_to_content,
    )
    from serge_publish.catalog.po import (
        Translations,
        format_catalog,
        parse_catalog,
        parse_translations,
        read_catalog,
        read_translations,
        write_catalog,
    )
    from serge_publish.catalog.pseudo import pseudo_catalog, pseudo_message
    from serge_publish.catalog.stats import MergeStats

# Each public name and the submodule that defines it, imported on first use (issue 8: a
# build that only applies catalogues imports neither merge, memory nor extraction).
_SOURCES = {
    "ApplyResult": "apply",
    "SegmentStatus": "apply",
    "apply_catalog": "apply",
    "compendium_use": "compendium",
    "STATES": "counts",
    "Counts": "counts",
    "count_catalog": "counts",
    "invalid_ids": "counts",
    "document_title": "extract",
    "extract_catalog": "extract",
    "CatalogChangedError": "files",
    "Stamp": "files",
    "adopt_date": "files",
    "backup_path": "files",
    "load_catalog": "files",
    "replace_catalog": "files",
    "save_catalog": "files",
    "save_template": "files",
    "creation_date": "header",
    "language_team": "header",
    "template_metadata": "header",
    "template_title": "header",
    "translation_comment": "header",
    "entry_lines": "lines",
    "SharedMemory": "memory",
    "TranslationMemory": "memory",
    "memory_digest": "memory",
    "memory_entries": "memory",
    "MergeStats": "stats",
    "merge_catalog": "merge",
    "steady_stats": "merge",
    "CatalogWriteError": "output",
    "MarkupError": "placeholders",
    "content_to_message": "placeholders",
    "message_to_content": "placeholders",
    "format_catalog": "po",
    "parse_catalog": "po",
    "read_catalog": "po",
    "Translations": "po",
    "parse_translations": "po",
    "read_translations": "po",
    "write_catalog": "po",
    "pseudo_catalog": "pseudo",
    "pseudo_message": "pseudo",
}


def __getattr__(name: str) -> Any:
    module = _SOURCES.get(name)
    if module is None:
        try:                                    # a submodule not imported yet: catalog.counts
            return importlib.import_module(f"{__name__}.{name}")
        except ModuleNotFoundError as error:
            if error.name != f"{__name__}.{name}":
                raise
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_SOURCES))


__all__ = [
    "STATES", "adopt_date", "ApplyResult", "CatalogChangedError", "CatalogWriteError",
    "Stamp", "backup_path",
    "load_catalog", "replace_catalog", "Counts", "MarkupError", "MergeStats",
    "SegmentStatus", "SharedMemory", "TranslationMemory", "apply_catalog", "compendium_use",
    "content_to_message", "count_catalog", "creation_date", "document_title", "entry_lines",
    "extract_catalog", "format_catalog", "invalid_ids", "language_team", "merge_catalog",
    "message_to_content", "pseudo_catalog", "pseudo_message", "read_catalog", "save_catalog",
    "save_template", "translation_comment", "write_catalog", "memory_digest", "memory_entries",
    "parse_catalog", "steady_stats", "template_metadata", "template_title",
    "Translations", "parse_translations", "read_translations",
]
