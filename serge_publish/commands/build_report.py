"""What ``serge-publish build`` tells: a progress display on stderr (only on a terminal),
a summary table, and ``build/build-report.json`` (what was built, what fell back and why).

The JSON report holds no time and no absolute path: two builds of the same inputs write
the same report.
"""
from __future__ import annotations

import builtins
import os
import re
import sys
from typing import TYPE_CHECKING, Any

from .. import jsonio
from .build_plan import percent_text

if TYPE_CHECKING:       # (rich is imported when it shows: on a terminal, see print_summary)
    from rich.console import Console
    from rich.progress import Progress, TaskID
    from rich.table import Table

    from .build import BuildResult
    from .build_plan import EditionPlan


class BuildProgress:
    """A spinner with the current step, on stderr; silent unless stderr is a terminal."""

    def __init__(self, enabled: bool | None = None) -> None:
        self._console: Console | None = None
        if enabled is None:     # rich is asked only when stderr might be a terminal
            enabled = not os.environ.get("CI") and _maybe_terminal(sys.stderr) \
                and self.console.is_terminal
        self.enabled = enabled
        self._progress: Progress | None = None
        self._task: TaskID | None = None

    @property
    def console(self) -> Console:
        if self._console is None:
            from rich.console import Console
            self._console = Console(stderr=True)
        return self._console

    @console.setter
    def console(self, console: Console) -> None:
        self._console = console

    def __enter__(self) -> BuildProgress:
        if self.enabled:
            from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
            self._progress = Progress(SpinnerColumn(), TextColumn("{task.completed} steps"),
                                      TextColumn("{task.description}"), TimeElapsedColumn(),
                                      console=self.console, transient=True)
            self._progress.start()
            self._task = self._progress.add_task("reading", total=None)
        return self

    def tick(self, text: str) -> None:
        if self._progress is not None and self._task is not None:
            self._progress.update(self._task, description=text, advance=1)

    def __exit__(self, *exc) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None


def _maybe_terminal(stream: Any) -> bool:
    """False when rich's Console would certainly not take ``stream`` for a terminal: it
    says it is none, and no variable of the environment tells rich otherwise."""
    if any(name in os.environ for name in ("FORCE_COLOR", "TTY_COMPATIBLE")):
        return True
    try:
        return stream is not None and stream.isatty()
    except (AttributeError, ValueError):
        return False


def _outputs_of(result: BuildResult, lang: str, essay: str) -> list[str]:
    return result.outputs_of(lang, essay)


def _fallback_text(item: EditionPlan) -> str:
    """What is shown in the source language: the real fallbacks (a fuzzy translation used
    with --use-fuzzy is not one); "all" when no catalogue could be used."""
    counts = item.fell_back
    parts = [f"{counts[s]} {s}" for s in ("untranslated", "fuzzy", "invalid") if counts.get(s)]
    if not item.buildable and parts:
        return "all: " + ", ".join(parts)
    return ", ".join(parts) or "none"


def _result_text(result: BuildResult, item: EditionPlan) -> str:
    outputs = _outputs_of(result, item.lang, item.essay)
    kept = " (below the threshold, listed in published.toml)" if item.kept else ""
    if outputs:
        return "built " + ", ".join(p.rsplit(".", 1)[1] for p in outputs) + kept
    if item.published:
        return "published (not selected in this run)" + kept
    return f"skipped: {item.reason}"


COMPACT_OVER = 300        # more editions than this: one row per language
SUMMARY_WIDTH = 110       # the summary's width when it is not printed on a terminal


class Summary:
    """The summary's table as data: a title, the columns (name, justify) and the rows of
    text; printed with rich (:meth:`table`) or, where rich would print plain text, as that
    same text without it (:func:`plain_table`: importing rich and letting it lay out a
    hundred rows costs more than a build with nothing to do)."""

    def __init__(self, title: str, columns: tuple[tuple[str, str], ...]) -> None:
        self.title, self.columns = title, columns
        self.rows: list[tuple[str, ...]] = []

    def add_row(self, *cells: str) -> None:
        self.rows.append(cells)

    def table(self) -> Table:
        from rich import box
        from rich.table import Table
        table = Table(title=self.title, box=box.SIMPLE, title_justify="left")
        for name, justify in self.columns:
            table.add_column(name, justify=justify)     # type: ignore[arg-type]
        for row in self.rows:
            table.add_row(*row)
        return table


