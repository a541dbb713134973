"""serge-publish init: a new, empty project."""
from __future__ import annotations

from pathlib import Path

from .. import languages
from ..project import Config, Project, init_project


def init_command(directory: Path, name: str, publisher: str, source_lang: str,
                 langs: tuple[str, ...]) -> Project:
    source = languages.normalize(source_lang)
    targets = tuple(languages.normalize(code) for code in langs)
    config = Config(name=name, publisher=publisher, source_language=source,
                    target_languages=targets)
    return init_project(directory, config)
