"""Errors and diagnostics. Every error names where (file:line or segment id) and what to do.

Errors are raised as ``PublishError`` (or a subclass) and caught and printed in exactly
one place: ``cli.main``. Warnings are collected as ``Diagnostic`` objects in a ``Report``.
"""
from __future__ import annotations

from dataclasses import dataclass, field


class PublishError(Exception):
    """A user-facing failure. ``where`` is "file:line" or a segment id; ``hint`` says what to do."""
    exit_code = 1
    code = "error"

    def __init__(self, message: str, where: str | None = None, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.where = where
        self.hint = hint

    def __str__(self) -> str:
        text = f"{self.where}: {self.message}" if self.where else self.message
        return f"{text}\n  hint: {self.hint}" if self.hint else text


class InputError(PublishError):
    """Bad input file (unreadable, wrong format, invalid)."""
    code = "input"
    exit_code = 2


class SourceError(PublishError):
    """An invalid source/<essay>.xml."""
    code = "source"
    exit_code = 3


class CatalogError(PublishError):
    """A broken .po/.pot file."""
    code = "catalog"
    exit_code = 4


class ProjectError(PublishError):
    """No project, bad configuration, refusing to overwrite..."""
    code = "project"
    exit_code = 5


class BuildError(PublishError):
    """A build could not be completed."""
    code = "build"
    exit_code = 6


@dataclass(frozen=True)
class Diagnostic:
    code: str                 # stable, e.g. "import.encoding-repaired"
    message: str
    where: str = ""           # "file:line" or segment id
    severity: str = "warning"  # "warning" or "info"

    def __str__(self) -> str:
        prefix = f"{self.where}: " if self.where else ""
        return f"{prefix}{self.severity}: {self.message} [{self.code}]"


@dataclass
class Report:
    """Diagnostics collected during one command."""
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def warn(self, code: str, message: str, where: str = "") -> None:
        self.diagnostics.append(Diagnostic(code, message, where, "warning"))

    def info(self, code: str, message: str, where: str = "") -> None:
        self.diagnostics.append(Diagnostic(code, message, where, "info"))

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "warning"]
