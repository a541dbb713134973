"""serge-publish validate: every source's name, then every source (schema, ids, note
references), then the folders under locale/."""
from __future__ import annotations

from ..errors import ProjectError, SourceError
from ..importers.ids import essay_id_problem
from ..model import iter_segments
from ..project import RESERVED_IDS, Project
from ..sourcexml import read_source


def validate_command(project: Project, essays: tuple[str, ...]) -> list[str]:
    names = project.require_essays(essays)
    check_names(project, names)
    lines = []
    for essay in names:
        doc = read_source(project.source_path(essay))
        count = sum(1 for _ in iter_segments(doc))
        lines.append(f"{project.source_path(essay).relative_to(project.root)}: valid, "
                     f"{count} segments")
    check_locale_folders(project)
    return lines


def check_names(project: Project, names: list[str]) -> None:
    """SourceError for a source placed by hand under a name that import refuses."""
    known = project.essays()
    for essay in names:
        earlier = known[:known.index(essay)] if essay in known else known
        problem = essay_id_problem(essay, RESERVED_IDS, earlier)
        if problem is not None:
            raise SourceError(f"the file name cannot be an essay id: {problem.message}",
                              where=str(project.source_path(essay)),
                              hint=f"rename the file (and its catalogues under locale/); "
                                   f"{problem.hint}")


def check_locale_folders(project: Project) -> None:
    """ProjectError for the first folder under locale/ whose catalogues are never read."""
    for problem in project.stray_locale_folders():
        raise ProjectError(problem.message, where=problem.where)
