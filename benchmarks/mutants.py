"""A small mutation run: does the test suite notice when the engine's arithmetic is wrong?

Each mutant in ``benchmarks/mutants.toml`` names one file of the package, an exact snippet of it,
a replacement and why the change matters. For every mutant the tool

1. replaces the snippet (which must occur exactly once) in a *scratch copy* of the repository
   (package, tests, schemes, examples, docs) in a temporary folder; the checkout itself is never
   written, so an interrupted run leaves nothing behind;
2. runs ``pytest -x -q -p no:cacheprovider`` on the mutant's test files (or the default list)
   inside the copy, with ``PYTHONPATH`` pointing at the copy so that it shadows an editable
   install (the tool checks which ``hukoucalc`` is imported before it starts, and refuses to run
   if it is not the copy's), with bytecode writing off and a fresh Hypothesis database;
3. restores the file and reports the mutant as ``killed`` (by the first failing test),
   ``survived`` (the tests passed), or ``stale`` (the snippet is not found, or found more than
   once: the code moved, so the mutant must be updated; a stale mutant fails the run).

Usage (from any directory, with the interpreter that has the test dependencies)::

    python benchmarks/mutants.py                          # every mutant
    python benchmarks/mutants.py -k compare_const -k id_  # names containing either word
    python benchmarks/mutants.py -k capped --tests tests/test_scenarios.py  # other tests
    python benchmarks/mutants.py --list                   # the mutants, without running them
    python benchmarks/mutants.py --markdown               # the result table as Markdown

Exit status: 0 when every mutant is killed, 1 when one survives or is stale, 2 on a usage error.
The unmutated copy is tested first: if its tests fail, nothing is reported as killed.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "mutants.toml"
COPIED = ("hukoucalc", "tests", "schemes", "examples", "docs", "pyproject.toml", "README.md")
IGNORED = shutil.ignore_patterns("__pycache__", "*.pyc", ".hypothesis", ".pytest_cache")
TIMEOUT = 600  # seconds per mutant: a mutant that loops forever counts as killed


@dataclass
class Mutant:
    name: str
    file: str
    original: str
    replacement: str
    why: str
    tests: list[str] = field(default_factory=list)


@dataclass
class Outcome:
    mutant: Mutant
    status: str  # killed, survived, stale
    by: str
    seconds: float


def load(path: Path) -> tuple[list[str], list[Mutant]]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    default = list(data["tests"])
    mutants = [Mutant(**m) for m in data["mutant"]]
    names = [m.name for m in mutants]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise SystemExit(f"mutants.toml: names used twice: {', '.join(duplicates)}")
    return default, mutants


def scratch_copy(into: Path) -> Path:
    for name in COPIED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, into / name, ignore=IGNORED)
        elif source.exists():
            shutil.copy2(source, into / name)
    return into


def environment(copy: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(copy) + os.pathsep + env.get("PYTHONPATH", "")
    env["PYTHONDONTWRITEBYTECODE"] = "1"  # a same-size mutant must never meet stale bytecode
    env["NO_COLOR"] = "1"
    env["COLUMNS"] = "120"
    env.pop("HUKOUCALC_NO_CACHE", None)
    return env


def imported_from(copy: Path, env: dict[str, str]) -> Path:
    code = "import hukoucalc, pathlib; print(pathlib.Path(hukoucalc.__file__).resolve())"
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=copy, env=env, capture_output=True, text=True, check=True
    )
    return Path(done.stdout.strip())


FAILED = re.compile(r"^(?:FAILED|ERROR) (\S+)", re.MULTILINE)


def run_tests(copy: Path, env: dict[str, str], tests: list[str]) -> tuple[bool, str]:
    """(passed, the first failing test or what went wrong)."""
    shutil.rmtree(copy / ".hypothesis", ignore_errors=True)  # no examples carried over
    command = [sys.executable, "-m", "pytest", "-x", "-q", "-rfE", "-p", "no:cacheprovider"]
    try:
        done = subprocess.run(
            [*command, *tests],
            check=False,
            cwd=copy,
            env=env,
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
        )
    except subprocess.TimeoutExpired:
        return False, f"timeout ({TIMEOUT} s)"
    if done.returncode == 0:
        return True, ""
    found = FAILED.search(done.stdout)
    if found:
        return False, found[1]
    tail = (done.stdout + done.stderr).strip().splitlines()[-1:] or ["?"]
    return False, f"pytest exit {done.returncode}: {tail[0][:80]}"


def run(mutants: list[Mutant], default: list[str], *, verbose: bool) -> list[Outcome]:
    outcomes: list[Outcome] = []
    with tempfile.TemporaryDirectory(prefix="hukoucalc-mutants-") as tmp:
        copy = scratch_copy(Path(tmp))
        env = environment(copy)
        where = imported_from(copy, env)
        if not where.is_relative_to(copy.resolve()):
            raise SystemExit(f"the tests would import {where}, not the scratch copy: stopping")
        if verbose:
            print(f"mutating a copy in {copy}; hukoucalc is imported from {where}", file=sys.stderr)
        every = sorted({t for m in mutants for t in (m.tests or default)})
        passed, why = run_tests(copy, env, every)
        if not passed:
            raise SystemExit(f"the unmutated tests fail ({why}): fix them first")
        for mutant in mutants:
            target = copy / mutant.file
            text = target.read_text(encoding="utf-8")
            found = text.count(mutant.original)
            if found != 1:
                outcomes.append(Outcome(mutant, "stale", f"snippet found {found} times", 0.0))
                print_progress(outcomes[-1], verbose)
                continue
            start = time.perf_counter()
            try:
                target.write_text(text.replace(mutant.original, mutant.replacement), "utf-8")
                passed, by = run_tests(copy, env, mutant.tests or default)
            finally:
                target.write_text(text, encoding="utf-8")
            status = "survived" if passed else "killed"
            outcomes.append(Outcome(mutant, status, by, time.perf_counter() - start))
            print_progress(outcomes[-1], verbose)
    return outcomes


def print_progress(outcome: Outcome, verbose: bool) -> None:
    if verbose:
        line = f"{outcome.status:8} {outcome.mutant.name:34} {outcome.seconds:5.1f}s  {outcome.by}"
        print(line, file=sys.stderr, flush=True)


def table(outcomes: list[Outcome], markdown: bool) -> str:
    rows = [
        (o.mutant.name, o.mutant.file.removeprefix("hukoucalc/"), o.status, o.by) for o in outcomes
    ]
    if markdown:
        lines = ["| mutant | file | result | killed by |", "|---|---|---|---|"]
        lines += [
            f"| `{a}` | `{b}` | {c} | `{d}` |" if d else f"| `{a}` | `{b}` | {c} | |"
            for a, b, c, d in rows
        ]
        return "\n".join(lines)
    widths = [max(len(r[i]) for r in [("mutant", "file", "result", "by"), *rows]) for i in range(3)]
    head = ("mutant", "file", "result", "killed by")
    lines = ["  ".join(h.ljust(w) for h, w in zip(head, widths, strict=False)) + "  " + head[3]]
    for row in rows:
        lines.append(
            "  ".join(v.ljust(w) for v, w in zip(row, widths, strict=False)) + "  " + row[3]
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "-k",
        dest="words",
        action="append",
        help="only mutants whose name contains this (repeatable)",
    )
    parser.add_argument(
        "--tests", nargs="+", metavar="TEST", help="run these test files or ids for every mutant"
    )
    parser.add_argument("--list", action="store_true", help="list the mutants and stop")
    parser.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    parser.add_argument("--quiet", action="store_true", help="no progress lines on stderr")
    args = parser.parse_args(argv)
    default, mutants = load(DATA)
    if args.words:
        mutants = [m for m in mutants if any(w in m.name for w in args.words)]
        if not mutants:
            parser.error(f"no mutant name contains any of {args.words}")
    if args.tests:
        default = args.tests
        mutants = [replace(m, tests=[]) for m in mutants]
    if args.list:
        for m in mutants:
            print(f"{m.name:34} {m.file:32} {m.why}")
        return 0
    outcomes = run(mutants, default, verbose=not args.quiet)
    print(table(outcomes, args.markdown))
    alive = [o for o in outcomes if o.status != "killed"]
    killed = len(outcomes) - len(alive)
    print(f"\n{killed} of {len(outcomes)} mutants killed", end="")
    print(f"; not killed: {', '.join(o.mutant.name for o in alive)}" if alive else "")
    return 1 if alive else 0


if __name__ == "__main__":
    sys.exit(main())
