"""The operations a backend provides to the evaluator.

``V`` is an integer value (a Python ``int`` for one applicant, a column expression for a batch)
and ``B`` a truth value. Every operation is exact integer arithmetic; division is only ever
floor division by a positive constant.
"""

from __future__ import annotations

import datetime as dt
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Generic, Literal, TypeVar

V = TypeVar("V")
B = TypeVar("B")

Compare = Literal[">=", ">", "<=", "<", "=="]


@dataclass(frozen=True)
class MonthsSpec:
    """A months measure with its window resolved to month ordinals."""

    of: tuple[str, ...]
    overlap: tuple[str, ...]
    minus: tuple[str, ...]
    first: int | None
    last: int
    continuous: bool
    gap: int
    bridge: tuple[str, ...] = ()
    """Continuous only: fields whose months not in ``of`` join the run (back-payment)..."""
    bridge_max: int = 0
    """...at most this many of them in total; without ``bridge`` any missing month beyond
    ``gap`` ends the run, with it any missing month that no bridge field covers."""


class Ops(ABC, Generic[V, B]):
    # -- constants and arithmetic -----------------------------------------------------------
    @abstractmethod
    def lit(self, n: int) -> V: ...
    @abstractmethod
    def add(self, a: V, b: V) -> V: ...
    @abstractmethod
    def sub(self, a: V, b: V) -> V: ...
    @abstractmethod
    def mul(self, a: V, k: int) -> V: ...
    @abstractmethod
    def floordiv(self, a: V, k: int) -> V: ...
    @abstractmethod
    def minimum(self, a: V, b: V) -> V: ...
    @abstractmethod
    def maximum(self, a: V, b: V) -> V: ...
    @abstractmethod
    def where(self, c: B, a: V, b: V) -> V: ...

    def share(self, value: V) -> V:
        """A value that later steps use several times: a batch backend may materialise it."""
        return value

    # -- explanation ------------------------------------------------------------------------
    def enter(self, *line: str) -> None:
        """The evaluator starts a line, e.g. ``("indicator", id)``, ``("part", indicator, id)``,
        ``("group", id)``, ``("gate", id)``, ``("key", measure)``, or a ``("quantity", name)``:
        a recording backend (:mod:`.trace`) notes the fields read until the matching
        :meth:`leave`. Other backends ignore it."""

    def leave(self) -> None:
        """The line or quantity last entered is done."""

    # -- truth ------------------------------------------------------------------------------
    @abstractmethod
    def compare(self, a: V, op: Compare, b: V) -> B: ...
    @abstractmethod
    def truth(self, value: bool) -> B: ...
    @abstractmethod
    def and_(self, a: B, b: B) -> B: ...
    @abstractmethod
    def or_(self, a: B, b: B) -> B: ...
    @abstractmethod
    def not_(self, a: B) -> B: ...

    # -- applicant fields -------------------------------------------------------------------
    @abstractmethod
    def number(self, field: str, scale: int) -> V:
        """An int, decimal (times ``scale``) or bool (0/1) field; missing counts as 0."""

    @abstractmethod
    def flag(self, field: str) -> B:
        """A bool field; missing counts as false."""

    @abstractmethod
    def enum_in(self, field: str, values: frozenset[str]) -> B: ...
    @abstractmethod
    def enum_map(self, field: str, mapping: dict[str, int], default: int) -> V: ...
    @abstractmethod
    def months(self, spec: MonthsSpec) -> V: ...
    @abstractmethod
    def age(self, field: str, on: dt.date) -> V:
        """Completed years (周岁) on a date."""

    @abstractmethod
    def events(self, field: str, first: dt.date | None, last: dt.date) -> V: ...
    @abstractmethod
    def date_compare(self, field: str, op: Compare, day: dt.date) -> B: ...
