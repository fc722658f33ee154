"""``int``: a whole number of at most INT_DIGITS digits (a CSV cell is cast to 64 bits)."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BeforeValidator, Field, StrictInt

from hukoucalc.kinds.base import Kind, given, is_int, one
from hukoucalc.scheme.model import FieldSpec

INT_DIGITS = 15  # a whole number has at most 15 digits (a CSV cell is cast to a 64-bit integer)
TOO_LONG = f"has more than {INT_DIGITS} digits"


def _whole_number(value: object) -> object:
    """A JSON integer of at most INT_DIGITS digits, as in a CSV cell."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10**INT_DIGITS:
        raise ValueError(f"{value} {TOO_LONG}")
    return value


def _model(spec: FieldSpec) -> Any:
    low = int(spec.min) if spec.min is not None else None
    high = int(spec.max) if spec.max is not None else None
    return Annotated[StrictInt, BeforeValidator(_whole_number), Field(ge=low, le=high)]


def _json(spec: FieldSpec, value: object) -> str | None:
    return None if is_int(value) else f"Input should be a valid integer, got {given(value)}"


KIND = Kind("int", _model, _json, dirty="1.5", scale=one, cast=int)
