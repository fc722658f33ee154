"""``events``: dated events, a list of dates (``YYYY-MM-DD;YYYY-MM-DD`` in a CSV cell)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from pydantic import BeforeValidator, WithJsonSchema

from hukoucalc.kinds.base import Kind, given, is_text
from hukoucalc.kinds.date import NOT_A_DATE, iso_date
from hukoucalc.scheme.model import FieldSpec


def _event_list(value: object) -> object:
    """Dates as a JSON list, or one text of dates joined by ';' (as in a CSV cell)."""
    if isinstance(value, str):
        return [part for part in value.replace(" ", "").split(";") if part]
    return value


def _model(spec: FieldSpec) -> Any:
    return Annotated[
        tuple[Annotated[dt.date, BeforeValidator(iso_date)], ...],
        BeforeValidator(_event_list),
        WithJsonSchema({"type": "array", "items": {"type": "string", "format": "date"}}),
    ]


def _json(spec: FieldSpec, value: object) -> str | None:
    if isinstance(value, list):
        bad = [item for item in value if not is_text(item)]
        return NOT_A_DATE.format(given(bad[0])) if bad else None
    return None if is_text(value) else f"Input should be a valid tuple, got {given(value)}"


def _show(spec: FieldSpec, value: Any) -> str:
    return ", ".join(str(day) for day in value)


KIND = Kind("events", _model, _json, empty=(), dirty="yesterday", show=_show)
