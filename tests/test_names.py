"""Names that break on other systems or collide with the build's own pages are refused at
import and reported by validate; folders under locale/ in the wrong spelling are reported;
a catalogue that links out of the project is refused unread."""
from __future__ import annotations

import json

import pytest

from build_helpers import TINY_ESSAY, run_cli
from serge_publish.commands.import_ import RESERVED_IDS
from serge_publish.importers.ids import essay_id_problem


@pytest.fixture
def project(tiny_project):
    return tiny_project("greene-borders.txt")


@pytest.mark.parametrize("name, words", [
    ("con", "device name"), ("NUL", "device name"), ("Aux", "device name"),
    ("com1", "device name"), ("LPT9", "device name"), ("prn", "device name"),
    ("Index", "page every edition has"), ("ANTHOLOGY", "page every edition has"),
    ("Greene-Borders", "only in case"), ("1st", "cannot be an essay id"),
])
def test_import_refuses(project, tmp_path, capsys, name, words):
    code, _, err = run_cli(capsys, "import", str(tmp_path / "greene-borders.txt"), "--id", name)
    assert code == 2 and words in err and "hint: pass another --id" in err
    assert sorted(p.name for p in (project / "source").glob("*.xml")) == ["greene-borders.xml"]


def test_import_refuses_a_device_name_taken_from_the_file_name(project, tmp_path, capsys):
    path = tmp_path / "con.txt"
    path.write_text(TINY_ESSAY, encoding="utf-8")
    code, _, err = run_cli(capsys, "import", str(path))
    assert code == 2 and "'con' is a device name on Windows" in err and "pass --id" in err


@pytest.mark.parametrize("name", ["com", "console", "lpt10", "com0", "nullable", "indexes"])
def test_names_that_only_look_alike_are_fine(name):
    assert essay_id_problem(name, RESERVED_IDS, ["greene-borders"]) is None


def test_a_device_name_with_an_extension():
    assert essay_id_problem("con.xml", (), ()) is not None          # not even an id
    assert essay_id_problem("con", ["index"], ()).message.startswith("'con' is a device")


def test_the_reserved_list_is_a_parameter():
    assert essay_id_problem("colophon", ["Colophon"]) is not None
    assert essay_id_problem("index", []) is None


def test_reimporting_under_the_same_id_is_not_a_collision(project, tmp_path, capsys):
    code, _, _ = run_cli(capsys, "import", str(tmp_path / "greene-borders.txt"), "--force")
    assert code == 0


@pytest.mark.parametrize("name, words", [("Greene-Borders", "only in case"),
                                         ("nul", "device name"), ("Index", "every edition"),
                                         ("my essay", "cannot be an essay id")])
def test_validate_reports_hand_placed_sources(project, capsys, name, words):
    good = project / "source" / "greene-borders.xml"
    placed = project / "source" / f"{name}.xml"
    placed.write_bytes(good.read_bytes())
    code, _, err = run_cli(capsys, "validate")
    assert code == 3
    assert f"{placed if name != 'Greene-Borders' else good}: the file name cannot be" in err
    assert words in err and "hint: rename the file" in err


@pytest.mark.parametrize("folder, words", [
    ("pt-BR", "read from locale/pt_BR/"), ("sr-Latn", "read from locale/sr@latin/"),
    ("french", "not named after a language"), ("LC_MESSAGES", "not named after a language"),
])
def test_a_locale_folder_in_another_spelling(project, capsys, folder, words):
    assert run_cli(capsys, "update", "--lang", "pt_BR")[0] == 0
    (project / "locale" / folder / "LC_MESSAGES").mkdir(parents=True)
    for command in (["update", "--lang", "pt_BR"], ["status"], ["build", "--format", "html"]):
        code, _, err = run_cli(capsys, *command)
        assert code == 0 and f"locale/{folder}/: warning: " in err and words in err, command
    code, _, err = run_cli(capsys, "validate")
    assert code == 5 and f"error: locale/{folder}/: " in err and words in err


def test_gettext_names_are_not_reported(project, capsys):
    for code in ("pt_BR", "sr@latin", "zh_Hant", "fr"):
        assert run_cli(capsys, "update", "--lang", code)[0] == 0
    code, _, err = run_cli(capsys, "status")
    assert code == 0 and "warning" not in err
    assert run_cli(capsys, "validate")[0] == 0


STRAY = "belongs to no essay of the project (there is no source/{}.xml), so it is never read"
WARNED = [["update", "--lang", "fr"], ["status"], ["build", "--format", "html"]]


def test_a_catalogue_saved_under_another_name_is_reported(project, capsys):
    assert run_cli(capsys, "update", "--lang", "fr")[0] == 0
    folder = project / "locale" / "fr" / "LC_MESSAGES"
    (folder / "greene-borders.po").rename(folder / "greene-borders-fr.po")     # Poedit's Save As
    where = "locale/fr/LC_MESSAGES/greene-borders-fr.po"
    for command in WARNED:
        code, _, err = run_cli(capsys, *command)
        assert code == 0 and f"{where}: warning: this catalogue " in err, command
        assert STRAY.format("greene-borders-fr") in err and "[locale.stray-catalogue]" in err
        assert "rename it to greene-borders.po if it is a translation of the essay " \
               "greene-borders, or remove it" in err
    code, out, err = run_cli(capsys, "check")
    assert code == 0 and f"{where}: warning: " in out and "[check.stray-catalogue]" in out
    assert "1 warning(s)" in err
    code, out, _ = run_cli(capsys, "check", "--strict")
    assert code == 1 and where in out
    # the build's report lists it, once, and build --strict fails on it (a catalogue)
    report = json.loads((project / "build" / "build-report.json").read_text())
    assert [d for d in report["diagnostics"] if "[locale.stray-catalogue]" in d] == \
        [d for d in report["diagnostics"] if d.startswith(f"{where}: warning: ")], report
    assert sum("[locale.stray-catalogue]" in d for d in report["diagnostics"]) == 1
    code, _, err = run_cli(capsys, "build", "--format", "html", "--strict")
    said = [line for line in err.splitlines() if line.startswith(f"{where}: warning: ")]
    assert code == 4 and len(said) == 1 and "error: --strict: 1 warning" in err, err


