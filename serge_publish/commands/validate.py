"""serge-publish validate: load every source (schema, ids, note references)."""
from __future__ import annotations

from ..model import iter_segments
from ..project import Project
from ..sourcexml import read_source


def validate_command(project: Project, essays: tuple[str, ...]) -> list[str]:
    lines = []
    for essay in project.require_essays(essays):
        doc = read_source(project.source_path(essay))
        count = sum(1 for _ in iter_segments(doc))
        lines.append(f"{project.source_path(essay).relative_to(project.root)}: valid, "
                     f"{count} segments")
    return lines
