"""What a synthetic pool reads from how a scheme uses a field (a gate's record or holding, a
bonus): so that it can make a disqualifying record rare and a bonus reserved for a few, in any
scheme, without a list of names. (Which field *is* the ID number, the birth date... is
:mod:`hukoucalc.roles`.)
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from hukoucalc.engine.compile import compile_scheme
from hukoucalc.engine.reads import trace_scheme
from hukoucalc.kinds import kind
from hukoucalc.scheme.model import Condition, Scheme


@dataclass(frozen=True)
class FieldUses:
    records: frozenset[str]
    """bool fields a gate requires to be false: a record that disqualifies (一票否决, crime)"""
    holdings: frozenset[str]
    """bool fields a gate requires to be true: something most applicants have (a permit, a job)"""
    extras: frozenset[str]
    """fields that only ``bonus`` indicators read: something only a few applicants have"""


def field_uses(schemes: list[Scheme]) -> FieldUses:
    """The uses of the fields of one or more schemes (a field has a use in none of them when
    another scheme reads it otherwise)."""
    records: set[str] = set()
    holdings: set[str] = set()
    bonus: set[str] = set()
    other: set[str] = set()
    for scheme in schemes:
        trace = trace_scheme(compile_scheme(scheme))  # what each line reads, as evaluated
        bools = {name for name, spec in scheme.fields.items() if kind(spec).yes_no}
        for gate in scheme.gates:
            records |= set(_required(gate.require, False)) & bools
            holdings |= set(_required(gate.require, True)) & bools
        for indicator in scheme.indicators:
            read = bonus if indicator.category == "bonus" else other
            read.update(trace.of("indicator", indicator.id))
    return FieldUses(
        frozenset(records), frozenset(holdings - records), frozenset(bonus - other - records)
    )


def _required(c: Condition, value: bool) -> Iterator[str]:
    """Bool fields the condition can only hold with that value: ``is = value``,
    ``not { is = not value }``, in any ``all``."""
    if c.field is not None and c.is_ is value:
        yield c.field
    if c.not_ is not None and c.not_.field is not None and c.not_.is_ is (not value):
        yield c.not_.field
    for inner in c.all or []:
        yield from _required(inner, value)
