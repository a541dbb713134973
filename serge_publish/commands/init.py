"""serge-publish init: a new, empty project."""
from __future__ import annotations

import re
from pathlib import Path

from .. import languages
from ..config import config_from_dict
from ..errors import InputError, ProjectError
from ..project import Project, init_project

# C0 and C1 controls (a tab or newline included): a TOML string and an XML title cannot
# hold them faithfully
CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")


def init_command(directory: Path, name: str, publisher: str, source_lang: str,
                 langs: tuple[str, ...]) -> Project:
    check_plain_value("--name", name)
    check_plain_value("--publisher", publisher)
    source = languages.normalize(source_lang)
    targets = [languages.normalize(code) for code in langs]
    # the options are checked by the rules of serge-publish.toml (a target language
    # listed twice or equal to the source is refused)
    config = config_from_dict({"project": {"name": name, "publisher": publisher,
                                           "source_language": source,
                                           "target_languages": targets}})
    try:
        return init_project(directory, config)
    except OSError as exc:
        raise ProjectError(f"cannot create the project: {exc.strerror or exc}",
                           where=str(exc.filename or directory),
                           hint=init_hint(directory, exc)) from exc


def check_plain_value(option: str, value: str) -> None:
    """InputError for a value holding a control character (a bell, an escape, a newline)."""
    if bad := CONTROL.search(value):
        raise InputError(f"{option} holds the control character U+{ord(bad.group()):04X} "
                         f"at position {bad.start() + 1}",
                         hint=f"give {option} as plain text, without control characters "
                              "(in a shell, $'...' turns \\a or \\n into one)")


def init_hint(directory: Path, exc: OSError) -> str:
    """What to check when the project folders could not be created."""
    absolute = directory.absolute()
    blocker = next((p for p in reversed((absolute, *absolute.parents))
                    if p.exists() and not p.is_dir()), None)
    if blocker is not None:
        return f"{blocker} is not a folder: choose another DIR for the project"
    return (f"check that you may create {directory} (the permissions of the folder above "
            "it, a read-only disk, free space), or choose another DIR")
