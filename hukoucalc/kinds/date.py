"""``date``: a day, written ``YYYY-MM-DD``, from FIRST_YEAR on."""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from typing import Annotated, Any

from pydantic import BeforeValidator, WithJsonSchema

from hukoucalc import periods
from hukoucalc.kinds.base import Kind, only_text
from hukoucalc.scheme.model import FieldSpec

_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
NOT_A_DATE = "{} is not a date (YYYY-MM-DD)"


def iso_date(value: object) -> object:
    if isinstance(value, dt.date):
        return value
    text = value.strip() if isinstance(value, str) else None
    if text is not None and _DATE.fullmatch(text):
        if int(text[:4]) < periods.FIRST_YEAR:
            raise ValueError(f"{text!r} {periods.EARLY_DATE}")
        with contextlib.suppress(ValueError):
            return dt.date.fromisoformat(text)
    raise ValueError(NOT_A_DATE.format(repr(value)))


def _model(spec: FieldSpec) -> Any:
    return Annotated[
        dt.date, BeforeValidator(iso_date), WithJsonSchema({"type": "string", "format": "date"})
    ]


KIND = Kind("date", _model, only_text(NOT_A_DATE), dirty="1980-02-30")
