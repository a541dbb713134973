"""A named pipe (or a socket, a device) where the tool expects a file. Reading a fifo that
no one writes to waits for ever, so every input and every cache is opened without waiting
and must be a regular file (atomic.open_file): a cache that is not one counts as none (its
work is done again and the cache written anew, as a file); an input that is not one is an
error naming it, never a hang or a traceback.

Each command runs in a process of its own, with a timeout: a regression fails here instead
of keeping the suite waiting."""
from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from build_helpers import edit_catalogue, files_of
from serge_publish import atomic
from serge_publish.commands.build_state import RACY_NS

# slow: runs the CLI in processes of its own
pytestmark = pytest.mark.slow

TIMEOUT = 120


def _cli(project: Path, *args: str) -> tuple[int, str]:
    """The command's exit code and what it printed (stdout and stderr); a failure if it
    does not end within TIMEOUT seconds."""
    try:
        ran = subprocess.run([sys.executable, "-m", "serge_publish", "--project",
                              str(project), *args], capture_output=True, text=True,
                             timeout=TIMEOUT, cwd=project.parent)
    except subprocess.TimeoutExpired:
        pytest.fail(f"`serge-publish {' '.join(args)}` still ran after {TIMEOUT} s: it "
                    "waits on the fifo")
    return ran.returncode, ran.stdout + ran.stderr


@pytest.fixture
def built(make_root) -> Path:
    """The root two-essays, alpha translated into fr, updated and built twice (every
    cache written; the second build's report says nothing is newly published)."""
    project = make_root("two-essays")
    edit_catalogue(project, "fr", "alpha", lambda i, e: e.msgid)
    for command in ("update", "build", "build"):
        code, said = _cli(project, command)
        assert code == 0, said
    return project


def _fifo_at(project: Path, rel: str) -> Path:
    path = project / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    os.mkfifo(path)
    return path


# (command, the cache a fifo replaces, whether the command writes it anew): the command
# does its work as if there were none (a pack of chapters is passed over; the records of
# files' digests are written again once the files are older than the racy window, see
# _settle: a digest is recorded only then)
CACHES = [
    ("build", "build/.serge-build-state.json", True),
    ("build", ".serge-cache/build-files.json", True),
    ("build", ".serge-cache/chapters/0123456789abcdef01234567.pack", False),
    ("update", ".serge-cache/catalogues.json", True),
    ("update", ".serge-cache/catalogue-files.json", True),
]


def _settle(project: Path, command: str) -> None:
    """Wait until every input is older than the racy window, then run ``command`` (a
    file changed under 2 s before a run is hashed but its digest is not recorded:
    build_state.RACY_NS): then every digest is recorded, and whether a run writes its
    record again does not hang on how fast the machine ran the fixture's commands."""
    inputs = [p for part in ("source", "locale") for p in (project / part).rglob("*")]
    newest = max(max(p.stat().st_mtime, p.stat().st_ctime) for p in inputs
                 + [project / "serge-publish.toml", project / "published.toml"])
    time.sleep(max(0.0, newest + RACY_NS / 1e9 + 0.2 - time.time()))
    code, said = _cli(project, command)
    assert code == 0, said


@pytest.mark.parametrize(("command", "rel", "written"), CACHES)
def test_a_fifo_in_a_caches_place_counts_as_no_cache(built, command, rel, written):
    if rel.endswith("-files.json"):
        _settle(built, command)
    outputs = files_of(built / "build")
    _fifo_at(built, rel)
    code, said = _cli(built, command)
    assert code == 0, said
    assert "Traceback" not in said
    assert files_of(built / "build") == outputs
    assert (built / rel).is_file() == written


# (command, the input a fifo replaces, what the message says besides its name, its hint,
# the exit code: 3 a source, 4 a catalogue or a template, as one that cannot be read)
PLACE = "itself in its place (git restore FILE, if git has it)"
INPUTS = [
    ("build", "locale/fr/LC_MESSAGES/alpha.po",
     "cannot read the catalogue: it is a named pipe", "fix or restore the catalogue", 4),
    ("build", "source/alpha.xml", "cannot read the source: it is a named pipe", PLACE, 3),
    ("validate", "source/alpha.xml", "cannot read the source: it is a named pipe", PLACE, 3),
    ("extract", "source/alpha.xml", "cannot read the source: it is a named pipe", PLACE, 3),
    ("update", "locale/alpha.pot", "cannot read the template: it is a named pipe", PLACE, 4),
    ("update", "locale/fr/LC_MESSAGES/alpha.po", "cannot read the catalogue: it is a named pipe",
     PLACE, 4),
]


