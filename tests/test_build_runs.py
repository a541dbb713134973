"""Regressions of `serge-publish build` runs on the test root two-essays: what is
written (and what not) when a target is in the way, when two outputs would share a path,
with published.toml (published once, published until removed from it), with
SOURCE_DATE_EPOCH, and after partial --lang builds (the bytes of a full build)."""
from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pytest

from build_helpers import build, edit_catalogue, epub_file, files_of, run
from serge_publish import atomic
from serge_publish.commands.build_write import write_outputs
from serge_publish.errors import BuildError
from serge_publish.writers import epub

ESSAYS = ["alpha", "beta"]


@pytest.fixture
def project(make_root) -> Path:
    return make_root("two-essays")


def _translate_all(project: Path, lang: str = "fr") -> None:
    for essay in ESSAYS:
        edit_catalogue(project, lang, essay, lambda i, e: e.msgid)


# ---------------------------------------------------------------- a target in the way

def test_a_file_in_the_way_stops_the_build_before_anything_is_written(project):
    _translate_all(project)
    build(project, "--lang", "en")
    before = files_of(project / "build")
    (project / "build" / "fr").write_text("in the way")
    code, _, err = run("--project", str(project), "build")
    assert code == 6 and "Traceback" not in err
    assert "build/fr is not a folder" in err and "hint:" in err
    after = files_of(project / "build")
    assert after == {**before, "fr": b"in the way"}      # en not replaced, no new report


@pytest.mark.parametrize("how", ["folder", "link to a folder"])
def test_a_folder_in_an_outputs_place_stops_the_build_before_anything_is_written(project,
                                                                                   how):
    """A folder (or a link to one) where an output goes, beside that language's other
    outputs or in a language folder of its own: named, and nothing written."""
    build(project, "--lang", "en")
    before = files_of(project / "build")
    where = project / "build" / "en" / "beta.html"
    where.unlink()
    if how == "folder":
        (where / "inside").mkdir(parents=True)
    else:
        (project / "elsewhere").mkdir()
        where.symlink_to(project / "elsewhere", target_is_directory=True)
    (project / "build" / "en" / "alpha.html").write_bytes(b"old")
    code, _, err = run("--project", str(project), "build", "--lang", "en", "--force")
    assert code == 6 and "Traceback" not in err
    assert "cannot write build/en/beta.html: it is a folder" in err and "hint:" in err
    assert (project / "build" / "en" / "alpha.html").read_bytes() == b"old"
    assert set(files_of(project / "build")) - {"en/alpha.html"} <= set(before)


def test_targets_are_looked_at_one_by_one_only_in_a_folder_holding_folders(tmp_path,
                                                                         monkeypatch):
    """check_targets reads each folder once: its targets are looked at one by one (a
    stat each) only where the folder holds a folder, which one of them could be."""
    import os

    from serge_publish.commands import build_write
    (tmp_path / "en").mkdir()
    for name in ("a.html", "b.html"):
        (tmp_path / "en" / name).write_bytes(b"x")
    (tmp_path / "de" / "c.html").mkdir(parents=True)
    looked: list[str] = []
    real = build_write._is_dir
    monkeypatch.setattr(build_write, "_is_dir", lambda path: looked.append(path) or real(path))
    rels = ["en/a.html", "en/b.html", "fr/x.html", "index.html"]
    build_write.check_targets(tmp_path, rels)
    assert looked == [os.path.join(tmp_path, "index.html")]     # build/ holds folders
    with pytest.raises(BuildError, match="cannot write build/de/c.html: it is a folder"):
        build_write.check_targets(tmp_path, [*rels, "de/c.html"])


def test_a_build_folder_that_is_a_file_is_named(project):
    (project / "build").write_text("x")
    code, _, err = run("--project", str(project), "build", "--lang", "en")
    assert code == 6 and "build is not a folder" in err
    assert (project / "build").read_text() == "x"