def summary_table(result: BuildResult) -> Table:
    """The summary as a rich Table (see :func:`summary`)."""
    return summary(result).table()


def summary(result: BuildResult) -> Summary:
    """One row per edition and one per anthology; one per language when the build has
    more than COMPACT_OVER editions (a table of thousands of rows says nothing)."""
    plan = result.plan
    if len(plan.langs) * len(plan.essays) > COMPACT_OVER:
        return _language_table(result)
    table = Summary("Editions", tuple(
        (name, "right" if name == "Translated" else "left")
        for name in ("Language", "Essay", "Translated", "Fell back", "Result")))
    for lang in plan.langs:
        for essay in plan.essays:
            item = plan.editions[(lang, essay)]
            translated = "source" if item.reason == "source language" else \
                f"{percent_text(item.percent, result.threshold)}% " \
                f"({item.words_translated}/{item.words_total} words)"
            table.add_row(lang, essay, translated, _fallback_text(item),
                          _result_text(result, item))
        anthology = f"build/{lang}/anthology.epub"
        table.add_row(lang, "anthology", "", "",
                      "built epub" if result.has(anthology)
                      else result.notes.get(lang, "not built"))
    return table


def _language_table(result: BuildResult) -> Summary:
    """Per language: its essays, how many are published and built, the segments shown in
    the source language (by state), and its anthology."""
    plan = result.plan
    table = Summary("Editions, by language", tuple(
        (name, "right" if name in ("Essays", "Published") else "left")
        for name in ("Language", "Essays", "Published", "Fell back", "Result")))
    for lang in plan.langs:
        items = [plan.editions[(lang, essay)] for essay in plan.essays]
        fell: dict[str, int] = {}
        for item in items:
            for state, count in item.fell_back.items():
                fell[state] = fell.get(state, 0) + count
        fell_text = ", ".join(f"{fell[s]} {s}" for s in ("untranslated", "fuzzy", "invalid")
                              if fell.get(s)) or "none"
        made = sum(1 for item in items if any(
            result.has(f"build/{lang}/{item.essay}.{fmt}") for fmt in ("epub", "html")))
        kept = sum(1 for item in items if item.kept)
        anthology = f"build/{lang}/anthology.epub"
        result_text = f"{made} essays built" + \
            (f" ({kept} below the threshold, listed in published.toml)" if kept else "") + \
            "; anthology: " + ("built epub" if result.has(anthology)
                               else result.notes.get(lang, "not built"))
        table.add_row(lang, str(len(items)), str(sum(1 for item in items if item.published)),
                      fell_text, result_text)
    return table


# What rich might read as markup ([bold]) or an emoji code (:smile:) rather than as text.
_RICH_SYNTAX = re.compile(r"\[|:\S*?:")


def _plain_text(text: str) -> bool:
    """Whether rich prints ``text`` as it is, one terminal cell a character (rich's
    wrapping drops a space at either end)."""
    return text.isascii() and text.isprintable() and text == text.strip(" ") \
        and not _RICH_SYNTAX.search(text)


def plain_table(table: Summary, width: int = SUMMARY_WIDTH) -> str | None:
    """The text rich prints for ``table`` (box.SIMPLE, title on the left) on a console
    ``width`` wide that is not a terminal (no colour, no style), when every cell is plain
    printable ASCII and the table fits without wrapping; None otherwise (rich lays it out).
    tests/test_build_summary_plain.py compares the two."""
    cells = [table.title, *(name for name, _ in table.columns),
             *(cell for row in table.rows for cell in row)]
    if not table.columns or not all(_plain_text(cell) for cell in cells):
        return None
    count = len(table.columns)
    if any(len(row) != count for row in table.rows):
        return None
    widths = [max([len(name), *(len(row[index]) for row in table.rows)])
              for index, (name, _) in enumerate(table.columns)]
    extra = 2 + count - 1                       # the edges, the dividers between columns
    if sum(widths) + 2 * count > width - extra:
        return None
    total = sum(widths) + 2 * count + extra
    if len(table.title) > total:
        return None

    def line(cells: tuple[str, ...]) -> str:
        shown = [cell.rjust(w) if justify == "right" else cell.ljust(w)
                 for cell, w, (_, justify) in zip(cells, widths, table.columns, strict=True)]
        return "  " + "   ".join(shown) + "  "

    lines = [table.title.ljust(total), " " * total,
             line(tuple(name for name, _ in table.columns)),
             " " + "\u2500".join("\u2500" * (w + 2) for w in widths) + " ",
             *(line(row) for row in table.rows), " " * total]
    return "\n".join(lines) + "\n"


