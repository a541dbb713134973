"""`build --strict` (for CI) exits non-zero on any warning, with the README's codes;
without it the build forgives (warns, builds what it can, exits 0)."""
from __future__ import annotations

from pathlib import Path

import pytest

from build_helpers import edit_catalogue, run


@pytest.fixture
def project(make_root) -> Path:
    root = make_root("two-essays")
    for essay in ("alpha", "beta"):
        edit_catalogue(root, "fr", essay, lambda i, e: e.msgid)
    return root


def _build(project: Path, *args: str) -> tuple[int, str, str]:
    return run("--project", str(project), "build", "--jobs", "1", *args)


def test_an_unreadable_catalogue_is_forgiven_unless_strict(project):
    (project / "locale" / "fr" / "LC_MESSAGES" / "alpha.po").write_text("not a catalogue\n")
    code, _, err = _build(project, "--lang", "fr")
    assert code == 0 and "build.catalogue-unreadable" in err
    assert (project / "build" / "fr" / "beta.html").is_file()
    (project / "build" / "fr" / "beta.html").unlink()
    code, out, err = _build(project, "--lang", "fr", "--strict")
    assert code == 4, err
    assert "error: --strict: 1 warning (the first of this kind: " in err
    assert "LC_MESSAGES/alpha.po:1: warning: " in err and "hint:" in err
    assert "Traceback" not in err
    assert (project / "build" / "fr" / "beta.html").is_file()      # written all the same
    assert "files written under build/" in out


def test_other_warnings_exit_6_and_a_clean_build_0(project):
    code, _, err = _build(project, "--lang", "en", "--lang", "fr", "--strict")
    assert code == 0, err
    code, _, err = _build(project, "--lang", "nl", "--strict")     # no furniture table
    assert code == 6 and "build.furniture-missing" in err and "--strict: 1 warning" in err


def test_a_catalogue_warning_outranks_the_others(project):
    (project / "locale" / "fr" / "LC_MESSAGES" / "alpha.po").write_text("not a catalogue\n")
    code, _, err = _build(project, "--lang", "nl", "--lang", "fr", "--strict")
    assert code == 4 and "--strict: 2 warnings" in err


def test_a_published_toml_warning_exits_5(project):
    (project / "published.toml").write_text('fr = ["gone-essay"]\n', "utf-8")
    code, _, err = _build(project, "--lang", "fr", "--strict")
    assert code == 5 and "gone-essay" in err
