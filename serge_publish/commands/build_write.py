"""The writing step of ``serge-publish build``, the only one that touches ``build/``.

First every target is checked (each folder can be created or written, no file is in the
way of a folder, no folder in the way of a file): a problem stops the build before
anything is written. (Temporary files an earlier build left when it was killed, ``*.serge-tmp``
as ``atomic.write_bytes`` names them, are removed when a build starts: ``remove_leftovers``,
so that publishing build/ never publishes one.) Then, when there is anything to write:

1. the state (``.serge-build-state.json``) lists the outputs about to be written as
   *pending*: a build killed from here on leaves them to be rebuilt by the next one;
2. ``build-report.json`` says ``"complete": false`` and lists them: whoever looks at
   build/ in the meantime (or after a kill) knows it may mix old and new editions;
3. every output, atomically, in a stable order;
4. the final report (``"complete": true``), then the final state.

A no-change rebuild only rewrites the report and the state.
"""
from __future__ import annotations

import json
import os
from pathlib import Path, PurePosixPath

from .. import atomic
from ..errors import BuildError
from .build_state import STATE_NAME, State


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


def write_outputs(build_dir: Path, files: dict[str, bytes], report: tuple[str, bytes],
                  state: State | None = None) -> None:
    """Every file atomically in a stable order, then the report (``(name, bytes)``) and
    the state (see the module's docstring)."""
    check_targets(build_dir, [*files, report[0]])
    writing = sorted(files)
    said = f"{report[0]} was not updated"
    if files and state is not None:
        _write(build_dir, STATE_NAME, _pending(state, writing), 0, len(files), said)
        _write(build_dir, report[0], _incomplete(writing), 0, len(files), said)
        said = f"{report[0]} says the build is incomplete"
    written = 0
    for rel in [*writing, report[0]]:
        data = report[1] if rel == report[0] else files[rel]
        _write(build_dir, rel, data, written, len(files), said)
        written += 1
    if state is not None:
        state.pending = []
        _write(build_dir, STATE_NAME, state.to_bytes(), written, len(files),
               f"{report[0]} was written; the next build renders every output again")


def _write(build_dir: Path, rel: str, data: bytes, written: int, total: int,
           said: str) -> None:
    try:
        atomic.write_bytes(build_dir / rel, data)
    except OSError as exc:
        raise BuildError(f"cannot write build/{rel}: {exc.strerror or exc}",
                         where=str(build_dir / rel),
                         hint=f"{min(written, total)} of {total} files were written and "
                              f"{said}; fix the problem and build again") from exc


def _pending(state: State, writing: list[str]) -> bytes:
    """The state as it was, with the outputs about to be written marked pending."""
    before = State(state.pairs, state.essays,
                   {rel: record for rel, record in state.outputs.items()
                    if rel not in writing}, writing)
    return before.to_bytes(complete=False)


def _incomplete(writing: list[str]) -> bytes:
    data = {"complete": False, "writing": [f"build/{rel}" for rel in writing],
            "note": "a build was writing these files and did not finish: build/ may mix "
                    "old and new editions; run serge-publish build"}
    return (json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode()


def remove_leftovers(build_dir: Path) -> list[Path]:
    """Delete the temporary files of an earlier, killed build (whatever their age: one
    build writes build/ at a time); returns them."""
    if not build_dir.is_dir():
        return []
    return atomic.remove_leftovers(build_dir, age=0)
