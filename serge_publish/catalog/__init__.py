"""Gettext catalogues: extraction, merge, translation memory, application, statistics.

The only package that imports polib. Other modules hand its catalogue objects around
without looking inside them.
"""
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
from serge_publish.catalog.merge import MergeStats, merge_catalog, steady_stats
from serge_publish.catalog.output import CatalogWriteError
from serge_publish.catalog.placeholders import MarkupError, content_to_message, message_to_content
from serge_publish.catalog.po import format_catalog, parse_catalog, read_catalog, write_catalog
from serge_publish.catalog.pseudo import pseudo_catalog, pseudo_message

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
]