def test_the_report_is_written_last_and_not_after_a_failed_write(tmp_path, monkeypatch):
    order: list[str] = []
    real = atomic.write_bytes

    def write(path, data, **options):
        order.append(Path(path).name)
        if Path(path).name == "broken.html":
            raise OSError(28, "No space left on device")
        real(path, data, **options)

    monkeypatch.setattr(atomic, "write_bytes", write)
    files = {"en/a.html": b"a", "style.css": b"c", "index.html": b"i"}
    write_outputs(tmp_path, files, ("build-report.json", b"{}"))
    assert order == ["a.html", "index.html", "style.css", "build-report.json"]
    with pytest.raises(BuildError, match="No space left") as failure:
        write_outputs(tmp_path / "b", {"en/broken.html": b"x"}, ("build-report.json", b"{}"))
    assert "build-report.json was not updated" in failure.value.hint
    assert not (tmp_path / "b" / "build-report.json").exists()


def test_every_output_the_report_lists_exists(project):
    build(project, "--lang", "en", "--lang", "qps")
    report = json.loads((project / "build" / "build-report.json").read_text("utf-8"))
    assert report["outputs"] and all((project / p).is_file() for p in report["outputs"])


# ---------------------------------------------------------------- two outputs, one path

@pytest.mark.parametrize("essay_id, args, taken", [
    ("index", ("--lang", "en"), "build/en/index.html"),
    ("anthology", ("--lang", "en"), "build/en/anthology.epub"),
    ("anthology", ("--lang", "en", "--essay", "anthology"), "build/en/anthology.epub"),
    ("Index", ("--lang", "en", "--format", "html"), "build/en/Index.html"),
])
def test_an_essay_cannot_take_a_site_files_path(project, essay_id, args, taken):
    shutil.copy(project / "source" / f"{ESSAYS[0]}.xml", project / "source" / f"{essay_id}.xml")
    code, _, err = run("--project", str(project), "build", *args)
    assert code == 6 and "Traceback" not in err
    assert taken in err and f"essay {essay_id!r}" in err and "hint:" in err
    assert not (project / "build").exists()


# ---------------------------------------------------------------- published.toml

def _untranslate(project: Path, lang: str, essay: str) -> None:
    """Half of the entries lose their translation: far below the threshold."""
    edit_catalogue(project, lang, essay, lambda i, e: "" if i % 2 else None)


def test_an_edition_published_once_stays_published_until_removed_from_the_record(project):
    _translate_all(project)
    _, err = build(project, "--lang", "fr")
    record = project / "published.toml"
    assert f'fr = ["{ESSAYS[0]}", "{ESSAYS[1]}"]' in record.read_text("utf-8")
    assert "build.published-recorded" in err and "after a full build" in err
    _untranslate(project, "fr", ESSAYS[0])
    out, err = build(project)                                  # the full build
    line = record.read_text("utf-8").splitlines().index(
        f'fr = ["{ESSAYS[0]}", "{ESSAYS[1]}"]') + 1
    assert f"published.toml:{line}: warning: fr/{ESSAYS[0]} is below the threshold" in err
    assert "build.published-recorded" not in err               # nothing new
    report = json.loads((project / "build" / "build-report.json").read_text("utf-8"))
    item = report["languages"]["fr"]["essays"][ESSAYS[0]]
    assert item["published"] and "listed in published.toml" in item["reason"]
    assert item["fell_back"]["untranslated"] > 0
    assert f"build/fr/{ESSAYS[0]}.html" in report["outputs"]
    en_page = project / "build" / "en" / f"{ESSAYS[0]}.html"
    assert 'hreflang="fr"' in en_page.read_text("utf-8")
    anthology = project / "build" / "fr" / "anthology.epub"
    chapter = "EPUB/" + epub.chapter_file(ESSAYS[0])
    assert chapter in zipfile.ZipFile(anthology).namelist()

    record.write_text(record.read_text("utf-8").replace(f'"{ESSAYS[0]}", ', ""), "utf-8")
    out, err = build(project)                        # removed from the record: unpublished
    report = json.loads((project / "build" / "build-report.json").read_text("utf-8"))
    assert not report["languages"]["fr"]["essays"][ESSAYS[0]]["published"]
    assert f"build/fr/{ESSAYS[0]}.html" not in report["outputs"]
    assert 'hreflang="fr"' not in en_page.read_text("utf-8")
    assert ESSAYS[0] not in (project / "build" / "fr" / "index.html").read_text("utf-8")
    assert chapter not in zipfile.ZipFile(anthology).namelist()
    assert f'fr = ["{ESSAYS[1]}"]' in record.read_text("utf-8")       # not recorded again


