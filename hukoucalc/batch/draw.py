"""A synthetic pool's values of each field kind (:data:`DRAW`, keyed by the kinds): the pool of
applicants with their ages, insurance spans and sexes drawn once, and a column of each kind read
from it, as text cells. :mod:`.synth` gives the shared vocabulary's fields their own shapes first.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import polars as pl

from hukoucalc import kinds
from hukoucalc.batch.field_uses import field_uses
from hukoucalc.idnumber import CHECK, FEMALE, MALE, WEIGHTS
from hukoucalc.kinds import Kind, kind
from hukoucalc.periods import month_of_date
from hukoucalc.roles import Roles
from hukoucalc.scheme.model import FieldSpec, Scheme

_WEIGHTS = np.array(WEIGHTS)
_AREAS = np.array([110101, 110105, 110108, 310115, 440106, 440305, 120101, 330106, 420106])
# education mix (reference §1.7, the admitted of 2018) by rough level
_EDUCATION = {"none": 0.08, "college": 0.22, "bachelor": 0.45, "master": 0.2, "doctor": 0.05}


class Pool:
    """n applicants drawn once (ages, sexes, insurance spans), which every column reads."""

    def __init__(self, schemes: list[Scheme], role: Roles, n: int, seed: int) -> None:
        self.n, self.rng, self.role = n, np.random.default_rng(seed), role
        self.as_of = max(s.dates["as_of"] for s in schemes)  # periods run to the latest round
        self.last = month_of_date(self.as_of)
        self.uses = field_uses(schemes)
        ages = self.rng.integers(25, 56, n)
        days = self.rng.integers(0, 365, n)
        base = np.datetime64(self.as_of.isoformat(), "D")
        born = base - (ages * 365.25).astype("timedelta64[D]") - days.astype("timedelta64[D]")
        self.born = born
        self.male = self.rng.random(n) < 0.55
        years = np.minimum(self.rng.integers(0, 26, n), ages - 18)
        self.si_months = np.maximum(years * 12 - self.rng.integers(0, 12, n), 0)
        self.si_end = self.last - np.where(self.rng.random(n) < 0.9, 0, self.rng.integers(1, 30, n))
        self.si_start = self.si_end - self.si_months + 1

    # -- helpers -------------------------------------------------------------------------------

    def chance(self, p: float) -> np.ndarray:
        return self.rng.random(self.n) < p

    def bool_chance(self, name: str) -> float:
        """How often a bool field is true when its name says nothing: rarely for a record that
        disqualifies, mostly for what a gate requires, seldom for a bonus, else 12%."""
        if name in self.uses.records:
            return 0.01
        if name in self.uses.holdings:
            return 0.9
        return 0.03 if name in self.uses.extras else 0.12

    @staticmethod
    def month_text(months: np.ndarray) -> pl.Expr:
        return pl.format(
            "{}-{}",
            pl.lit(pl.Series(months // 12)).cast(pl.String).str.pad_start(4, "0"),
            pl.lit(pl.Series(months % 12 + 1)).cast(pl.String).str.pad_start(2, "0"),
        )

    def periods(self, start: np.ndarray, end: np.ndarray, keep: np.ndarray) -> pl.Series:
        keep = keep & (end >= start)
        frame = pl.DataFrame({"s": start, "e": end, "k": keep})
        text = frame.select(
            pl.when(pl.col("k"))
            .then(pl.format("{}..{}", self.month_text(start), self.month_text(end)))
            .otherwise(pl.lit(""))
        ).to_series()
        return text

    # -- the shared vocabulary -----------------------------------------------------------------

    def social_insurance(self) -> pl.Series:
        gap = self.chance(0.12) & (self.si_months > 24)
        cut = self.si_start + (self.si_months // 2)
        hole = self.rng.integers(1, 9, self.n)
        first = self.periods(self.si_start, np.where(gap, cut - 1, self.si_end), self.si_months > 0)
        second = self.periods(cut + hole, self.si_end, gap)
        return (
            pl.DataFrame({"a": first, "b": second})
            .select(pl.concat_str("a", "b", separator=";").str.strip_chars(";"))
            .to_series()
        )

    def own_home(self) -> pl.Series:
        self.own = self.chance(0.45) & (self.si_months > 12)
        offset = (self.rng.random(self.n) * np.maximum(self.si_months - 12, 1)).astype(int)
        self.own_start = self.si_start + offset
        return self.periods(self.own_start, np.full(self.n, self.last), self.own)

    def rental(self) -> pl.Series:
        if not hasattr(self, "own"):
            self.own_home()
        end = np.where(self.own, self.own_start - 1, self.si_end)
        return self.periods(self.si_start, end, self.chance(0.75))

    def insured_like(self, earlier: int, later: int) -> pl.Series:
        """Another insurance (or a permit) over about the social-insurance span: starting up to
        ``earlier`` months before it or ``later`` months after it, to the same end."""
        shift = self.rng.integers(-earlier, later + 1, self.n)
        start = np.maximum(self.si_start + shift, self.si_start - earlier)
        return self.periods(start, self.si_end, (self.si_months > 0) & self.chance(0.95))

    def for_a_few(self, name: str, values: pl.Series) -> pl.Series:
        """A bonus field's values for a few (10%), blank for the rest; others' as drawn."""
        if name not in self.uses.extras:
            return values
        return pl.Series(np.where(self.chance(0.1), values.to_numpy(), ""))


def _id_numbers(pool: Pool) -> pl.Series:
    """Valid and unique ID numbers (a repeated one is an error of its own: ``--dirty`` adds
    them): area, birth date, and a sequence number whose parity is the sex, redrawn where two
    applicants of one area, birthday and sex drew the same one."""
    rng, n = pool.rng, pool.n
    area = _AREAS[rng.integers(0, len(_AREAS), n)]
    born = pool.born.astype("datetime64[D]").astype(str)
    ymd = np.char.replace(born, "-", "")
    odd = np.where(pool.male, 1, 0)
    seq = rng.integers(0, 500, n) * 2 + odd
    key = area.astype(np.int64) * 10**11 + ymd.astype(np.int64) * 1000
    for _ in range(100):  # a few rounds do: ~200k (area, birthday, sex) of 500 numbers each
        _, first = np.unique(key + seq, return_index=True)
        again = np.ones(n, dtype=bool)
        again[first] = False
        if not again.any():
            break
        seq[again] = rng.integers(0, 500, int(again.sum())) * 2 + odd[again]
    first17 = np.char.add(np.char.add(area.astype(str), ymd), np.char.zfill(seq.astype(str), 3))
    digits = np.frombuffer("".join(first17.tolist()).encode(), dtype=np.uint8).reshape(n, 17) - 48
    check = np.array(list(CHECK))[(digits * _WEIGHTS).sum(axis=1) % 11]
    return pl.Series(np.char.add(first17, check))


def draw_periods(pool: Pool, name: str, spec: FieldSpec) -> pl.Series:
    """Periods for a third of the pool; a bonus field's for a few."""
    length = pool.rng.integers(6, 120, pool.n)
    end = pool.last - pool.rng.integers(0, 24, pool.n) * (pool.rng.random(pool.n) < 0.3)
    return pool.for_a_few(name, pool.periods(end - length + 1, end, pool.chance(0.35)))


