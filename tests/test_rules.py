"""Each rule is defined once and every command uses that one definition: SOURCE_DATE_EPOCH
(extract and build give the same error), translators' names from a catalogue header
(tests/test_catalog_apply.py, tests/test_build_summary.py), the build's reserved file names
(import refuses them), the
threshold's range (configuration and --threshold)."""
from __future__ import annotations

import ast
import shutil
from pathlib import Path

import pytest

from build_helpers import ROOT, run
from serge_publish import project as layout

PACKAGE = ROOT / "serge_publish"


@pytest.fixture
def shipped(tmp_path) -> Path:
    shutil.copytree(ROOT / "source", tmp_path / "source")
    shutil.copy(ROOT / "serge-publish.toml", tmp_path)
    return tmp_path


@pytest.mark.parametrize("value", ["abc", "1.5", "99999999999999"])
def test_a_bad_source_date_epoch_is_the_same_error_for_extract_and_build(shipped,
                                                                         monkeypatch, value):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    errors = {}
    for command in ("extract", "build"):
        code, _, err = run("--project", str(shipped), command)
        errors[command] = (code, err)
    assert errors["extract"] == errors["build"]            # extract used to ignore it
    code, err = errors["extract"]
    assert code == 5 and err.startswith("error: SOURCE_DATE_EPOCH (environment variable): ")
    assert "hint:" in err and not list(shipped.glob("locale/*.pot"))


def test_only_the_dates_module_reads_source_date_epoch():
    readers = {p.relative_to(PACKAGE).as_posix() for p in PACKAGE.rglob("*.py")
               if "SOURCE_DATE_EPOCH" in _code_strings(p)}
    assert readers == {"dates.py"}


def _code_strings(path: Path) -> set[str]:
    """String constants of a module, docstrings left out."""
    tree = ast.parse(path.read_text("utf-8"))
    docs = {id(n.body[0].value) for n in ast.walk(tree)
            if isinstance(n, (ast.Module, ast.FunctionDef, ast.ClassDef)) and n.body
            and isinstance(n.body[0], ast.Expr)}
    return {n.value for n in ast.walk(tree) if isinstance(n, ast.Constant)
            and isinstance(n.value, str) and id(n) not in docs}


@pytest.mark.parametrize("essay_id", sorted(layout.RESERVED_IDS) + ["Index", "STYLE"])
def test_import_refuses_every_name_the_build_uses(shipped, tmp_path, essay_id):
    essay = tmp_path / "essay.txt"
    essay.write_text("A title\n\nText here.\n", encoding="utf-8")
    code, _, err = run("--project", str(shipped), "import", str(essay), "--id", essay_id)
    assert code == 2 and "is the name of a page every edition has" in err


def test_the_reserved_ids_are_the_build_files_names():
    names = [n for n, _ in layout.LANGUAGE_FILES.values()] + list(layout.TOP_FILES)
    assert layout.RESERVED_IDS == {n.rsplit(".", 1)[0] for n in names}
    assert {"index", "anthology", "style", "build-report"} <= layout.RESERVED_IDS


@pytest.mark.parametrize("value", ["101", "-1", "nan"])
def test_a_threshold_out_of_range_is_refused_by_build(shipped, value):
    code, _, err = run("--project", str(shipped), "build", "--threshold", value)
    assert code == 6 and "is not a percentage" in err and "from 0 to 100" in err
    assert not (shipped / "build").exists()
