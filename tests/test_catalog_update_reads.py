"""What update reads to merge (issue 8): the project's catalogue merged with the template
extract left (locale/_project.pot, its bytes the ones recorded), the sources not read
again; a merge with nothing to fill never reads what the catalogue gives the memory.
The bytes are those of a run that renders everything (no cache)."""
from __future__ import annotations

import shutil

import pytest
from test_catalog_cache import run, translate, tree

from serge_publish import catalog
from serge_publish.catalog import merge as merge_module
from serge_publish.commands import catalog as commands

# two projects compared after updating them a moment apart: dated alike
pytestmark = pytest.mark.usefixtures("same_minute")


def test_the_project_catalogue_is_merged_with_the_template_extract_left(
        make_root, capsys, monkeypatch):
    root, fresh = make_root("two-essays"), make_root("two-essays", folder="q")
    for r in (root, fresh):
        translate(r / "locale/fr/LC_MESSAGES/_project.po", 2)
    rendered: list[str] = []
    project_template = commands._project_template

    def counting(project, known=None):
        rendered.append(project.root.name)
        return project_template(project, known)
    monkeypatch.setattr(commands, "_project_template", counting)
    parsed: list[str] = []
    parse = catalog.parse_catalog

    def reading(data, path):
        parsed.append(path.name)
        return parse(data, path)
    monkeypatch.setattr(catalog, "parse_catalog", reading)
    lines = run(capsys, root, "update", "--jobs", "1")
    assert rendered == [] and "_project.pot" in parsed   # read, as extract recorded it
    shutil.rmtree(fresh / ".serge-cache")       # rendered from the sources instead
    assert run(capsys, fresh, "update", "--jobs", "1") == lines
    assert rendered == [fresh.name]
    assert tree(root) == tree(fresh)


def test_a_project_template_not_extracts_is_rendered(make_root, capsys, monkeypatch):
    """A template whose header fields are not what extract writes (the file read back
    would change them) is rendered from the sources."""
    root, fresh = make_root("two-essays"), make_root("two-essays", folder="q")
    for r in (root, fresh):
        translate(r / "locale/fr/LC_MESSAGES/_project.po", 1)
    shutil.rmtree(fresh / ".serge-cache")
    expected = run(capsys, fresh, "update", "--jobs", "1")
    monkeypatch.setattr(catalog, "template_metadata", lambda name, date: {})
    assert run(capsys, root, "update", "--jobs", "1") == expected
    assert tree(root) == tree(fresh)


def test_a_merge_with_nothing_to_fill_reads_no_memory_pairs(monkeypatch):
    template = catalog.parse_catalog(
        b'msgctxt "a"\nmsgid "One."\nmsgstr ""\n\nmsgctxt "b"\nmsgid "Two."\nmsgstr ""\n', "t")
    old = catalog.parse_catalog(
        b'msgctxt "a"\nmsgid "One."\nmsgstr "Un."\n\nmsgctxt "b"\nmsgid "Two."\n'
        b'msgstr "Deux."\n', "o")
    read: list[int] = []
    entries = merge_module.memory_entries

    def counting(po):
        read.append(len(po))
        return entries(po)
    monkeypatch.setattr(merge_module, "memory_entries", counting)
    merged, stats = catalog.merge_catalog(template, old, tag="fr", team="French")
    assert (stats.kept, read) == (2, [])
    template.append(catalog.parse_catalog(b'msgctxt "c"\nmsgid "One."\nmsgstr ""\n', "c")[0])
    merged, stats = catalog.merge_catalog(template, old, tag="fr", team="French")
    assert (stats.kept, stats.filled, read) == (2, 1, [3, 2])   # read before filling
    assert [e.msgstr for e in merged] == ["Un.", "Deux.", "Un."]


def test_after_one_source_changed_update_reads_that_source_only(make_root, capsys,
                                                                 monkeypatch):
    """The project's template needs each essay's rights statement: an essay whose source
    is as its template record says gives it from that record (extract keeps it there),
    not read again (a source edit read every other source for it); the bytes are those of
    a run without cache."""
    from serge_publish import sourcexml
    root, fresh = make_root("two-essays"), make_root("two-essays", folder="q")
    for r in (root, fresh):
        path = r / "source/beta.xml"
        path.write_text(path.read_text("utf-8").replace(
            "All rights reserved by the author.", "All rights reserved, and then some."),
            "utf-8")
    read: list[str] = []
    read_source = sourcexml.read_source

    def counting(path, *args, **kwargs):
        read.append(path.stem)
        return read_source(path, *args, **kwargs)
    monkeypatch.setattr(sourcexml, "read_source", counting)
    lines = run(capsys, root, "update", "--jobs", "1")
    assert sorted(read) == ["beta"]
    assert "All rights reserved, and then some." in \
        (root / "locale/_project.pot").read_text("utf-8")
    shutil.rmtree(fresh / ".serge-cache")
    assert run(capsys, fresh, "update", "--jobs", "1") == lines
    assert tree(root) == tree(fresh)
