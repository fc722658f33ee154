"""The national rules as data: ``national.toml`` (size classes, points policy, insurance ceilings,
main indicators), read and validated once."""

from __future__ import annotations

import functools
import itertools
import tomllib
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from hukoucalc.scheme.model import MainIndicator

RULES_FILE = Path(__file__).with_name("national.toml")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class SizeClass(_Strict):
    """One grade of 国发〔2014〕51号: ``from`` <= 城区常住人口 < ``below``."""

    id: str
    name: str
    from_: int = Field(alias="from", ge=0)
    below: int | None = None
    source: str
    points: Literal["required", "allowed", "forbidden"]
    points_source: str
    insurance_ceiling_years: int | None = Field(None, ge=0)
    insurance_source: str | None = None

    def holds(self, population: int) -> bool:
        return self.from_ <= population and (self.below is None or population < self.below)


class Required(_Strict):
    """What a city that must run points must carry."""

    source: str
    quota_source: str
    main_indicators: dict[MainIndicator, str]


class NationalRules(_Strict):
    size_classes: list[SizeClass] = Field(min_length=1)
    required: Required

    @model_validator(mode="after")
    def _classes_tile(self) -> NationalRules:
        ordered = sorted(self.size_classes, key=lambda c: c.from_)
        if ordered[0].from_ != 0 or ordered[-1].below is not None:
            raise ValueError("size classes must run from 0 to no upper bound")
        for low, high in itertools.pairwise(ordered):
            if low.below != high.from_:
                raise ValueError(f"size classes {low.id} and {high.id} leave a gap or overlap")
        for c in self.size_classes:
            if (c.insurance_ceiling_years is None) != (c.insurance_source is None):
                raise ValueError(f"{c.id}: an insurance ceiling needs its source, and vice versa")
        return self


@functools.cache
def national_rules() -> NationalRules:
    """The shipped rules (``hukoucalc/policy/national.toml``)."""
    return read_rules(RULES_FILE)


def read_rules(path: Path) -> NationalRules:
    with path.open("rb") as handle:
        return NationalRules.model_validate(tomllib.load(handle))


def size_class(population: int) -> SizeClass:
    return next(c for c in national_rules().size_classes if c.holds(population))
