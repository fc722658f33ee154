"""``id_number``: a citizen ID number (GB 11643), checked by :mod:`hukoucalc.idnumber`."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from pydantic import AfterValidator, ValidationInfo

from hukoucalc import idnumber
from hukoucalc.kinds.base import Kind, only_text
from hukoucalc.scheme.model import FieldSpec


def _id_number(value: str, info: ValidationInfo) -> str:
    return idnumber.validate(value, today=context_today(info))


def context_today(info: ValidationInfo) -> dt.date:
    """The day that decides validity, which the caller passes in the validation context
    (``model_validate(data, context={"today": day})``; ``applicant.validate_applicant`` does)."""
    today = (info.context or {}).get("today")
    if not isinstance(today, dt.date):
        raise TypeError("an applicant is validated against a day: context={'today': date}")
    return today


def _model(spec: FieldSpec) -> Any:
    return Annotated[str, AfterValidator(_id_number)]


KIND = Kind(
    "id_number",
    _model,
    only_text("Input should be a valid string, got {}"),
    dirty="110101199003070012",  # the check character should be 1
    text=True,
)
