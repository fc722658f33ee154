"""Every error hukoucalc raises on purpose, and the exit code each one maps to.

The core raises these with the file, the row or key, and the field in the message; only the
CLI catches them (see :mod:`hukoucalc.cli`). Anything else escaping is a bug and shows a
traceback only with ``--debug``.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Documented exit codes (README, "Exit codes")."""

    OK = 0
    CHECK_FAILED = 1  # `scheme check` found errors (the command itself worked)
    USAGE = 2  # bad command-line arguments (Typer/Click's own code)
    INPUT_FILE = 3  # a file is missing, unreadable, or not valid JSON/TOML/CSV
    SCHEME = 4  # a scheme is unknown or invalid
    APPLICANT = 5  # an applicant record is invalid for its scheme
    OUTPUT = 6  # an output file could not be written
    INTERNAL = 70  # a bug: please report it


class HukoucalcError(Exception):
    """Base of the errors that hukoucalc reports to a user as one clear message."""

    exit_code: ExitCode = ExitCode.INTERNAL

    def __init__(self, message: str, *, where: str | None = None) -> None:
        self.message = message
        self.where = where
        super().__init__(self.render())

    def render(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


class InputFileError(HukoucalcError):
    """A file could not be found, read or parsed."""

    exit_code = ExitCode.INPUT_FILE


class SchemeError(HukoucalcError):
    """A scheme is unknown, or its file breaks the scheme language."""

    exit_code = ExitCode.SCHEME


class ApplicantError(HukoucalcError):
    """An applicant record does not fit the fields its scheme declares."""

    exit_code = ExitCode.APPLICANT


class OutputError(HukoucalcError):
    """An output file could not be written."""

    exit_code = ExitCode.OUTPUT


class UsageError(HukoucalcError):
    """Command-line arguments that parse but do not make sense together."""

    exit_code = ExitCode.USAGE
