"""``scheme check``: the national rules and the linter.

Each small broken scheme in ``tests/data/check/`` and the findings it must give are listed in
``tests/data/check/expected.json`` (add a case there without Python). Bundled schemes must pass
with no error. A Hypothesis property proves the exact ranges the linter reasons with are sound:
no applicant ever scores outside them.
"""

from __future__ import annotations

import itertools
import json
import math
import os
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from hukoucalc.applicant import validate_applicant
from hukoucalc.policy import DEFAULT_CLIFF, Finding, check_scheme, national_rules
from hukoucalc.policy.conditions import Satisfiability
from hukoucalc.policy.maxima import Maxima, MeasureRule, rule_at, text
from hukoucalc.policy.rules import read_rules, size_class
from hukoucalc.policy.spans import Quantities, Span
from hukoucalc.scheme.load import LoadedScheme, bundled_names, load_scheme
from hukoucalc.scheme.model import Band, Bands, Condition, Marginal, PerUnit, Tier
from hukoucalc.scorecard import score_record

from .invoke import TODAY, assert_error, flat, run
from .strategies import applicants

DATA = Path(__file__).parent / "data" / "check"
EXPECTED: dict[str, Any] = {
    name: case
    for name, case in json.loads((DATA / "expected.json").read_text(encoding="utf-8")).items()
    if not name.startswith("_")
}


def _triples(findings: list[Finding]) -> list[tuple[str, str, str]]:
    return [(f.severity, f.code, f.key) for f in findings]


# -- the national rules as data -------------------------------------------------------------------


def test_every_check_scheme_has_an_expectation() -> None:
    assert sorted(p.name for p in DATA.glob("*.toml")) == sorted(EXPECTED)


def test_national_rules_load_and_tile_the_population_axis() -> None:
    rules = national_rules()
    assert [c.name for c in rules.size_classes] == [
        "超大城市",
        "特大城市",
        "Ⅰ型大城市",
        "Ⅱ型大城市",
        "中等城市",
        "Ⅰ型小城市",
        "Ⅱ型小城市",
    ]
    assert set(rules.required.main_indicators) == {
        "employment",
        "residence",
        "insurance_years",
        "residence_years",
    }


@pytest.mark.parametrize(
    ("population", "name", "ceiling"),
    [
        (10_000_000, "超大城市", None),
        (9_999_999, "特大城市", None),
        (5_000_000, "特大城市", None),
        (4_999_999, "Ⅰ型大城市", 5),
        (3_000_000, "Ⅰ型大城市", 5),
        (2_999_999, "Ⅱ型大城市", 5),
        (1_000_000, "Ⅱ型大城市", 5),
        (999_999, "中等城市", 3),
        (500_000, "中等城市", 3),
        (499_999, "Ⅰ型小城市", 0),
        (200_000, "Ⅰ型小城市", 0),
        (199_999, "Ⅱ型小城市", 0),
        (0, "Ⅱ型小城市", 0),
    ],
)
def test_size_class_bounds(population: int, name: str, ceiling: int | None) -> None:
    """国发〔2014〕51号: 以上 includes the bound, 以下 excludes it (reference §6.2)."""
    cls = size_class(population)
    assert (cls.name, cls.insurance_ceiling_years) == (name, ceiling)


def test_rules_file_with_a_gap_is_refused(tmp_path: Path) -> None:
    source = Path(__file__).parents[1] / "hukoucalc" / "policy" / "national.toml"
    broken = source.read_text(encoding="utf-8").replace("below = 10_000_000", "below = 9_000_000")
    path = tmp_path / "national.toml"
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(ValueError, match="gap or overlap"):
        read_rules(path)


# -- each finding on a small scheme ---------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_check_finds(name: str) -> None:
    case = EXPECTED[name]
    findings = check_scheme(load_scheme(str(DATA / name)))
    found = _triples(findings)
    expected = [tuple(f) for f in case["findings"]]
    assert sorted(f for f in found if f[0] != "info") == sorted(
        f for f in expected if f[0] != "info"
    )
    for triple in expected:
        assert triple in found, triple
    for f in findings:
        assert f.message and f.key and f.code == f.code.lower()


