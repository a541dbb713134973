"""Incremental builds of publishable editions (the root ``tests/roots/editions``): the
project catalogue (``_project.po``), the credits, the essays' facts and the anthology's
order are inputs of the outputs' keys, so an incremental build after changing any of them
writes exactly the bytes of a clean build, and leaves the other languages' files alone."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from build_helpers import build, edit_catalogue, files_of, run
from serge_publish.catalog import read_catalog, write_catalog

# slow: builds its test roots again and again (incremental against clean)
pytestmark = pytest.mark.slow

STATE = ".serge-build-state.json"
PROJECT_PO = Path("locale", "fr", "LC_MESSAGES", "_project.po")


def _translated(make_root, folder: str = "p") -> Path:
    """editions with fr fully translated (its essays and the project's name)."""
    root = make_root("editions", folder=folder)
    for essay in ("alpha", "beta"):
        edit_catalogue(root, "fr", essay, lambda i, e: e.msgid)
    _edit_project_po(root, {"name": "Essais de test"})
    return root


def _edit_project_po(root: Path, texts: dict[str, str]) -> None:
    path = root / PROJECT_PO
    po = read_catalog(path)
    for entry in po:
        if entry.msgctxt in texts:
            entry.msgstr = texts[entry.msgctxt]
            entry.flags = [f for f in entry.flags if f != "fuzzy"]
    write_catalog(path, po)


@pytest.fixture
def project(make_root) -> Path:
    root = _translated(make_root)
    build(root, "--jobs", "1")
    return root


def _written(project: Path, *args: str) -> set[str]:
    build(project, "--jobs", "1", *args)
    return set(json.loads((project / "build" / STATE).read_text("utf-8"))["written"])


def _clean_equals(project: Path, tmp_path: Path) -> None:
    """A fresh copy built from scratch, and the same project built with --force, write
    the bytes the incremental builds wrote."""
    incremental = files_of(project / "build")
    clean = tmp_path / "clean"
    shutil.rmtree(clean, ignore_errors=True)
    shutil.copytree(project, clean, ignore=shutil.ignore_patterns("build"))
    build(clean, "--jobs", "1")
    assert files_of(clean / "build") == incremental
    build(project, "--jobs", "1", "--force")
    assert files_of(project / "build") == incremental


def _edit_config(project: Path, old: str, new: str) -> None:
    config = project / "serge-publish.toml"
    text = config.read_text("utf-8")
    assert old in text
    config.write_text(text.replace(old, new), "utf-8")


@pytest.mark.parametrize("texts", [{"name": "Essais pour tester"},
                                   {"rights alpha": "© l’auteur, 2016."},
                                   {"description beta": "Un essai sur le passé vaincu."},
                                   {"introduction": "Une introduction."}])
def test_the_project_catalogue_rebuilds_its_language_only(project, tmp_path, texts):
    before = files_of(project / "build")
    _edit_project_po(project, texts)
    written = _written(project)
    assert written and all(rel.startswith("fr/") for rel in written)
    after = files_of(project / "build")
    changed = {rel for rel in after if before.get(rel) != after[rel]} - {"build-report.json"}
    assert changed and changed <= written
    _clean_equals(project, tmp_path)


@pytest.mark.parametrize("change", [
    ('order = ["alpha", "beta"]', 'order = ["beta", "alpha"]'),
    ('order = ["alpha", "beta"]\n', ""),
    ('revisers = "Paul Martin"', 'revisers = "Paul Durand"'),
    ('permission_from = "Doug Enaa Greene"', 'permission_from = "D. E. Greene"'),
    ('description = "An essay on the defeated past."', 'description = "Another."')])
def test_the_configuration_of_editions_gives_a_clean_builds_bytes(project, tmp_path, change):
    before = files_of(project / "build")
    _edit_config(project, *change)
    _written(project)
    assert files_of(project / "build") != before
    _clean_equals(project, tmp_path)


def test_a_date_that_reorders_the_anthology_rebuilds_the_moved_essays(project, tmp_path):
    _edit_config(project, 'order = ["alpha", "beta"]\n', "")
    build(project, "--jobs", "1")                                  # by date: beta, alpha
    source = project / "source" / "beta.xml"
    text = source.read_text("utf-8")
    source.write_text(text.replace('when="2010-05-01">2010-05-01', 'when="2020-05-01">2020-05-01'),
                      "utf-8")
    written = _written(project)
    assert {"fr/alpha.epub", "fr/beta.epub", "fr/anthology.epub", "en/alpha.epub"} <= written
    _clean_equals(project, tmp_path)


def test_one_language_then_all_is_a_full_build(project, tmp_path):
    _edit_project_po(project, {"blurb": "Le mot de l’éditeur."})
    shutil.rmtree(project / "build")
    build(project, "--jobs", "1", "--lang", "fr")
    build(project, "--jobs", "1")
    _clean_equals(project, tmp_path)


def test_the_number_of_jobs_does_not_change_a_byte(make_root):
    one, two = _translated(make_root, "one"), _translated(make_root, "two")
    build(one, "--jobs", "1")
    build(two, "--jobs", "2")
    assert files_of(one / "build", state=True) == files_of(two / "build", state=True)
    for root in (one, two):
        _edit_project_po(root, {"rights beta": "Tous droits réservés."})
    build(one, "--jobs", "1")
    build(two, "--jobs", "2")
    assert files_of(one / "build", state=True) == files_of(two / "build", state=True)


def test_preview_bilingual_and_release_after_a_build(project):
    for command in (["preview", "--lang", "fr"], ["bilingual", "en,fr"],
                    ["release", "--version", "1.0"]):
        code, out, err = run("--project", str(project), *command)
        assert code == 0, err
    assert (project / "build" / "preview").is_dir()
    assert (project / "build" / "bilingual").is_dir()
    assert (project / "build" / "dist" / "SHA256SUMS").is_file()


def _told(out: str, err: str, words: str) -> int:
    return sum(line.count(words) for line in (out + err).splitlines())


def test_an_unreadable_project_catalogue_is_told_once_per_build(project):
    (project / PROJECT_PO).write_text('msgid "x"\nmsgstr ""\nbroken\n', "utf-8")
    for _ in range(2):                                # the second build renders nothing
        out, err = build(project, "--jobs", "1")
        assert _told(out, err, "the project's texts are printed in the source language") == 1
    report = json.loads((project / "build" / "build-report.json").read_text("utf-8"))
    assert sum("_project.po" in d for d in report["diagnostics"]) == 1


def test_an_order_naming_no_essay_is_told_once_per_build(project):
    _edit_config(project, 'order = ["alpha", "beta"]', 'order = ["alpha", "gamma"]')
    for _ in range(2):
        out, err = build(project, "--jobs", "1")
        assert _told(out, err, "names the essay 'gamma'") == 1


def test_an_essay_written_in_a_target_language_follows_its_project_catalogue(project,
                                                                           tmp_path):
    """beta written in French: its French edition is its source, and it prints the
    project's texts of fr/_project.po, so that catalogue is in its key too."""
    source = project / "source" / "beta.xml"
    text = source.read_text("utf-8")
    source.write_text(text.replace('xml:lang="en"', 'xml:lang="fr"', 1), "utf-8")
    build(project, "--jobs", "1")
    for name in ("beta.epub", "beta.html"):      # no longer built (no en catalogue), never
        (project / "build" / "en" / name).unlink()      # deleted by a build: not compared
    before = files_of(project / "build")
    _edit_project_po(project, {"name": "Essais pour tester", "rights beta": "© l’auteur."})
    written = _written(project)
    assert "fr/beta.epub" in written and before["fr/beta.epub"] != \
        (project / "build" / "fr" / "beta.epub").read_bytes()
    _clean_equals(project, tmp_path)


def test_an_essay_named_twice_in_the_configuration_is_told_once(project):
    _edit_config(project, 'order = ["alpha", "beta"]', 'order = ["alpha", "gamma"]')
    config = project / "serge-publish.toml"
    config.write_text(config.read_text("utf-8") + '\n[essays.gamma]\nurl = "https://x.org"\n',
                      "utf-8")
    for _ in range(2):
        out, err = build(project, "--jobs", "1")
        assert _told(out, err, "names the essay 'gamma'") == 1


def test_one_essay_catalogue_gives_a_clean_builds_bytes(project, tmp_path):
    """fr/index.html and the anthology are rendered again with the project's texts as
    the state recorded them (fr/_project.po unchanged): the bytes of a clean build."""
    edit_catalogue(project, "fr", "alpha", lambda i, e: e.msgid + " (revu)" if i == 3 else None)
    assert _written(project) == {"fr/alpha.epub", "fr/alpha.html", "fr/anthology.epub",
                                 "fr/index.html"}
    _clean_equals(project, tmp_path)



def test_use_fuzzy_gives_a_clean_builds_bytes_for_an_essay_written_in_french(project,
                                                                            tmp_path):
    """--use-fuzzy decides which entries of fr/_project.po are printed: in the key of
    beta's French edition, which is its source."""
    source = project / "source" / "beta.xml"
    source.write_text(source.read_text("utf-8").replace('xml:lang="en"', 'xml:lang="fr"', 1),
                      "utf-8")
    path = project / PROJECT_PO
    po = read_catalog(path)
    for entry in po:
        if entry.msgctxt == "rights beta":
            entry.msgstr, entry.flags = "© l’auteur (à revoir).", ["fuzzy"]
    write_catalog(path, po)
    build(project, "--jobs", "1")
    for name in ("beta.epub", "beta.html"):      # no longer built (no en catalogue), never
        (project / "build" / "en" / name).unlink()      # deleted by a build: not compared
    before = (project / "build" / "fr" / "beta.epub").read_bytes()
    assert "fr/beta.epub" in _written(project, "--use-fuzzy")
    assert (project / "build" / "fr" / "beta.epub").read_bytes() != before
    clean = tmp_path / "clean"
    shutil.copytree(project, clean, ignore=shutil.ignore_patterns("build"))
    build(clean, "--jobs", "1", "--use-fuzzy")
    assert files_of(clean / "build") == files_of(project / "build")