def test_a_recorded_edition_that_cannot_be_built_stops_the_build(project):
    _translate_all(project)
    build(project, "--lang", "fr")
    before = files_of(project / "build")
    po = project / "locale" / "fr" / "LC_MESSAGES" / f"{ESSAYS[0]}.po"
    po.write_text("not a catalogue\n")
    code, _, err = run("--project", str(project), "build", "--lang", "fr")
    assert code == 4 and f"{ESSAYS[0]} is published in fr (published.toml:5)" in err
    assert "remove" in err and "from published.toml to unpublish it" in err
    assert files_of(project / "build") == before


def test_a_bad_record_is_a_located_error(project):
    (project / "published.toml").write_text('# x\nfr = "all"\n', "utf-8")
    code, _, err = run("--project", str(project), "build", "--lang", "en")
    assert code == 5 and "published.toml:2: fr must be a list of essay ids" in err
    (project / "published.toml").write_text('fr = []\n"bad code!" = []\n', "utf-8")
    code, _, err = run("--project", str(project), "build", "--lang", "en")
    assert code == 5 and "published.toml:2: bad code!: 'bad code!' is not a valid" in err


def test_a_pseudo_translation_is_neither_recorded_nor_linked_from_other_languages(project):
    build(project, "--lang", "en", "--lang", "qps", "--format", "html")
    assert not (project / "published.toml").exists()
    page = (project / "build" / "en" / f"{ESSAYS[0]}.html").read_text("utf-8")
    qps = (project / "build" / "qps" / f"{ESSAYS[0]}.html").read_text("utf-8")
    assert 'hreflang="qps"' not in page and 'hreflang="en"' in qps


# ---------------------------------------------------------------- SOURCE_DATE_EPOCH

@pytest.mark.parametrize("value", ["99999999999999", "abc", "-5", "1.5", "１２"])
def test_an_unusable_source_date_epoch_is_a_clear_error(project, monkeypatch, value):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    code, _, err = run("--project", str(project), "build", "--lang", "en")
    assert code == 5 and "error: SOURCE_DATE_EPOCH (environment variable): " in err
    assert "hint:" in err
    assert "Traceback" not in err and not (project / "build").exists()


def test_a_date_after_2107_is_clamped_in_the_zip_only(project, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "7258118400")            # 2200-01-01
    build(project, "--lang", "en", "--format", "epub")
    book = project / "build" / "en" / f"{ESSAYS[0]}.epub"
    assert b"2200-01-01T00:00:00Z" in epub_file(book, "EPUB/content.opf")
    with zipfile.ZipFile(book) as z:
        assert {i.date_time for i in z.infolist()} == {(2107, 12, 31, 23, 59, 58)}


# ---------------------------------------------------------------- a pure function