def test_messages_cite_the_rule_and_give_the_numbers() -> None:
    by_code = {
        f.code: f.message
        for name in ("small-city.toml", "insurance-gate-too-long.toml", "cliffs.toml")
        for f in check_scheme(load_scheme(str(DATA / name)))
    }
    assert "应取消积分落户制度" in by_code["points-in-small-city"]
    assert "2,000,000" in by_code["points-in-small-city"]
    assert "72 months (6 years)" in by_code["insurance-gate-too-long"]
    assert "at most 5 years" in by_code["insurance-gate-too-long"]
    cliff = [
        f.message
        for f in check_scheme(load_scheme(str(DATA / "cliffs.toml")))
        if f.key == "indicators[housing].rule"
    ]
    assert cliff == [
        "one more month of 'own_months' (from 59 to 60 months) raises this line by 15 points, "
        "more than the cliff of 2"
    ]


def test_a_falling_cliff_says_it_lowers_the_line() -> None:
    (message,) = [
        f.message
        for f in check_scheme(load_scheme(str(DATA / "cliff-down.toml")))
        if f.code == "cliff"
    ]
    assert message == (
        "one more month of 'si_months' (from 59 to 60 months) lowers this line by 10 points, "
        "more than the cliff of 2"
    )


def test_the_cliff_is_a_setting() -> None:
    loaded = load_scheme(str(DATA / "cliffs.toml"))

    def cliffs(limit: Decimal) -> list[str]:
        return [f.key for f in check_scheme(loaded, cliff=limit) if f.code == "cliff"]

    assert DEFAULT_CLIFF == 2
    assert cliffs(Decimal(6)) == ["indicators[insurance].rule", "indicators[housing].rule"]
    assert cliffs(Decimal("5.99")) == [
        "indicators[insurance].rule",
        "indicators[employment].rule",
        "indicators[housing].rule",
    ]
    assert cliffs(Decimal(15)) == []


def test_unbounded_maxima_are_said_so() -> None:
    loaded = load_scheme(str(DATA / "base.toml"))
    scheme = loaded.scheme
    q = Quantities(scheme)
    maxima = Maxima(scheme, q, Satisfiability(scheme, q))
    spans = {i.id: maxima.indicator(i) for i in scheme.indicators}
    assert spans["insurance"] == Span(Fraction(0), None)  # 0.25 a month without end
    si_2025 = q.of("si_2025")  # a 12-month window
    assert (si_2025.lo, si_2025.hi) == (0, 12)


def test_marginal_tiers_stop_at_their_upper_bound() -> None:
    # tiers 0-60 at 0.25 and 72+ at 0.5: 60 months give 15, the hole adds nothing, 80 give 19
    scheme = load_scheme(str(DATA / "band-gap.toml")).scheme
    (rule,) = [i.rule for i in scheme.indicators if i.id == "employment"]
    assert isinstance(rule, Marginal)
    assert [rule_at(scheme, rule, Fraction(x)) for x in (30, 60, 66, 72, 80)] == [
        Fraction(15, 2),
        15,
        15,
        15,
        19,
    ]


PERMIT = {"field": "residence_permit", "is": True}
NO_PERMIT = {"not": PERMIT}
NO_AWARD_VALUE = {"field": "award", "not_in": ["none", "city", "national"]}


@pytest.mark.parametrize(
    ("condition", "possible"),
    [
        (NO_PERMIT, True),
        ({"all": [PERMIT, NO_PERMIT]}, False),
        ({"not": {"all": [PERMIT, NO_PERMIT]}}, True),
        ({"not": {"any": [PERMIT, NO_PERMIT]}}, False),
        ({"field": "patents", "at_least": 3}, True),
        ({"field": "patents", "above": 3}, False),  # patents: max 3
        (NO_AWARD_VALUE, False),  # award has a default: never absent
    ],
    ids=["not", "all-contradiction", "not-all", "not-any", "at-least-max", "above-max", "enum"],
)
def test_condition_possible(condition: dict[str, Any], possible: bool) -> None:
    scheme = load_scheme(str(DATA / "base.toml")).scheme
    sat = Satisfiability(scheme, Quantities(scheme))
    assert sat.possible(Condition.model_validate(condition)) is possible


def test_an_optional_enum_without_default_may_be_absent() -> None:
    scheme = load_scheme(str(DATA / "base.toml")).scheme
    award = scheme.fields["award"].model_copy(update={"default": None})
    scheme = scheme.model_copy(update={"fields": scheme.fields | {"award": award}})
    sat = Satisfiability(scheme, Quantities(scheme))
    assert sat.possible(Condition.model_validate(NO_AWARD_VALUE))


# -- bundled schemes ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", bundled_names())
def test_bundled_scheme_has_no_error(name: str) -> None:
    errors = [f for f in check_scheme(load_scheme(name)) if f.severity == "error"]
    assert errors == [], "\n".join(f"{f.code} {f.key}: {f.message}" for f in errors)


