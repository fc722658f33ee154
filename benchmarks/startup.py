"""Start-up time of the hukoucalc CLI, relative to importing its three big dependencies.

Usage (from anywhere; paths are relative to the repository root)::

    python benchmarks/startup.py [--repeat N] [--warmup N] [--inherit-bytecode] [--json]

Each command runs as a fresh subprocess of the *same* interpreter as this script. The commands
are run round-robin (one of each per round, rotating which goes first) so that machine noise
is shared between them instead of landing on whichever command ran during a busy moment.
Warm-up rounds run first and are not timed; they also fill a private, temporary bytecode cache
(PYTHONPYCACHEPREFIX), so the timed runs load cached bytecode as an installed copy would, even
where PYTHONDONTWRITEBYTECODE is set (``--inherit-bytecode`` keeps the caller's settings).

For every command the script reports the median and the minimum wall time and the ratio of its
median to the median of the reference command ``python -c "import typer, rich, pydantic"``,
checked against a goal. Missing a goal is reported but does not change the exit status:
the script exits 0 unless a command fails, in which case it prints that command's stderr and
exits 1. See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
REFERENCE = "import typer, rich, pydantic"


@dataclass(frozen=True)
class Command:
    """One command to time; ``goal`` is the allowed ratio to the reference median."""

    name: str
    argv: list[str]
    goal: float | None = None


@dataclass
class Result:
    command: Command
    times: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.times)

    @property
    def minimum(self) -> float:
        return min(self.times)


class CommandFailedError(Exception):
    def __init__(self, command: Command, proc: subprocess.CompletedProcess[bytes]) -> None:
        super().__init__(f"{command.name!r} exited with status {proc.returncode}")
        self.command = command
        self.proc = proc


def commands() -> list[Command]:
    """The reference first, then the CLI commands with their goals."""
    return [
        Command("reference", [PY, "-c", REFERENCE]),
        Command("--help", [PY, "-m", "hukoucalc", "--help"], goal=1.2),
        Command("score", [PY, "-m", "hukoucalc", "score", "examples/applicant.json"], goal=2.5),
    ]


def child_env(pycache: str | None) -> dict[str, str]:
    """The environment for the children: this one, with output and bytecode settings fixed.

    With ``pycache`` set, bytecode is written to and read from that directory only
    (PYTHONPYCACHEPREFIX), even if the caller disabled writing bytecode: after the warm-up every
    module, ours and the dependencies', loads from cached bytecode as in a normal installation,
    and nothing is written into the source tree or site-packages.
    """
    env = dict(os.environ)
    if pycache is not None:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = pycache
    # A fixed terminal width and no colour, so Rich does the same work on every run.
    env["COLUMNS"] = "100"
    env["NO_COLOR"] = "1"
    env.pop("FORCE_COLOR", None)
    # Timing interpreter start-up must not be disturbed by import tracing or dev mode.
    for var in ("PYTHONPROFILEIMPORTTIME", "PYTHONDEVMODE", "PYTHONTRACEMALLOC"):
        env.pop(var, None)
    return env


def run_once(command: Command, env: dict[str, str]) -> float:
    """Run ``command`` once from the repository root; its wall time in seconds."""
    start = time.perf_counter()
    proc = subprocess.run(
        command.argv, cwd=REPO_ROOT, env=env, capture_output=True, check=False, stdin=None
    )
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise CommandFailedError(command, proc)
    return elapsed


def measure(cmds: list[Command], repeat: int, warmup: int, env: dict[str, str]) -> list[Result]:
    """Warm up, then time ``repeat`` round-robin rounds of all commands."""
    for _ in range(warmup):
        for command in cmds:
            run_once(command, env)
    results = [Result(command) for command in cmds]
    for round_no in range(repeat):
        shift = round_no % len(results)
        for result in results[shift:] + results[:shift]:
            result.times.append(run_once(result.command, env))
    return results


def summary(results: list[Result], bytecode: str) -> dict[str, Any]:
    """The results as a JSON-ready document (times in milliseconds)."""
    ref = results[0].median
    rows = []
    for result in results:
        ratio = result.median / ref
        goal = result.command.goal
        rows.append(
            {
                "name": result.command.name,
                "argv": [Path(a).name if a == PY else a for a in result.command.argv],
                "median_ms": round(result.median * 1000, 2),
                "min_ms": round(result.minimum * 1000, 2),
                "ratio": round(ratio, 3),
                "min_ratio": round(result.minimum / results[0].minimum, 3),
                "goal": goal,
                "meets_goal": None if goal is None else ratio <= goal,
                "times_ms": [round(t * 1000, 2) for t in result.times],
            }
        )
    return {
        "python": PY,
        "python_version": platform.python_version(),
        "platform": platform.platform(),
        "repeat": len(results[0].times),
        "bytecode": bytecode,
        "reference": f'python -c "{REFERENCE}"',
        "commands": rows,
    }


def print_table(doc: dict[str, Any]) -> None:
    print(f"python {doc['python_version']} ({doc['python']}), {doc['repeat']} rounds")
    print(f"bytecode: {doc['bytecode']}")
    print(f"reference: {doc['reference']}")
    print()
    header = f"{'command':<10} {'median':>10} {'min':>10} {'ratio':>7} {'goal':>7}  verdict"
    print(header)
    print("-" * len(header))
    for row in doc["commands"]:
        goal = "" if row["goal"] is None else f"{row['goal']:.1f}x"
        verdict = {None: "", True: "ok", False: "OVER GOAL"}[row["meets_goal"]]
        line = (
            f"{row['name']:<10} {row['median_ms']:>8.1f}ms {row['min_ms']:>8.1f}ms "
            f"{row['ratio']:>6.2f}x {goal:>7}  {verdict}"
        )
        print(line.rstrip())
    print()
    print("ratio = median / reference median; a missed goal does not change the exit status")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Time hukoucalc start-up against importing typer, rich and pydantic."
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=10,
        metavar="N",
        help="timed rounds; each round runs every command once (default: 10)",
    )
    parser.add_argument(
        "--warmup",
        type=int,
        default=2,
        metavar="N",
        help="untimed rounds run first (default: 2; at least 1, which checks the commands)",
    )
    parser.add_argument(
        "--inherit-bytecode",
        action="store_true",
        help="use the caller's bytecode settings (PYTHONDONTWRITEBYTECODE, __pycache__ next to "
        "the sources) instead of a private, temporary bytecode cache",
    )
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    if args.warmup < 1:
        parser.error("--warmup must be at least 1")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="hukoucalc-bench-pycache-") as tmp:
        pycache = None if args.inherit_bytecode else tmp
        try:
            results = measure(
                commands(), repeat=args.repeat, warmup=args.warmup, env=child_env(pycache)
            )
        except CommandFailedError as exc:
            print(f"error: {exc}: {' '.join(exc.command.argv)}", file=sys.stderr)
            sys.stderr.write(exc.proc.stderr.decode(errors="replace"))
            return 1
    bytecode = "inherited from the environment" if pycache is None else "private cache, warmed"
    doc = summary(results, bytecode)
    if args.json:
        print(json.dumps(doc, indent=2))
    else:
        print_table(doc)
    return 0


if __name__ == "__main__":
    sys.exit(main())
