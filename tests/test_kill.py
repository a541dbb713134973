"""Kill and check: `build`, `update` and `import` killed (SIGKILL) at every rename they
make, then looked at. A file is always its old or its new version, never a mix; a killed
build's report says it is incomplete; the next run removes the temporary files left and
ends as a clean run does.

The hook is in the test, not in the tool: a child Python replaces ``os.replace`` with one
that kills the process at its k-th call (every atomic write ends with one), then runs the
command line."""
from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from build_helpers import build, edit_catalogue, files_of, run
from serge_publish import atomic

# slow: starts and kills a build, update and import dozens of times
pytestmark = pytest.mark.slow

HOOK = r"""
import os, signal, sys
limit, calls, real = int(sys.argv[1]), [0], os.replace
def replace(*args, **kwargs):
    if calls[0] == limit:
        os.kill(os.getpid(), signal.SIGKILL)
    calls[0] += 1
    return real(*args, **kwargs)
os.replace = replace
from serge_publish.cli import main

sys.exit(main(sys.argv[2:]))
"""
FAST = (1, 4)          # in the fast loop: killed while writing the first outputs
EVERY = range(0, 60)   # marked slow: every rename until the command ends by itself


def killed(k: int, project: Path, *args: str) -> bool:
    """Run the command, killed at its k-th rename; False when it ended first."""
    done = subprocess.run([sys.executable, "-c", HOOK, str(k), "--project", str(project),
                           *args], capture_output=True, text=True, timeout=120)
    if done.returncode == -signal.SIGKILL:
        return True
    assert done.returncode == 0, done.stderr
    return False


def _tmp_files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if atomic.is_temporary(p)]


def _without_tmp(files: dict[str, bytes]) -> dict[str, bytes]:
    return {rel: data for rel, data in files.items() if not atomic.is_temporary(rel)}


# ---------------------------------------------------------------- build

@pytest.fixture
def build_case(make_root, tmp_path):
    """(project built with old inputs, then changed; the files a clean build of the new
    inputs writes)."""
    project = make_root("two-essays")
    for essay in ("alpha", "beta"):
        edit_catalogue(project, "fr", essay, lambda i, e: e.msgid)
    build(project, "--jobs", "1")
    build(project, "--jobs", "1")                       # published.toml settled
    edit_catalogue(project, "fr", "alpha", lambda i, e: e.msgid + " !" if i % 3 else None)
    source = project / "source" / "beta.xml"
    source.write_text(source.read_text("utf-8").replace("Suzi Weissman", "S. Weissman"),
                      "utf-8")
    clean = tmp_path / "clean"
    shutil.copytree(project, clean, ignore=shutil.ignore_patterns("build"))
    build(clean, "--jobs", "1")
    return project, files_of(clean / "build")


def _check_killed_build(project: Path, old: dict[str, bytes], new: dict[str, bytes],
                        tmp_path: Path) -> None:
    now = _without_tmp(files_of(project / "build"))
    report_name = "build-report.json"
    for rel, data in now.items():
        if rel != report_name:
            assert data in (old.get(rel), new.get(rel)), f"{rel} is neither old nor new"
    changed = {f"build/{r}" for r in now if now[r] != old.get(r) and r != report_name}
    if now[report_name] not in (old[report_name], new[report_name]):
        report = json.loads(now[report_name])
        assert report["complete"] is False and set(report["writing"]) >= changed
    elif now[report_name] != new[report_name]:
        assert changed == set()                 # the old report: nothing written yet
    build(project, "--jobs", "1")                # the next build repairs everything
    assert _tmp_files(project / "build") == []
    assert files_of(project / "build") == new


def _kill_build_at(points, build_case, tmp_path) -> int:
    project, new = build_case
    old = files_of(project / "build")
    runs = 0
    for k in points:
        copy = tmp_path / f"k{k}"
        shutil.copytree(project, copy)
        if not killed(k, copy, "build", "--jobs", "1"):
            assert files_of(copy / "build") == new
            break
        runs += 1
        _check_killed_build(copy, old, new, tmp_path)
    return runs


def test_a_killed_build_is_said_incomplete_and_repaired(build_case, tmp_path):
    assert _kill_build_at(FAST, build_case, tmp_path) == len(FAST)


@pytest.mark.slow
def test_a_build_killed_at_any_write_is_said_incomplete_and_repaired(build_case, tmp_path):
    assert _kill_build_at(EVERY, build_case, tmp_path) > 10