def draw_enum(pool: Pool, name: str, spec: FieldSpec) -> pl.Series:
    """Codes in a plausible mix; a bonus field's for a few."""
    return pool.for_a_few(name, _codes(pool, name, spec))


def _codes(pool: Pool, name: str, spec: FieldSpec) -> pl.Series:
    codes = list(spec.values or {})
    if name == "education":
        weights = np.array([_EDUCATION.get(c, 0.05) for c in codes])
    elif name == pool.role.sex:
        return pl.Series(np.where(pool.male, MALE, FEMALE))
    elif name in _MOSTLY_SOME and "none" in codes:  # most applicants work and have a home
        weights = np.array([0.08 if c == "none" else 0.92 / (len(codes) - 1) for c in codes])
    elif "none" in codes:
        weights = np.array([0.85 if c == "none" else 0.15 / (len(codes) - 1) for c in codes])
    else:
        weights = np.ones(len(codes))
    return pl.Series(
        np.array(codes)[pool.rng.choice(len(codes), pool.n, p=weights / weights.sum())]
    )


_MOSTLY_SOME = {"employment", "residence"}
_RECURRING = {"donations", "volunteer_years"}
_BOOL_CHANCE = {
    "residence_permit": 0.97,
    "hukou_elsewhere": 0.99,
    "registration_place": 0.9,
    "criminal_record": 0.01,
    "honour": 0.01,
    "family_planning_violation": 0.01,
    "dishonest_debtor": 0.02,
    "drug_rehabilitation": 0.01,
}


