"""Running the CLI in tests: one helper shared by every CLI test module."""

from __future__ import annotations

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
