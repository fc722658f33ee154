"""Synthetic applicant pools for any scheme: every declared field exercised, plausible values.

The fields playing a role (:mod:`hukoucalc.roles`: the ID number, the birth date and the sex,
which agree) and those of the shared vocabulary (``education``, ``social_insurance``,
``own_home``, ``rental``, ...) get realistic shapes: ages 25-55, insurance 0-25 years with
occasional gaps, housing inside the insurance years, the education mix of the 2018 Beijing list.
Any other field gets a generic value of its type, read from what the scheme does with it
(``field_uses.py``): a bool a gate requires false is a rare record, a field only bonus lines read
is for a few. ``dirty`` adds a few bad rows (a broken cell of each kind, :mod:`hukoucalc.kinds`)
and duplicate ID numbers, each once at least, so the error path is exercised too. Same seed,
same file.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import polars as pl

from hukoucalc.batch.field_uses import field_uses
from hukoucalc.idnumber import CHECK, FEMALE, MALE, WEIGHTS
from hukoucalc.kinds import kind
from hukoucalc.periods import month_of_date
from hukoucalc.roles import Roles, resolve
from hukoucalc.scheme.model import AgeMeasure, FieldSpec, Scheme

Rng = np.random.Generator
_WEIGHTS = np.array(WEIGHTS)
_AREAS = np.array([110101, 110105, 110108, 310115, 440106, 440305, 120101, 330106, 420106])
# education mix (reference §1.7, the admitted of 2018) by rough level
_EDUCATION = {"none": 0.08, "college": 0.22, "bachelor": 0.45, "master": 0.2, "doctor": 0.05}


class _Pool:
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

    def value(self, name: str, spec: FieldSpec) -> pl.Series:
        special: dict[str, Callable[[], pl.Series]] = {
            "social_insurance": self.social_insurance,
            "own_home": self.own_home,
            "rental": self.rental,
            "pension_insurance": lambda: self.insured_like(0, 0),
            "medical_insurance": lambda: self.insured_like(24, 6),
            "unemployment_insurance": lambda: self.insured_like(6, 24),
            "injury_insurance": lambda: self.insured_like(0, 6),
            "maternity_insurance": lambda: self.insured_like(6, 12),
            "residence_permit_periods": lambda: self.insured_like(12, 36),
        }
        if name in special:
            return special[name]()
        if name in _RECURRING and spec.type == "events":
            return _recurring(self, name, spec)
        values = _GENERIC[spec.type](self, name, spec)
        if name in self.uses.extras and spec.type in ("decimal", "periods", "enum"):
            return pl.Series(np.where(self.chance(0.1), values.to_numpy(), ""))  # a bonus for a few
        return values


def _id_numbers(pool: _Pool) -> pl.Series:
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


def _generic_periods(pool: _Pool, name: str, spec: FieldSpec) -> pl.Series:
    length = pool.rng.integers(6, 120, pool.n)
    end = pool.last - pool.rng.integers(0, 24, pool.n) * (pool.rng.random(pool.n) < 0.3)
    return pool.periods(end - length + 1, end, pool.chance(0.35))


def _enum(pool: _Pool, name: str, spec: FieldSpec) -> pl.Series:
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


def _bool(pool: _Pool, name: str, spec: FieldSpec) -> pl.Series:
    p = _BOOL_CHANCE.get(name, pool.bool_chance(name))
    return pl.Series(np.where(pool.chance(p), "true", "false"))


def _int(pool: _Pool, name: str, spec: FieldSpec) -> pl.Series:
    low = int(spec.min) if spec.min is not None else 0
    if spec.max is not None:
        drawn = pool.rng.integers(low, int(spec.max) + 1, pool.n)
    else:  # no upper bound: mostly a few, with a long tail (years, employees)
        drawn = low + pool.rng.lognormal(1, 1, pool.n).astype(np.int64)
    values = np.where(pool.chance(0.12), drawn, low)
    return pl.Series(values.astype(str))


def _decimal(pool: _Pool, name: str, spec: FieldSpec) -> pl.Series:
    places = spec.places or 0
    units = (pool.rng.lognormal(11, 1, pool.n) * 10**places).astype(np.int64)
    whole, frac = units // 10**places, units % 10**places
    text = whole.astype(str)
    if places:
        text = np.char.add(np.char.add(text, "."), np.char.zfill(frac.astype(str), places))
    return pl.Series(text)


def _date(pool: _Pool, name: str, spec: FieldSpec) -> pl.Series:
    if name == pool.role.birth_date:
        return pl.Series(pool.born.astype("datetime64[D]").astype(str))
    days = pool.rng.integers(0, 3650, pool.n).astype("timedelta64[D]")
    return pl.Series((np.datetime64(pool.as_of.isoformat(), "D") - days).astype(str))


def _events(pool: _Pool, name: str, spec: FieldSpec) -> pl.Series:
    days = pool.rng.integers(0, 3 * 365, pool.n).astype("timedelta64[D]")  # recent: in windows
    dates = (np.datetime64(pool.as_of.isoformat(), "D") - days).astype(str)
    return pl.Series(np.where(pool.chance(0.03), dates, ""))


def _recurring(pool: _Pool, name: str, spec: FieldSpec) -> pl.Series:
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


def _text(pool: _Pool, name: str, spec: FieldSpec) -> pl.Series:
    return pl.Series([f"申请人{i:07d}" for i in range(1, pool.n + 1)])


_GENERIC: dict[str, Callable[[_Pool, str, FieldSpec], pl.Series]] = {
    "periods": _generic_periods,
    "enum": _enum,
    "bool": _bool,
    "int": _int,
    "decimal": _decimal,
    "date": _date,
    "events": _events,
    "text": _text,
    "id_number": lambda pool, name, spec: _id_numbers(pool),
}


def synthesise(schemes: list[Scheme], n: int, seed: int, *, dirty: bool = False) -> pl.DataFrame:
    """A pool of ``n`` applicants with the union of the schemes' fields, as text cells."""
    fields: dict[str, FieldSpec] = {}
    for scheme in schemes:
        for name, spec in scheme.fields.items():
            first = fields.setdefault(name, spec)
            if first.values is not None and spec.values is not None:  # codes all schemes know
                known = {c: v for c, v in first.values.items() if c in spec.values}
                fields[name] = first.model_copy(update={"values": known or first.values})
    ages = [m.birth for s in schemes for m in s.measures.values() if isinstance(m, AgeMeasure)]
    role = resolve(fields, sorted(set(ages)))
    ordered = [*role.published, *(name for name in fields if name not in role.published)]
    pool = _Pool(schemes, role, n, seed)
    columns = {name: pool.value(name, fields[name]).alias(name) for name in ordered}
    frame = pl.DataFrame(columns)
    if dirty and n >= 2:
        frame = _dirty(frame, fields, role.id_number, pool.rng)
    return frame


