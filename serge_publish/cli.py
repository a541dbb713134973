"""The command line: the only module that imports click. Each command is a few lines
that parse options, call one function in ``serge_publish.commands`` and print its result.
Errors are caught and printed in exactly one place: ``main``.
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from . import __version__
from .errors import PublishError

# The project and its configuration are imported by the commands that read them:
# --version and --help read none of it.
if TYPE_CHECKING:
    from .errors import Report
    from .project import Project


def _project(ctx: click.Context) -> Project:
    """The project, with an import a kill interrupted completed first (and said so)."""
    from .project import find_project
    project = find_project(ctx.obj.get("project_dir"))
    if not project.journal_path.is_file():      # the usual case: nothing to complete
        return project
    from .journal import recover
    label = recover(project.journal_path, project.root)
    if label is not None:
        click.echo(f"warning: {project.journal_path}: an interrupted {label} was completed",
                   err=True)
    return project


def _warn_locale(project: Project) -> Project:
    """Warn about folders under locale/ whose catalogues would never be read, and about
    templates and catalogues named after no essay."""
    for diagnostic in project.unread_locale():
        click.echo(str(diagnostic), err=True)
    return project


def _print_report(report: Report) -> None:
    for diagnostic in report.diagnostics:
        click.echo(str(diagnostic), err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="serge-publish")
@click.option("--project", "project_dir", type=click.Path(file_okay=False, path_type=Path),
              help="The project folder (default: the nearest folder, from the current "
                   "one upwards, holding serge-publish.toml).")
@click.pass_context
def cli(ctx: click.Context, project_dir: Path | None) -> None:
    """Import essays, translate them with gettext catalogues, publish EPUB and HTML editions.

    \b
    A typical session:
      serge-publish import essay.txt --id my-essay
      serge-publish extract
      serge-publish update --lang fr
      (translate locale/fr/LC_MESSAGES/my-essay.po in Poedit)
      serge-publish build
    """
    ctx.ensure_object(dict)
    ctx.obj["project_dir"] = project_dir


@cli.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--name", default="Untitled project", show_default=True, help="Project name.")
@click.option("--publisher", default="", help="The publisher's name, for the editions.")
@click.option("--source-lang", default="en", show_default=True,
              help="Language of the essays (BCP 47).")
@click.option("--lang", "langs", multiple=True, help="A target language; repeat for more.")
def init(directory: Path, name: str, publisher: str, source_lang: str,
         langs: tuple[str, ...]) -> None:
    """Create a new, empty publishing project in DIRECTORY.

    \b
    Example:
      serge-publish init my-essays --name "Essays" --publisher "Small Press" --lang fr --lang de
    """
    from .commands.init import init_command
    project = init_command(directory, name, publisher, source_lang, langs)
    click.echo(f"created project {project.config.name!r} in {project.root}")


@cli.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--id", "essay_id", help="Essay id (default: from the file name).")
@click.option("--format", "fmt", type=click.Choice(["auto", "text", "markdown", "html"]),
              default="auto", show_default=True, help="Input format (auto: by extension).")
@click.option("--lang", help="Language of the essay (default: the project's source language).")
@click.option("--hints", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="Hints file steering the plain-text importer (default: FILE.hints.toml).")
@click.option("--force", is_flag=True, help="Re-import over an existing source, keeping ids.")
@click.pass_context
def import_(ctx: click.Context, file: Path, essay_id: str | None, fmt: str, lang: str | None,
            hints: Path | None, force: bool) -> None:
    """Import an essay (plain text, Markdown or HTML) into source/ID.xml.

    \b
    Example:
      serge-publish import ~/Downloads/essay.txt --id serge-borders
    """
    from .commands.import_ import import_command
    result = import_command(_project(ctx), file, essay_id, fmt, lang, force, hints)
    _print_report(result.report)
    found = ", ".join(f"{n} {k if n != 1 else k.rstrip('s')}"
                      for k, n in result.counts.items() if n)
    kept = f"; {result.kept_ids} segment ids kept" if force else ""
    click.echo(f"wrote {result.path}: {found}{kept}")


@cli.command()
@click.argument("essays", nargs=-1)
@click.pass_context
def validate(ctx: click.Context, essays: tuple[str, ...]) -> None:
    """Check every source (or the ESSAYS named) against the schema and the id rules.

    \b
    Example:
      serge-publish validate
    """
    from .commands.validate import validate_command
    for line in validate_command(_project(ctx), essays):
        click.echo(line)


JOBS = click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
                    help="Processes to use (default: all cores, or this one alone when the "
                         "work is small: about a CPU second); the output is the same.")


@cli.command()
@click.argument("essays", nargs=-1)
@JOBS
@click.pass_context
def extract(ctx: click.Context, essays: tuple[str, ...], jobs: int | None) -> None:
    """Write the template locale/ESSAY.pot of every essay (or of the ESSAYS named).

    A template whose only change would be its date is left as it is; one whose source
    is as the last run left it is not rendered again (.serge-cache/ records it).

    \b
    Example:
      serge-publish extract
    """
    from .commands.catalog import extract_command
    for result in extract_command(_project(ctx), essays, jobs=jobs):
        state = "wrote" if result.written else "unchanged"
        click.echo(f"{state} {result.path} ({result.entries} messages)")


@cli.command()
@click.argument("essays", nargs=-1)
@click.option("--lang", "langs", multiple=True,
              help="A language (BCP 47 fr, pt-BR or gettext pt_BR); repeat for more. "
                   "Default: the project's target languages.")
@click.option("--compendium", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="A .po file whose translations are offered (fuzzy) for close matches.")
@JOBS
@click.pass_context
def update(ctx: click.Context, essays: tuple[str, ...], langs: tuple[str, ...],
           compendium: Path | None, jobs: int | None) -> None:
    """Refresh the templates, then create or merge locale/LANG/LC_MESSAGES/ESSAY.po,
    keeping every translation (edited sentences become fuzzy, removed ones obsolete).
    A catalogue whose inputs are as the last run left them is not merged again.

    \b
    Example:
      serge-publish update --lang fr --lang pt_BR
    """
    from .commands.catalog import update_command
    for result in update_command(_warn_locale(_project(ctx)), langs, essays, compendium,
                                 jobs=jobs):
        for warning in result.warnings:
            click.echo(str(warning), err=True)
        click.echo(result.summary())


@cli.command()
@click.option("--lang", "langs", multiple=True,
              help="A language; repeat for more. Default: configured and present ones.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@click.pass_context
def status(ctx: click.Context, langs: tuple[str, ...], as_json: bool) -> None:
    """Translated, fuzzy and untranslated segments and words per language and essay.

    \b
    Example:
      serge-publish status --lang fr --json
    """
    from .commands.catalog import status_command, status_json, status_table
    result = status_command(_warn_locale(_project(ctx)), langs)
    click.echo(status_json(result) if as_json else status_table(result))


@cli.command()
@click.argument("essays", nargs=-1)
@click.option("--lang", "langs", multiple=True,
              help="A language; repeat for more. Default: configured and present ones.")
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
@click.option("--json", "as_json", is_flag=True, help="Print the findings as JSON.")
@click.pass_context
def check(ctx: click.Context, essays: tuple[str, ...], langs: tuple[str, ...], strict: bool,
          as_json: bool) -> None:
    """Check the sources and every translation (tags, numbers, punctuation, note calls,
    glossary, consistency, catalogue syntax); exit 1 on errors (--strict: on warnings).

    \b
    Examples:
      serge-publish check --lang fr
      serge-publish check --strict --json
    """
    from .commands.check import check_command, check_json
    result = check_command(_project(ctx), langs, essays, strict)
    if as_json:
        click.echo(check_json(result))
    else:
        for finding in result.findings:
            click.echo(str(finding))
        click.echo(result.summary(), err=True)
    result.raise_if_failed()


@cli.command()
@click.argument("essays", nargs=-1)
@click.option("--lang", default="qps", show_default=True,
              help="The pseudo language (a private-use code).")
@click.pass_context
def pseudo(ctx: click.Context, essays: tuple[str, ...], lang: str) -> None:
    """Fill locale/qps/ catalogues with a visibly altered, longer text of every segment,
    to check that every segment reaches every output.

    \b
    Example:
      serge-publish pseudo
    """
    from .commands.catalog import pseudo_command
    for result in pseudo_command(_project(ctx), lang, essays):
        click.echo(f"{'wrote' if result.written else 'unchanged'} {result.path}")


@cli.command()
@click.option("--lang", "langs", multiple=True,
              help="A language to build (BCP 47; repeat for more). Default: the source "
                   "language and every target language.")
@click.option("--format", "formats", multiple=True, type=click.Choice(["epub", "html"]),
              help="An output format; repeat for both. Default: epub and html.")
@click.option("--essay", "essays", multiple=True,
              help="An essay to build (repeat for more). Default: all; the anthology is "
                   "rebuilt only when every essay is.")
@click.option("--threshold", type=float,
              help="Publish a language from this % of words translated (default: the "
                   "configuration's, 80).")
@click.option("--use-fuzzy", is_flag=True, help="Use fuzzy translations too.")
@click.option("--include-comments/--no-comments", default=None,
              help="Put reader comments into the editions (default: the configuration's).")
@click.option("--force", is_flag=True,
              help="Render every output again, even those whose inputs did not change.")
@click.option("--jobs", "-j", type=click.IntRange(min=1),
              help="Worker processes (default: every core); the bytes are the same "
                   "whatever the number.")
@click.option("--strict", is_flag=True,
              help="Exit non-zero when there is any warning (for CI): 3 about a source, "
                   "4 about a catalogue, 5 about published.toml, 6 otherwise.")
@click.pass_context
def build(ctx: click.Context, langs: tuple[str, ...], formats: tuple[str, ...],
          essays: tuple[str, ...], threshold: float | None, use_fuzzy: bool,
          include_comments: bool | None, force: bool, jobs: int | None,
          strict: bool) -> None:
    """Build the EPUB and HTML editions under build/ (layout and options: docs/build.md).
    Only what changed since the last build is rendered again.

    \b
    Examples:
      serge-publish build
      serge-publish build --lang fr --format html --threshold 50
      serge-publish pseudo && serge-publish build --lang qps
      serge-publish build --strict        (in CI: fail on any warning)
    """
    from .commands.build import BuildOptions, build_command, strict_failure
    from .commands.build_report import BuildProgress, print_summary
    options = BuildOptions(langs, formats, essays, threshold, use_fuzzy, include_comments,
                           force, jobs)
    result = build_command(_project(ctx), options, BuildProgress())   # (its report: strays)
    _print_report(result.report)
    print_summary(result)
    failure = strict_failure(result.report) if strict else None
    if failure is not None:
        raise failure


@cli.command()
@click.argument("essays", nargs=-1)
@click.option("--lang", required=True, help="The language to preview (BCP 47).")
@click.option("--use-fuzzy", is_flag=True, help="Use fuzzy translations, as build --use-fuzzy.")
@click.pass_context
def preview(ctx: click.Context, essays: tuple[str, ...], lang: str, use_fuzzy: bool) -> None:
    """Write build/preview/LANG/ESSAY.html: the edition with every segment shown in the
    original marked (untranslated, fuzzy, invalid and why), each segment's id and
    catalogue line on hover, a link to the catalogue.

    \b
    Example:
      serge-publish preview --lang fr
    """
    from .commands.preview import preview_command
    _echo_pages(preview_command(_warn_locale(_project(ctx)), lang, essays, use_fuzzy))


@cli.command()
@click.argument("languages", metavar="SOURCE,TARGET")
@click.argument("essays", nargs=-1)
@click.option("--use-fuzzy", is_flag=True, help="Use fuzzy translations, as build --use-fuzzy.")
@click.pass_context
def bilingual(ctx: click.Context, languages: str, essays: tuple[str, ...],
              use_fuzzy: bool) -> None:
    """Write build/bilingual/SOURCE-TARGET/ESSAY.html and .epub: the original and the
    translation paragraph by paragraph (side by side on wide screens).

    \b
    Example:
      serge-publish bilingual en,fr
    """
    from .commands.preview import bilingual_command
    _echo_pages(bilingual_command(_warn_locale(_project(ctx)), languages, essays, use_fuzzy))


def _echo_pages(result) -> None:
    _print_report(result.report)
    for path in result.outputs:
        click.echo(f"wrote {path}")
    for essay, counts in sorted(result.fallbacks.items()):
        shown = ", ".join(f"{n} {state}" for state, n in sorted(counts.items())) or "none"
        click.echo(f"{essay}: shown in the original: {shown}")


@cli.group()
def xliff() -> None:
    """XLIFF 1.2 files for CAT tools (OmegaT, Trados, memoQ, Phrase): export, import.

    \b
    Example:
      serge-publish xliff export --lang fr
      (translate xliff/fr/*.xlf in the CAT tool)
      serge-publish xliff import xliff/fr/*.xlf
    """


@xliff.command("export")
@click.argument("essays", nargs=-1)
@click.option("--lang", required=True, help="The language of the catalogues to export.")
@click.option("--output", type=click.Path(file_okay=False, path_type=Path),
              help="The folder to write ESSAY.LANG.xlf into (default: xliff/LANG in the project).")
@click.pass_context
def xliff_export(ctx: click.Context, essays: tuple[str, ...], lang: str,
                 output: Path | None) -> None:
    """Write one XLIFF 1.2 file per essay from its catalogue in LANG.

    \b
    Example:
      serge-publish xliff export --lang fr --output ~/omegat/fr/source
    """
    from .commands.xliff import export_command
    for result in export_command(_project(ctx), lang, output, essays):
        click.echo(f"wrote {result.path} ({result.units} units)")


@xliff.command("import")
@click.argument("files", nargs=-1, required=True,
                type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("--force", is_flag=True,
              help="Take the XLIFF's translation even where the catalogue's changed since "
                   "the export.")
@click.pass_context
def xliff_import(ctx: click.Context, files: tuple[Path, ...], force: bool) -> None:
    """Merge the targets of XLIFF FILES back into the catalogues, by segment id.

    \b
    Example:
      serge-publish xliff import ~/omegat/fr/target/*.xlf
    """
    from .commands.xliff import import_command, raise_if_skipped
    results = import_command(_project(ctx), files, force)
    for result in results:
        for finding in result.findings:
            click.echo(str(finding), err=True)
        click.echo(result.summary())
    raise_if_skipped(results)


@cli.command()
@click.option("--version", "version", default="",
              help="The release's version: letters, digits, '.', '-', '+' and '_', from a "
                   "letter or a digit, at most 64 characters, e.g. 1.0 or 2024.05-rc1 "
                   "(default: the date of its latest edition).")
@click.option("--strict", is_flag=True,
              help="For CI: exit non-zero when the release met any warning (the bundle is "
                   "written all the same), with build --strict's codes: 3 about a source, "
                   "4 about a catalogue, 5 about published.toml, 6 otherwise.")
@click.pass_context
def release(ctx: click.Context, version: str, strict: bool) -> None:
    """Assemble build/dist/: every published EPUB, the static site, OPDS feeds,
    release.json and SHA256SUMS (details: docs/release.md).

    \b
    Example:
      serge-publish release --version 1.0 && (cd build/dist && sha256sum -c SHA256SUMS)
      serge-publish release --strict      (in CI: fail on any warning)
    """
    from .commands.build import strict_failure
    from .commands.release import release_command
    result = release_command(_project(ctx), version)      # (its report: stray catalogues)
    _print_report(result.report)
    click.echo(f"release {result.version}: {len(result.files)} files in {result.dist}")
    failure = strict_failure(result.report, "release", "the bundle was written") \
        if strict else None
    if failure is not None:
        raise failure


@cli.command()
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535),
              help="The port on 127.0.0.1 (0: any free port).")
@click.pass_context
def serve(ctx: click.Context, port: int) -> None:
    """Serve the release's site on http://127.0.0.1:PORT/ and rebuild it when a source,
    a catalogue or the configuration changes (Ctrl-C stops).

    \b
    Example:
      serge-publish serve --port 8000
    """
    import threading

    from .commands.serve import serve_command
    stop = threading.Event()
    try:
        serve_command(_project(ctx), port, stop,
                      lambda event: click.echo(f"{event.kind}: {event.message}", err=True))
    except KeyboardInterrupt:       # (serve_command has stopped its server on the way out;
        # ``stop`` is not set: the interrupt may have come inside its wait and left its
        # lock held, and setting it would then block for ever)
        click.echo("stopped", err=True)


def main(argv: list[str] | None = None) -> int:
    """Entry point: runs the CLI and turns every PublishError into a clear message."""
    try:
        cli.main(args=argv, prog_name="serge-publish", standalone_mode=False)
    except PublishError as exc:
        click.echo(f"error: {exc}", err=True)
        return exc.exit_code
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        return 130
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        return 130
    except OSError as exc:      # a last resort: each command handles the failures it expects
        from . import atomic
        where = f"{exc.filename}: " if exc.filename else ""
        hint = atomic.NOT_A_FILE_HINT if isinstance(exc, atomic.NotAFileError) else \
            "check that the file or folder named can be read and written (permissions, " \
            "free space)"
        click.echo(f"error: {where}{exc.strerror or exc}\n  hint: {hint}, then run the "
                   "command again", err=True)
        return 1
    return 0


def run() -> None:
    """The program (``serge-publish``, ``python -m serge_publish``): :func:`main`, then
    the process's exit, with every object it still holds frozen out of the collector's
    sight first (``gc.freeze``): Python's last collection at exit would otherwise walk
    them all to free what the process ends anyway, some 50 ms after a build at N=200,
    L=10. ``atexit`` still runs, and objects are still freed as their references go;
    only those in reference cycles are left to the end of the process, as they may be at
    any exit: nothing is left unwritten (every file is closed where it is written)."""
    import gc
    code = main()
    gc.freeze()
    sys.exit(code)


if __name__ == "__main__":  # pragma: no cover
    run()