def _plain_stdout() -> bool:
    """Whether rich's Console() would take standard output for something other than a
    terminal, print no colour and draw with Unicode: it is no terminal, nothing in the
    environment says otherwise (FORCE_COLOR, TTY_COMPATIBLE, a notebook's), and its
    encoding is UTF."""
    environ = os.environ
    if any(name in environ for name in ("FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE",
                                        "JUPYTER_COLUMNS", "JUPYTER_LINES")):
        return False
    stdout = sys.stdout
    try:
        if stdout is None or stdout.isatty():
            return False
    except (AttributeError, ValueError):
        return False
    encoding = (getattr(stdout, "encoding", "utf-8") or "utf-8").lower()
    return encoding.startswith("utf") and "get_ipython" not in dir(builtins)


def print_summary(result: BuildResult, console: Console | None = None) -> None:
    kept = len(result.outputs) - len(result.written)
    closing = (f"{len(result.written)} files written under build/"
               f"{f', {kept} up to date' if kept else ''}; "
               f"details in build/build-report.json")
    table = summary(result)
    if console is None and _plain_stdout() and _plain_text(closing) \
            and len(closing) <= SUMMARY_WIDTH:
        text = plain_table(table)
        if text is not None:
            sys.stdout.write(text + closing + "\n")
            sys.stdout.flush()
            return
    if console is None:
        from rich.console import Console
        console = Console()
        if not console.is_terminal:
            console = Console(width=SUMMARY_WIDTH)
    console.print(table.table())
    console.print(closing)


def render_report(data: dict) -> bytes:
    """The bytes of build-report.json: indented (it is read by people too), keys sorted,
    UTF-8 (see jsonio: the bytes ``json.dumps(data, ensure_ascii=False, indent=2,
    sort_keys=True)`` writes, encoded, for the values a report holds)."""
    return jsonio.dumps(data, indent=True)


def report_data(result: BuildResult, formats: tuple[str, ...], use_fuzzy: bool,
                include_comments: bool) -> dict:
    """What build-report.json says (see :func:`render_report`)."""
    plan = result.plan
    languages = {}
    stems = result.outputs_by_stem()
    for lang in plan.langs:
        essays = {}
        for essay in plan.essays:
            item = plan.editions[(lang, essay)]
            fell_back: dict[str, int] = {}      # item.fell_back, in the same pass
            fallbacks = []
            for f in item.fallbacks:
                fell_back[f.state] = fell_back.get(f.state, 0) + 1
                fallbacks.append({"id": f.id, "state": f.state, "where": f.where,
                                  "message": f.message})
            essays[essay] = {
                "published": item.published, "reason": item.reason,
                "catalogue": item.catalogue, "words_total": item.words_total,
                "words_translated": item.words_translated,
                "percent": float(percent_text(item.percent, 0.1)),
                "segments": dict(item.segments), "fell_back": fell_back,
                "fallbacks": fallbacks,
                "outputs": list(stems.get(f"build/{lang}/{essay}", ())),
            }
        anthology = f"build/{lang}/anthology.epub"
        languages[lang] = {"essays": essays, "anthology": anthology
                           if result.has(anthology) else result.notes.get(lang, "")}
    data = {
        "complete": True,                # false while a build writes (see build_write)
        "threshold": result.threshold, "formats": list(formats), "use_fuzzy": use_fuzzy,
        "include_comments": include_comments, "languages": languages,
        "outputs": result.outputs,
        "diagnostics": [str(d) for d in result.report.diagnostics],
    }
    return data