def test_the_catalogues_of_a_removed_source_are_reported(project, capsys):
    assert run_cli(capsys, "update", "--lang", "fr")[0] == 0
    (project / "source" / "greene-borders.xml").unlink()
    code, _, err = run_cli(capsys, "status")
    assert code == 0
    for where, what in (("locale/fr/LC_MESSAGES/greene-borders.po", "catalogue"),
                        ("locale/greene-borders.pot", "template")):
        assert f"{where}: warning: this {what} {STRAY.format('greene-borders')}" in err
    assert "restore source/greene-borders.xml if that was removed by mistake" in err
    assert "'serge-publish extract' writes the template of every essay" in err
    code, out, _ = run_cli(capsys, "check")
    assert code == 0 and out.count("[check.stray-catalogue]") == 2


def test_the_project_catalogue_and_compiled_files_are_not_stray(project, capsys):
    assert run_cli(capsys, "update", "--lang", "fr")[0] == 0
    folder = project / "locale" / "fr" / "LC_MESSAGES"
    assert (folder / "_project.po").is_file() and (project / "locale" / "_project.pot").is_file()
    (folder / "greene-borders.mo").write_bytes(b"")           # Poedit compiles on save
    (folder / "greene-borders.po~").write_bytes(b"")          # an editor's backup
    code, _, err = run_cli(capsys, "status")
    assert code == 0 and "warning" not in err


def test_a_catalogue_saved_beside_lc_messages_is_reported(project, capsys):
    """Saved in locale/fr/ instead of locale/fr/LC_MESSAGES/: named after an essay, yet
    never read."""
    assert run_cli(capsys, "update", "--lang", "fr")[0] == 0
    folder = project / "locale" / "fr"
    (folder / "LC_MESSAGES" / "greene-borders.po").rename(folder / "greene-borders.po")
    (folder / "other.po").write_bytes(b"")
    code, _, err = run_cli(capsys, "status")
    assert code == 0, err
    for name in ("greene-borders.po", "other.po"):
        assert (f"locale/fr/{name}: warning: catalogues are read from "
                "locale/fr/LC_MESSAGES/, not from this folder, so this one is never read: "
                f"move it there (if LC_MESSAGES/{name} exists, merge the two") in err, err
    code, out, _ = run_cli(capsys, "check")
    assert code == 0 and out.count("[check.stray-catalogue]") == 2, out


def test_the_files_of_a_stray_folder_are_not_named_again(project, capsys):
    assert run_cli(capsys, "update", "--lang", "fr")[0] == 0
    (project / "locale" / "pt-BR" / "LC_MESSAGES").mkdir(parents=True)
    (project / "locale" / "pt-BR" / "LC_MESSAGES" / "other.po").write_bytes(b"")
    code, _, err = run_cli(capsys, "status")
    assert code == 0 and "locale/pt-BR/: warning" in err and "other.po" not in err


SECRET = 'msgid ""\nmsgstr "the secret is 42"\n'


@pytest.mark.parametrize("command", [["update"], ["status"], ["build", "--format", "html"]])
def test_a_catalogue_linking_out_of_the_project(project, tmp_path, capsys, command):
    outside = tmp_path / "secret.po"
    outside.write_text(SECRET, encoding="utf-8")
    po = project / "locale" / "fr" / "LC_MESSAGES" / "greene-borders.po"
    po.parent.mkdir(parents=True)
    po.symlink_to(outside)
    code, out, err = run_cli(capsys, *command)
    assert code == 4
    assert f"{po}: this catalogue is a link to a file outside the project" in err
    assert "hint:" in err and "secret" not in out + err
    assert outside.read_text(encoding="utf-8") == SECRET


def test_a_template_linking_out_of_the_project(project, tmp_path, capsys):
    outside = tmp_path / "elsewhere.pot"
    outside.write_text(SECRET, encoding="utf-8")
    (project / "locale" / "greene-borders.pot").symlink_to(outside)
    code, _, err = run_cli(capsys, "extract")
    assert code == 4 and "greene-borders.pot: this template is a link" in err
    assert outside.read_text(encoding="utf-8") == SECRET


def test_a_link_inside_the_project_is_fine(project, capsys):
    assert run_cli(capsys, "update")[0] == 0
    po = project / "locale" / "fr" / "LC_MESSAGES" / "greene-borders.po"
    shared = project / "shared.po"
    po.rename(shared)
    po.symlink_to(shared)
    assert run_cli(capsys, "status")[0] == 0


def test_a_catalogue_that_is_a_loop_of_links(project, capsys):
    po = project / "locale" / "fr" / "LC_MESSAGES" / "greene-borders.po"
    po.parent.mkdir(parents=True)
    po.symlink_to(po.parent / "other.po")
    (po.parent / "other.po").symlink_to(po)
    code, _, err = run_cli(capsys, "status")
    assert code == 4 and f"{po}: this catalogue is a link that leads nowhere" in err