def test_known_findings_on_beijing() -> None:
    """Beijing 2018 counts 职住区域 from 2017-01 to its 2017-12 cut-off: 12 months at most, so the
    4-point blocks reach 4, never the cap of 12; a whole year of blocks is a 4-point cliff."""
    found = _triples(check_scheme(load_scheme("beijing-2018")))
    assert ("warning", "cap-unreachable", "indicators[area_both].cap") in found
    assert ("warning", "cliff", "indicators[area_both].rule") in found


# -- soundness of the ranges ----------------------------------------------------------------------

SOUND = {name: load_scheme(name) for name in bundled_names()}
SOUND |= {name: load_scheme(str(DATA / name)) for name in ("caps.toml", "group-cap.toml")}


def _inside(value: Decimal, span: Span) -> bool:
    x = Fraction(value)
    return (span.lo is None or x >= span.lo) and (span.hi is None or x <= span.hi)


@pytest.mark.parametrize("name", sorted(SOUND))
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_no_applicant_scores_outside_the_ranges(name: str, data: st.DataObject) -> None:
    loaded: LoadedScheme = SOUND[name]
    scheme = loaded.scheme
    record = validate_applicant(
        scheme, data.draw(applicants(scheme)), where="hypothesis", today=TODAY
    )
    card = score_record(loaded, record, applicant="hypothesis")
    q = Quantities(scheme)
    maxima = Maxima(scheme, q, Satisfiability(scheme, q))
    spans = {i.id: maxima.indicator(i) for i in scheme.indicators}
    for line in card.indicators:
        assert _inside(Decimal(line.points), spans[line.id]), (line.id, line.points)
    for group in card.groups:
        span = maxima.group(next(g for g in scheme.groups if g.id == group.id))
        assert _inside(Decimal(group.points), span), (group.id, group.points)


# -- the command ----------------------------------------------------------------------------------


def test_cli_clean_scheme_exits_0(runner: CliRunner) -> None:
    result = run(runner, "scheme", "check", "shenzhen-2023")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        "shenzhen-2023: passes (0 errors, 0 warnings, 0 info)\n"
        "  size class 超大城市: 城区常住人口 10,000,000 (2017)\n"
    )
    assert result.stderr == ""


def test_cli_errors_exit_1_with_a_table(runner: CliRunner) -> None:
    result = run(runner, "scheme", "check", str(DATA / "small-city.toml"))
    assert result.exit_code == 1
    out = flat(result.stdout)
    assert "points-in-small-city" in out
    assert "check-small-city: fails (1 error, 1 warning, 0 info) size class Ⅱ型大城市" in out
    assert "1 errors" not in out


def test_cli_warnings_alone_exit_0(runner: CliRunner) -> None:
    result = run(runner, "scheme", "check", str(DATA / "cliffs.toml"))
    assert result.exit_code == 0
    assert "cliff" in flat(result.stdout)


def test_cli_unloadable_scheme_keeps_exit_4(runner: CliRunner) -> None:
    result = run(runner, "scheme", "check", "tests/data/mini_overlapping_bands.toml")
    assert_error(result, 4, "tests/data/mini_overlapping_bands.toml", "overlaps")


def test_cli_several_schemes_fail_with_the_worst_code(runner: CliRunner) -> None:
    result = run(
        runner,
        "scheme",
        "check",
        "template",
        str(DATA / "small-city.toml"),
        "tests/data/mini_overlapping_bands.toml",
    )
    assert result.exit_code == 4
    assert "template: passes" in flat(result.stdout)
    assert "check-small-city: fails" in flat(result.stdout)
    assert "overlaps" in flat(result.stderr)


def test_cli_json(runner: CliRunner) -> None:
    result = run(
        runner, "scheme", "check", "template", str(DATA / "medium-city-gate.toml"), "--json"
    )
    assert result.exit_code == 1
    documents = json.loads(result.stdout)
    assert [d["scheme"] for d in documents] == ["template", "check-medium-gate"]
    template, medium = documents
    assert set(template) == {
        "today",
        "scheme",
        "origin",
        "sha256",
        "size_class",
        "passed",
        "counts",
        "findings",
    }
    assert template["passed"] is True
    assert template["size_class"] == {
        "id": "mega",
        "name": "特大城市",
        "population": 7_000_000,
        "year": 2025,
    }
    assert medium["passed"] is False
    assert medium["counts"] == {"error": 2, "warning": 0, "info": 0}
    assert medium["findings"][0] == {
        "severity": "error",
        "code": "points-in-small-city",
        "key": "scheme.urban_population",
        "message": medium["findings"][0]["message"],
    }
    assert [f["code"] for f in medium["findings"]] == [
        "points-in-small-city",
        "insurance-gate-too-long",
    ]


