"""Shared fixtures: a CLI runner with separate streams and a fixed-width, colourless console."""

from __future__ import annotations

import os
from io import StringIO
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
SCHEMES = ROOT / "schemes"
EXAMPLES = ROOT / "examples"


@pytest.fixture(autouse=True)
def _at_repo_root(monkeypatch: pytest.MonkeyPatch) -> None:
    """Commands run from the repository root with relative paths, as a user types them."""
    monkeypatch.chdir(ROOT)


@pytest.fixture(autouse=True)
def _system_date(monkeypatch: pytest.MonkeyPatch) -> None:
    """Commands run as of the system's date unless a test gives the day (a HUKOUCALC_TODAY of
    the caller's shell must not change the results)."""
    monkeypatch.delenv("HUKOUCALC_TODAY", raising=False)


@pytest.fixture(autouse=True, scope="session")
def _private_scheme_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """The scheme cache (hukoucalc/scheme/cache.py) of the test session: never the user's."""
    os.environ["HUKOUCALC_CACHE"] = str(tmp_path_factory.mktemp("scheme-cache"))
    os.environ.pop("HUKOUCALC_NO_CACHE", None)


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner(env={"COLUMNS": "120", "NO_COLOR": "1", "TERM": "dumb"})


@pytest.fixture
def console() -> Console:
    return Console(file=StringIO(), width=100, color_system=None)
