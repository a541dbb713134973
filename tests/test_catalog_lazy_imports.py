"""``serge_publish.catalog`` imports a submodule only when one of its names is first used
(issue 8: a build that applies catalogues needs neither merge, memory nor extraction), and
every public name still resolves to what its submodule defines."""
from __future__ import annotations

import importlib
import subprocess
import sys

import pytest

import serge_publish.catalog as catalog

_HEAVY = ("merge", "memory", "extract", "compendium", "pseudo", "files")


def _imported_after(code: str) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", code + "\nimport sys\nprint(' '.join(sorted(sys.modules)))"],
        check=True, capture_output=True, text=True).stdout
    return {m.rsplit(".", 1)[1] for m in out.split()
            if m.startswith("serge_publish.catalog.")}


def test_importing_the_package_imports_no_submodule():
    assert _imported_after("import serge_publish.catalog") == set()


def test_the_build_path_imports_no_merge_memory_or_extraction():
    loaded = _imported_after(
        "import serge_publish.commands.build, serge_publish.commands.build_plan\n"
        "import serge_publish.commands.catalog, serge_publish.catalog.project\n"
        "from serge_publish import catalog\n"
        "catalog.apply_catalog, catalog.read_catalog, catalog.parse_catalog")
    assert "apply" in loaded and "po" in loaded
    assert not loaded & set(_HEAVY), loaded & set(_HEAVY)


def test_every_public_name_is_its_submodules():
    for name in catalog.__all__:
        module = importlib.import_module(f"serge_publish.catalog.{catalog._SOURCES[name]}")
        assert getattr(catalog, name) is getattr(module, name)
    assert set(catalog._SOURCES) == set(catalog.__all__)
    assert set(catalog.__all__) <= set(dir(catalog))


def test_from_import_and_submodules_and_unknown_names():
    from serge_publish.catalog import merge_catalog, steady_stats
    from serge_publish.catalog.merge import merge_catalog as defined
    assert merge_catalog is defined and callable(steady_stats)
    assert catalog.counts is importlib.import_module("serge_publish.catalog.counts")
    with pytest.raises(AttributeError, match="no_such_name"):
        catalog.no_such_name  # noqa: B018
    with pytest.raises(ImportError):
        from serge_publish.catalog import no_such_name  # noqa: F401
