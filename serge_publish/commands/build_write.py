"""The writing step of ``serge-publish build``, the only one that touches ``build/``.

First every target is checked (each folder can be created or written, no file is in the
way of a folder, no folder in the way of a file): a problem stops the build before
anything is written. Then every file is written atomically, in a stable order, and the
report last, so that it never lists a file this build did not write.
"""
from __future__ import annotations

import os
from pathlib import Path, PurePosixPath

from .. import atomic
from ..errors import BuildError


def check_targets(build_dir: Path, rels: list[str]) -> None:
    """BuildError for the first target that cannot be written; writes nothing."""
    folders = sorted({PurePosixPath(rel).parent for rel in rels})
    for folder in folders:
        _check_folder(build_dir, folder)
    for rel in sorted(rels):
        if (build_dir / rel).is_dir():
            raise BuildError(f"cannot write build/{rel}: it is a folder",
                             where=str(build_dir / rel),
                             hint="move that folder away, then build again")


def _check_folder(build_dir: Path, folder: PurePosixPath) -> None:
    """``build/<folder>`` and each folder above it are folders, or can be created."""
    path, name = build_dir, "build"
    for part in ("", *folder.parts):
        if part:
            path, name = path / part, f"{name}/{part}"
        if not path.exists():
            if not os.access(path.parent, os.W_OK | os.X_OK):
                raise _unwritable(path.parent, name.rpartition("/")[0] or str(path.parent))
            return                          # the rest is created by the write
        if not path.is_dir():
            raise BuildError(f"cannot write under {name}: {name} is not a folder",
                             hint=f"{name} is a file: move it away (the build writes the "
                                  f"folder {name}), then build again")
    if not os.access(path, os.W_OK | os.X_OK):
        raise _unwritable(path, name)


def _unwritable(path: Path, name: str) -> BuildError:
    return BuildError(f"cannot write in {name}: permission denied", where=str(path),
                      hint=f"make {name} writable (chmod u+w), then build again")


def write_outputs(build_dir: Path, files: dict[str, bytes], report: tuple[str, bytes]) -> None:
    """Every file atomically in a stable order, then the report (``(name, bytes)``)."""
    check_targets(build_dir, [*files, report[0]])
    written = 0
    for rel in [*sorted(files), report[0]]:
        data = report[1] if rel == report[0] else files[rel]
        try:
            atomic.write_bytes(build_dir / rel, data)
        except OSError as exc:
            raise BuildError(f"cannot write build/{rel}: {exc.strerror or exc}",
                             where=str(build_dir / rel),
                             hint=f"{written} of {len(files)} files were written and "
                                  f"{report[0]} was not updated; fix the problem and build "
                                  "again") from exc
        written += 1