def test_cli_json_without_population(runner: CliRunner) -> None:
    result = run(runner, "scheme", "check", str(DATA / "no-population.toml"), "--json")
    assert result.exit_code == 0
    (document,) = json.loads(result.stdout)
    assert document["size_class"] is None
    assert document["findings"][0]["code"] == "population-missing"


@pytest.mark.parametrize("bad", ["lots", "-1", "NaN"])
def test_cli_bad_cliff_is_a_usage_error(runner: CliRunner, bad: str) -> None:
    result = run(runner, "scheme", "check", "template", "--cliff", bad)
    assert_error(result, 2, "--cliff", bad)


def test_cli_cliff_option(runner: CliRunner) -> None:
    result = run(runner, "scheme", "check", str(DATA / "cliffs.toml"), "--cliff", "20", "--json")
    assert result.exit_code == 0
    (document,) = json.loads(result.stdout)
    assert not [f for f in document["findings"] if f["code"] == "cliff"]


def test_cli_counts_in_words_singular_and_plural(runner: CliRunner) -> None:
    """`1 warning, 1 note`, never `1 notes` (wuhan: one cliff, one value missing from a table)."""
    result = run(runner, "scheme", "check", "wuhan")
    assert result.exit_code == 0
    assert "wuhan: passes (0 errors, 2 warnings, 1 info)" in flat(result.stdout)


def test_cli_table_keeps_keys_whole_at_80_columns() -> None:
    """Code and key share a line above the message: a key is never folded at 80 columns."""
    narrow = CliRunner(env={"COLUMNS": "80", "NO_COLOR": "1", "TERM": "dumb"})
    result = run(narrow, "scheme", "check", "beijing-2018")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert any("cap-never-bites · indicators[innovation_national].cap" in line for line in lines)


@pytest.mark.parametrize(
    "expected",
    [
        "'skill' value none has no row in the table: it scores the default 0",
        "'education' values none, junior have no row in the table: they score the default 0",
    ],
)
def test_table_missing_value_reads_plainly(expected: str) -> None:
    findings = check_scheme(load_scheme("guangzhou-2015"))
    messages = [f.message for f in findings if f.code == "table-missing-value"]
    assert expected in messages, messages
    assert not [m for m in messages if "none of" in m]


def test_messages_do_not_cite_the_projects_own_reference() -> None:
    """A user never sees "(reference §6.2)": that is the project's notes, not a public source."""
    findings = check_scheme(load_scheme("tests/data/check/medium-city-gate.toml"))
    assert findings
    assert not [f.message for f in findings if "reference §" in f.message]


def test_cli_missing_file_among_others_exits_3_after_checking_them(runner: CliRunner) -> None:
    result = run(runner, "scheme", "check", str(DATA / "small-city.toml"), "no-such.toml")
    assert result.exit_code == 3
    assert "check-small-city: fails" in flat(result.stdout)
    assert "no-such.toml: no such scheme file" in flat(result.stderr)


def test_cli_help_says_every_exit_code(runner: CliRunner) -> None:
    out = flat(run(runner, "scheme", "check", "--help").stdout)
    assert "exits 3" in out
    assert "4 (invalid scheme)" in out
    assert "{SCHEME}..." in out


def _placeholder_findings(name: str) -> list[Finding]:
    return [f for f in check_scheme(load_scheme(name)) if f.code == "placeholder-values"]


def test_placeholder_values_are_one_warning_naming_every_key() -> None:
    """Values a scheme cites from [sources.placeholder] (the template's, a gap a bundled scheme
    fills) are named, so that a drafter knows what is left to replace."""
    (finding,) = _placeholder_findings("template")
    assert finding.severity == "warning"
    assert finding.key == "sources.placeholder"
    for key in ("selection.source", "scheme.urban_population.source", "gates[no_crime].source"):
        assert key in finding.message
    assert _placeholder_findings("beijing-2020") == []


# -- the ranges come from the evaluator's own rules -------------------------------------------

MAXIMA_GOLDEN = DATA / "maxima.golden.json"
"""Every range and cliff the linter computes for the bundled and check schemes, as computed by
the Fraction re-implementation of the rules that the engine's evaluation replaced. Regenerate
(only for an intended change) with::

    HUKOUCALC_REGENERATE=1 pytest tests/test_check.py -k golden
"""