def _dirty(
    frame: pl.DataFrame, fields: dict[str, FieldSpec], number: str | None, rng: Rng
) -> pl.DataFrame:
    n = frame.height
    broken = {name: kind(spec).dirty for name, spec in fields.items()}  # one cell of each kind
    kinds = [(name, cell) for name, cell in broken.items() if cell is not None]
    count = max(len(kinds) + 1, n // 200)
    rows = rng.choice(n, size=min(count, n - 1), replace=False)
    updates: dict[str, dict[int, str]] = {}
    for k, row in enumerate(rows.tolist()):
        if k < len(kinds) or rng.random() < 0.8:
            name, bad = kinds[k % len(kinds)] if kinds else ("", "")
            if name:
                updates.setdefault(name, {})[row] = bad
        elif number is not None:  # a duplicate application
            updates.setdefault(number, {})[row] = frame[number][(row + 1) % n]
    for name, cells in updates.items():
        column = frame[name].to_list()
        for row, value in cells.items():
            column[row] = value
        frame = frame.with_columns(pl.Series(name, column, dtype=pl.String))
    if number is not None and n > 2:  # at least one duplicate whatever the draw
        column = frame[number].to_list()
        column[n - 1] = column[0]
        frame = frame.with_columns(pl.Series(number, column, dtype=pl.String))
    return frame
