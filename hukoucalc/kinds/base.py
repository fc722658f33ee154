"""What every field kind says of itself (:class:`Kind`), and the JSON types helpers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
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
    numeric: bool = False
    """a quantity: a value measure, a bound or a selection key may read it"""
    choices: bool = False
    """one of the field's listed codes (a category: changed to another code by a plan)"""
    yes_no: bool = False
    """yes or no (a gate may require it; a plan may turn it on)"""
    spans: bool = False
    """typed in a batch as K (start, end) month pairs, K the most a cell of the column holds"""
    cast: Callable[[Any], Any] | None = None
    """a scheme's ``default`` as a record's value (a whole number from a decimal)"""

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
