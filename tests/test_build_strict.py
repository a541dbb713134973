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
    assert run("--project", str(project), "update", "--lang", "fi")[0] == 0   # not a target
    code, _, err = _build(project, "--lang", "fi", "--strict")     # no furniture table
    assert code == 6 and "build.furniture-missing" in err and "--strict: 1 warning" in err


def test_a_catalogue_warning_outranks_the_others(project):
    (project / "locale" / "fr" / "LC_MESSAGES" / "alpha.po").write_text("not a catalogue\n")
    assert run("--project", str(project), "update", "--lang", "fi")[0] == 0
    code, _, err = _build(project, "--lang", "fi", "--lang", "fr", "--strict")
    assert code == 4 and "--strict: 2 warnings" in err


def test_a_published_toml_warning_exits_5(project):
    (project / "published.toml").write_text('fr = ["gone-essay"]\n', "utf-8")
    code, _, err = _build(project, "--lang", "fr", "--strict")
    assert code == 5 and "gone-essay" in err


def _drop_target(project: Path, lang: str) -> None:
    config = project / "serge-publish.toml"
    text = config.read_text("utf-8")
    config.write_text(text.replace(f', "{lang}"', ""), "utf-8")


def test_a_published_language_dropped_from_the_targets_is_named(project):
    assert _build(project, "--threshold", "0")[0] == 0          # fr, es, de published
    record = (project / "published.toml").read_text("utf-8")
    line = next(n for n, text in enumerate(record.splitlines(), 1) if text.startswith("de ="))
    _drop_target(project, "de")
    code, _, err = _build(project)
    assert code == 0, err
    assert f"published.toml:{line}: warning: published.toml lists de, which is not in " \
           "target_languages: its editions are no longer built" in err
    assert "add de back to target_languages in serge-publish.toml, or remove its line from " \
           "published.toml to unpublish it [build.published-not-target]" in err
    report = (project / "build" / "build-report.json").read_text("utf-8")
    assert "build.published-not-target" in report
    code, _, err = _build(project, "--strict")
    assert code == 5 and "published.toml lists de" in err


def test_a_published_language_never_configured_is_named(project):
    (project / "published.toml").write_text('fr = ["alpha"]\nit = ["alpha"]\n', "utf-8")
    code, _, err = _build(project, "--lang", "fr")
    assert code == 0, err
    assert "published.toml:2: warning: published.toml lists it, which is not in " \
           "target_languages" in err
    assert "lists fr" not in err


def test_the_source_language_in_published_toml_is_named(project):
    (project / "published.toml").write_text('en = ["alpha"]\n', "utf-8")
    code, _, err = _build(project, "--lang", "fr", "--strict")
    assert code == 5
    assert "published.toml:1: warning: published.toml lists en, the source language, whose " \
           "editions are always published: remove its line from published.toml" in err
