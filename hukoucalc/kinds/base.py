"""What every field kind says of itself (:class:`Kind`), and the JSON types helpers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from hukoucalc.scheme.model import FieldSpec


@dataclass(frozen=True)
class Kind:
    """One field type: how a value is checked (applicant model, JSON), what a record holds when
    the field is left out, how a batch keeps it, and what a synthetic pool breaks it with."""

    name: str
    model: Callable[[FieldSpec], Any]
    """the applicant model's type of a value (Pydantic, with its validators)"""
    json: Callable[[FieldSpec, object], str | None]
    """why a JSON value's type does not fit (None: it fits; the text is judged later)"""
    empty: object = None
    """the value of a field left out that has no default"""
    dirty: str | None = None
    """a broken cell, for ``synth --dirty``"""
    text: bool = False
    """typed as text in a batch (published beside the rank, hashed for the last ties)"""
    scale: Callable[[FieldSpec], int] | None = None
    """a quantity's units in 1 (its exact integer is ``value * scale``; the step of its values is
    ``1/scale``); None: not a quantity. A value measure, a bound or a selection key may read a
    quantity."""
    choices: bool = False
    """one of the field's listed codes (a category: changed to another code by a plan)"""
    yes_no: bool = False
    """yes or no (a gate may require it; a plan may turn it on)"""
    spans: bool = False
    """typed in a batch as K (start, end) month pairs, K the most a cell of the column holds"""
    cast: Callable[[Any], Any] | None = None
    """a scheme's ``default`` as a record's value (a whole number from a decimal)"""
    show: Callable[[FieldSpec, Any], str] | None = None
    """a record's value as the user would write it (a scorecard's inputs); None: ``str``"""

    @property
    def numeric(self) -> bool:
        """A quantity (it has a scale)."""
        return self.scale is not None

    def step(self, spec: FieldSpec) -> Fraction:
        """The step between a quantity's values (1, or 1/10**places for a decimal)."""
        assert self.scale is not None, f"a {self.name} field is not a quantity"
        return Fraction(1, self.scale(spec))

    def shown(self, spec: FieldSpec, value: Any) -> str:
        """A record's value as the user would write it; an absent one as a dash."""
        if value is None or value == ():
            return "—"
        return str(value) if self.show is None else self.show(spec, value)

    def default(self, spec: FieldSpec) -> Any:
        """A record's value of the field when left out."""
        if spec.default is None:
            return self.empty
        return spec.default if self.cast is None else self.cast(spec.default)

    def display(self, spec: FieldSpec) -> str:
        """The type as ``scheme show`` names it."""
        return self.name + (f", {spec.places} places" if spec.places is not None else "")


class Digits(str):
    """A JSON integer as written, digits only (a JSON Lines batch keeps them as text: a
    5,000-digit number is a bad cell, not a failed read)."""

    __slots__ = ()


def one(spec: FieldSpec) -> int:
    """The scale of a whole quantity (an int, a yes/no as 0 or 1)."""
    return 1


def given(value: object) -> str:
    """A value as a reason shows it (as Pydantic's ``got ...``)."""
    return str(value) if isinstance(value, Decimal | Digits) else repr(value)


def is_int(value: object) -> bool:
    """A JSON integer (a bool is not one)."""
    return isinstance(value, Digits) or (isinstance(value, int) and not isinstance(value, bool))


def is_text(value: object) -> bool:
    """A JSON string."""
    return isinstance(value, str) and not isinstance(value, Digits)


def only_text(what: str) -> Callable[[FieldSpec, object], str | None]:
    """A JSON check taking strings only; ``what``: the reason, given the value as shown."""

    def check(spec: FieldSpec, value: object) -> str | None:
        return None if is_text(value) else what.format(given(value))

    return check
