"""The scheme language as Pydantic models: one TOML file per city and year.

Every table rejects unknown keys, so a typo can never silently drop a rule. Numbers are exact
:class:`~decimal.Decimal` (TOML floats are read as decimals; binary floats are refused).
Cross-references (fields, measures, sources, dates, groups) are checked by :mod:`.checks`.
The language is documented, one example per construct, in ``docs/schemes.md``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, model_validator

# -- basic value types ---------------------------------------------------------------------------


def _exact(value: object) -> object:
    if isinstance(value, float):
        raise ValueError("binary floats are not exact: write the number as a string or TOML value")
    if isinstance(value, bool):
        raise ValueError("a number is expected, not true/false")
    return value


MAX_AMOUNT = Decimal(10**12)
"""The largest magnitude of any number in a scheme: 10^12 CNY is beyond any income or tax line."""
MAX_POINTS = Decimal(10**6)
"""The largest magnitude of the points a rule gives: real rules give at most a few hundred."""
MAX_PLACES = 6
"""Digits after the point of a scheme number (rates like 0.000125 a CNY need 6)."""
FIRST_YEAR, LAST_YEAR = 1900, 2200
"""The years a scheme's dates and years may name (``plan`` moves dates up to 100 years on)."""


def _bounded(limit: Decimal) -> AfterValidator:
    def check(value: Decimal) -> Decimal:
        if not value.is_finite():
            raise ValueError("a finite number is expected")
        if abs(value) > limit:
            digits = value.adjusted() + 1
            text = f"{value:f}" if digits <= 24 else f"a {digits}-digit number"
            raise ValueError(f"{text} is beyond ±{limit:,}, the limit for this key")
        exponent = value.normalize().as_tuple().exponent
        if isinstance(exponent, int) and -exponent > MAX_PLACES:
            raise ValueError(f"{value} has more than {MAX_PLACES} digits after the point")
        return value

    return AfterValidator(check)


def _in_years(value: dt.date) -> dt.date:
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValueError(f"{value} is outside the years {FIRST_YEAR}..{LAST_YEAR} a scheme may use")
    return value


Num = Annotated[Decimal, BeforeValidator(_exact), _bounded(MAX_AMOUNT)]
"""An exact number: an integer, a TOML decimal (read as Decimal) or a decimal string; at most
``MAX_AMOUNT`` in magnitude and ``MAX_PLACES`` digits after the point."""
Points = Annotated[Decimal, BeforeValidator(_exact), _bounded(MAX_POINTS)]
"""The points a rule gives: a number at most ``MAX_POINTS`` in magnitude."""
Date = Annotated[dt.date, AfterValidator(_in_years)]
"""A date in the years ``FIRST_YEAR``..``LAST_YEAR``."""
Year = Annotated[int, Field(ge=FIRST_YEAR, le=LAST_YEAR)]
Count = Annotated[int, Field(ge=0, le=10**9)]
"""A number of people or places."""

Ident = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]
"""An identifier: lower-case ASCII letters, digits and underscores."""

DateRef = Date | Ident
"""A date literal, or the name of a date in the scheme's ``[dates]`` table."""


class _Strict(BaseModel):
    # defer_build: the validators (~0.1 s to build) are built on first validation, which a
    # scheme read from the cache (scheme/cache.py) never needs.
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, defer_build=True)


# -- metadata and sources ------------------------------------------------------------------------

Confidence = Literal["V-OFF", "V-DATA", "V-3P", "MEM"]


class Source(_Strict):
    """A document the scheme's numbers come from; cited as ``"<id>#<locator>"``."""

    title: str
    url: str | None = None
    date: Date | None = None
    tag: Confidence | None = None
    note: str | None = None


class Population(_Strict):
    """城区常住人口 (urban resident population), the basis of the city size class."""

    value: int = Field(ge=0, le=10**10)
    year: Year
    source: str
    note: str | None = None


