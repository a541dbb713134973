"""The build's summary printed without rich (issue 8: importing rich and letting it lay out
the table cost more than a build with nothing to do): the same text rich prints on a
console that is not a terminal, or rich itself where the text is not plain."""
from __future__ import annotations

import io
import random

import pytest
from rich.console import Console

from serge_publish.commands import build_report
from serge_publish.commands.build_report import SUMMARY_WIDTH, Summary, plain_table

COLUMNS = (("Language", "left"), ("Essay", "left"), ("Translated", "right"),
           ("Fell back", "left"), ("Result", "left"))


def _rich(table: Summary, width: int = SUMMARY_WIDTH) -> str:
    out = io.StringIO()
    console = Console(file=out, width=width)
    assert not console.is_terminal
    console.print(table.table())
    return out.getvalue()


def _table(rows: list[tuple[str, ...]], title: str = "Editions",
           columns: tuple[tuple[str, str], ...] = COLUMNS) -> Summary:
    table = Summary(title, columns)
    for row in rows:
        table.add_row(*row)
    return table


def test_a_summary_as_rich_prints_it():
    table = _table([("en", "essay-0001", "source", "none", "built epub, html"),
                    ("fr", "essay-0001", "85.5% (171/200 words)", "3 untranslated, 1 fuzzy",
                     "built epub"),
                    ("fr", "anthology", "", "", "built epub")])
    assert plain_table(table) == _rich(table)


@pytest.mark.parametrize("seed", range(300))
def test_random_tables_as_rich_prints_them(seed):
    rng = random.Random(seed)
    alphabet = "abcdefghij XYZ0123456789-.,;%()/:'\"!?_#"
    columns = tuple((f"Col{n}" * rng.randint(0, 2) or "C", rng.choice(("left", "right")))
                    for n in range(rng.randint(1, 6)))
    rows = [tuple("".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
                  for _ in columns) for _ in range(rng.randint(0, 12))]
    table = _table(rows, rng.choice(("Editions", "Editions, by language", "T")), columns)
    text = plain_table(table)
    if text is not None:
        assert text == _rich(table)


def test_the_widest_table_that_fits_and_the_first_that_does_not():
    def table(width: int) -> Summary:
        return _table([("en", "e", "1", "none", "x" * width)])
    fits = next(w for w in range(200, 0, -1) if plain_table(table(w)) is not None)
    assert plain_table(table(fits)) == _rich(table(fits))
    assert max(map(len, _rich(table(fits)).splitlines())) == SUMMARY_WIDTH
    assert plain_table(table(fits + 1)) is None         # rich wraps it: rich prints it


@pytest.mark.parametrize("cell", ["[bold]x[/bold]", "a :smile: b", "essai é", "tab\there",
                                  "a:b:c", "\\[x]"])
def test_what_rich_might_read_otherwise_is_left_to_rich(cell):
    assert plain_table(_table([("en", cell, "", "", "")])) is None


def test_print_summary_without_rich_prints_what_rich_prints(monkeypatch, capsys):
    from tests.test_build_summary_compact import _result
    result = _result(20)
    monkeypatch.setattr(build_report, "_plain_stdout", lambda: True)
    build_report.print_summary(result)
    plain = capsys.readouterr().out
    out = io.StringIO()
    build_report.print_summary(result, Console(file=out, width=SUMMARY_WIDTH))
    assert plain == out.getvalue() and "files written under build/" in plain


def test_a_terminal_or_an_environment_saying_so_is_left_to_rich(monkeypatch):
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.delenv("TTY_COMPATIBLE", raising=False)
    monkeypatch.delenv("TTY_INTERACTIVE", raising=False)
    monkeypatch.setattr("sys.stdout", io.StringIO())
    assert build_report._plain_stdout()
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert not build_report._plain_stdout()
    monkeypatch.delenv("FORCE_COLOR")

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True
    monkeypatch.setattr("sys.stdout", Terminal())
    assert not build_report._plain_stdout()