@pytest.mark.parametrize(("command", "rel", "message", "hint", "exit_code"), INPUTS)
def test_a_fifo_in_an_inputs_place_is_named(built, command, rel, message, hint, exit_code):
    before = files_of(built / "build")
    fifo = _fifo_at(built, rel)
    code, said = _cli(built, command)
    assert "Traceback" not in said
    assert message in said and rel in said, said
    assert hint in said.partition("hint: ")[2], said
    assert code == exit_code, said     # (fr/alpha is published: published.toml lists it since)
    assert files_of(built / "build") == before      # nothing written
    assert fifo.exists() and not fifo.is_file()         # left as it was


def test_a_fifo_in_the_project_catalogues_place_is_a_warning(built):
    """The project's texts (title, description...) of fr are then printed in the source
    language, as when that catalogue is broken: said, not passed over."""
    rel = "locale/fr/LC_MESSAGES/_project.po"
    _fifo_at(built, rel)
    code, said = _cli(built, "build")
    assert code == 0 and "Traceback" not in said
    assert rel in said and "cannot read the catalogue: it is a named pipe" in said and \
        "the project's texts are printed in the source language" in said and \
        "[build.catalogue-unreadable]" in said, said
    code, said = _cli(built, "build", "--strict")
    assert code != 0, said


# (command, the file a link to itself replaces, the exit code, what is said): a loop of
# links where a file is written is an error naming it (it was a traceback)
LOOPS = [
    ("build", "build/.serge-build-state.json", 6, "Too many levels of symbolic links"),
    ("build", "published.toml", 6, "Too many levels of symbolic links"),
    ("update", ".serge-cache/catalogues.json", 0, ""),
]


@pytest.mark.parametrize(("command", "rel", "exit_code", "message"), LOOPS)
def test_a_loop_of_links_in_a_files_place_is_no_traceback(built, command, rel, exit_code,
                                                          message):
    path = built / rel
    path.unlink()
    path.symlink_to(path.name)
    code, said = _cli(built, command)
    assert code == exit_code and "Traceback" not in said, said
    assert message in said and (not message or rel in said), said


# (command, the input replaced, by what, the exit code, what the message says): named
# for what it is (these said "permissions, free space", "this catalogue" of a template,
# or that a translator had just created the catalogue)
OTHERS = [
    ("extract", "source/alpha.xml", "loop", 3,
     "cannot read the source: it is a link that leads nowhere (a loop)"),
    ("update", "source/alpha.xml", "loop", 3,
     "cannot read the source: it is a link that leads nowhere (a loop)"),
    ("update", "locale/alpha.pot", "loop", 4,
     "this template is a link that leads nowhere (a loop)"),
    ("update", "locale/fr/LC_MESSAGES/alpha.po", "folder", 4,
     "there is a folder where the catalogue should be: nothing written for it"),
]


@pytest.mark.parametrize(("command", "rel", "thing", "exit_code", "message"), OTHERS)
def test_a_loop_or_a_folder_in_an_inputs_place_is_named(built, command, rel, thing,
                                                          exit_code, message):
    path = built / rel
    path.unlink()
    if thing == "loop":
        path.symlink_to(path.name)
    else:
        path.mkdir()
    code, said = _cli(built, command)
    assert code == exit_code and "Traceback" not in said, said
    assert message in said and rel in said, said
    assert "permissions" not in said and "while update was running" not in said


def test_open_file_does_not_wait_on_a_fifo(tmp_path):
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    outcome: list[BaseException | None] = []

    def attempt() -> None:
        try:
            atomic.read_file(fifo)
            outcome.append(None)
        except BaseException as exc:     # noqa: BLE001   (looked at below)
            outcome.append(exc)
    reader = threading.Thread(target=attempt, daemon=True)
    reader.start()
    reader.join(10)
    if reader.is_alive():               # it waits for a writer: give it one, then fail
        with open(fifo, "wb"):
            pass
        reader.join(10)
        pytest.fail("atomic.read_file waited on a fifo")
    assert len(outcome) == 1 and isinstance(outcome[0], atomic.NotAFileError)
    assert outcome[0].filename == str(fifo) and "named pipe" in str(outcome[0])


