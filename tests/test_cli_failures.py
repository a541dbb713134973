"""Inputs and surroundings that used to end in a traceback now end in a message naming the
file (and line) with a hint, and the exit code README "Commands" lists: a processing
instruction in a source, a control character in a project name, an impossible project
folder, and an import whose writes fail (a full disk, a read-only or blocked source/)."""
from __future__ import annotations

import errno
import os

import pytest

from build_helpers import TINY_ESSAY, run_cli
from serge_publish import atomic


@pytest.fixture
def project(tiny_project):
    return tiny_project("essay.txt")


@pytest.mark.parametrize("command", ["validate", "extract", "build"])
def test_a_processing_instruction_in_a_source(project, capsys, command):
    source = project / "source" / "essay.xml"
    text = source.read_text(encoding="utf-8")
    line = text[:text.index("<body>")].count("\n") + 1
    source.write_text(text.replace("<body>", "<body><?foo bar?>", 1), encoding="utf-8")
    code, _, err = run_cli(capsys, command)
    assert code == 3
    assert f"{source}:{line}: a processing instruction <?foo?>" in err and "hint:" in err


def test_a_processing_instruction_before_the_root_is_harmless(project, capsys):
    source = project / "source" / "essay.xml"
    text = source.read_text(encoding="utf-8")
    start = text.index("<TEI")
    source.write_text(text[:start] + '<?xml-stylesheet href="x.css"?>\n' + text[start:],
                      encoding="utf-8")
    code, out, _ = run_cli(capsys, "validate")
    assert code == 0 and "valid, 3 segments" in out


@pytest.mark.parametrize("option", ["--name", "--publisher"])
def test_init_refuses_a_control_character(tmp_path, capsys, option):
    code, _, err = run_cli(capsys, "init", str(tmp_path / "p"), option, "a\x07b")
    assert code == 2
    assert f"{option} holds the control character U+0007" in err and "hint:" in err
    assert not (tmp_path / "p" / "serge-publish.toml").exists()


def test_init_in_an_impossible_place(tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    code, _, err = run_cli(capsys, "init", str(blocker / "x"))
    assert code == 5
    assert "cannot create the project" in err and f"{blocker} is not a folder" in err


def test_init_on_dev_null(capsys):
    code, _, err = run_cli(capsys, "init", "/dev/null/x")
    assert code == 5 and "/dev/null is not a folder" in err


def state(project):
    """Every file under source/ with its bytes (temporary files included)."""
    return {p.relative_to(project).as_posix(): p.read_bytes()
            for p in sorted((project / "source").rglob("*")) if p.is_file()}


def test_import_into_a_blocked_source_folder(project, tmp_path, capsys):
    (project / "source" / "originals").rename(tmp_path / "aside")
    (project / "source" / "originals").write_text("in the way")
    before = state(project)
    other = tmp_path / "other.txt"
    other.write_text(TINY_ESSAY, encoding="utf-8")
    code, _, err = run_cli(capsys, "import", str(other))
    assert code == 5
    assert "source/originals/other.txt" in err
    assert "is a file where a folder should be" in err
    assert state(project) == before


def test_import_when_source_is_a_file(project, tmp_path, capsys):
    (project / "source").rename(tmp_path / "aside")
    (project / "source").write_text("in the way")
    code, _, err = run_cli(capsys, "import", str(tmp_path / "essay.txt"))
    assert code == 5 and f"{project / 'source'} is a file where a folder should be" in err
    assert (project / "source").read_text() == "in the way"


def fail_on(monkeypatch, name_part, error):
    """os.replace raises ``error`` when it would put the new *name_part* in place (the
    tests run as root, so a read-only folder cannot be made with permissions)."""
    real = os.replace

    def replace(src, dst, *args, **kwargs):
        if os.path.basename(dst) == name_part and atomic.is_temporary(src):
            raise error
        return real(src, dst, *args, **kwargs)
    monkeypatch.setattr(os, "replace", replace)


@pytest.mark.parametrize("error, words", [
    (OSError(errno.ENOSPC, "No space left on device"), "free some disk space"),
    (PermissionError(errno.EROFS, "Read-only file system"), "read-only"),
])
@pytest.mark.parametrize("failing", ["essay.xml", "essay.txt"])
def test_forced_reimport_keeps_original_and_source_in_step(project, tmp_path, capsys,
                                                           monkeypatch, error, words,
                                                           failing):
    before = state(project)
    edited = tmp_path / "essay.txt"
    edited.write_text(TINY_ESSAY.replace("Two", "Three"), encoding="utf-8")
    fail_on(monkeypatch, failing, error)
    code, _, err = run_cli(capsys, "import", str(edited), "--force")
    assert code == 5
    assert "cannot write source/" in err and words in err and "nothing was changed" in err
    assert state(project) == before              # both old, no temporary file left
    monkeypatch.undo()
    monkeypatch.chdir(project)
    assert run_cli(capsys, "import", str(edited), "--force")[0] == 0
    assert "Three" in (project / "source" / "essay.xml").read_text(encoding="utf-8")
    assert "Three" in (project / "source" / "originals" / "essay.txt").read_text()


def test_a_full_disk_while_writing_the_temporary_files(project, tmp_path, capsys,
                                                       monkeypatch):
    before = state(project)
    real_fdopen = os.fdopen

    class Full:
        def __init__(self, handle):
            self.handle = handle

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.handle.close()

        def write(self, data):
            raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fdopen", lambda fd, mode="r", *a, **k: Full(real_fdopen(fd, mode)))
    code, _, err = run_cli(capsys, "import", str(tmp_path / "essay.txt"), "--force")
    assert code == 5 and "free some disk space" in err
    assert state(project) == before


def test_a_folder_where_the_source_should_be(project, tmp_path, capsys):
    other = tmp_path / "other.txt"
    other.write_text(TINY_ESSAY, encoding="utf-8")
    (project / "source" / "other.xml").mkdir()
    code, _, err = run_cli(capsys, "import", str(other), "--force")
    assert code == 5 and "is a folder where the source should be" in err and "hint:" in err
    assert not (project / "source" / "originals" / "other.txt").exists()


def test_an_unexpected_os_error_is_a_message(project, capsys, monkeypatch):
    from serge_publish.project import Project

    def refuse(self):
        raise PermissionError(errno.EACCES, "Permission denied", str(self.source_dir))
    monkeypatch.setattr(Project, "essays", refuse)
    code, _, err = run_cli(capsys, "validate")
    assert code == 1
    assert f"error: {project / 'source'}: Permission denied" in err and "hint:" in err
