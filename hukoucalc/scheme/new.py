"""A starting scheme for a city: the bundled ``template`` adapted to the city, its size and round.

The city size class comes from the urban population and the national rules
(``hukoucalc/policy/national.toml``, 国发〔2014〕51号); a city where points settlement is
forbidden (under 3 million) gets no scheme. Every number the city has to set stays a placeholder
and is marked as one: sources ``placeholder#...``, notes beginning "Placeholder", and a header
comment in the file.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from hukoucalc.errors import UsageError, option
from hukoucalc.policy.rules import SizeClass, size_class
from hukoucalc.scheme.dump import dump_scheme, scheme_to_data
from hukoucalc.scheme.load import LoadedScheme, load_scheme, scheme_from_data
from hukoucalc.scheme.model import Meta

TEMPLATE = "template"
MAX_POPULATION = 10**9  # a scheme's counts of people (scheme.model.Count)

HEADER = """\
# {title}: a starting scheme written by `hukoucalc scheme new` from the bundled template.
# 城区常住人口 {population:,} ({population_year}) makes {city} a {size} ({size_source});
# points settlement: {points} ({points_source}).
# PLACEHOLDERS, NOT POLICY: every point value, the gates' lengths, the quota, the reference dates
# and the population's source. They are marked in the data: sources "placeholder#...", notes
# beginning "Placeholder". Replace each with the city's own figure and cite it in [sources],
# then run `hukoucalc scheme check` on this file.
"""


def default_id(city_en: str | None, year: int) -> str | None:
    """``beijing-2027`` from ``Beijing`` and 2027; None when the English name gives no id."""
    slug = re.sub(r"[^a-z0-9]+", "-", (city_en or "").lower()).strip("-")
    return f"{slug}-{year}" if slug else None


def points_class(population: int) -> SizeClass:
    """The size class of a city that may run points; UsageError for one that must not."""
    if population < 0:
        raise UsageError("the urban population cannot be negative", where=option("population"))
    if population > MAX_POPULATION:
        raise UsageError(
            f"{population:,} is more urban residents than a scheme counts ({MAX_POPULATION:,})",
            where=option("population"),
        )
    size = size_class(population)
    if size.points == "forbidden":
        raise UsageError(
            f"{population:,} urban residents make a {size.name} ({size.source}), where points "
            f"settlement must not run: {size.points_source}",
            where=option("population"),
        )
    return size


def new_scheme(
    *,
    city: str,
    year: int,
    population: int,
    population_year: int,
    scheme_id: str,
    city_en: str | None = None,
) -> LoadedScheme:
    """The template adapted to the city: metadata, urban population, reference dates."""
    size = points_class(population)
    for given, name in ((option("city"), city), (option("city_en"), city_en or "x")):
        if not name.strip():
            raise UsageError("the city's name is empty", where=given)
        if not name.isprintable():
            raise UsageError(
                f"{name!r} holds a line break or another control character", where=given
            )
    pattern = Meta.model_json_schema()["properties"]["id"]["pattern"]
    if not re.fullmatch(pattern, scheme_id):
        raise UsageError(
            f"'{scheme_id}' is not a scheme id: lower-case ASCII letters, digits and '-'",
            where=option("scheme_id"),
        )
    template = load_scheme(TEMPLATE)
    data: dict[str, Any] = scheme_to_data(template.scheme)
    meta = data["scheme"]
    meta.update(
        id=scheme_id,
        city=city.strip(),
        title=f"{city.strip()}积分落户管理办法（草案）",
        year=year,
        urban_population={
            "value": population,
            "year": population_year,
            "source": "placeholder#城区常住人口",
            "note": f"{size.name}: {size.source}. Placeholder source: cite the statistics "
            "this figure comes from.",
        },
    )
    meta.pop("city_en", None)
    if city_en:
        meta["city_en"] = city_en.strip()
    try:
        data["dates"].update(as_of=dt.date(year - 1, 12, 31), age_on=dt.date(year, 1, 1))
    except ValueError:
        raise UsageError(f"{year} is not a year", where=option("year")) from None
    return scheme_from_data(data, origin=f"{TEMPLATE} (scheme new)")


def scheme_text(loaded: LoadedScheme) -> str:
    """The TOML file of a new scheme, with its header comment on the placeholders."""
    meta = loaded.scheme.scheme
    assert meta.urban_population is not None  # set by new_scheme
    size = size_class(meta.urban_population.value)
    header = HEADER.format(
        title=meta.title,
        city=meta.city,
        population=meta.urban_population.value,
        population_year=meta.urban_population.year,
        size=size.name,
        size_source=size.source,
        points=size.points,
        points_source=size.points_source,
    )
    return header + "\n" + dump_scheme(loaded.scheme)
