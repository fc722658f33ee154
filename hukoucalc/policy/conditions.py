"""Whether a condition (a ``when``, a gate's ``require``) can ever be true.

The condition is put in disjunctive normal form (``not`` pushed down to the tests); a clause is
impossible when its tests on one enum field leave no value, on one bool field disagree, or on
one number leave no value of its :class:`~hukoucalc.policy.spans.Span`. Tests it cannot judge
(bounds that are measures or by-field tables, dates) count as possible, so "never true" is
only ever said when it is proven.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from itertools import product

from hukoucalc.policy.spans import Quantities, Span
from hukoucalc.scheme.model import Condition, Scheme

MAX_CLAUSES = 512
_FLIP = {">=": "<", "<": ">=", "<=": ">", ">": "<="}


@dataclass(frozen=True)
class _Enum:
    field: str
    allowed: frozenset[str | None]  # None: the field is absent


@dataclass(frozen=True)
class _Bool:
    field: str
    value: bool


@dataclass(frozen=True)
class _Num:
    subject: str
    op: str
    bound: Fraction


_Test = _Enum | _Bool | _Num | None  # None: a test that cannot be judged
_Clause = tuple[_Test, ...]


class Satisfiability:
    def __init__(self, scheme: Scheme, quantities: Quantities) -> None:
        self.s = scheme
        self.q = quantities

    def possible(self, c: Condition) -> bool:
        """False only when no applicant can ever meet the condition."""
        clauses = self._dnf(c, positive=True)
        return clauses is None or any(self._clause_possible(clause) for clause in clauses)

    # -- normal form ----------------------------------------------------------------------------

    def _dnf(self, c: Condition, *, positive: bool) -> list[_Clause] | None:
        """Clauses (an OR of ANDs), or None when too many to examine."""
        if c.not_ is not None:
            return self._dnf(c.not_, positive=not positive)
        if c.all is not None or c.any is not None:
            subs = [self._dnf(sub, positive=positive) for sub in (c.all or c.any or [])]
            if any(sub is None for sub in subs):
                return None
            conjunction = (c.all is not None) == positive
            if not conjunction:
                return [clause for sub in subs for clause in sub or []]
            out: list[_Clause] = [()]
            for sub in subs:
                out = [a + b for a, b in product(out, sub or [])]
                if len(out) > MAX_CLAUSES:
                    return None
            return out
        tests = self._tests(c)
        if positive:
            return [tuple(tests)]
        return [(self._negate(t),) for t in tests]

    def _tests(self, c: Condition) -> list[_Test]:
        out: list[_Test] = []
        field = c.field
        if c.is_ is not None and field is not None:
            out.append(_Bool(field, c.is_))
        universe = self._universe(field)
        if c.in_ is not None and field is not None:
            out.append(_Enum(field, frozenset(c.in_)))
        if c.not_in is not None and field is not None:
            out.append(_Enum(field, universe - frozenset(c.not_in)))
        if c.on_or_after is not None or c.before is not None:
            out.append(None)
        subject = c.measure or field
        for op, ref in ((">=", c.at_least), ("<=", c.at_most), (">", c.above), ("<", c.below)):
            if ref is None:
                continue
            constant = subject is not None and isinstance(ref, Decimal)
            out.append(_Num(subject, op, Fraction(ref)) if constant else None)  # type: ignore[arg-type]
        return out

    def _universe(self, field: str | None) -> frozenset[str | None]:
        spec = self.s.fields.get(field or "")
        if spec is None or spec.values is None:
            return frozenset()
        absent: set[str | None] = set() if spec.required or spec.default else {None}
        return frozenset({*spec.values, *absent})

    def _negate(self, t: _Test) -> _Test:
        if isinstance(t, _Bool):
            return _Bool(t.field, not t.value)
        if isinstance(t, _Enum):
            return _Enum(t.field, self._universe(t.field) - t.allowed)
        if isinstance(t, _Num):
            return _Num(t.subject, _FLIP[t.op], t.bound)
        return None

    # -- one clause -----------------------------------------------------------------------------

    def _clause_possible(self, clause: _Clause) -> bool:
        enums: dict[str, frozenset[str | None]] = {}
        bools: dict[str, bool] = {}
        numbers: dict[str, Span] = {}
        for t in clause:
            if isinstance(t, _Enum):
                allowed = enums.get(t.field, self._universe(t.field)) & t.allowed
                if not allowed:
                    return False
                enums[t.field] = allowed
            elif isinstance(t, _Bool):
                if bools.setdefault(t.field, t.value) != t.value:
                    return False
            elif isinstance(t, _Num):
                span = numbers.get(t.subject) or self.q.of(t.subject)
                span = _restrict(span, t.op, t.bound)
                if span.empty:
                    return False
                numbers[t.subject] = span
        return True


def _restrict(span: Span, op: str, bound: Fraction) -> Span:
    if op == ">=":
        return span.meet(span.at_least(bound), None)
    if op == ">":
        return span.meet(span.above(bound), None)
    if op == "<=":
        return span.meet(None, span.at_most(bound))
    return span.meet(None, span.below(bound))
