"""What a command imports when it has little to do (issue 8: every stage of the pipeline is
a process of its own, and a build or an update with nothing to do is mostly start-up):
the libraries a stage needs only to render, read an import or name a rare language are
imported when used, never at start-up."""
from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from build_helpers import run

# Libraries no command imports at start-up; each is imported where it is used.
HEAVY = ("rich", "babel", "langcodes", "lxml", "PIL", "polib", "markdown_it",
         "multiprocessing", "concurrent.futures", "tempfile", "importlib.resources",
         "serge_publish.catalog.merge", "serge_publish.importers.text")
# The writers that render (an edition's data, ``writers.edition``, and the furniture
# tables, checked at every build, are not among them).
RENDERING = ("html", "epub", "xhtml", "opf", "essay", "matter", "site", "raster",
             "typography", "epubzip", "cover", "opds", "preview", "bilingual", "memo")


def _imported(project: Path | None, *args: str) -> set[str]:
    """The modules a process running ``serge-publish ARGS`` in ``project`` ends with."""
    code = ("import sys\nfrom serge_publish.cli import main\n"
            f"code = main({list(args)!r})\n"
            "sys.stderr.write('\\nMODULES ' + ' '.join(sorted(sys.modules)) + '\\n')\n"
            "sys.exit(code)\n")
    done = subprocess.run([sys.executable, "-c", code], cwd=project, capture_output=True,
                          text=True)
    assert done.returncode == 0, done.stderr
    return set(done.stderr.rsplit("MODULES ", 1)[1].split())


def _heavy(modules: set[str], allowed: tuple[str, ...] = ()) -> set[str]:
    return {m for m in modules for heavy in HEAVY if heavy not in allowed
            and (m == heavy or m.startswith(heavy + "."))}


def test_version_imports_no_command_and_no_heavy_library():
    modules = _imported(None, "--version")
    assert not {m for m in modules if m.startswith("serge_publish.commands")}
    assert not _heavy(modules)
    assert not {"serge_publish.project", "serge_publish.config", "tomllib"} & modules


@pytest.fixture(scope="module")
def built(tmp_path_factory, prepared_root) -> Path:
    """The two-essays root, updated and built (nothing left to do); twice, a second
    apart: a file changed in the second its digest was recorded is read again (as git
    does), and its digest recorded again, by the next run."""
    project = tmp_path_factory.mktemp("startup") / "project"
    shutil.copytree(prepared_root("two-essays"), project)
    for args in (["update"], ["build"], ["sleep"], ["update"], ["build"], ["sleep"]):
        if args == ["sleep"]:
            time.sleep(1.1)
            continue
        code, _, err = run("--project", str(project), *args)
        assert code == 0, err
    return project


def test_a_build_with_nothing_to_do_imports_no_renderer_and_no_heavy_library(built):
    modules = _imported(built, "build")
    assert not _heavy(modules), _heavy(modules)
    assert not {m for m in modules if m.startswith("serge_publish.writers.")
                and m.rsplit(".", 1)[1] in RENDERING}
    assert not {m for m in modules if m.startswith(("serge_publish.catalog.",
                                                    "serge_publish.importers"))}


def test_an_update_with_nothing_to_do_on_one_process(built):
    # babel names the languages in the catalogues' headers (Language-Team); polib reads
    # the catalogues; the cache is written (tempfile); a catalogue left as it is reports
    # its MergeStats (catalog.merge). Plain languages need no langcodes, one process no
    # multiprocessing.
    allowed = ("babel", "polib", "tempfile", "serge_publish.catalog.merge")
    modules = _imported(built, "update", "--jobs", "1")
    assert not _heavy(modules, allowed), _heavy(modules, allowed)


def test_validate_imports_no_reader(built):
    modules = _imported(built, "validate")
    assert not _heavy(modules, allowed=("lxml",)), _heavy(modules, allowed=("lxml",))
    assert "lxml.html" not in modules
    assert not {m for m in modules if m.startswith("serge_publish.importers.")} - {
        "serge_publish.importers.ids", "serge_publish.importers.hints"}