class Meta(_Strict):
    """The ``[scheme]`` table."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    city: str
    city_en: str | None = None
    title: str
    year: Year = Field(description="the application round the scheme is set for")
    urban_population: Population | None = None
    settlement: bool | None = Field(
        None,
        description="false: the points open public services, not hukou settlement (Shanghai "
        "居住证积分), so the national rules for points settlement do not apply; absent (the "
        "default, leaving the content hash of existing schemes unchanged) means settlement",
    )
    effective_from: Date | None = None
    effective_to: Date | None = None
    description: str | None = None
    confidence: str | None = Field(None, description="doubts about the scheme as a whole")
    extends: str | None = Field(
        None, description="a base scheme (bundled name or path) whose tables this file overrides"
    )


class Cutoff(_Strict):
    """A published result of a past round: the lowest admitted score."""

    year: Year
    score: Num
    admitted: Count | None = None
    applicants: Count | None = None
    source: str
    tag: Confidence | None = None
    note: str | None = None


# -- applicant fields ----------------------------------------------------------------------------

FieldType = Literal[
    "text", "id_number", "date", "bool", "int", "decimal", "enum", "periods", "events"
]
FieldRole = Literal["id_number", "name", "birth_date", "sex"]
"""What a field is for, whatever its name (:mod:`hukoucalc.roles`): a birth date the ID number
fixes, a sex it fixes (codes ``male``/``female``), the name published beside the ID number."""


class FieldSpec(_Strict):
    """One field an applicant record carries."""

    type: FieldType
    label: str
    required: bool = False
    default: Num | bool | str | None = None
    values: dict[Ident, str] | None = Field(None, description="enum: code -> label")
    min: Num | None = None
    max: Num | None = None
    places: int | None = Field(None, ge=0, le=6, description="decimal: digits after the point")
    help: str | None = None
    role: FieldRole | None = Field(
        None, description="what the field is for, when its type and name do not say it"
    )
    holds_for_months: int | None = Field(
        None,
        ge=1,
        le=1200,
        description="a status that lapses: in a projection (plan) the value holds for this many "
        "months after the scheme's as_of, then falls back to the default",
    )
    aliases: list[str] | None = Field(
        None,
        description="other names a batch file's header may give the field (besides its id and "
        "its label), e.g. an office system's export name",
    )

    @model_validator(mode="after")
    def _fits_type(self) -> FieldSpec:
        if self.holds_for_months is not None and self.type not in (
            "bool",
            "enum",
            "int",
            "decimal",
        ):
            raise ValueError(
                "'holds_for_months' applies only to bool, enum, int and decimal fields"
            )
        if (self.type == "enum") != (self.values is not None):
            raise ValueError("'values' is required for an enum field and only allowed there")
        if (self.type == "decimal") != (self.places is not None):
            raise ValueError("'places' is required for a decimal field and only allowed there")
        if (self.min is not None or self.max is not None) and self.type not in ("int", "decimal"):
            raise ValueError("'min'/'max' apply only to int and decimal fields")
        if self.required and self.default is not None:
            raise ValueError("a required field cannot have a default")
        if self.default is not None:
            _check_default(self)
        return self


_LAPSING = ("bool", "enum", "int", "decimal")


def _check_default(spec: FieldSpec) -> None:
    default = spec.default
    ok = {
        "bool": isinstance(default, bool),
        "int": isinstance(default, Decimal) and default == default.to_integral_value(),
        "decimal": isinstance(default, Decimal),
        "enum": isinstance(default, str) and default in (spec.values or {}),
        "text": isinstance(default, str),
    }.get(spec.type, False)
    if not ok:
        raise ValueError(f"default {default!r} does not fit a {spec.type} field")
    if isinstance(default, Decimal):
        exponent = default.normalize().as_tuple().exponent
        if spec.type == "decimal" and isinstance(exponent, int) and -exponent > (spec.places or 0):
            raise ValueError(f"default {default} has more than {spec.places} decimal places")
        if (spec.min is not None and default < spec.min) or (
            spec.max is not None and default > spec.max
        ):
            raise ValueError(f"default {default} is outside min/max")


# -- value references and conditions -------------------------------------------------------------


class ByField(_Strict):
    """A number that depends on an enum field: ``{ field = "education", values = {...} }``."""

    field: Ident
    values: dict[Ident, Num]
    default: Num = Decimal(0)


ValueRef = Num | Ident | ByField
"""A number, the name of a measure, or a number looked up by an enum field's value."""


class Condition(_Strict):
    """A test on one field or measure, or a combination of tests (``all``, ``any``, ``not``).

    ``is_`` tests a bool field; ``in_``/``not_in`` an enum field; ``at_least``/``at_most``/
    ``above``/``below`` a number (a field, or a measure, or an age).
    """

    field: Ident | None = None
    measure: Ident | None = None
    is_: bool | None = Field(None, alias="is")
    in_: list[Ident] | None = Field(None, alias="in")
    not_in: list[Ident] | None = None
    at_least: ValueRef | None = None
    at_most: ValueRef | None = None
    above: ValueRef | None = None
    below: ValueRef | None = None
    on_or_after: DateRef | None = None
    before: DateRef | None = None
    all: list[Condition] | None = None
    any: list[Condition] | None = None
    not_: Condition | None = Field(None, alias="not")

    @model_validator(mode="after")
    def _one_shape(self) -> Condition:
        subjects = [x for x in (self.field, self.measure) if x is not None]
        combos = [x for x in (self.all, self.any, self.not_) if x is not None]
        tested = (self.is_, self.in_, self.not_in, self.at_least, self.at_most, self.above)
        tests = [x for x in (*tested, self.below, self.on_or_after, self.before) if x is not None]
        if combos and (subjects or tests or len(combos) > 1):
            raise ValueError("'all', 'any' and 'not' stand alone in a condition")
        if not combos and (len(subjects) != 1 or not tests):
            raise ValueError("a condition names one 'field' or 'measure' and at least one test")
        return self