def test_temporary_files_of_a_killed_build_are_removed(make_root):
    project = make_root("two-essays")
    build(project, "--lang", "en", "--format", "html")
    before = files_of(project / "build")
    left = [project / "build" / "en" / f"alpha.html.x1y2{atomic.TEMP_SUFFIX}",
            project / "build" / f"style.css.5kq{atomic.TEMP_SUFFIX}"]
    for path in left:
        path.write_bytes(b"half")
    build(project, "--lang", "en", "--format", "html")      # nothing else to write
    assert _tmp_files(project / "build") == [] and files_of(project / "build") == before
    left[0].write_bytes(b"half")
    (project / "source" / "alpha.xml").write_text("<broken", "utf-8")
    code, _, err = run("--project", str(project), "build", "--lang", "en")
    assert code == 3 and _tmp_files(project / "build") == []   # even when the build fails


# ---------------------------------------------------------------- update and import

def _update_case(make_root, tmp_path):
    project = make_root("two-essays")
    for essay in ("alpha", "beta"):
        edit_catalogue(project, "fr", essay, lambda i, e: e.msgid)
    for essay in ("alpha", "beta"):
        source = project / "source" / f"{essay}.xml"
        text = source.read_text("utf-8")
        source.write_text(text.replace("Victor Serge", "Victor L. Serge"), "utf-8")
    code, _, err = run("--project", str(project), "extract")
    assert code == 0, err
    clean = tmp_path / "clean"
    shutil.copytree(project, clean)
    code, _, err = run("--project", str(clean), "update")
    assert code == 0, err
    return project, clean


def _catalogues(project: Path) -> dict[str, bytes]:
    return {rel: data for rel, data in files_of(project / "locale").items()
            if rel.endswith(".po")}


@pytest.mark.slow
def test_a_killed_update_leaves_each_catalogue_old_or_new(make_root, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    project, clean = _update_case(make_root, tmp_path)
    old, new = _catalogues(project), _catalogues(clean)
    assert old != new
    for k in EVERY:
        copy = tmp_path / f"k{k}"
        shutil.copytree(project, copy)
        if not killed(k, copy, "update", "--jobs", "1"):   # the hook kills this process
            break
        now = _catalogues(copy)
        assert now.keys() == old.keys()
        for rel, data in now.items():
            assert data in (old[rel], new[rel]), f"{rel} is neither old nor new"
        code, _, err = run("--project", str(copy), "update")
        assert code == 0, err
        assert _catalogues(copy) == new
    assert k > 2


def _import_case(project: Path, text: str) -> None:
    (project / "essay.txt").write_text(text, "utf-8")


def _pair(project: Path) -> tuple[bytes | None, bytes | None]:
    return tuple(p.read_bytes() if p.is_file() else None for p in (
        project / "source" / "gamma.xml", project / "source" / "originals" / "gamma.txt"))


def _check_killed_import(copy: Path, k: int, old, new) -> bool:
    """After the kill, any command completes a committed import (saying so) or leaves it
    undone; the next import cleans what a kill before the commit point left. Whether the
    killed import was completed."""
    code, _, err = run("--project", str(copy), "validate")
    assert code == 0, err
    now = _pair(copy)
    assert now in (old, new), f"killed at rename {k}: source and original out of step"
    assert not (copy / "source" / "import-journal.json").exists()
    if now == new:
        assert "an interrupted import of gamma was completed" in err
        assert _tmp_files(copy / "source") == []
    else:
        assert "interrupted" not in err
        code, _, err = run("--project", str(copy), "import", str(copy / "essay.txt"),
                           "--id", "gamma", "--force")
        assert code == 0, err
        assert _pair(copy) == new
    assert _tmp_files(copy / "source") == []
    return now == new


@pytest.mark.slow
def test_a_killed_import_keeps_the_original_and_the_source_in_step(make_root, tmp_path):
    project = make_root("two-essays")
    first = "Gamma\n\nBy Someone\n\nA first paragraph. It has two sentences.\n"
    second = first + "\nA second paragraph, added later.\n"
    _import_case(project, first)
    code, _, err = run("--project", str(project), "import", str(project / "essay.txt"),
                       "--id", "gamma")
    assert code == 0, err
    old = _pair(project)
    _import_case(project, second)
    clean = tmp_path / "clean"
    shutil.copytree(project, clean)
    code, _, err = run("--project", str(clean), "import", str(clean / "essay.txt"),
                       "--id", "gamma", "--force")
    assert code == 0, err
    new = _pair(clean)
    assert old[0] != new[0] and old[1] != new[1]
    outcomes = []
    for k in EVERY:
        copy = tmp_path / f"k{k}"
        shutil.copytree(project, copy)
        if not killed(k, copy, "import", str(copy / "essay.txt"), "--id", "gamma",
                      "--force"):
            break
        outcomes.append(_check_killed_import(copy, k, old, new))
    assert k >= 2 and outcomes[0] is False and outcomes[-1] is True
