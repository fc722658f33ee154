"""``text``: free text (a name), any valid Unicode."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import AfterValidator

from hukoucalc.kinds.base import Kind, only_text
from hukoucalc.scheme.model import FieldSpec
from hukoucalc.textfile import NOT_TEXT, is_text, shown


def _text(value: str) -> str:
    if not is_text(value):
        raise ValueError(f"'{shown(value)}' {NOT_TEXT}")
    return value


def _model(spec: FieldSpec) -> Any:
    return Annotated[str, AfterValidator(_text)]


KIND = Kind("text", _model, only_text("Input should be a valid string, got {}"), text=True)
