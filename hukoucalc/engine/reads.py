"""Which applicant fields a scheme's rules read: found by running the one evaluator once on an
empty record through a backend that notes every field it is asked for.

Whatever the scheme language gains later, this stays right, because it asks the evaluator itself
rather than walking the scheme's tables.
"""

from __future__ import annotations

import datetime as dt

from hukoucalc.engine.compile import Compiled
from hukoucalc.engine.evaluate import Evaluator
from hukoucalc.engine.ops import Compare, MonthsSpec
from hukoucalc.engine.scalar import ScalarOps


class _Noting(ScalarOps):
    """The scalar backend on an empty record, noting the fields read."""

    def __init__(self) -> None:
        super().__init__({})
        self.read: set[str] = set()

    def number(self, field: str, scale: int) -> int:
        self.read.add(field)
        return 0

    def flag(self, field: str) -> bool:
        self.read.add(field)
        return False

    def enum_in(self, field: str, values: frozenset[str]) -> bool:
        self.read.add(field)
        return False

    def enum_map(self, field: str, mapping: dict[str, int], default: int) -> int:
        self.read.add(field)
        return default

    def months(self, spec: MonthsSpec) -> int:
        self.read.update(spec.of, spec.overlap, spec.minus, spec.bridge)
        return 0

    def age(self, field: str, on: dt.date) -> int:
        self.read.add(field)
        return 0

    def events(self, field: str, first: dt.date | None, last: dt.date) -> int:
        self.read.add(field)
        return 0

    def date_compare(self, field: str, op: Compare, day: dt.date) -> bool:
        self.read.add(field)
        return False


def fields_read(compiled: Compiled) -> set[str]:
    """The fields any indicator, group, gate or selection key of the scheme reads."""
    ops = _Noting()
    Evaluator(compiled, ops).run()
    return ops.read
