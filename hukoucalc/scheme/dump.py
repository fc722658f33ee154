"""Write a scheme back to TOML (tomli-w), the inverse of ``load_scheme``."""

from __future__ import annotations

from typing import Any

import tomli_w
from pydantic import BaseModel

from hukoucalc.scheme.model import Scheme


def model_data(model: BaseModel) -> dict[str, Any]:
    """Plain data (dicts, lists, Decimals, dates) with only the keys its TOML table needs."""
    return model.model_dump(mode="python", by_alias=True, exclude_none=True, exclude_defaults=True)


def scheme_to_data(scheme: Scheme) -> dict[str, Any]:
    """Plain data with every key the scheme's TOML file needs."""
    return model_data(scheme)


def dump_scheme(scheme: Scheme) -> str:
    """The scheme as TOML text; loading it gives back an equal scheme."""
    return tomli_w.dumps(scheme_to_data(scheme), multiline_strings=True)
