"""The write-ahead journal of serge_publish/journal.py: files replaced and removed together;
a change interrupted after its commit point is completed by the next command (which says
so), one interrupted before it leaves every file as it was; a journal serge-publish did not
write is refused with a message."""
from __future__ import annotations

import json
import os

import pytest

from serge_publish import atomic, journal
from serge_publish.cli import main
from serge_publish.journal import Change


def _files(root):
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture
def root(tmp_path):
    (tmp_path / "source" / "originals").mkdir(parents=True)
    (tmp_path / "source" / "a.xml").write_bytes(b"old source")
    (tmp_path / "source" / "originals" / "a.txt").write_bytes(b"old original")
    (tmp_path / "source" / "originals" / "a.txt.hints.toml").write_bytes(b"old hints")
    return tmp_path


def _changes(root):
    return [Change(root / "source" / "originals" / "a.txt", b"new original"),
            Change(root / "source" / "originals" / "a.txt.hints.toml", None),
            Change(root / "source" / "a.xml", b"new source")]


NEW = {"source/a.xml": b"new source", "source/originals/a.txt": b"new original"}


def test_every_change_is_applied_and_nothing_is_left(root):
    path = root / "source" / "import-journal.json"
    journal.write_together(_changes(root), path, "import of a", root)
    assert _files(root) == NEW
    assert journal.recover(path, root) is None


def _interrupt_at(monkeypatch, call):
    """os.replace ends the process (SystemExit: no clean-up runs) at its call-th call."""
    real, calls = os.replace, [0]

    def replace(*args, **kwargs):
        calls[0] += 1
        if calls[0] == call:
            raise SystemExit(9)
        return real(*args, **kwargs)
    monkeypatch.setattr(os, "replace", replace)


@pytest.mark.parametrize("call", [2, 3])      # 1 writes the journal, 2 and 3 apply it
def test_an_interrupted_change_is_rolled_forward(root, monkeypatch, call):
    path = root / "source" / "import-journal.json"
    _interrupt_at(monkeypatch, call)
    with pytest.raises(SystemExit):
        journal.write_together(_changes(root), path, "import of a", root)
    monkeypatch.undo()
    assert path.is_file() and _files(root) != NEW
    assert journal.recover(path, root) == "import of a"
    assert _files(root) == NEW


def test_a_change_interrupted_before_its_journal_changes_nothing(root, monkeypatch):
    before = _files(root)
    path = root / "source" / "import-journal.json"
    _interrupt_at(monkeypatch, 1)
    with pytest.raises(SystemExit):
        journal.write_together(_changes(root), path, "import of a", root)
    monkeypatch.undo()
    now = _files(root)
    assert {r: d for r, d in now.items() if not atomic.is_temporary(r)} == before
    assert journal.recover(path, root) is None
    journal.write_together(_changes(root), path, "import of a", root)   # cleans leftovers
    assert _files(root) == NEW


@pytest.fixture
def project(tmp_path, capsys):
    root = tmp_path / "proj"
    assert main(["init", str(root), "--lang", "fr"]) == 0
    capsys.readouterr()
    return root


def test_the_next_command_completes_an_interrupted_import_and_says_so(project, capsys):
    source = project / "source"
    (source / "b.xml.x1.serge-tmp").write_bytes(b"<new/>")
    (source / "import-journal.json").write_text(json.dumps({"format": 1,
        "label": "import of b", "steps": [{"target": "source/b.xml",
                                           "temp": "source/b.xml.x1.serge-tmp",
                                           "backup": None}]}))
    main(["--project", str(project), "status"])
    _, err = capsys.readouterr()
    assert f"warning: {source / 'import-journal.json'}: an interrupted import of b was " \
           "completed" in err
    assert (source / "b.xml").read_bytes() == b"<new/>"
    assert sorted(p.name for p in source.iterdir()) == ["b.xml", "originals"]


@pytest.mark.parametrize("text", [
    "{not json",
    json.dumps({"label": "x", "steps": [{"target": "../outside", "temp": None,
                                         "backup": None}]}),
    json.dumps({"label": "x", "steps": [{"target": "source/a.xml", "temp": "serge-publish.toml",
                                         "backup": None}]}),
])
def test_a_journal_serge_publish_did_not_write_is_refused(project, capsys, text):
    (project / "source" / "import-journal.json").write_text(text)
    before = _files(project)
    code = main(["--project", str(project), "validate"])
    out, err = capsys.readouterr()
    assert code == 5 and "Traceback" not in out + err
    assert "import-journal.json" in err and "not a journal serge-publish wrote" in err
    assert _files(project) == before
