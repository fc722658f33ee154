"""``enum``: one code of the field's ``values`` (or its label, as a spreadsheet may hold it)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, WithJsonSchema

from hukoucalc.kinds.base import Kind, given, is_text
from hukoucalc.scheme.model import FieldSpec


def _model(spec: FieldSpec) -> Any:
    assert spec.values is not None
    labels = {label: code for code, label in spec.values.items() if label not in spec.values}
    choices = [{"const": code, "title": label} for code, label in spec.values.items()]
    choices += [
        {"const": label, "description": f"label of {code}"} for label, code in labels.items()
    ]
    return Annotated[
        Literal[tuple(spec.values)],
        BeforeValidator(
            lambda value: (
                labels.get(value.strip(), value.strip())  # trimmed, as a CSV cell
                if isinstance(value, str)
                else value
            )
        ),
        WithJsonSchema({"type": "string", "anyOf": choices}),
    ]


def allowed(spec: FieldSpec) -> str:
    """The codes and their labels, as a refused value's reason lists them."""
    return ", ".join(f"{code} ({label})" for code, label in (spec.values or {}).items())


def _json(spec: FieldSpec, value: object) -> str | None:
    return None if is_text(value) else f"{given(value)} is not one of: {allowed(spec)}"


def _show(spec: FieldSpec, value: Any) -> str:
    return (spec.values or {}).get(value, str(value))


KIND = Kind("enum", _model, _json, dirty="???", text=True, choices=True, show=_show)