# -- measures: the quantities indicators count ---------------------------------------------------


class _Measure(_Strict):
    label: str | None = None
    cap: ValueRef | None = Field(None, description="the measure never exceeds this")


class MonthsMeasure(_Measure):
    """Months covered by period fields, merged so that overlaps count once.

    ``of`` are joined (union); each of ``overlap`` must also cover the month (intersection);
    months in ``minus`` are taken out. The window runs from ``start`` (or the last
    ``last_months`` months) to ``end`` (default ``as_of``; never after it). ``continuous``
    counts only the run that ends at ``end``, tolerating ``gap`` missing months in total; or,
    with ``bridge``, months of these fields (back-payment) that ``of`` does not cover count in
    the run, at most ``bridge_max`` of them in total, while any other missing month ends it.
    """

    kind: Literal["months"]
    of: list[Ident] = Field(min_length=1)
    overlap: list[Ident] = []
    minus: list[Ident] = []
    start: DateRef | None = None
    end: DateRef = "as_of"
    last_months: int | None = Field(None, ge=1, le=1200)
    continuous: bool = False
    gap: int = Field(0, ge=0, le=1200)
    bridge: list[Ident] | None = Field(
        None,
        description="continuous: fields whose months (e.g. back-paid ones) join the run "
        "without being covered by 'of'; None (not []) keeps existing content hashes",
    )
    bridge_max: int | None = Field(
        None, ge=0, le=1200, description="with 'bridge': at most this many such months in total"
    )

    @model_validator(mode="after")
    def _bridge_shape(self) -> MonthsMeasure:
        if self.bridge is not None:
            if not self.continuous:
                raise ValueError("'bridge' applies only to a 'continuous' months measure")
            if not self.bridge:
                raise ValueError("'bridge' names at least one periods field")
            if self.bridge_max is None:
                raise ValueError("'bridge' needs 'bridge_max', the most bridged months in total")
            if len(self.of) != 1 or self.overlap or self.minus:
                raise ValueError(
                    "'bridge' bridges the run of one field: give one 'of' field and no "
                    "'overlap' or 'minus'"
                )
            if self.gap:
                raise ValueError(
                    "give 'gap' (missing months tolerated) or 'bridge' (months of other fields "
                    "that join the run, any other missing month ending it), not both"
                )
        elif self.bridge_max is not None:
            raise ValueError("'bridge_max' needs 'bridge'")
        return self


class AgeMeasure(_Measure):
    """Completed years of age (周岁) on a reference date."""

    kind: Literal["age"]
    birth: Ident = "birth_date"
    on: DateRef = "age_on"


class ValueMeasure(_Measure):
    """The value of an int, decimal or bool field (true = 1)."""

    kind: Literal["value"]
    field: Ident


class EventsMeasure(_Measure):
    """How many dated events of a field fall in a window: ``start``/``end`` dates, or the last
    ``last_years`` natural years up to ``end``; at most ``per_year`` of them in each natural
    year."""

    kind: Literal["events"]
    field: Ident
    start: DateRef | None = None
    end: DateRef = "as_of"
    last_years: int | None = Field(None, ge=1, le=100)
    per_year: int | None = Field(
        None, ge=1, le=10**6, description="at most this many events count in each natural year"
    )


class CombineMeasure(_Measure):
    """Arithmetic on other measures: ``sum``, ``difference`` (first minus the rest), ``min``,
    ``max``; or ``quotient``/``remainder`` of the one measure ``of`` by ``by``."""

    kind: Literal["sum", "difference", "min", "max", "quotient", "remainder"]
    of: list[Ident] = Field(min_length=1)
    by: int | None = Field(None, ge=1, le=10**12)

    @model_validator(mode="after")
    def _arity(self) -> CombineMeasure:
        single = self.kind in ("quotient", "remainder")
        if single and (len(self.of) != 1 or self.by is None):
            raise ValueError(f"'{self.kind}' takes one measure in 'of' and a 'by'")
        if not single and self.by is not None:
            raise ValueError(f"'by' does not apply to '{self.kind}'")
        return self


