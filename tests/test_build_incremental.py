"""Incremental and parallel builds on the test root two-essays: what decides that an
output is up to date is a hash of its inputs recorded in build/.serge-build-state.json.
Changing one input renders again exactly the outputs that depend on it; a deleted or
altered output is written again; the bytes are those of a clean build, whatever the
number of jobs; --force renders everything."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from build_helpers import build, edit_catalogue, files_of, run
from serge_publish import catalog

# slow: builds its test roots again and again (incremental, clean, --force, --jobs)
pytestmark = pytest.mark.slow

ESSAYS = ["alpha", "beta"]
STATE = ".serge-build-state.json"


@pytest.fixture
def project(make_root) -> Path:
    """fr and de fully translated (published), es empty (not published), built: the
    first build writes every output and records fr and de in published.toml, which the
    second reads (it renders nothing: above the threshold, being listed changes nothing)."""
    root = make_root("two-essays")
    for lang in ("fr", "de"):
        for essay in ESSAYS:
            edit_catalogue(root, lang, essay, lambda i, e: e.msgid)
    build(root, "--jobs", "1")
    assert len(_state(root)["written"]) == len(_outputs(root)) > 10
    assert _written(root) == set()
    return root


def _state(project: Path) -> dict:
    return json.loads((project / "build" / STATE).read_text("utf-8"))


def _written(project: Path, *args: str) -> set[str]:
    """Build again; the outputs this build rendered and wrote."""
    build(project, "--jobs", "1", *args)
    return set(_state(project)["written"])


def _outputs(project: Path) -> set[str]:
    return set(_state(project)["outputs"])


def _changed(before: dict[str, bytes], after: dict[str, bytes]) -> set[str]:
    return {rel for rel in after if before.get(rel) != after[rel]} - {"build-report.json"}


def _clean_build_equals(project: Path, tmp_path: Path, *args: str) -> None:
    """A copy built from scratch writes the same bytes as the incremental builds did."""
    clean = tmp_path / "clean"
    shutil.copytree(project, clean, ignore=shutil.ignore_patterns("build"))
    build(clean, "--jobs", "1", *args)
    assert files_of(clean / "build") == files_of(project / "build")


def _edit_source_author(project: Path, essay: str) -> None:
    path = project / "source" / f"{essay}.xml"
    text = path.read_text("utf-8")
    assert "<author>Doug Enaa Greene</author>" in text
    path.write_text(text.replace("<author>Doug Enaa Greene</author>",
                                 "<author>D. E. Greene</author>"), "utf-8")


def test_a_rebuild_with_nothing_changed_renders_and_parses_nothing(project, monkeypatch):
    before = files_of(project / "build")
    calls = []
    for name in ("read_catalog", "read_translations"):   # (the build's: read_translations)
        real = getattr(catalog, name)
        monkeypatch.setattr(catalog, name,
                            lambda *a, real=real, **k: calls.append(a) or real(*a, **k))
    out, _ = build(project, "--jobs", "1")
    assert _state(project)["written"] == [] and calls == []
    assert f"0 files written under build/, {len(_outputs(project))} up to date" in out
    assert files_of(project / "build") == before          # the report too


def test_one_catalogue_rebuilds_its_editions_its_anthology_and_index(project, tmp_path):
    edit_catalogue(project, "fr", "alpha", lambda i, e: e.msgid + " (revu)" if i == 3 else None)
    assert _written(project) == {"fr/alpha.epub", "fr/alpha.html", "fr/anthology.epub",
                                 "fr/index.html"}
    _clean_build_equals(project, tmp_path)


def test_one_source_rebuilds_its_editions_in_every_language(project, tmp_path):
    before = files_of(project / "build")
    _edit_source_author(project, "alpha")
    written = _written(project)
    assert written == {f"{lang}/{name}" for lang in ("en", "fr", "de")
                       for name in ("alpha.epub", "alpha.html", "anthology.epub",
                                    "index.html")}
    assert _changed(before, files_of(project / "build")) <= written
    _clean_build_equals(project, tmp_path)


def test_the_configuration_rebuilds_everything(project, tmp_path):
    config = project / "serge-publish.toml"
    config.write_text(config.read_text("utf-8").replace('"Test essays"', '"Other essays"'),
                      "utf-8")
    assert _written(project) == _outputs(project)
    _clean_build_equals(project, tmp_path)


@pytest.mark.parametrize("change", ["SOURCE_DATE_EPOCH", "--include-comments", "tool"])
def test_what_every_output_depends_on_rebuilds_everything(project, monkeypatch, change):
    args: tuple[str, ...] = ()
    if change == "SOURCE_DATE_EPOCH":
        monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    elif change == "tool":             # a new version, or any file of the package changed
        from serge_publish.commands import build as build_module
        monkeypatch.setattr(build_module, "tool_digest", lambda: "another tool")
    else:
        args = (change,)
    assert _written(project, *args) == _outputs(project)
    assert _written(project, *args) == set()


def test_the_tool_key_names_the_installed_libraries_that_shape_the_bytes():
    from importlib.metadata import version

    from serge_publish.commands.build_state import SHAPING_LIBRARIES, library_versions
    assert {"lxml", "deflate", "pillow"} <= set(SHAPING_LIBRARIES)
    assert library_versions()[:len(SHAPING_LIBRARIES)] == tuple(
        f"{lib}-{version(lib)}" for lib in SHAPING_LIBRARIES)


@pytest.mark.parametrize("library", ["deflate", "pillow", "lxml"])
def test_an_upgraded_library_that_shapes_the_bytes_rebuilds_everything(project, monkeypatch,
                                                                       library):
    """An upgrade of libdeflate, Pillow or lxml may change an output's bytes with the tool
    unchanged: the outputs are not taken as up to date (the tool's key names them)."""
    from serge_publish.commands import build_state
    versions = build_state.library_versions()
    build_state.tool_digest.cache_clear()
    before = build_state.tool_digest()
    monkeypatch.setattr(build_state, "library_versions", lambda: tuple(
        f"{library}-99.0" if v.startswith(f"{library}-") else v for v in versions))
    build_state.tool_digest.cache_clear()
    try:
        assert build_state.tool_digest() != before
        assert _written(project) == _outputs(project)
    finally:
        monkeypatch.undo()
        build_state.tool_digest.cache_clear()
    assert build_state.tool_digest() == before


def test_the_threshold_rebuilds_what_its_decisions_change(project, tmp_path):
    edit_catalogue(project, "es", "alpha", lambda i, e: e.msgid if i % 2 else None)
    assert _written(project) == set()                     # about half: not published
    written = _written(project, "--threshold", "20")
    assert {"es/alpha.html", "es/alpha.epub", "es/anthology.epub", "es/index.html",
            "index.html", "en/alpha.html", "fr/alpha.html"} <= written
    assert not any(rel.endswith(".epub") and not rel.startswith("es/") for rel in written)
    assert _written(project, "--threshold", "20") == set()   # es/alpha now recorded
    _clean_build_equals(project, tmp_path, "--threshold", "20")


def test_published_toml_rebuilds_what_its_decision_changes(project, tmp_path):
    before = files_of(project / "build")
    record = project / "published.toml"
    record.write_text(record.read_text("utf-8") + 'es = ["alpha"]\n', "utf-8")
    written = _written(project)
    after = files_of(project / "build")
    assert {"es/alpha.html", "es/alpha.epub", "es/anthology.epub", "index.html"} <= written
    assert written == _changed(before, after)       # exactly the files whose bytes change
    assert "fr/beta.html" not in written and "en/alpha.epub" not in written
    _clean_build_equals(project, tmp_path)


def test_use_fuzzy_rebuilds_the_translated_editions_only(project, tmp_path):
    written = _written(project, "--use-fuzzy")
    assert written == {rel for rel in _outputs(project) if rel.startswith(("fr/", "de/"))}
    assert _written(project, "--use-fuzzy") == set()
    assert _written(project) == written                   # and back
    _clean_build_equals(project, tmp_path)


@pytest.mark.parametrize("damage", ["delete", "same-size", "truncate"])
def test_a_deleted_or_altered_output_is_written_again(project, damage):
    before = files_of(project / "build")
    target = project / "build" / "fr" / "beta.html"
    if damage == "delete":
        target.unlink()
    elif damage == "same-size":
        data = bytearray(target.read_bytes())
        data[100] ^= 1
        target.write_bytes(bytes(data))
    else:
        target.write_bytes(target.read_bytes()[:50])
    assert _written(project) == {"fr/beta.html"}
    assert files_of(project / "build") == before


def test_force_renders_everything_with_the_same_bytes(project):
    before = files_of(project / "build")
    assert _written(project, "--force") == _outputs(project)
    assert files_of(project / "build") == before


def test_a_corrupt_or_foreign_state_means_a_full_build(project):
    before = files_of(project / "build")
    for junk in (b"not json", b'{"format": 99}', b"[]", b'{"format": 1, "pairs": 3}'):
        (project / "build" / STATE).write_bytes(junk)
        assert _written(project) == _outputs(project)
        assert files_of(project / "build") == before


def test_the_number_of_jobs_does_not_change_a_byte(make_root):
    one, two = make_root("two-essays", folder="one"), make_root("two-essays", folder="two")
    for root in (one, two):
        edit_catalogue(root, "fr", "alpha", lambda i, e: e.msgid)
    build(one, "--jobs", "1", "--lang", "en", "--lang", "fr", "--lang", "qps")
    build(two, "--jobs", "2", "--lang", "en", "--lang", "fr", "--lang", "qps")
    assert files_of(one / "build", state=True) == files_of(two / "build", state=True)
    edit_catalogue(two, "fr", "beta", lambda i, e: e.msgid)       # incremental, 2 jobs
    edit_catalogue(one, "fr", "beta", lambda i, e: e.msgid)
    build(one, "--jobs", "1")
    build(two, "--jobs", "2")
    assert files_of(one / "build", state=True) == files_of(two / "build", state=True)


def test_workers_started_with_spawn_write_the_same_bytes(make_root, monkeypatch):
    """'spawn' (macOS, Windows) pickles every job's arguments: same bytes as one job."""
    import multiprocessing

    from serge_publish.commands import build_jobs
    one, two = make_root("two-essays", folder="one"), make_root("two-essays", folder="two")
    build(one, "--jobs", "1", "--lang", "en", "--lang", "qps")
    started = []
    monkeypatch.setattr(build_jobs, "_context", lambda: started.append("spawn")
                        or multiprocessing.get_context("spawn"))
    build(two, "--jobs", "2", "--lang", "en", "--lang", "qps")
    assert started == ["spawn"]                          # one pool, started with spawn
    assert files_of(one / "build", state=True) == files_of(two / "build", state=True)


def test_a_failed_write_leaves_a_report_that_says_incomplete(project, monkeypatch):
    from pathlib import Path as P

    from serge_publish import atomic
    real = atomic.write_bytes

    def write(path, data, **options):
        if P(path).name == "alpha.html":
            raise OSError(28, "No space left on device")
        real(path, data, **options)

    edit_catalogue(project, "fr", "alpha", lambda i, e: e.msgid + " !" if i == 2 else None)
    monkeypatch.setattr(atomic, "write_bytes", write)
    code, _, err = run("--project", str(project), "build", "--jobs", "1")
    assert code == 6 and "build-report.json says the build is incomplete" in err
    report = json.loads((project / "build" / "build-report.json").read_text("utf-8"))
    assert report["complete"] is False and "build/fr/alpha.html" in report["writing"]
    assert set(_state(project)["pending"]) == {"fr/alpha.epub", "fr/alpha.html",
                                              "fr/anthology.epub", "fr/index.html"}
    monkeypatch.setattr(atomic, "write_bytes", real)
    # (fr/alpha.epub, written whole before the failure, is taken from the build's log)
    assert _written(project) == {"fr/alpha.html", "fr/anthology.epub", "fr/index.html"}
    assert json.loads((project / "build" / "build-report.json").read_text("utf-8"))["complete"]


def test_a_worker_that_dies_is_a_build_error_not_a_traceback():
    import os

    from serge_publish.commands.build_jobs import Jobs
    from serge_publish.errors import BuildError
    with Jobs(2) as jobs, pytest.raises(BuildError, match="worker process of the build died"):
        list(jobs.map(os._exit, [(3,), (3,)]))
    with Jobs(2) as jobs:                              # results in the order given
        assert list(jobs.map(pow, [(2, k) for k in range(8)])) == [2 ** k for k in range(8)]


def test_the_summary_of_an_incremental_build_is_that_of_a_full_one(project):
    """Decisions taken from the state print as when they were taken (an edition with
    its catalogue is never shown as "all" fallen back)."""
    full, _ = build(project, "--jobs", "1", "--force")
    again, _ = build(project, "--jobs", "1")
    table = [line for line in full.splitlines() if "files written" not in line]
    assert [line for line in again.splitlines() if "files written" not in line] == table
    assert any("es" in line and "untranslated" in line and "all:" not in line
               for line in table)


def test_the_code_digest_follows_every_file_of_the_package_but_bytecode(tmp_path):
    """What keys the build's outputs (tool_digest) and update's record (tool_version)
    besides the version: a module, a stylesheet or a template changed, added or renamed
    changes it; compiled bytecode does not."""
    from serge_publish import code_digest
    package = tmp_path / "pkg"
    (package / "data").mkdir(parents=True)
    (package / "__pycache__").mkdir()
    (package / "mod.py").write_text("x = 1\n", encoding="utf-8")
    (package / "data" / "style.css").write_text("p {}\n", encoding="utf-8")
    digests = [code_digest(str(package))]
    (package / "__pycache__" / "mod.cpython-311.pyc").write_bytes(b"\0")
    (package / "mod.pyc").write_bytes(b"\0")
    assert code_digest.__wrapped__(str(package)) == digests[0]
    (package / "data" / "style.css").write_text("p { margin: 0 }\n", encoding="utf-8")
    digests.append(code_digest.__wrapped__(str(package)))
    (package / "data" / "new.json").write_text("{}", encoding="utf-8")
    digests.append(code_digest.__wrapped__(str(package)))
    (package / "mod.py").rename(package / "other.py")
    digests.append(code_digest.__wrapped__(str(package)))
    assert len(set(digests)) == 4
    assert code_digest() == code_digest.__wrapped__("")      # the installed package's
