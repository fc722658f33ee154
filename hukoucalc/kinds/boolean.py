"""``bool``: yes or no; a JSON boolean, or one of the words a CSV cell may use."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BeforeValidator, StrictBool, WithJsonSchema

from hukoucalc.kinds.base import Kind, given, is_text, one
from hukoucalc.scheme.model import FieldSpec
from hukoucalc.words import FALSE, TRUE, YES_NO, truth


def _yes_no(value: object) -> object:
    """A JSON boolean, or one of the words a CSV cell may use."""
    if isinstance(value, str):
        found = truth(value)
        if found is None:
            raise ValueError(f"{value!r} is not {YES_NO}")
        return found
    return value


def _model(spec: FieldSpec) -> Any:
    schema = {"anyOf": [{"type": "boolean"}, {"type": "string", "enum": [*TRUE, *FALSE]}]}
    return Annotated[StrictBool, BeforeValidator(_yes_no), WithJsonSchema(schema)]


def _json(spec: FieldSpec, value: object) -> str | None:
    if isinstance(value, bool) or is_text(value):
        return None
    return f"Input should be a valid boolean, got {given(value)}"


def _show(spec: FieldSpec, value: Any) -> str:
    return "yes" if value else "no"


KIND = Kind("bool", _model, _json, empty=False, dirty="maybe", scale=one, yes_no=True, show=_show)
