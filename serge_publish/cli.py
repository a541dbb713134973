"""The command line: the only module that imports click. Each command is a few lines
that parse options, call one function in ``serge_publish.commands`` and print its result.
Errors are caught and printed in exactly one place: ``main``.
"""
from __future__ import annotations

import sys
from pathlib import Path

import click

from . import __version__
from .errors import PublishError, Report
from .project import Project, find_project


def _project(ctx: click.Context) -> Project:
    return find_project(ctx.obj.get("project_dir"))


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
    found = ", ".join(f"{n} {k}" for k, n in result.counts.items())
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
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