def _all_ranges() -> dict[str, dict[str, Any]]:
    def span(s: Span) -> list[str]:
        return [text(s.lo), text(s.hi)]

    out: dict[str, dict[str, Any]] = {}
    paths = sorted(Path("schemes").glob("*.toml")) + sorted(Path(DATA).glob("*.toml"))
    for path in paths:
        scheme = load_scheme(str(path)).scheme
        q = Quantities(scheme)
        m = Maxima(scheme, q, Satisfiability(scheme, q))
        found: dict[str, Any] = {}
        for ind in scheme.indicators:
            for p in ind.all_parts():
                found[f"rule {ind.id}.{p.id}"] = span(m.rule(p.rule, p.measure))
                found[f"part {ind.id}.{p.id}"] = span(m.part(p))
                if isinstance(p.rule, PerUnit | Bands | Marginal) and p.measure:
                    jump = m.jump(p.rule, p.measure)
                    found[f"jump {ind.id}.{p.id}"] = (
                        None if jump is None else [str(jump[0]), str(jump[1])]
                    )
            found[f"raw {ind.id}"] = span(m.raw(ind))
            found[f"indicator {ind.id}"] = span(m.indicator(ind))
        for g in scheme.groups:
            found[f"group {g.id}"] = span(m.group(g))
        out[path.as_posix() if path.parts[0] == "schemes" else f"tests/data/check/{path.name}"] = (
            found
        )
    return out


def test_maxima_golden() -> None:
    got = _all_ranges()
    if os.environ.get("HUKOUCALC_REGENERATE"):
        text_ = json.dumps(got, indent=1, ensure_ascii=False, sort_keys=True) + "\n"
        MAXIMA_GOLDEN.write_text(text_, encoding="utf-8")
    assert got == json.loads(MAXIMA_GOLDEN.read_text(encoding="utf-8"))


def _reference(rule: MeasureRule, x: Fraction) -> Fraction:
    """The rules in Fractions, as the policy check computed them before it asked the engine."""
    if isinstance(rule, PerUnit):
        if rule.minimum is not None and x < rule.minimum:
            return Fraction(0)
        per = Fraction(rule.per)
        units = Fraction(math.floor(x / per)) if rule.whole else x / per
        return Fraction(rule.points) * units
    if isinstance(rule, Bands):
        for band in rule.bands:
            if (band.from_ is None or x >= band.from_) and (band.below is None or x < band.below):
                return Fraction(band.points)
        return Fraction(rule.default)
    total = Fraction(rule.base)
    for tier in rule.tiers:
        low = Fraction(tier.from_)
        part = max(x, low)
        if tier.below is not None:
            part = min(part, Fraction(tier.below))
        total += (part - low) * Fraction(tier.points) / Fraction(tier.per)
    return total


_DEC = st.integers(-400, 400).map(lambda n: Decimal(n).scaleb(-1))
_PER = st.sampled_from([Decimal(1), Decimal(12), Decimal("0.5"), Decimal("3.5"), Decimal(7)])


@st.composite
def _measure_rules(draw: st.DrawFn) -> MeasureRule:
    kind = draw(st.sampled_from(["per_unit", "bands", "marginal"]))
    cuts = sorted(set(draw(st.lists(_DEC.map(abs), min_size=1, max_size=4))))
    if kind == "per_unit":
        minimum = draw(st.none() | st.just(cuts[0]))
        return PerUnit(
            kind="per_unit",
            points=draw(_DEC),
            per=draw(_PER),
            whole=draw(st.booleans()),
            minimum=minimum,
        )
    if kind == "bands":
        ends = [None, *cuts, None]
        bands = [
            Band.model_validate({"from": lo, "below": hi, "points": draw(_DEC)})
            for lo, hi in itertools.pairwise(ends)
            if (lo, hi) != (None, None)
        ]
        return Bands(kind="bands", bands=bands, default=draw(_DEC))
    ends = [*cuts, None]
    tiers = [
        Tier.model_validate({"from": lo, "below": hi, "points": draw(_DEC), "per": draw(_PER)})
        for lo, hi in itertools.pairwise(ends)
        if lo is not None
    ]
    return Marginal(kind="marginal", tiers=tiers, base=draw(_DEC))


@settings(max_examples=300, deadline=None)
@given(
    _measure_rules(),
    st.fractions(min_value=-50, max_value=100, max_denominator=24),
)
def test_rule_at_is_the_engine_and_agrees_with_exact_arithmetic(
    rule: MeasureRule, x: Fraction
) -> None:
    scheme = load_scheme(str(DATA / "base.toml")).scheme
    assert rule_at(scheme, rule, x) == _reference(rule, x)