@pytest.mark.parametrize("kind", ["folder", "device", "file", "link to a file"])
def test_open_file_reads_a_file_and_only_a_file(tmp_path, kind):
    path = tmp_path / "thing"
    if kind == "folder":
        path.mkdir()
        with pytest.raises(IsADirectoryError):
            atomic.read_file(path)
    elif kind == "device":
        with pytest.raises(atomic.NotAFileError):
            atomic.read_file("/dev/zero")          # (read, it never ends)
    elif kind == "file":
        path.write_bytes(b"bytes\r\n")
        with atomic.open_file(path) as handle:
            assert handle.read() == b"bytes\r\n"
            assert os.fstat(handle.fileno()).st_size == 7
    else:
        (tmp_path / "target").write_bytes(b"target")
        path.symlink_to(tmp_path / "target")
        assert atomic.read_file(path) == b"target"


# (command, the file a fifo replaces, what the message says, the exit code): the commands
# that read the configuration, the record of publications, a glossary or a catalogue
# outside update and build name it too (these waited on it for ever, or passed it over as
# if there were none, or said there was no project)
READERS = [
    (("build",), "serge-publish.toml", "cannot read serge-publish.toml: it is a named pipe",
     5),
    (("build",), "published.toml", "cannot read published.toml: it is a named pipe", 5),
    (("status",), "locale/fr/LC_MESSAGES/alpha.po",
     "cannot read the catalogue: it is a named pipe", 4),
    (("pseudo",), "locale/qps/LC_MESSAGES/alpha.po",
     "cannot read the catalogue: it is a named pipe", 4),
    (("check", "--lang", "fr"), "locale/fr/LC_MESSAGES/alpha.po",
     "cannot read the catalogue: it is a named pipe", 1),
    (("check", "--lang", "fr"), "locale/fr/glossary.csv",
     "cannot read the glossary: it is a named pipe", 1),
    (("check", "--lang", "fr"), "locale/fr/glossary.tbx",
     "cannot read the glossary: it is a named pipe", 1),
    (("xliff", "export", "--lang", "fr", "alpha"), "locale/fr/LC_MESSAGES/alpha.po",
     "cannot read the catalogue: it is a named pipe", 4),
]


@pytest.mark.parametrize(("args", "rel", "message", "exit_code"), READERS)
def test_a_fifo_read_by_another_command_is_named(built, args, rel, message, exit_code):
    fifo = _fifo_at(built, rel)
    code, said = _cli(built, *args)
    assert "Traceback" not in said
    assert message in said and rel in said, said
    assert PLACE in said.partition("hint: ")[2], said
    assert code == exit_code, said
    assert fifo.exists() and not fifo.is_file()         # left as it was


def test_a_folder_in_the_configurations_place_is_named(built):
    """Not "no serge-publish.toml here or above" (the commands looked for a file)."""
    config = built / "serge-publish.toml"
    config.unlink()
    config.mkdir()
    code, said = _cli(built, "status")
    assert code == 5 and "Traceback" not in said, said
    assert "cannot read serge-publish.toml: it is a folder" in said and \
        str(config) in said and "no serge-publish.toml" not in said, said


def test_xliff_import_of_a_fifo_is_named(built, tmp_path):
    fifo = tmp_path / "alpha.fr.xlf"
    os.mkfifo(fifo)
    before = (built / "locale/fr/LC_MESSAGES/alpha.po").read_bytes()
    code, said = _cli(built, "xliff", "import", str(fifo))
    assert code == 4 and "Traceback" not in said, said
    assert "cannot read the file: it is a named pipe" in said and str(fifo) in said, said
    assert (built / "locale/fr/LC_MESSAGES/alpha.po").read_bytes() == before


def test_a_fifo_in_the_hints_place_is_named(built, tmp_path):
    essay = tmp_path / "gamma.md"
    essay.write_text("# Gamma\n\nOne sentence here. Another one there.\n", encoding="utf-8")
    os.mkfifo(tmp_path / "gamma.md.hints.toml")
    code, said = _cli(built, "import", str(essay))
    assert code == 2 and "Traceback" not in said, said
    assert "cannot read the hints file: it is a named pipe" in said and \
        "gamma.md.hints.toml" in said, said
    assert not (built / "source/gamma.xml").exists()
