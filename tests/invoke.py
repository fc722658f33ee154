"""Running the CLI in tests: one helper shared by every CLI test module."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from typer.testing import CliRunner, Result

from hukoucalc.cli import app


def run(runner: CliRunner, *args: str | Path) -> Result:
    """Invoke the CLI; fail on any traceback or exception that escaped the error handling."""
    result = runner.invoke(app, [str(a) for a in args])
    assert "Traceback" not in result.stdout, result.stdout
    assert "Traceback" not in result.stderr, result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    return result


def flat(text: str) -> str:
    """Whitespace (and table borders) collapsed, so assertions hold however Rich drew it."""
    return " ".join(text.translate(str.maketrans("│┃┆", "   ")).split())


def assert_error(result: Result, code: int, *expected: str) -> None:
    """Exit code, nothing on stdout, one 'error:' message on stderr holding every expected text."""
    assert result.exit_code == code, (result.exit_code, result.stdout, result.stderr)
    assert result.stdout == ""
    message = flat(result.stderr)
    assert message.startswith("error: "), message
    for text in expected:
        assert text in message, f"{text!r} not in {message!r}"


TODAY = dt.date.today()  # the day library calls in tests validate against: the CLI's default
