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

from hukoucalc.batch.draw import Pool, draw
from hukoucalc.kinds import kind
from hukoucalc.roles import resolve
from hukoucalc.scheme.model import AgeMeasure, FieldSpec, Scheme

Rng = np.random.Generator


def _value(pool: Pool, name: str, spec: FieldSpec) -> pl.Series:
    """The field's column: a shape of its own for the shared vocabulary, else its kind's."""
    special: dict[str, Callable[[], pl.Series]] = {
        "social_insurance": pool.social_insurance,
        "own_home": pool.own_home,
        "rental": pool.rental,
        "pension_insurance": lambda: pool.insured_like(0, 0),
        "medical_insurance": lambda: pool.insured_like(24, 6),
        "unemployment_insurance": lambda: pool.insured_like(6, 24),
        "injury_insurance": lambda: pool.insured_like(0, 6),
        "maternity_insurance": lambda: pool.insured_like(6, 12),
        "residence_permit_periods": lambda: pool.insured_like(12, 36),
    }
    if name in special:
        return special[name]()
    return draw(pool, name, spec)


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
    pool = Pool(schemes, role, n, seed)
    columns = {name: _value(pool, name, fields[name]).alias(name) for name in ordered}
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
