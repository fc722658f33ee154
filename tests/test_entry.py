"""The console entry point (``hukoucalc.cli.main``), run as a real process: it ends the process
at once after the command (no interpreter tear-down), so the exit status and every byte of output
must still come through."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from hukoucalc import __version__, cli
from hukoucalc.cli import exit_status
from hukoucalc.errors import ExitCode

ROOT = Path(__file__).resolve().parent.parent


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "hukoucalc", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )


def test_output_and_status_come_through() -> None:
    done = _run("--version")
    assert (done.returncode, done.stdout, done.stderr) == (0, f"hukoucalc {__version__}\n", "")


def test_a_long_output_is_flushed_whole() -> None:
    done = _run("scheme", "schema", "beijing-2020")  # ~16 KB: more than one buffer
    assert done.returncode == 0 and len(done.stdout) > 8192
    assert json.loads(done.stdout)["title"]


def test_an_error_keeps_its_documented_status() -> None:
    done = _run("score", "no-such-applicant.json")
    assert done.returncode == ExitCode.INPUT_FILE
    assert "no-such-applicant.json" in done.stderr and "Traceback" not in done.stderr
    assert done.stdout == ""


def test_a_usage_error_is_2() -> None:
    done = _run("score", "--no-such-option")
    assert done.returncode == 2 and "No such option" in done.stderr


@pytest.mark.parametrize(
    ("code", "status", "printed"),
    [(None, 0, ""), (0, 0, ""), (3, 3, ""), (256 + 4, 4, ""), ("stopped", 1, "stopped\n")],
)
def test_exit_status_is_what_sys_exit_gives(
    code: object, status: int, printed: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert exit_status(code) == status
    assert capsys.readouterr().err == printed


class _Stream(io.StringIO):
    flushed = False

    def flush(self) -> None:
        self.flushed = True


@pytest.mark.parametrize(("raised", "status"), [(None, 0), (SystemExit(5), 5), (SystemExit(), 0)])
def test_main_flushes_both_streams_then_ends_with_the_status(
    monkeypatch: pytest.MonkeyPatch, raised: SystemExit | None, status: int
) -> None:
    def app() -> None:
        print("buffered, not yet flushed")
        if raised is not None:
            raise raised

    out, err, ended = _Stream(), _Stream(), []
    monkeypatch.setattr(cli, "app", app)
    monkeypatch.setattr(cli.os, "_exit", ended.append)
    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.setattr(sys, "stderr", err)
    cli.main()
    assert (out.flushed, err.flushed, ended) == (True, True, [status])
