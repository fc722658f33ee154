"""Every error hukoucalc raises on purpose, and the exit code each one maps to.

The core raises these with the file, the row or key, and the field in the message; only the
CLI catches them (see :mod:`hukoucalc.cli`). Anything else escaping is a bug and shows a
traceback only in debug mode.

The library never names a command-line option: where a message is about a value the caller gave
(the projection's ``until``, the ``schemes`` compared), it holds a mark, :func:`option`, naming
the library's parameter; the error lists them in :attr:`HukoucalcError.options`, and whoever
shows it words them: the CLI as its options (``cli.common.OPTIONS``),
:meth:`HukoucalcError.render` with no names as the parameter itself.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from enum import IntEnum

_MARK = "\x00"  # never in a path, an argument or a message of the library's own
_MARKED = re.compile(f"{_MARK}([a-z_]+){_MARK}")


Options = Mapping[str, str]
"""The caller's name for each parameter (the CLI: its option's): how marks are worded."""


def option(parameter: str) -> str:
    """A mark in an error's message or ``where`` standing for the caller's name of
    ``parameter`` (a library parameter, ``until``; the CLI shows the option that sets it)."""
    return f"{_MARK}{parameter}{_MARK}"


def word_options(text: str, names: Options | None = None) -> str:
    """``text`` with each :func:`option` mark replaced by its name in ``names``, else by the
    parameter itself."""
    table = names or {}
    return _MARKED.sub(lambda m: table.get(m.group(1), m.group(1)), text)


class ExitCode(IntEnum):
    """Documented exit codes (README, "Exit codes")."""

    OK = 0
    CHECK_FAILED = 1  # `scheme check` found errors (the command itself worked)
    USAGE = 2  # bad command-line arguments (Typer/Click's own code)
    INPUT_FILE = 3  # a file is missing, unreadable, or not valid JSON/TOML/CSV
    SCHEME = 4  # a scheme is unknown or invalid
    APPLICANT = 5  # an applicant record is invalid for its scheme
    OUTPUT = 6  # an output file could not be written
    NOTHING_RANKED = 7  # `rank`: every row is invalid, or no applicant is eligible
    INTERNAL = 70  # a bug: please report it
    HANGUP = 129  # SIGHUP: stopped, temporary files removed, no output changed
    INTERRUPTED = 130  # Ctrl-C (SIGINT): stopped, no output changed
    TERMINATED = 143  # SIGTERM: stopped, temporary files removed, no output changed


class HukoucalcError(Exception):
    """Base of the errors that hukoucalc reports to a user as one clear message."""

    exit_code: ExitCode = ExitCode.INTERNAL

    def __init__(self, message: str, *, where: str | None = None) -> None:
        self.message = message
        self.where = where
        super().__init__(self.render())

    @property
    def options(self) -> tuple[str, ...]:
        """The library parameters the message refers to (see :func:`option`), in order."""
        found = _MARKED.findall(f"{self.where or ''}\n{self.message}")
        return tuple(dict.fromkeys(found))

    def render(self, names: Options | None = None) -> str:
        """The message, with ``where`` first; each parameter mark worded by ``names`` (the
        CLI's options), else as the parameter itself."""
        text = f"{self.where}: {self.message}" if self.where else self.message
        return word_options(text, names)


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
