"""The layers hold: only cli.py imports click, only catalog/ imports polib, only
writers/epub.py imports ebooklib; importers, catalog and writers never import each
other; nothing imports cli."""
from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "serge_publish"


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    module = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".")[: -node.level if path.name != "__init__.py"
                                          else len(module.split(".")) - node.level + 1]
                prefix = ".".join(base)
                target = f"{prefix}.{node.module}" if node.module else prefix
                names.add(target)
                names.update(f"{target}.{a.name}" for a in node.names)
            else:
                names.add(node.module or "")
    return names


FILES = {p.relative_to(PACKAGE).as_posix(): imports_of(p) for p in PACKAGE.rglob("*.py")}


def users_of(prefix: str) -> set[str]:
    return {f for f, names in FILES.items()
            if any(n == prefix or n.startswith(prefix + ".") for n in names)}


def test_only_cli_imports_click():
    assert users_of("click") == {"cli.py"}


def test_only_catalog_imports_polib():
    assert users_of("polib") and all(f.startswith("catalog/") for f in users_of("polib"))


def test_only_the_epub_writer_imports_ebooklib():
    # Nothing does now: writers/opf.py builds the package documents (issue 8);
    # EbookLib is only tests/test_epub_package_reference.py's reference.
    assert users_of("ebooklib") == set()


def test_nothing_imports_cli():
    assert users_of("serge_publish.cli") - {"__main__.py"} == set()


def test_stages_do_not_import_each_other():
    stages = ("importers", "catalog", "writers")
    for stage in stages:
        for other in stages:
            if other != stage:
                offenders = {f for f in users_of(f"serge_publish.{other}")
                             if f.startswith(stage + "/")}
                assert not offenders, f"{stage} imports {other}: {offenders}"
