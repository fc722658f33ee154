"""``decimal``: an exact decimal with at most ``places`` digits after the point."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BeforeValidator, Field

from hukoucalc.engine.points import decimal_text as format_decimal
from hukoucalc.kinds.base import Kind, given, is_int, is_text
from hukoucalc.kinds.integer import INT_DIGITS
from hukoucalc.scheme.model import FieldSpec


def whole_digits(places: int) -> int:
    """Digits a decimal may have before its point: INT_DIGITS, fewer where with its ``places``
    the value in units (``whole * 10**places``) would pass the 18 digits a 64-bit integer holds."""
    return min(INT_DIGITS, 18 - places)


def decimal_pattern(places: int) -> str:
    """A decimal as text: a sign, at most whole_digits(places) ASCII digits before the point, up
    to ``places`` after it."""
    whole = rf"[+-]?[0-9]{{1,{whole_digits(places)}}}"
    return rf"{whole}(\.[0-9]{{0,{places}}})?" if places else whole


def decimal_reason(places: int) -> str:
    return f"is not a number of at most {whole_digits(places)} digits and {places} decimal places"


def _no_float(value: object) -> object:
    if isinstance(value, float):
        raise ValueError("write decimals exactly (as a string or a JSON number read exactly)")
    return value


def _as_in_a_cell(places: int) -> Any:
    """A decimal as a CSV cell may hold it (the same pattern and reason): text of ASCII digits,
    at most whole_digits(places) of them before the point; a JSON number with so many."""
    pattern = re.compile(decimal_pattern(places))

    def check(value: object) -> object:
        text = value.strip() if isinstance(value, str) else None
        if text is not None and not pattern.fullmatch(text):
            raise ValueError(f"{text} {decimal_reason(places)}")
        number = value if isinstance(value, Decimal | int) and not isinstance(value, bool) else 0
        if abs(number) >= 10 ** whole_digits(places):
            raise ValueError(f"{value} {decimal_reason(places)}")
        return value

    return check


def _model(spec: FieldSpec) -> Any:
    return Annotated[
        Decimal,
        BeforeValidator(_no_float),
        BeforeValidator(_as_in_a_cell(spec.places or 0)),
        Field(ge=spec.min, le=spec.max, decimal_places=spec.places),
    ]


def _json(spec: FieldSpec, value: object) -> str | None:
    if is_int(value) or isinstance(value, Decimal) or is_text(value):
        return None
    return (
        f"Decimal input should be an integer, float, string or Decimal object, got {given(value)}"
    )


def _scale(spec: FieldSpec) -> int:
    return int(10 ** (spec.places or 0))


def _show(spec: FieldSpec, value: Any) -> str:
    return format_decimal(value)


KIND = Kind("decimal", _model, _json, dirty="abc", scale=_scale, show=_show)
