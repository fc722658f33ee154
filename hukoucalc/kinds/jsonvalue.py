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

from hukoucalc.scheme.model import FieldSpec


class Digits(str):
    """A JSON integer as written, digits only (a JSON Lines batch keeps them as text: a
    5,000-digit number is a bad cell, not a failed read)."""

    __slots__ = ()


def _given(value: object) -> str:
    return str(value) if isinstance(value, Decimal | Digits) else repr(value)


def _is_int(value: object) -> bool:
    return isinstance(value, Digits) or (isinstance(value, int) and not isinstance(value, bool))


def _is_text(value: object) -> bool:
    return isinstance(value, str) and not isinstance(value, Digits)


def _periods_item(value: object) -> None:
    if _is_text(value):
        return
    if isinstance(value, dict) and set(value) == {"from", "to"}:
        return
    raise ValueError(f"{_given(value)} is not a period: use 'YYYY-MM..YYYY-MM' or {{'from', 'to'}}")


def _refused(spec: FieldSpec, value: object) -> str | None:
    """Why a JSON value cannot be a value of the field, judged by its JSON type only."""
    kind = spec.type
    if kind in ("text", "id_number") and not _is_text(value):
        return f"Input should be a valid string, got {_given(value)}"
    if kind == "enum" and not _is_text(value):
        allowed = ", ".join(f"{code} ({label})" for code, label in (spec.values or {}).items())
        return f"{_given(value)} is not one of: {allowed}"
    if kind == "date" and not _is_text(value):
        return f"{_given(value)} is not a date (YYYY-MM-DD)"
    if kind == "bool" and not (isinstance(value, bool) or _is_text(value)):
        return f"Input should be a valid boolean, got {_given(value)}"
    if kind == "int" and not _is_int(value):
        return f"Input should be a valid integer, got {_given(value)}"
    if kind == "decimal" and not (_is_int(value) or isinstance(value, Decimal) or _is_text(value)):
        return (
            "Decimal input should be an integer, float, string or Decimal object, "
            f"got {_given(value)}"
        )
    if kind == "periods":
        if isinstance(value, list):
            for item in value:
                _periods_item(item)
        elif not _is_text(value):
            return f"{_given(value)} is not a list of periods ('YYYY-MM..YYYY-MM;...')"
    if kind == "events":
        if isinstance(value, list):
            for item in value:
                if not _is_text(item):
                    return f"{_given(item)} is not a date (YYYY-MM-DD)"
        elif not _is_text(value):
            return f"Input should be a valid tuple, got {_given(value)}"
    return None


JSON_TYPES = (str, int, bool, Decimal, list, dict)


def json_value(spec: FieldSpec, value: object) -> object:
    """The value as given when its JSON type fits the field; ValueError (the reason) otherwise.
    Python values that JSON does not make (a date, a tuple) are left to the model."""
    if value is None or not isinstance(value, JSON_TYPES):
        return value
    reason = _refused(spec, value)
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
