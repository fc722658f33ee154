"""Which applicant fields a scheme's lines read, before any applicant: the one evaluator run once
on an empty record through a :class:`~.trace.Recorder`.

Whatever the scheme language gains later, this stays right, because it asks the evaluator itself
rather than walking the scheme's tables.
"""

from __future__ import annotations

import datetime as dt

from hukoucalc.engine.compile import Compiled
from hukoucalc.engine.evaluate import Evaluator
from hukoucalc.engine.scalar import ScalarOps
from hukoucalc.engine.trace import Recorder, Trace


class _Blank(ScalarOps):
    """The scalar backend on an empty record (every field absent), with a birth date too."""

    def __init__(self) -> None:
        super().__init__({})

    def age(self, field: str, on: dt.date) -> int:
        return 0


def trace_scheme(compiled: Compiled) -> Trace:
    """The fields each indicator, part, group, gate, selection key and quantity reads."""
    ops = Recorder(_Blank())
    Evaluator(compiled, ops).run()
    return ops.trace


def fields_read(compiled: Compiled) -> set[str]:
    """The fields any indicator, group, gate or selection key of the scheme reads."""
    return trace_scheme(compiled).fields()
