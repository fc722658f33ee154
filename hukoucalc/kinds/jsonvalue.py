"""A JSON value of a field, judged once: the JSON types each field type takes, and the cell text
a taken value stands for.

``score`` (an applicant file, through the applicant model) and ``rank`` (a JSON Lines batch,
through the batch reader) both ask :func:`json_value` first, so ``"residence_permit": 1`` or
``"name": 12345`` are refused alike, with one reason. What the text then says (a valid date, an
ID number's check character...) is judged by each field type's parsers, which agree already
(``tests/test_value_parity.py``).
"""

from __future__ import annotations

import json
from decimal import Decimal

from hukoucalc.kinds import kind
from hukoucalc.kinds.base import Digits
from hukoucalc.scheme.model import FieldSpec

__all__ = ["Digits", "cell_text", "json_cell", "json_value"]


JSON_TYPES = (str, int, bool, Decimal, list, dict)
REQUIRED = "required field is missing"  # as a batch says of an empty cell


def json_value(spec: FieldSpec, value: object) -> object:
    """The value as given when its JSON type fits the field; ValueError (the reason) otherwise.
    Python values that JSON does not make (a date, a tuple) are left to the model; null is no
    value (as an empty cell), which a required field must have."""
    if value is None and spec.required:
        raise ValueError(REQUIRED)
    if value is None or not isinstance(value, JSON_TYPES):
        return value
    reason = kind(spec).json(spec, value)
    if reason is not None:
        raise ValueError(reason)
    return value


def json_cell(spec: FieldSpec, value: object) -> str | None:
    """The cell text a JSON value of the field stands for (as a CSV cell holds it: lists joined
    by ';', periods as 'from..to'); ValueError (the reason) when its JSON type does not fit."""
    return cell_text(json_value(spec, value))


def cell_text(value: object) -> str | None:
    """A JSON value as CSV cell text: lists joined by ';', {from, to} as 'from..to'."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ";".join(t for t in (cell_text(v) for v in value) if t)
    if isinstance(value, dict) and set(value) == {"from", "to"}:
        return f"{value['from']}..{value['to']}"
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, default=str)  # refused later: a bad cell
    if isinstance(value, Decimal):
        return f"{value:f}"  # 1e2 as 100, as a JSON file's decimal reads it
    return str(value)
