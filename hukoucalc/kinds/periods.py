"""``periods``: month periods, ``YYYY-MM..YYYY-MM`` joined by ``;`` (:mod:`hukoucalc.periods`)."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BeforeValidator, WithJsonSchema

from hukoucalc import periods
from hukoucalc.kinds.base import Kind, given, is_text
from hukoucalc.scheme.model import FieldSpec

_MONTHS = r"[0-9]{4}-[0-9]{2}(\.\.[0-9]{4}-[0-9]{2})?"
PERIODS_SCHEMA: dict[str, Any] = {
    "description": "Month periods: 'YYYY-MM..YYYY-MM' joined by ';', or a list of such "
    "strings or of {'from': 'YYYY-MM', 'to': 'YYYY-MM'} objects",
    "anyOf": [
        {"type": "string", "pattern": f"^({_MONTHS})?(;{_MONTHS})*;?$"},
        {
            "type": "array",
            "items": {
                "anyOf": [
                    {"type": "string", "pattern": f"^{_MONTHS}$"},
                    {
                        "type": "object",
                        "properties": {
                            "from": {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}$"},
                            "to": {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}$"},
                        },
                        "required": ["from", "to"],
                        "additionalProperties": False,
                    },
                ]
            },
        },
    ],
}


def _periods(value: object) -> tuple[periods.Period, ...]:
    return periods.parse_periods(value)


def _model(spec: FieldSpec) -> Any:
    return Annotated[
        tuple[tuple[int, int], ...], BeforeValidator(_periods), WithJsonSchema(PERIODS_SCHEMA)
    ]


def _json(spec: FieldSpec, value: object) -> str | None:
    if isinstance(value, list):
        for item in value:
            if not (is_text(item) or (isinstance(item, dict) and set(item) == {"from", "to"})):
                return f"{given(item)} is not a period: use 'YYYY-MM..YYYY-MM' or {{'from', 'to'}}"
        return None
    if is_text(value):
        return None
    return f"{given(value)} is not a list of periods ('YYYY-MM..YYYY-MM;...')"


def _show(spec: FieldSpec, value: Any) -> str:
    return periods.format_periods(periods.merge(value))


KIND = Kind("periods", _model, _json, empty=(), dirty="2015-13..2016-01", spans=True, show=_show)
