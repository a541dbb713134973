"""Catalogues do not depend on the machine: no C library decides where lines wrap, so
`serge-publish update` on a machine without libunistring (macOS, Windows, slim containers)
leaves the shipped catalogues byte for byte as they are."""
from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

NO_LIBUNISTRING = """
import ctypes, ctypes.util, sys
def refuse(name, *args, **kwargs):
    raise OSError(f"{name}: cannot open shared object file (simulated)")
ctypes.CDLL = ctypes.PyDLL = refuse
ctypes.cdll.LoadLibrary = refuse
ctypes.util.find_library = lambda name: None
from serge_publish.cli import main
code = main(["--project", sys.argv[1], "update"])
sys.exit(code)
"""


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_update_without_libunistring_changes_no_catalogue(tmp_path):
    """A subprocess in which no shared library can be loaded runs `update` on a copy of the
    shipped project: every file under locale/ keeps its bytes, and no other appears."""
    project = tmp_path / "project"
    project.mkdir()
    shutil.copytree(ROOT / "source", project / "source")
    shutil.copytree(ROOT / "locale", project / "locale")
    shutil.copy(ROOT / "serge-publish.toml", project / "serge-publish.toml")
    before = _tree(project / "locale")
    assert any(name.endswith(".po") for name in before) and any(
        name.endswith(".pot") for name in before)
    run = subprocess.run([sys.executable, "-c", NO_LIBUNISTRING, str(project)],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-3000:]
    assert "unchanged" in run.stdout + run.stderr
    after = _tree(project / "locale")
    assert sorted(after) == sorted(before)
    changed = [name for name in before if after[name] != before[name]]
    assert changed == [], f"rewritten without libunistring: {changed}"


def test_no_module_of_serge_publish_imports_ctypes():
    """Line breaking is unicode_segmentation_rs: nothing loads a C library by hand."""
    importing = []
    for path in sorted((ROOT / "serge_publish").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import) else
                     [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            if any(name.split(".")[0] == "ctypes" for name in names):
                importing.append(str(path.relative_to(ROOT)))
    assert importing == []


def test_the_line_breaker_is_a_declared_dependency():
    """unicode-segmentation-rs is a runtime dependency, not something the tests bring in."""
    import tomllib
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert any(d.replace("_", "-").startswith("unicode-segmentation-rs")
               for d in project["dependencies"])
