"""The command line: every command has --help with an example, is documented in the
README, and `python -m serge_publish` works like the console command."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from serge_publish import __version__
from serge_publish.cli import cli, main

ROOT = Path(__file__).resolve().parents[1]
COMMANDS = sorted(cli.commands)


def test_the_commands_we_promise_exist():
    assert {"init", "import", "validate", "extract", "update", "status", "pseudo",
            "build"} <= set(COMMANDS)


@pytest.mark.parametrize("name", COMMANDS)
def test_help_has_an_example(name, capsys):
    assert main([name, "--help"]) == 0
    out = capsys.readouterr().out
    assert "Example" in out and f"serge-publish {name}" in out


@pytest.mark.parametrize("name", COMMANDS)
def test_readme_documents_every_command(name):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"serge-publish {name}" in readme


def test_version_and_module_entry_point():
    done = subprocess.run([sys.executable, "-m", "serge_publish", "--version"],
                          capture_output=True, text=True, check=True)
    assert __version__ in done.stdout


def test_the_program_exits_with_its_commands_code_and_what_it_holds_frozen(monkeypatch):
    """``run`` (the console script and ``python -m``): main's exit code, after
    gc.freeze (Python's last collection then walks none of what the process holds);
    a failing command's code comes through it too."""
    import gc

    from serge_publish import cli as cli_module
    frozen: list[bool] = []
    monkeypatch.setattr(cli_module, "main", lambda: 3)
    monkeypatch.setattr(gc, "freeze", lambda: frozen.append(True))
    with pytest.raises(SystemExit) as ended:
        cli_module.run()
    assert ended.value.code == 3 and frozen == [True]
    done = subprocess.run([sys.executable, "-m", "serge_publish", "import", "--nope"],
                          capture_output=True, text=True)
    assert done.returncode == 2 and "No such option" in done.stderr


def test_unknown_option_is_a_clear_message(capsys):
    assert main(["import", "--nope"]) == 2
    err = capsys.readouterr().err
    assert "No such option" in err and "Traceback" not in err
