"""One registry of field kinds (hukoucalc.kinds): every field type of the scheme language has
its kind, and what other modules list by type agrees with it."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import get_args

from hukoucalc.batch.draw import DRAW
from hukoucalc.batch.kinds import BATCH
from hukoucalc.engine.compile import compile_scheme
from hukoucalc.kinds import KINDS, kind
from hukoucalc.scheme.checks import NUMERIC
from hukoucalc.scheme.load import load_scheme
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


def test_a_value_is_shown_and_a_quantity_scaled_by_its_kind() -> None:
    def spec(**kw: object) -> FieldSpec:
        return FieldSpec.model_validate({"label": "x", **kw})

    shown = {
        "yes": (spec(type="bool"), True),
        "本科": (spec(type="enum", values={"b": "本科"}), "b"),
        "2015-01..2015-06": (spec(type="periods"), ((24180, 24182), (24183, 24185))),
        "2020-05-01, 2021-03-02": (spec(type="events"), (dt.date(2020, 5, 1), dt.date(2021, 3, 2))),
        "1.5": (spec(type="decimal", places=2), Decimal("1.50")),
        "7": (spec(type="int"), 7),
    }
    for text, (one, value) in shown.items():
        assert kind(one).shown(one, value) == text
    cents = spec(type="decimal", places=2)
    assert kind(cents).step(cents) == Fraction(1, 100)
    scheme = load_scheme("beijing-2018").scheme
    scales = compile_scheme(scheme).scales
    assert {n for n, s in scheme.fields.items() if kind(s).numeric} <= set(scales)


def test_no_module_but_the_kinds_dispatches_on_a_field_type() -> None:
    """Issue 10's done-when: ``grep -rn "spec.type ==" hukoucalc/`` shows only the registry (and
    ``scheme/model.py``'s validators, which define the language's field shapes)."""
    package = Path(__file__).resolve().parent.parent / "hukoucalc"
    pattern = re.compile(r"\.type == |\.type in \(|\.type not in \(")
    found = [
        f"{path.relative_to(package)}:{n}"
        for path in sorted(package.rglob("*.py"))
        if path.parent.name != "kinds" and path.relative_to(package).as_posix() != "scheme/model.py"
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if pattern.search(line)
    ]
    assert found == []
