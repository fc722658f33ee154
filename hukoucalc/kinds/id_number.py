"""``id_number``: a citizen ID number (GB 11643), checked by :mod:`hukoucalc.idnumber`."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import AfterValidator

from hukoucalc import idnumber
from hukoucalc.kinds.base import Kind, only_text
from hukoucalc.scheme.model import FieldSpec


def _id_number(value: str) -> str:
    return idnumber.validate(value)


def _model(spec: FieldSpec) -> Any:
    return Annotated[str, AfterValidator(_id_number)]


KIND = Kind(
    "id_number",
    _model,
    only_text("Input should be a valid string, got {}"),
    dirty="110101199003070012",  # the check character should be 1
    text=True,
)
