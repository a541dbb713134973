"""extract reads each source once (issue 8): the project's template takes the rights
statements from the documents the essays' templates were rendered from (their workers
send back only the document's metadata), and reads only the sources it has not seen; the
bytes are those of a run that reads every source for it."""
from __future__ import annotations

import shutil

import pytest
from test_catalog_cache import run, tree

from serge_publish.commands import catalog as commands

# two projects compared after updating them a moment apart: dated alike
pytestmark = pytest.mark.usefixtures("same_minute")


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_extract_reads_each_source_once(make_root, capsys, monkeypatch, jobs):
    root, expected = make_root("two-essays"), make_root("two-essays", folder="q")
    for r in (root, expected):
        shutil.rmtree(r / "locale")
        shutil.rmtree(r / ".serge-cache", ignore_errors=True)
    documents = commands._documents
    monkeypatch.setattr(commands, "_documents", lambda project, known=None: documents(project))
    run(capsys, expected, "extract", "--jobs", jobs)      # every source read again
    monkeypatch.setattr(commands, "_documents", documents)
    read: list[str] = []
    from serge_publish import sourcexml
    read_source = sourcexml.read_source

    def counting(path, *args, **kwargs):
        read.append(path.stem)
        return read_source(path, *args, **kwargs)
    monkeypatch.setattr(sourcexml, "read_source", counting)
    lines = run(capsys, root, "extract", "--jobs", jobs)
    if jobs == "1":
        assert sorted(read) == ["alpha", "beta"]
    assert 'msgctxt "rights alpha"' in (root / "locale/_project.pot").read_text("utf-8")
    assert tree(root) == tree(expected)
    assert len(lines) == 3


def test_extract_of_one_essay_reads_the_others_for_the_project_template(make_root, capsys):
    root, expected = make_root("two-essays"), make_root("two-essays", folder="q")
    for r in (root, expected):
        shutil.rmtree(r / "locale")
        shutil.rmtree(r / ".serge-cache", ignore_errors=True)
    run(capsys, expected, "extract")
    run(capsys, root, "extract", "alpha")
    run(capsys, root, "extract")
    assert tree(root) == tree(expected)
