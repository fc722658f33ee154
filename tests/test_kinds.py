"""One registry of field kinds (hukoucalc.kinds): every field type of the scheme language has
its kind, and what other modules list by type agrees with it."""

from __future__ import annotations

from typing import get_args

from hukoucalc.batch.draw import DRAW
from hukoucalc.batch.kinds import BATCH
from hukoucalc.kinds import KINDS
from hukoucalc.scheme.checks import NUMERIC
from hukoucalc.scheme.model import FieldSpec, FieldType

SPEC = FieldSpec(type="text", label="any")


def test_every_field_type_has_a_kind() -> None:
    assert list(KINDS) == list(get_args(FieldType))
    assert all(name == k.name for name, k in KINDS.items())


def test_the_numeric_kinds_are_those_a_scheme_check_names() -> None:
    assert set(NUMERIC) == {name for name, k in KINDS.items() if k.numeric}


def test_every_kind_but_free_text_has_a_broken_cell_for_synth() -> None:
    assert [name for name, k in KINDS.items() if k.dirty is None] == ["text"]


def test_a_batch_has_an_exact_parser_and_a_generator_for_every_kind_and_a_fast_one_for_most() -> (
    None
):
    assert list(BATCH) == list(KINDS.values())  # every kind, in the same order
    assert list(DRAW) == list(KINDS.values())
    assert [k.name for k, b in BATCH.items() if b.fast is None] == ["decimal"]


def test_a_quantity_has_a_scale_and_every_kind_shows_a_value() -> None:
    assert [name for name, k in KINDS.items() if k.numeric] == ["bool", "int", "decimal"]
    assert all(k.shown(SPEC, None) == "—" for k in KINDS.values())
