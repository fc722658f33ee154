"""The progress bar of the batch commands (``rank``, ``compare``): one step a stage.

A column engine gives no progress inside a stage, so the bar moves from stage to stage, each
weighted by its share of a run measured at 1M rows (``benchmarks/README.md``); the label says
which stage of how many is running and the clock how long the run has taken. Shown on a terminal
only, and gone when the run ends, so results and pipes stay clean.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from hukoucalc.cli.common import escape

Step = Callable[[str], None]

READ = [("reading", 0.8), ("validating", 1.5)]  # read and check a batch: shared by both commands
WRITE = ("writing results", 1.0)


@contextmanager
def stage_bar(
    console: Any, target: str, plan: list[tuple[str, float]], *, quiet: bool = False
) -> Iterator[Step]:
    """Yield ``step(stage)``, which moves the bar to the start of ``stage``, one of ``plan``'s
    (name, weight) pairs; it does nothing when ``console`` is not a terminal or ``quiet``
    (``--json``)."""
    if quiet or not console.is_terminal:
        yield lambda _stage: None
        return
    from rich.progress import (  # noqa: PLC0415 (start-up time)
        BarColumn,
        Progress,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
    )

    names = [name for name, _ in plan]
    starts = [sum(weight for _, weight in plan[:k]) for k in range(len(plan))]
    columns = (SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task("", total=sum(weight for _, weight in plan))

        def step(stage: str) -> None:
            k = names.index(stage)
            label = f"{target} [{k + 1}/{len(plan)}] {stage}"
            bar.update(task, completed=starts[k], description=escape(label), refresh=True)

        yield step
