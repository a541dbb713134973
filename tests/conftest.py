"""Shared test set-up.

Two kinds of project are used, both copied to a temporary folder before anything changes:

- *roots* (``tests/roots/<name>/``): small projects made for the tests, like Sphinx's
  tests/roots. Tests of behaviours (fallbacks, thresholds, the summary, bad input...) use
  them through ``make_root``, so editing the shipped essays or their translations never
  breaks them.
- *the shipped project* (the repository root, read-only): only for tests whose point is
  the shipped project itself (golden re-import, its editions validate). Its full builds
  are session-scoped (``shipped_template``, ``shipped``) so that they happen once.
"""
from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import settings

from build_helpers import (
    ROOT,
    TINY_ESSAY,
    build,
    build_scenarios,
    edit_catalogue,
    new_project,
    run,
    run_cli,
)

# In CI the property tests draw the same examples every run (a failure there is a defect
# to reproduce, never a flaky run); locally they explore new examples each time.
settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

ROOTS = Path(__file__).resolve().parent / "roots"


def prepare(project: Path) -> Path:
    """extract, update (empty catalogues for every target language) and pseudo, as a
    translator's working copy starts."""
    for command in ("extract", "update", "pseudo"):
        code, _, err = run("--project", str(project), command)
        assert code == 0, err
    return project


@pytest.fixture(scope="session")
def prepared_root(tmp_path_factory) -> Callable[[str], Path]:
    """``prepared_root(name)``: one shared, prepared copy of a root per session. Read only:
    use ``make_root`` to change anything."""
    done: dict[str, Path] = {}

    def get(name: str) -> Path:
        if name not in done:
            assert (ROOTS / name / "serge-publish.toml").is_file(), f"no test root {name!r}"
            project = tmp_path_factory.mktemp(f"root-{name}") / "project"
            shutil.copytree(ROOTS / name, project)
            done[name] = prepare(project)
        return done[name]
    return get


@pytest.fixture
def same_minute(monkeypatch) -> None:
    """SOURCE_DATE_EPOCH set: a template made now is dated from it, not from the clock
    (to the minute), so two projects updated a moment apart, across a minute's end, are
    written alike (the tests that compare them were otherwise wrong once in a while)."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")


@pytest.fixture
def make_root(tmp_path, prepared_root) -> Callable[..., Path]:
    """``make_root(name)``: a private copy of ``tests/roots/<name>`` in tmp_path, extracted,
    updated and pseudo-translated (``prepared=False``: the root's files only)."""
    def make(name: str, *, prepared: bool = True, folder: str = "p") -> Path:
        target = tmp_path / folder
        shutil.copytree(prepared_root(name) if prepared else ROOTS / name, target)
        return target
    return make


# ---------------------------------------------------------------- the shipped project

@pytest.fixture(scope="session")
def shipped_template(tmp_path_factory) -> Path:
    """The shipped sources and configuration, extracted, updated (empty catalogues) and
    pseudo-translated. Read only: copy it before changing anything."""
    return new_project(tmp_path_factory.mktemp("shipped") / "project")


@pytest.fixture(scope="session")
def shipped_scenarios(shipped_template, tmp_path_factory) -> Path:
    """``shipped_template`` built as ``build_scenarios`` says (en, qps, half-translated fr,
    right-to-left ar and fa). Read only."""
    project = tmp_path_factory.mktemp("shipped-scenarios") / "project"
    shutil.copytree(shipped_template, project)
    return build_scenarios(project)


@pytest.fixture(scope="session")
def shipped(tmp_path_factory) -> Path:
    """The shipped project as it is (sources, catalogues with their translations, config),
    built once, the way `make editions` builds it. Read only."""
    project = tmp_path_factory.mktemp("shipped-as-is") / "project"
    project.mkdir()
    for name in ("source", "locale"):
        shutil.copytree(ROOT / name, project / name)
    shutil.copy(ROOT / "serge-publish.toml", project)
    build(project)
    return project


@pytest.fixture(scope="session")
def shipped_companions(tmp_path_factory) -> Path:
    """The shipped project with the French catalogue of its first essay a third
    untranslated and one translation's tags broken, and its preview (fr) and bilingual
    (en,fr and en,de) pages written: build/preview/ and build/bilingual/ only. Read only."""
    project = tmp_path_factory.mktemp("shipped-companions") / "project"
    project.mkdir()
    for name in ("source", "locale"):
        shutil.copytree(ROOT / name, project / name)
    shutil.copy(ROOT / "serge-publish.toml", project)
    essay = sorted(p.stem for p in (project / "source").glob("*.xml"))[0]
    broken: list[str] = []

    def damage(i, entry):
        if i % 3 == 0:
            return ""
        if not broken and "<" in entry.msgstr:
            broken.append(entry.msgctxt)
            return re.sub(r"<[^>]*>", "", entry.msgstr)
        return None

    edit_catalogue(project, "fr", essay, damage)
    assert broken, "no translation with a tag to break"
    for command in (["preview", "--lang", "fr"], ["bilingual", "en,fr"], ["bilingual", "en,de"]):
        code, _, err = run("--project", str(project), *command)
        assert code == 0, err
    return project



@pytest.fixture
def tiny_project(tmp_path, monkeypatch, capsys) -> Callable[..., Path]:
    """``tiny_project(essay="essay.txt")``: a new project (French configured) in
    tmp_path/proj, the current folder, with a two-sentence essay imported from a file of
    that name (``essay=None``: none)."""
    def make(essay: str | None = "essay.txt") -> Path:
        root = tmp_path / "proj"
        assert run_cli(capsys, "init", str(root), "--lang", "fr")[0] == 0
        monkeypatch.chdir(root)
        if essay is not None:
            original = tmp_path / essay
            original.write_text(TINY_ESSAY, encoding="utf-8")
            assert run_cli(capsys, "import", str(original))[0] == 0
        return root
    return make

