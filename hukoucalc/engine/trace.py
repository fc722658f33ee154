"""Recorded explanations: which applicant fields each line reads, noted while it is evaluated.

:class:`Recorder` wraps any backend and passes every operation through; the evaluator tells it
when a line (an indicator, a part, a group, a gate, a selection key) or a quantity starts and
ends (:meth:`~.ops.Ops.enter`, :meth:`~.ops.Ops.leave`), and it notes every field read in
between, as OpenFisca's tracer notes parameter access. Nothing walks the scheme a second time, so
what a line is said to read is what the evaluator read for it: its measures, its rule's fields,
its ``when`` conditions and its by-field caps and floors.

A quantity the evaluator computes once and reuses is said to be read by every line that uses it.
A group's entry holds what the group itself reads (a by-field cap); its members have their own.
Only ``score`` and analyses use a recorder; ``rank`` runs its backend bare.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Generic

from hukoucalc.engine.ops import B, Compare, MonthsSpec, Ops, V

Line = tuple[str, ...]
"""``("indicator", id)``, ``("part", indicator, id)``, ``("group", id)``, ``("gate", id)``,
``("key", measure)`` or ``("quantity", name)``"""


@dataclass
class Trace:
    """The fields each line read, in the order first read, without repeats."""

    reads: dict[Line, tuple[str, ...]] = field(default_factory=dict)
    """everything read while the line was open, the lines within it included"""
    own: dict[Line, tuple[str, ...]] = field(default_factory=dict)
    """what the line read outside the lines within it (an indicator's ``when``, cap and floor,
    outside its parts); quantities it uses count as its own"""
    every: dict[str, None] = field(default_factory=dict)
    """every field read, in or outside a line"""

    def of(self, *line: str) -> tuple[str, ...]:
        return self.reads.get(line, ())

    def fields(self) -> set[str]:
        """Every field any line read."""
        return set(self.every)


@dataclass
class _Frame:
    line: Line
    all: dict[str, None] = field(default_factory=dict)
    own: dict[str, None] = field(default_factory=dict)


def spec_fields(spec: MonthsSpec) -> Iterator[str]:
    """The period fields a months measure reads: every field-name tuple of its spec, so that a
    field the spec gains is recorded without a change here."""
    for item in dataclasses.fields(spec):
        value = getattr(spec, item.name)
        if isinstance(value, tuple):
            yield from (name for name in value if isinstance(name, str))


class Recorder(Ops[V, B], Generic[V, B]):
    """``inner`` with every field read noted against the lines open at the time."""

    def __init__(self, inner: Ops[V, B]) -> None:
        self.inner = inner
        self.trace = Trace()
        self._open: list[_Frame] = []
        self._quantities: dict[str, dict[str, None]] = {}

    # -- lines ----------------------------------------------------------------------------------

    def enter(self, *line: str) -> None:
        self._open.append(_Frame(line))

    def leave(self) -> None:
        frame = self._open.pop()
        if frame.line[0] == "quantity":  # a memoised quantity reads nothing the second time
            known = self._quantities.setdefault(frame.line[1], {})
            known.update(frame.all)
            frame.all.update(known)
            frame.own.update(known)
        self.trace.reads[frame.line] = _union(self.trace.reads.get(frame.line, ()), frame.all)
        self.trace.own[frame.line] = _union(self.trace.own.get(frame.line, ()), frame.own)
        if self._open:
            parent = self._open[-1]
            parent.all.update(frame.all)
            if frame.line[0] == "quantity":
                parent.own.update(frame.all)

    def _note(self, names: Iterable[str]) -> None:
        frame = self._open[-1] if self._open else None
        for name in names:
            self.trace.every[name] = None
            if frame is not None:
                frame.all[name] = None
                frame.own[name] = None

    # -- reads ----------------------------------------------------------------------------------

    def number(self, field: str, scale: int) -> V:
        self._note((field,))
        return self.inner.number(field, scale)

    def flag(self, field: str) -> B:
        self._note((field,))
        return self.inner.flag(field)

    def enum_in(self, field: str, values: frozenset[str]) -> B:
        self._note((field,))
        return self.inner.enum_in(field, values)

    def enum_map(self, field: str, mapping: dict[str, int], default: int) -> V:
        self._note((field,))
        return self.inner.enum_map(field, mapping, default)

    def months(self, spec: MonthsSpec) -> V:
        self._note(spec_fields(spec))
        return self.inner.months(spec)

    def age(self, field: str, on: dt.date) -> V:
        self._note((field,))
        return self.inner.age(field, on)

    def events(self, field: str, first: dt.date | None, last: dt.date) -> V:
        self._note((field,))
        return self.inner.events(field, first, last)

    def date_compare(self, field: str, op: Compare, day: dt.date) -> B:
        self._note((field,))
        return self.inner.date_compare(field, op, day)

    # -- everything else passes through -------------------------------------------------------

    def share(self, value: V) -> V:
        return self.inner.share(value)

    def lit(self, n: int) -> V:
        return self.inner.lit(n)

    def add(self, a: V, b: V) -> V:
        return self.inner.add(a, b)

    def sub(self, a: V, b: V) -> V:
        return self.inner.sub(a, b)

    def mul(self, a: V, k: int) -> V:
        return self.inner.mul(a, k)

    def floordiv(self, a: V, k: int) -> V:
        return self.inner.floordiv(a, k)

    def minimum(self, a: V, b: V) -> V:
        return self.inner.minimum(a, b)

    def maximum(self, a: V, b: V) -> V:
        return self.inner.maximum(a, b)

    def where(self, c: B, a: V, b: V) -> V:
        return self.inner.where(c, a, b)

    def compare(self, a: V, op: Compare, b: V) -> B:
        return self.inner.compare(a, op, b)

    def truth(self, value: bool) -> B:
        return self.inner.truth(value)

    def and_(self, a: B, b: B) -> B:
        return self.inner.and_(a, b)

    def or_(self, a: B, b: B) -> B:
        return self.inner.or_(a, b)

    def not_(self, a: B) -> B:
        return self.inner.not_(a)


def _union(before: tuple[str, ...], more: dict[str, None]) -> tuple[str, ...]:
    return tuple(dict.fromkeys((*before, *more)))
