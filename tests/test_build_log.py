"""A build that does not finish is taken up where it stopped: as it goes, the build notes
each decision it plans and each output it writes whole in .serge-cache/build-log.jsonl
(build_state.BuildLog), and the next build takes a noted output or decision as done when
its inputs are still the same and the file still holds the bytes noted; it plans and
renders only the rest, and writes the same bytes as a clean build. The log is gone once a
build has finished."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from build_helpers import build, edit_catalogue, files_of, run
from serge_publish import atomic
from serge_publish.commands import build_plan
from serge_publish.commands.build_state import BUILD_LOG, STATE_NAME, BuildLog

# slow: builds its test roots several times
pytestmark = pytest.mark.slow

ESSAYS = ["alpha", "beta"]
FR = {"fr/alpha.epub", "fr/alpha.html", "fr/beta.epub", "fr/beta.html", "fr/anthology.epub",
      "fr/index.html"}


@pytest.fixture
def translated(make_root):
    """``translated(folder)``: the root two-essays, fr and de translated, not built."""
    def make(folder: str = "p") -> Path:
        root = make_root("two-essays", folder=folder)
        for lang in ("fr", "de"):
            for essay in ESSAYS:
                edit_catalogue(root, lang, essay, lambda i, e: e.msgid)
        return root
    return make


def _state(project: Path) -> dict:
    return json.loads((project / "build" / STATE_NAME).read_text("utf-8"))


def _log_path(project: Path) -> Path:
    return project.joinpath(*BUILD_LOG)


def _log(project: Path) -> list[list]:
    return [json.loads(line) for line in _log_path(project).read_text("utf-8").splitlines()]


def _failing_write(monkeypatch, name: str) -> None:
    """Writing build/.../``name`` fails (a full disk), the rest is written."""
    real = atomic.write_bytes

    def write(path, data, **options):
        if Path(path).name == name:
            raise OSError(28, "No space left on device")
        return real(path, data, **options)
    monkeypatch.setattr(atomic, "write_bytes", write)


def _edit_fr(project: Path) -> None:
    for essay in ESSAYS:
        edit_catalogue(project, "fr", essay, lambda i, e: e.msgid + " !" if i == 2 else None)


def _planning(monkeypatch) -> list[dict[str, set[str]]]:
    """What each planning of the next builds is given to plan: essay -> its languages
    (the plan jobs get the essays through build_plan._largest_first)."""
    planned: list[dict[str, set[str]]] = []
    first = build_plan._largest_first

    def largest_first(project_, essays, missing):
        planned.append({e: set(missing[e]) for e in essays})
        return first(project_, essays, missing)
    monkeypatch.setattr(build_plan, "_largest_first", largest_first)
    return planned


@pytest.fixture
def stopped(translated, monkeypatch):
    """A built project whose fr catalogues then changed, and whose next build stopped when
    it came to write fr/beta.html (a full disk): what it had written before is noted."""
    project = translated()
    build(project, "--jobs", "1")
    _edit_fr(project)
    _failing_write(monkeypatch, "beta.html")
    code, _, err = run("--project", str(project), "build", "--jobs", "1")
    assert code == 6 and "cannot write build/fr/beta.html" in err
    monkeypatch.undo()
    return project


def test_a_build_stopped_while_writing_is_taken_up_where_it_stopped(stopped, translated):
    noted = {name for kind, name, _ in _log(stopped) if kind == "output"}
    assert noted and noted < FR and "fr/beta.html" not in noted
    assert set(_state(stopped)["pending"]) == FR           # (the state alone knows not)
    build(stopped, "--jobs", "1")
    assert set(_state(stopped)["written"]) == FR - noted    # only what was not written
    assert not _log_path(stopped).exists()      # a finished build: no log
    clean = translated("clean")         # the same bytes as a build that was not stopped
    build(clean, "--jobs", "1")
    _edit_fr(clean)
    build(clean, "--jobs", "2")
    assert files_of(stopped / "build") == files_of(clean / "build")


def test_a_noted_output_changed_since_or_whose_inputs_changed_is_rendered_again(stopped):
    noted = sorted(name for kind, name, _ in _log(stopped) if kind == "output")
    altered, deleted = stopped / "build" / noted[0], stopped / "build" / noted[1]
    altered.write_bytes(altered.read_bytes() + b" ")
    deleted.unlink()
    edit_catalogue(stopped, "fr", "alpha", lambda i, e: e.msgid + " ?" if i == 3 else None)
    build(stopped, "--jobs", "1")
    written = set(_state(stopped)["written"])
    assert {noted[0], noted[1], "fr/alpha.epub", "fr/alpha.html"} <= written
    assert altered.read_bytes() != b"" and deleted.is_file()


def test_a_log_line_that_is_not_a_whole_fact_is_passed_over(stopped):
    """The last line cut short by a kill, a line of another shape: passed over, and what
    they would have said is done again; no error."""
    log = _log_path(stopped)
    lines = log.read_bytes().splitlines(keepends=True)
    kept = [line for line in lines if b'"output"' not in line]
    outputs = [line for line in lines if b'"output"' in line]
    bad = [outputs[0][: len(outputs[0]) // 2],                         # cut short
           outputs[1].replace(b'"size":', b'"bytes":'),                # another shape
           b'["output", "fr/x.html"]\n', b"\x00\xff not json\n"]
    log.write_bytes(b"".join(kept + outputs[2:] + bad))
    assert set(BuildLog(_log_path(stopped)).facts()["output"]) == \
        {json.loads(line)[1] for line in outputs[2:]}              # the whole ones only
    code, _, err = run("--project", str(stopped), "build", "--jobs", "1")
    assert code == 0, err
    names = [json.loads(line)[1] for line in outputs[:2]]
    assert set(names) <= set(_state(stopped)["written"])


def test_a_build_stopped_twice_is_taken_up_from_both(translated, monkeypatch):
    project = translated()
    build(project, "--jobs", "1")
    _edit_fr(project)
    _failing_write(monkeypatch, "alpha.html")
    assert run("--project", str(project), "build", "--jobs", "1")[0] == 6
    first = {name for kind, name, _ in _log(project) if kind == "output"}
    monkeypatch.undo()
    _failing_write(monkeypatch, "index.html")
    assert run("--project", str(project), "build", "--jobs", "1")[0] == 6
    both = {name for kind, name, _ in _log(project) if kind == "output"}
    assert first < both and "fr/alpha.html" in both and "fr/index.html" not in both
    monkeypatch.undo()
    build(project, "--jobs", "1")
    assert set(_state(project)["written"]) == FR - both


def test_a_build_stopped_while_planning_plans_again_only_what_it_had_not(translated,
                                                                        monkeypatch):
    """Ctrl-C after the first essay was planned: the next build plans only the other (the
    plan jobs are given the essays to plan, see build_plan._largest_first)."""
    project = translated()
    build(project, "--jobs", "1")
    _edit_fr(project)
    real = build_plan.Planner._record
    recorded: list[str] = []

    def record(self, essay_key, doc_lang, plan, essay, item, told):
        if recorded and essay != recorded[0]:
            raise KeyboardInterrupt          # the second essay's first decision
        recorded.append(essay)
        return real(self, essay_key, doc_lang, plan, essay, item, told)
    monkeypatch.setattr(build_plan.Planner, "_record", record)
    code, _, err = run("--project", str(project), "build", "--jobs", "1")
    assert code == 130, err
    facts = BuildLog(_log_path(project)).facts()
    assert set(facts["essay"]) == {recorded[0]} and facts["output"] == {}
    monkeypatch.setattr(build_plan.Planner, "_record", real)
    planned = _planning(monkeypatch)
    build(project, "--jobs", "1")
    assert list(planned[0]) == [e for e in ESSAYS if e != recorded[0]]
    assert set(_state(project)["written"]) == FR
    assert not _log_path(project).exists()


def test_force_plans_everything_again_whatever_the_log_says(stopped, monkeypatch):
    assert BuildLog(_log_path(stopped)).facts()["pair"]
    planned = _planning(monkeypatch)
    build(stopped, "--jobs", "1", "--force")
    assert sorted(planned[0]) == ESSAYS                      # every essay, in every language
    assert all({"en", "fr", "de"} <= langs for langs in planned[0].values())
    assert not _log_path(stopped).exists()


def test_a_build_that_changes_nothing_notes_nothing(translated):
    project = translated()
    build(project, "--jobs", "1")
    build(project, "--jobs", "1")         # (the first recorded fr and de in published.toml)
    assert not _log_path(project).exists()
    state = (project / "build" / STATE_NAME).read_bytes()
    build(project, "--jobs", "2")
    assert not _log_path(project).exists()
    assert (project / "build" / STATE_NAME).read_bytes() == state     # not written again


def test_a_log_that_is_a_link_is_neither_followed_nor_written_through(stopped, tmp_path):
    """A link in the log's place (a repository could hold one) leads nowhere: the build
    neither reads nor appends to what it names, and removes the link once finished."""
    outside = tmp_path / "outside.sh"
    outside.write_text("echo untouched\n", "utf-8")
    log = _log_path(stopped)
    log.unlink()
    log.symlink_to(outside)
    edit_catalogue(stopped, "fr", "alpha", lambda i, e: e.msgid + " ?" if i == 3 else None)
    build(stopped, "--jobs", "1")
    assert outside.read_text("utf-8") == "echo untouched\n"
    assert not log.is_symlink() and not log.exists()


@pytest.mark.parametrize("content", [
    b'[[1],"x",{}]\n',                                   # a kind that is not a name
    b"[" * 5000 + b"]" * 5000 + b"\n",                   # nested deeper than json reads
    b'{"output": 1}\n', b'"output"\n', b"[]\n", b"\xff\xfe\n"])
def test_whatever_the_log_holds_the_build_goes_on_and_removes_it(stopped, content):
    _log_path(stopped).write_bytes(content)
    code, _, err = run("--project", str(stopped), "build", "--jobs", "1")
    assert code == 0 and "Traceback" not in err, err
    assert not _log_path(stopped).exists()


def test_a_noted_decision_of_the_wrong_shape_is_planned_again(stopped, translated):
    """A fact with the key of the current inputs but a field of another type (a line
    altered by hand): planned again, not shown on a page nor failing further on."""
    lines = _log(stopped)
    for kind, name, record in lines:
        if kind == "pair" and name == "fr/alpha":
            record["plan"]["link"] = "not a link"
            record["plan"]["words_total"] = "many"
    _log_path(stopped).write_text("".join(json.dumps(line) + "\n" for line in lines), "utf-8")
    build(stopped, "--jobs", "1")
    clean = translated("clean")
    build(clean, "--jobs", "1")
    _edit_fr(clean)
    build(clean, "--jobs", "1")
    assert files_of(stopped / "build") == files_of(clean / "build")


def test_a_fact_noted_after_a_line_cut_short_is_not_lost(tmp_path):
    log = BuildLog(tmp_path / "log.jsonl")
    record = {"key": "k", "lang": "fr"}
    (tmp_path / "log.jsonl").write_bytes(b'["essay","alpha",{"key":"k","la')   # a kill
    log.note("essay", "beta", record)
    log.close()
    assert BuildLog(tmp_path / "log.jsonl").facts()["essay"] == {"beta": record}


def test_a_log_in_a_cache_folder_linked_out_of_the_project_is_left_alone(stopped, tmp_path):
    """.serge-cache linked to a folder outside the project: the log there is neither
    read, nor written, nor removed (as the other caches are not written there)."""
    cache = stopped / ".serge-cache"
    outside = tmp_path / "elsewhere"
    cache.rename(outside)
    cache.symlink_to(outside)
    before = (outside / "build-log.jsonl").read_bytes()
    build(stopped, "--jobs", "1")
    assert set(_state(stopped)["written"]) == FR          # none of its notes was taken
    assert (outside / "build-log.jsonl").read_bytes() == before


def test_a_log_that_is_another_files_second_name_is_not_written(translated, tmp_path):
    project = translated()
    build(project, "--jobs", "1")
    other = tmp_path / "other.txt"
    other.write_bytes(b"someone's file\n")
    _log_path(project).parent.mkdir(exist_ok=True)
    _log_path(project).hardlink_to(other)
    _edit_fr(project)
    build(project, "--jobs", "1")
    assert other.read_bytes() == b"someone's file\n"


@pytest.mark.parametrize("part", ["essays", "outputs", "pairs"])
def test_a_state_record_altered_by_hand_is_no_traceback(translated, part):
    """A record of the state that is not one (a string for a dict): what it recorded is
    done again."""
    project = translated()
    build(project, "--jobs", "1")
    state = _state(project)
    first = sorted(state[part])[0]
    state[part][first] = "x"
    (project / "build" / STATE_NAME).write_text(json.dumps(state), "utf-8")
    code, _, err = run("--project", str(project), "build", "--jobs", "1")
    assert code == 0 and "Traceback" not in err, err