Measure = Annotated[
    MonthsMeasure | AgeMeasure | ValueMeasure | EventsMeasure | CombineMeasure,
    Field(discriminator="kind"),
]

# -- rules: how a measure becomes points ---------------------------------------------------------


class PerUnit(_Strict):
    """``points`` for every ``per`` units of the measure: pro rata, or only whole blocks
    (``whole = true``); nothing at all below ``minimum``."""

    kind: Literal["per_unit"]
    points: Points
    per: Num = Decimal(1)
    whole: bool = False
    minimum: Num | None = None
    unit: str | None = Field(None, description="what one unit is, for display: 'month', 'CNY'")


class Band(_Strict):
    from_: Num | None = Field(None, alias="from")
    below: Num | None = None
    points: Points


class Bands(_Strict):
    """A band table: the single band holding the measure gives its points (else ``default``).
    Bands run from ``from`` (included) to ``below`` (excluded)."""

    kind: Literal["bands"]
    bands: list[Band] = Field(min_length=1)
    default: Points = Decimal(0)


class Tier(_Strict):
    from_: Num = Field(alias="from")
    below: Num | None = None
    points: Points
    per: Num = Decimal(1)


class Marginal(_Strict):
    """Marginal tiers (阶梯): each tier's ``points`` per ``per`` units apply only to the part of
    the measure inside that tier; ``base`` is added."""

    kind: Literal["marginal"]
    tiers: list[Tier] = Field(min_length=1)
    base: Points = Decimal(0)


class Table(_Strict):
    """Points by the value of an enum field."""

    kind: Literal["table"]
    field: Ident
    points: dict[Ident, Points]
    default: Points = Decimal(0)


class Flag(_Strict):
    """Fixed points when a condition holds (a bool field, or any condition)."""

    kind: Literal["flag"]
    points: Points
    field: Ident | None = None
    when: Condition | None = None

    @model_validator(mode="after")
    def _one_test(self) -> Flag:
        if (self.field is None) == (self.when is None):
            raise ValueError("a flag rule names either a bool 'field' or a 'when' condition")
        return self


Rule = Annotated[PerUnit | Bands | Marginal | Table | Flag, Field(discriminator="kind")]

RoundMode = Literal["half_up", "half_even", "down", "up", "floor", "ceiling"]


class Rounding(_Strict):
    """``places`` digits after the point; ``half_up`` rounds halves away from zero (as
    published lists do), ``half_even`` to the even digit, ``down`` toward zero."""

    places: int = Field(ge=0, le=6)
    mode: RoundMode = "half_up"


# -- indicators, groups, gates, total, selection -------------------------------------------------


class Part(_Strict):
    """One component of an indicator, rounded on its own where ``round`` says."""

    id: Ident
    label: str
    measure: Ident | None = None
    rule: Rule
    round: Rounding | None = None
    when: Condition | None = None


Category = Literal["basic", "bonus", "deduction", "other"]

MainIndicator = Literal["employment", "residence", "insurance_years", "residence_years"]
"""The four main indicators of 国发〔2014〕25号 for cities of 5 million and more: legal stable
employment, legal stable residence (rentals included), social-insurance years, continuous-residence
years. An indicator declares which of them it ``serves``; so may a gate or a selection key, where a
scheme realises one as an eligibility condition or a ranking key (Guangzhou); ``scheme check``
looks for all four."""


class Indicator(_Strict):
    """A scored line: one measure and rule, or several ``parts`` added up; then ``when``
    (else 0), ``cap``/``floor``, and ``round``."""

    id: Ident
    label: str
    source: str
    category: Category = "basic"
    serves: list[MainIndicator] = Field(
        [], description="which of the national main indicators this line implements"
    )
    measure: Ident | None = None
    rule: Rule | None = None
    parts: list[Part] | None = None
    part_round: Rounding | None = Field(None, description="rounding of the single part")
    when: Condition | None = None
    cap: ValueRef | None = None
    floor: ValueRef | None = None
    round: Rounding | None = None
    group: Ident | None = None
    confidence: Confidence | None = None
    note: str | None = None

    @model_validator(mode="after")
    def _rule_or_parts(self) -> Indicator:
        if (self.parts is None) == (self.rule is None):
            raise ValueError("an indicator has either a 'rule' (with its 'measure') or 'parts'")
        if self.parts is not None and (self.measure is not None or self.part_round is not None):
            raise ValueError("'measure' and 'part_round' belong in each part when 'parts' is used")
        return self

    def all_parts(self) -> list[Part]:
        if self.parts is not None:
            return self.parts
        assert self.rule is not None
        return [  # no validation: every value was validated as part of this indicator
            Part.model_construct(
                id=self.id,
                label=self.label,
                measure=self.measure,
                rule=self.rule,
                round=self.part_round,
            )
        ]