def draw_bool(pool: Pool, name: str, spec: FieldSpec) -> pl.Series:
    p = _BOOL_CHANCE.get(name, pool.bool_chance(name))
    return pl.Series(np.where(pool.chance(p), "true", "false"))


def draw_int(pool: Pool, name: str, spec: FieldSpec) -> pl.Series:
    low = int(spec.min) if spec.min is not None else 0
    if spec.max is not None:
        drawn = pool.rng.integers(low, int(spec.max) + 1, pool.n)
    else:  # no upper bound: mostly a few, with a long tail (years, employees)
        drawn = low + pool.rng.lognormal(1, 1, pool.n).astype(np.int64)
    values = np.where(pool.chance(0.12), drawn, low)
    return pl.Series(values.astype(str))


def draw_decimal(pool: Pool, name: str, spec: FieldSpec) -> pl.Series:
    places = spec.places or 0
    units = (pool.rng.lognormal(11, 1, pool.n) * 10**places).astype(np.int64)
    whole, frac = units // 10**places, units % 10**places
    text = whole.astype(str)
    if places:
        text = np.char.add(np.char.add(text, "."), np.char.zfill(frac.astype(str), places))
    return pool.for_a_few(name, pl.Series(text))


def draw_date(pool: Pool, name: str, spec: FieldSpec) -> pl.Series:
    if name == pool.role.birth_date:
        return pl.Series(pool.born.astype("datetime64[D]").astype(str))
    days = pool.rng.integers(0, 3650, pool.n).astype("timedelta64[D]")
    return pl.Series((np.datetime64(pool.as_of.isoformat(), "D") - days).astype(str))


def draw_events(pool: Pool, name: str, spec: FieldSpec) -> pl.Series:
    """A recent event for a few; several for many where the field recurs (donations)."""
    if name in _RECURRING:
        return _recurring(pool, name, spec)
    days = pool.rng.integers(0, 3 * 365, pool.n).astype("timedelta64[D]")  # recent: in windows
    dates = (np.datetime64(pool.as_of.isoformat(), "D") - days).astype(str)
    return pl.Series(np.where(pool.chance(0.03), dates, ""))


def _recurring(pool: Pool, name: str, spec: FieldSpec) -> pl.Series:
    """Events many applicants have several of (blood donations, volunteering years): half of
    the pool with 1-6 dates in the last 6 years."""
    base = np.datetime64(pool.as_of.isoformat(), "D")
    counts = np.where(pool.chance(0.5), pool.rng.integers(1, 7, pool.n), 0)
    days = pool.rng.integers(0, 6 * 365, (pool.n, 6))
    # each row's first ``count`` draws, oldest first (most days back); -1 marks the rest, last
    kept = np.where(np.arange(6) < counts[:, None], days, -1)
    kept = -np.sort(-kept, axis=1)
    dates = (base - kept.astype("timedelta64[D]")).astype(str)
    columns = pl.DataFrame({str(k): dates[:, k] for k in range(6)} | {"n": counts})
    listed = pl.concat_list(pl.exclude("n")).list.head(pl.col("n")).list.join(";")
    return columns.select(listed).to_series()


def draw_text(pool: Pool, name: str, spec: FieldSpec) -> pl.Series:
    return pl.Series([f"申请人{i:07d}" for i in range(1, pool.n + 1)])


def draw_id_number(pool: Pool, name: str, spec: FieldSpec) -> pl.Series:
    return _id_numbers(pool)


Draw = Callable[[Pool, str, FieldSpec], pl.Series]
"""A pool's column of a field, as text cells: (pool, field, spec) -> values."""

DRAW: dict[Kind, Draw] = {  # keyed by the kinds, as hukoucalc.batch.kinds.BATCH
    kinds.text.KIND: draw_text,
    kinds.id_number.KIND: draw_id_number,
    kinds.date.KIND: draw_date,
    kinds.boolean.KIND: draw_bool,
    kinds.integer.KIND: draw_int,
    kinds.decimals.KIND: draw_decimal,
    kinds.enum.KIND: draw_enum,
    kinds.periods.KIND: draw_periods,
    kinds.events.KIND: draw_events,
}


def draw(pool: Pool, name: str, spec: FieldSpec) -> pl.Series:
    """A pool's column of a field, by its kind."""
    return DRAW[kind(spec)](pool, name, spec)
