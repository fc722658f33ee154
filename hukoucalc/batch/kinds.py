"""The batch side of each field kind (:mod:`hukoucalc.kinds`): how a column of text cells is
typed, fast (:mod:`.canonical`) and exactly (:mod:`.exact`).

A registry parallel to :data:`hukoucalc.kinds.KINDS`, keyed by the same kinds, and kept apart
from them so that ``score`` never imports polars; a synthetic pool's values of each kind are a
third table, :data:`hukoucalc.batch.draw.DRAW`, so that ``rank`` never imports numpy. Adding a
type adds its kind there and its entries here and in ``DRAW``; ``tests/test_kinds.py`` asserts
every kind has every entry.
"""

from __future__ import annotations

from dataclasses import dataclass

from hukoucalc.batch import canonical, exact
from hukoucalc.batch.canonical import FastParser
from hukoucalc.batch.exact import Exact
from hukoucalc.kinds import (
    Kind,
    boolean,
    date,
    decimals,
    enum,
    events,
    id_number,
    integer,
    periods,
    text,
)
from hukoucalc.kinds import kind as kind_of
from hukoucalc.scheme.model import FieldSpec


@dataclass(frozen=True)
class BatchKind:
    """How a batch handles one field kind."""

    exact: Exact
    """types any cell, and says why a bad one is bad (the reference)"""
    fast: FastParser | None
    """types a canonical cell cheaply and flags it ``ok`` (None: the exact parser, every row)"""


BATCH: dict[Kind, BatchKind] = {
    text.KIND: BatchKind(exact.parse_text, canonical.fast_text),
    id_number.KIND: BatchKind(exact.parse_id_number, canonical.fast_id_number),
    date.KIND: BatchKind(exact.parse_date, canonical.fast_date),
    boolean.KIND: BatchKind(exact.parse_bool, canonical.fast_bool),
    integer.KIND: BatchKind(exact.parse_int, canonical.fast_int),
    decimals.KIND: BatchKind(exact.parse_decimal, None),
    enum.KIND: BatchKind(exact.parse_enum, canonical.fast_enum),
    periods.KIND: BatchKind(exact.parse_periods, canonical.fast_periods),
    events.KIND: BatchKind(exact.parse_events, canonical.fast_events),
}


def batch_kind(spec: FieldSpec) -> BatchKind:
    """How a batch handles a field, by its kind."""
    return BATCH[kind_of(spec)]