class Group(_Strict):
    """Indicators that combine before entering the total: ``sum``, or ``max`` (best one only)."""

    id: Ident
    label: str
    source: str
    combine: Literal["sum", "max"]
    cap: ValueRef | None = None
    note: str | None = None


class Gate(_Strict):
    """An eligibility condition, kept apart from points; ``veto`` marks 一票否决."""

    id: Ident
    label: str
    source: str
    require: Condition
    reason: str = Field(description="shown when the gate fails")
    kind: Literal["requirement", "veto"] = "requirement"
    serves: list[MainIndicator] = Field(
        [], description="national main indicators this gate requires (e.g. Guangzhou's 4 years)"
    )
    confidence: Confidence | None = None
    note: str | None = None


class Total(_Strict):
    floor: Num | None = None
    round: Rounding | None = None


class RankKey(_Strict):
    measure: Ident
    order: Literal["desc", "asc"] = "desc"
    label: str | None = None
    serves: list[MainIndicator] = Field(
        [], description="national main indicators this key ranks by (e.g. insurance months)"
    )


class Selection(_Strict):
    """How places are given: ``quota`` (top scores; everyone tied at the cut-off admitted),
    ``threshold`` (everyone at or above), ``threshold_then_keys`` (at or above, then ordered
    by ``keys``, remaining ties sharing a place, within ``quota`` if given)."""

    mode: Literal["quota", "threshold", "threshold_then_keys"]
    quota: Count | None = None
    threshold: Num | None = None
    keys: list[RankKey] = []
    registration: Ident | None = Field(
        None, description="enum field saying where an admitted applicant's hukou may be registered"
    )
    allow_missing_id: bool | None = Field(
        None,
        description="rank applicants without an ID number (duplicates then found on name + "
        "birth date); by default a row without one is a bad row",
    )
    source: str
    note: str | None = None

    @model_validator(mode="after")
    def _mode_needs(self) -> Selection:
        if self.mode == "quota" and self.quota is None:
            raise ValueError("mode 'quota' needs a 'quota'")
        if self.mode != "quota" and self.threshold is None:
            raise ValueError(f"mode '{self.mode}' needs a 'threshold'")
        if self.mode == "quota" and self.threshold is not None:
            raise ValueError("'threshold' is not used by mode 'quota': choose a threshold mode")
        if (self.mode == "threshold_then_keys") != bool(self.keys):
            raise ValueError("'keys' are required by, and only allowed in, 'threshold_then_keys'")
        return self


PUBLISH_WORDS = ("rank", "name", "birth_month", "id_number", "points", "total")
"""The columns of a public list that are no field: the rank, the name and the (masked) ID
number of their roles, the birth year-month the ID number gives, every line's points."""


class Publish(_Strict):
    """The public list (公示名单) of ``rank``: which columns, under which headers, and how much
    of an ID number is shown."""

    columns: list[str] = Field(
        list(PUBLISH_WORDS),
        min_length=1,
        description="in order: rank, name, birth_month, id_number, points (every line), total, "
        "or a column of the ranked list by name (a field id or a carried column such as 单位); "
        "one the list lacks is left out, and said",
    )
    headers: dict[str, str] = Field(
        {}, description="column -> header; default: 排名, 姓名, 出生年月, the labels"
    )
    keep_start: int = Field(6, ge=0, le=18, description="ID number: characters shown first")
    keep_end: int = Field(4, ge=0, le=18, description="ID number: characters shown last")
    mask: str = Field("*", min_length=1, max_length=1)
    admitted_only: bool = Field(True, description="list the admitted only (else every ranked)")


class Scheme(_Strict):
    """A whole scheme file."""

    scheme: Meta
    sources: dict[Ident, Source] = Field(min_length=1)
    dates: dict[Ident, Date]
    fields: dict[Ident, FieldSpec]
    measures: dict[Ident, Measure] = {}
    indicators: list[Indicator] = Field(min_length=1)
    groups: list[Group] = []
    gates: list[Gate] = []
    total: Total = Total()
    selection: Selection
    cutoffs: list[Cutoff] = []
    publish: Publish | None = Field(
        None, description="the public list of a ranking; absent: the default Publish()"
    )
