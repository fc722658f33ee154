"""One check of a scorecard against an ``expected`` block, shared by the golden scenarios
(``tests/scenarios/``) and the tested examples of the language reference (``docs/examples/``).

``expected`` holds::

    "indicators": {"age": "20"},         points per indicator id (omitted = not checked)
    "groups": {"innovation": "12"},      optional
    "total": "32",
    "eligible": true,                    optional
    "gates": {"retirement": false},      optional
    "floored": true,                     optional: whether [total] floor bit
    "capped": {"housing": false},        optional: whether an indicator's or group's cap or
                                         floor bit (false at the bound itself, and when the
                                         line's `when` fails)
    "target": {"kind": "threshold", "score": "120", "gap": "3", "reached": false},
                                         optional: the distance to the cut-off/threshold
    "keys": {"medical_months": "96"}     optional: the values of the selection keys
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from hukoucalc.engine.compile import compile_scheme
from hukoucalc.engine.scalar import evaluate_one
from hukoucalc.scheme.load import LoadedScheme
from hukoucalc.scorecard import Scorecard


def _dec(value: object) -> Decimal:
    return Decimal(str(value))


def check_card(
    loaded: LoadedScheme,
    record: dict[str, Any],
    card: Scorecard,
    expected: dict[str, Any],
    where: str,
) -> None:
    """Assert that ``card`` (``record`` scored under ``loaded``) is what ``expected`` says."""
    got = {line.id: Decimal(line.points) for line in card.indicators}
    for ident, points in expected.get("indicators", {}).items():
        assert ident in got, f"{where}: no indicator {ident!r}"
        assert got[ident] == _dec(points), f"{where}: indicator {ident}"
    groups = {g.id: Decimal(g.points) for g in card.groups}
    for ident, points in expected.get("groups", {}).items():
        assert ident in groups, f"{where}: no group {ident!r}"
        assert groups[ident] == _dec(points), f"{where}: group {ident}"
    assert Decimal(card.total) == _dec(expected["total"]), f"{where}: total"
    if "eligible" in expected:
        assert card.eligible is expected["eligible"], f"{where}: eligible"
    gates = {g.id: g.passed for g in card.gates}
    for ident, passed in expected.get("gates", {}).items():
        assert ident in gates, f"{where}: no gate {ident!r}"
        assert gates[ident] is passed, f"{where}: gate {ident}"
    capped = {line.id: line.capped for line in card.indicators}
    capped |= {g.id: g.capped for g in card.groups}
    for ident, bit in expected.get("capped", {}).items():
        assert ident in capped, f"{where}: no indicator or group {ident!r}"
        assert capped[ident] is bit, f"{where}: capped {ident}"
    if "floored" in expected:
        assert card.floored is expected["floored"], f"{where}: floored"
    if "target" in expected:
        want = expected["target"]
        assert card.target is not None, f"{where}: no target"
        assert card.target.kind == want["kind"], f"{where}: target kind"
        assert Decimal(card.target.score) == _dec(want["score"]), f"{where}: target score"
        assert Decimal(card.target.gap) == _dec(want["gap"]), f"{where}: target gap"
        assert card.target.reached is want["reached"], f"{where}: target reached"
    if "keys" in expected:
        evaluation = evaluate_one(compile_scheme(loaded.scheme), record)
        for ident, value in expected["keys"].items():
            number, scale = evaluation.keys[ident]
            assert Decimal(number) / scale == _dec(value), f"{where}: key {ident}"
