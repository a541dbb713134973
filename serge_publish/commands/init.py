"""serge-publish init: a new, empty project."""
from __future__ import annotations

from pathlib import Path

from .. import languages
from ..config import config_from_dict
from ..project import Project, init_project


def init_command(directory: Path, name: str, publisher: str, source_lang: str,
                 langs: tuple[str, ...]) -> Project:
    """The options are checked by the rules of serge-publish.toml (a target language
    listed twice or equal to the source is refused)."""
    source = languages.normalize(source_lang)
    targets = [languages.normalize(code) for code in langs]
    config = config_from_dict({"project": {"name": name, "publisher": publisher,
                                           "source_language": source,
                                           "target_languages": targets}})
    return init_project(directory, config)
