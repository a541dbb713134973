"""A new catalogue's header comment names the essay's title: read from the header comment
extract wrote into its template (the .pot holding the bytes extract recorded), the source
rendered only when that comment is not extract's; the catalogue the same bytes either way.
After a merge, the memory of the next essays reads what the catalogue written holds
without parsing the file again."""
from __future__ import annotations

import shutil

import pytest
from test_catalog_cache import renders, run, tree  # noqa: F401  (renders: a fixture)

from serge_publish import catalog
from serge_publish.catalog.header import template_comment, template_title


@pytest.mark.parametrize("title", ["Alpha", "", "“Quoted” (x)", "Two\nlines", "a ” b",
                                   "Templates for translations of “x” (y)"])
def test_the_title_is_read_back_from_the_template_comment(title):
    assert template_title(template_comment(title, "alpha"), "alpha") == title


@pytest.mark.parametrize("comment", [
    "", "Template for translations of “Alpha” (beta).",
    template_comment("Alpha", "beta"), template_comment("Alpha", "alpha") + "\nmore",
    "Template for translations of “Alpha"])
def test_a_comment_extract_did_not_write_gives_no_title(comment):
    assert template_title(comment, "alpha") is None


def test_a_new_catalogue_is_made_from_the_template_read(make_root, capsys, renders):  # noqa: F811
    root, fresh = make_root("two-essays"), make_root("two-essays", folder="q")
    for r in (root, fresh):
        for path in r.glob("locale/*/LC_MESSAGES/*.po"):
            path.unlink()
    renders.clear()
    lines = run(capsys, root, "update", "--jobs", "1")
    assert renders == []
    shutil.rmtree(fresh / ".serge-cache")         # rendered from the source instead
    assert run(capsys, fresh, "update", "--jobs", "1") == lines
    assert renders == ["alpha", "beta"]
    assert tree(root) == tree(fresh)


def test_a_template_comment_not_extracts_renders_the_source(make_root, capsys, monkeypatch,
                                                            renders):  # noqa: F811
    root, expected = make_root("two-essays"), make_root("two-essays", folder="q")
    for r in (root, expected):
        (r / "locale/fr/LC_MESSAGES/alpha.po").unlink()
    run(capsys, expected, "update", "--jobs", "1")
    monkeypatch.setattr(catalog, "template_title", lambda comment, essay: None)
    renders.clear()
    run(capsys, root, "update", "--jobs", "1")
    assert renders == ["alpha"]
    assert tree(root) == tree(expected)


def test_the_memory_reads_a_written_catalogue_without_parsing_it(make_root, capsys,
                                                                 monkeypatch):
    root, expected = make_root("two-essays"), make_root("two-essays", folder="q")
    for r in (root, expected):
        for path in r.glob("locale/*/LC_MESSAGES/*.po"):
            path.unlink()
    run(capsys, expected, "update", "--jobs", "1")
    parsed: list[str] = []
    parse = catalog.parse_catalog

    def counting(data, path):
        parsed.append(str(path))
        return parse(data, path)
    monkeypatch.setattr(catalog, "parse_catalog", counting)
    run(capsys, root, "update", "--jobs", "1")
    assert not [p for p in parsed if p.endswith(".po")]       # only the templates read
    assert tree(root) == tree(expected)


def test_what_a_merge_gives_the_memory_is_what_its_file_gives():
    """The merged catalogue stands for its file in the memory: the same pairs, the same
    digest (shipped catalogues merged with their templates, and with none)."""
    from pathlib import Path

    from test_po_format import _catalog
    root = Path(__file__).resolve().parents[1]
    merged = []
    for path in sorted(root.glob("locale/*/LC_MESSAGES/*.po")):
        template = catalog.read_catalog(root / "locale" / (path.stem + ".pot"))
        merged.append(catalog.merge_catalog(template, catalog.read_catalog(path),
                                            tag="fr", team="French")[0])
    for seed in range(5):                   # plural, obsolete, fuzzy, untranslated entries
        old = catalog.parse_catalog(catalog.format_catalog(_catalog(seed, 80)).encode(), "x")
        merged.append(catalog.merge_catalog(_catalog(seed + 10, 80), old, tag="fr",
                                            team="French")[0])
    assert merged
    for po in merged:
        again = catalog.parse_catalog(catalog.format_catalog(po).encode("utf-8"), "x.po")
        assert catalog.memory_entries(po) == catalog.memory_entries(again)
        assert catalog.memory_digest(po) == catalog.memory_digest(again)