def test_a_partial_build_writes_the_bytes_of_a_full_build(prepared_root, tmp_path):
    """build --lang fr in a fresh copy writes every file it writes (build/fr/*, the top
    page, the stylesheet) byte for byte as the full build; whatever build/ holds (an
    earlier anthology, pages with other links) is never read."""
    template = prepared_root("two-essays")
    full, part = tmp_path / "full", tmp_path / "part"
    for copy in (full, part):
        shutil.copytree(template, copy)
        _translate_all(copy, "fr")
        _translate_all(copy, "de")
        _untranslate(copy, "de", ESSAYS[1])           # de publishes one essay only
    build(full)
    junk = {f"fr/{ESSAYS[0]}.epub": b"junk", "fr/anthology.epub": b"not a zip",
            f"en/{ESSAYS[0]}.html": b'<link rel="alternate" hreflang="es" href="x">'}
    for rel, data in junk.items():
        (part / "build" / rel).parent.mkdir(parents=True, exist_ok=True)
        (part / "build" / rel).write_bytes(data)
    build(part, "--lang", "fr")
    a, b = files_of(full / "build"), files_of(part / "build")
    written = json.loads((part / "build" / "build-report.json").read_text("utf-8"))["outputs"]
    names = [p.removeprefix("build/") for p in written]
    assert sorted(n for n in names if not n.startswith("fr/")) == ["index.html", "style.css"]
    assert len([n for n in names if n.startswith("fr/")]) == 2 * len(ESSAYS) + 2
    assert [n for n in names if a[n] != b[n]] == []
    assert {n for n in a if n.startswith("fr/")} == {n for n in names if n.startswith("fr/")}
    page = b[f"fr/{ESSAYS[1]}.html"].decode()
    assert 'hreflang="en"' in page and 'hreflang="de"' not in page   # de lacks that essay
    assert 'hreflang="de"' in b[f"fr/{ESSAYS[0]}.html"].decode()


def _functions_using(path: Path, name: str) -> set[str]:
    """The functions (and methods) of a module whose code mentions ``name``."""
    import ast
    found = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.FunctionDef) and any(
                isinstance(n, ast.Name) and n.id == name
                or isinstance(n, ast.Attribute) and n.attr == name
                or isinstance(n, ast.arg) and n.arg == name for n in ast.walk(node)):
            found.add(node.name)
    return found


def test_the_build_reads_nothing_under_build():
    """Only build_write (which checks and writes targets), the call that hands it the
    folder, and ONE reader, build_state.read_state, use project.build_dir: the recorded
    state decides what is rendered again, never what is written (State.unchanged, the
    only user of the folder read_state gives, compares the outputs' sizes and hashes);
    preview and bilingual name the folders they write; the release writes (only)
    build/dist/ and serve serves it."""
    package = Path(__file__).resolve().parents[1] / "serge_publish"
    users = {p.relative_to(package).as_posix(): [line.strip() for line in
                                                  p.read_text("utf-8").splitlines()
                                                  if "build_dir" in line]
             for p in package.rglob("*.py")}
    users = {name: lines for name, lines in users.items() if lines}
    assert set(users) == {"project.py", "commands/build.py", "commands/build_write.py",
                          "commands/build_state.py", "commands/preview.py",
                          "commands/release.py", "commands/serve.py"}
    assert users["commands/preview.py"] == [
        "return project.build_dir, project.build_dir.joinpath(*parts)"]
    assert users["commands/release.py"] == ["dist = project.build_dir / DIST"]
    assert users["commands/serve.py"] == [
        "server = start_server(project.build_dir / DIST, port)"]
    assert users["commands/build.py"] == [
        "remove_leftovers(project.build_dir)          # of a killed build: never to be published",
        "state = read_state(project.build_dir)",
        "writer = OutputWriter(project.build_dir, REPORT_NAME, state, log)"]
    assert users["project.py"] == ["def build_dir(self) -> Path:"]
    state_module = package / "commands" / "build_state.py"
    assert _functions_using(state_module, "build_dir") == {"read_state"}
    assert _functions_using(state_module, "folder") == {"unchanged"}


def test_a_record_of_an_essay_that_is_gone_is_reported(project):
    (project / "published.toml").write_text('# x\nfr = ["gone-essay"]\n', "utf-8")
    _, err = build(project, "--lang", "fr", "--format", "html")
    assert "published.toml:2: warning: fr: gone-essay is listed but there is no such essay" \
        in err
