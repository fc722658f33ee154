"""``hukoucalc plan``: hand-computed projections (cases in tests/data/plan/cases.json, each with
its arithmetic in "why"), suggestions, the JSON document, the chart and the CLI errors."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from typer.testing import CliRunner

from hukoucalc import __version__
from hukoucalc.errors import ExitCode
from hukoucalc.periods import parse_periods
from hukoucalc.planning import Plan, continue_as_now, make_plan, shift_date
from hukoucalc.render.plan import chart
from hukoucalc.scheme.load import load_scheme
from hukoucalc.scoring import load_applicant
from tests.invoke import assert_error, flat, run

from .invoke import TODAY

DATA = Path("tests/data/plan")
SCHEME = DATA / "plan.toml"
CASES = json.loads(Path(__file__).parent.joinpath("data/plan/cases.json").read_text())["cases"]


def plan_json(runner: CliRunner, *args: str | Path) -> dict[str, Any]:
    result = run(runner, "plan", *args, "--json")
    assert result.exit_code == 0, result.stderr
    data: dict[str, Any] = json.loads(result.stdout)
    return data


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_hand_computed_cases(runner: CliRunner, case: dict[str, Any]) -> None:
    doc = plan_json(runner, case["applicant"], "--scheme", case["scheme"], *case["args"])
    assert doc["target"] == case["target"]
    assert doc["first_month"] == case["first_month"]
    assert doc["first_round"] == case["first_round"]
    totals = {str(r["year"]): r["total"] for r in doc["rounds"]}
    assert {year: totals[year] for year in case["totals"]} == case["totals"]
    if "rounds" in case:
        assert len(doc["rounds"]) == case["rounds"]
    failed = {str(r["year"]): r["failed_gates"] for r in doc["rounds"]}
    ineligible = case.get("ineligible", {})
    assert {year: failed[year] for year in case["totals"]} == {
        year: ineligible.get(year, []) for year in case["totals"]
    }
    if "never" in case:
        never = {k: v for k, v in doc["never"].items() if k != "reasons"}
        assert never == case["never"]
    else:
        assert doc["never"] is None
    first = [r["year"] for r in doc["rounds"] if r["reached"]]
    assert (first[0] if first else None) == case["first_round"]


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_first_round_is_the_score_commands_total(runner: CliRunner, case: dict[str, Any]) -> None:
    doc = plan_json(runner, case["applicant"], "--scheme", case["scheme"], *case["args"])
    result = run(runner, "score", case["applicant"], "--scheme", case["scheme"], "--json")
    card = json.loads(result.stdout)
    assert doc["rounds"][0]["total"] == card["total"]
    assert doc["rounds"][0]["eligible"] == card["eligible"]
    assert doc["rounds"][0]["lines"] == {i["id"]: i["points"] for i in card["indicators"]}


def test_never_says_why(runner: CliRunner) -> None:
    doc = plan_json(runner, DATA / "age-penalty.json", "-s", SCHEME)
    assert doc["never"]["reasons"] == [
        "gate 'retirement' (未满60周岁) fails from 2038-03-31 on: 已满60周岁",
        "the best projected score is 98 (round 2030), 2 short of the target",
        "falling with time: 年龄 20 → 0",
        "growing with time: 就业 55 → 75",
        "after round 2030 the falling indicators outrun accrual",
        "capped by 2043-12-31: 就业",
    ]


def _suggested(doc: dict[str, Any]) -> list[tuple[str, Any, str, int | None]]:
    return [(s["field"], s["after"], s["gain"], s["first_round"]) for s in doc["suggestions"]]


def test_suggestions_ranked_by_points_gained(runner: CliRunner) -> None:
    # master +11 (106 now) and a registered rental +5 (100 now) reach the target in 2024; living
    # outside the core from 2024-01 adds nothing now but 2 after 12 months: 100 in round 2025,
    # a year earlier than 2026. A lower degree gains nothing and is left out.
    doc = plan_json(runner, DATA / "accrual.json", "-s", SCHEME)
    assert _suggested(doc) == [
        ("education", "master", "11", 2024),
        ("rental_registered", True, "5", 2024),
        ("home_outside_core", "2024-01..", "0", 2025),
    ]
    first = doc["suggestions"][0]
    assert first["before"] == "bachelor"
    assert first["total"] == "106"
    assert first["change"] == "学历: 本科 → 硕士"


def test_suggestions_when_never(runner: CliRunner) -> None:
    # rental: 95 now, 98 in 2025, then 91 … 100 in 2029 (74 + 5 + 15 + 10 − … see the chart)
    doc = plan_json(runner, DATA / "age-penalty.json", "-s", SCHEME)
    assert _suggested(doc) == [
        ("education", "master", "11", 2024),
        ("rental_registered", True, "5", 2029),
        ("home_outside_core", "2024-01..", "0", 2029),
    ]


def test_suggestion_gaining_points_without_bringing_the_round_forward(runner: CliRunner) -> None:
    doc = plan_json(runner, DATA / "gate-later.json", "-s", SCHEME)
    assert _suggested(doc) == [("rental_registered", True, "5", 2027)]


def test_gate_only_change_is_suggested_when_it_brings_the_round_forward(
    runner: CliRunner,
) -> None:
    # without a residence permit no round counts: a permit gains no points but gives 2026 (the
    # accrual case); more points alone never help; ranked by points gained all the same
    doc = plan_json(runner, DATA / "no-permit.json", "-s", SCHEME)
    assert doc["first_round"] is None
    assert doc["never"]["gates"] == [
        {"gate": "permit", "label": "持有居住证", "reason": "未持有居住证", "since": None},
        {
            "gate": "retirement",
            "label": "未满60周岁",
            "reason": "已满60周岁",
            "since": "2040-06-30",
        },
    ]
    assert (
        doc["never"]["reasons"][0]
        == "gate 'permit' (持有居住证) fails at every month: 未持有居住证"
    )
    assert _suggested(doc) == [
        ("education", "master", "11", None),
        ("rental_registered", True, "5", None),
        ("residence_permit", True, "0", 2026),
    ]


def test_personal_fields_and_fields_without_points_are_not_suggested(runner: CliRunner) -> None:
    # mini-2024: sex is a fact of the person; hitech_core_years is an int, not a choice
    doc = plan_json(runner, DATA / "mini.json", "-s", "tests/data/mini.toml")
    assert doc["suggestions"] == []


def test_json_document_shape(runner: CliRunner) -> None:
    doc = plan_json(runner, DATA / "accrual.json", "-s", SCHEME)
    loaded = load_scheme(str(SCHEME))
    assert list(doc) == [
        "schema_version",
        "hukoucalc",
        "today",
        "scheme",
        "applicant",
        "target",
        "as_of",
        "until",
        "rounds",
        "first_month",
        "first_round",
        "never",
        "suggestions",
        "assumptions",
        "places",
    ]
    assert doc["schema_version"] == 1
    assert doc["hukoucalc"] == __version__
    assert doc["scheme"]["id"] == "plan-test"
    assert doc["scheme"]["sha256"] == loaded.sha256
    assert doc["applicant"] == str(DATA / "accrual.json")
    assert (doc["as_of"], doc["until"]) == ("2023-12-31", "2043-12-31")
    assert [r["year"] for r in doc["rounds"]] == list(range(2024, 2045))
    assert doc["rounds"][2] == {
        "year": 2026,
        "as_of": "2025-12-31",
        "total": "101",
        "eligible": True,
        "failed_gates": [],
        "target": "100",
        "reached": True,
        "lines": {"employment": "66", "education": "15", "rental": "0", "area": "0", "age": "20"},
    }
    assert set(doc["suggestions"][0]) == {
        "field",
        "label",
        "kind",
        "before",
        "after",
        "change",
        "gain",
        "total",
        "first_round",
    }
    assert Plan.model_validate(doc).first_round == 2026


def test_output_is_deterministic(runner: CliRunner) -> None:
    args = ("plan", "examples/applicant-beijing-2020.json", "--json")
    assert run(runner, *args).stdout == run(runner, *args).stdout


def test_terminal_output(runner: CliRunner) -> None:
    result = run(runner, "plan", DATA / "accrual.json", "-s", SCHEME)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    out = flat(result.stdout)
    assert "Target 100.00 (the 2023 cut-off)" in out
    assert "2026 101.00" in out
    first = "First round reaching 100.00: 2026 (projected 101.00, months counted to 2025-12-31)"
    assert first in out
    assert "first reached at the cut-off 2025-08-31" in out
    assert "1 学历: 本科 → 硕士 +11.00 2024" in out


def test_terminal_output_never(runner: CliRunner) -> None:
    result = run(runner, "plan", DATA / "age-penalty.json", "-s", SCHEME)
    assert result.exit_code == 0, result.stderr
    out = flat(result.stdout)
    assert "No round up to 2044 (months counted to 2043-12-31) reaches 100.00." in out
    assert "· falling with time: 年龄 20 → 0" in out
    assert "2039 90.00" in out and "not eligible: retirement" in out


def test_chart_bars_and_target_line() -> None:
    loaded, record = load_applicant(DATA / "accrual.json", str(SCHEME), today=TODAY)
    plan = make_plan(loaded, record, applicant="a")
    console = Console(file=StringIO(), width=100, color_system=None)
    console.print(chart(plan))
    text = console.file.getvalue()  # type: ignore[attr-defined]
    rows = {line.split()[0]: line for line in text.splitlines() if line.strip()[:2] == "20"}
    # the highest total is 104 (2027): 40 columns; 95 → 36 columns, the target 100 at column 38
    bar_2024 = rows["2024"].split("95.00  ")[1]
    assert bar_2024.index("│") == 38
    assert bar_2024[:38] == "█" * 36 + "  "
    bar_2027 = rows["2027"].split("104.00  ")[1]
    # columns 0-39 filled, the line at 38, column 40 blank; then the status column
    assert bar_2027.rstrip() == "█" * 38 + "│" + "█" + " " + "  reached"


def test_shift_date_keeps_month_ends() -> None:
    assert shift_date(dt.date(2019, 12, 31), 2) == dt.date(2020, 2, 29)
    assert shift_date(dt.date(2019, 12, 31), 14) == dt.date(2021, 2, 28)
    assert shift_date(dt.date(2019, 12, 31), 15) == dt.date(2021, 3, 31)
    assert shift_date(dt.date(2023, 1, 1), 13) == dt.date(2024, 2, 1)


def test_only_periods_open_at_the_cut_off_keep_running() -> None:
    scheme = load_scheme(str(SCHEME)).scheme
    now = parse_periods("2023-12")[0][0]
    record = {
        "social_insurance": parse_periods("2010-01..2015-06;2015-07..2023-12"),  # touching: open
        "home_outside_core": parse_periods("2016-01..2020-12;2024-03..2024-05"),  # closed, future
    }
    out = continue_as_now(scheme, record, now, now + 24)
    assert out["social_insurance"] == parse_periods("2010-01..2025-12")
    assert out["home_outside_core"] == record["home_outside_core"]
    ends_at = continue_as_now(scheme, {"social_insurance": ((now - 5, now),)}, now, now + 2)
    assert ends_at["social_insurance"] == ((now - 5, now + 2),)


def test_period_starting_in_the_cut_off_month_keeps_running() -> None:
    scheme = load_scheme(str(SCHEME)).scheme
    now = parse_periods("2023-12")[0][0]
    out = continue_as_now(scheme, {"social_insurance": ((now, now),)}, now, now + 2)
    assert out["social_insurance"] == ((now, now + 2),)


def test_until_a_day_before_a_round_leaves_that_round_out(runner: CliRunner) -> None:
    # as_of 2023-12-31: the next round's cut-off 2024-12-31 is after --until 2024-12-30
    doc = plan_json(runner, DATA / "accrual.json", "-s", SCHEME, "--until", "2024-12-30")
    assert [r["as_of"] for r in doc["rounds"]] == ["2023-12-31"]
    doc = plan_json(runner, DATA / "accrual.json", "-s", SCHEME, "--until", "2024-12-31")
    assert [r["as_of"] for r in doc["rounds"]] == ["2023-12-31", "2024-12-31"]


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--target", "abc"], ExitCode.USAGE, "--target: 'abc' is not a number (e.g. 100.88)"),
        (["--target", "nan"], ExitCode.USAGE, "--target: 'nan' is not a number"),
        (["--target", "1e400"], ExitCode.USAGE, "--target: '1e400' is not a number"),
        (["--target", "-5"], ExitCode.USAGE, "--target: '-5' is below 0"),
        (["--until", "2024-02-30"], ExitCode.USAGE, "--until: '2024-02-30' is not a date"),
        (["--until", "2024/01/01"], ExitCode.USAGE, "--until: '2024/01/01' is not a date"),
        (
            ["--until", "2023-12-30"],
            ExitCode.USAGE,
            "--until 2023-12-30 is before the scheme's accrual cut-off 2023-12-31",
        ),
        (["--until", "2200-01-01"], ExitCode.USAGE, "is more than 100 years after 2023-12-31"),
        (
            ["-s", str(DATA / "no-cutoff.toml")],
            ExitCode.USAGE,
            "scheme 'plan-test-no-cutoff' has no threshold and no published cut-off: "
            "give the score to reach with --target",
        ),
        (["-s", "nowhere"], ExitCode.SCHEME, "unknown scheme 'nowhere'"),
    ],
)
def test_cli_errors(runner: CliRunner, args: list[str], code: int, message: str) -> None:
    scheme = [] if "-s" in args else ["-s", str(SCHEME)]
    result = run(runner, "plan", DATA / "accrual.json", *scheme, *args)
    assert_error(result, code, message)


def test_applicant_errors(runner: CliRunner) -> None:
    result = run(runner, "plan", DATA / "missing.json", "-s", SCHEME)
    assert_error(result, ExitCode.INPUT_FILE, "tests/data/plan/missing.json: no such file")
    result = run(runner, "plan", DATA / "bad-education.json", "-s", SCHEME)
    assert_error(
        result,
        ExitCode.APPLICANT,
        "bad-education.json: field 'education' (学历): 'phd' is not one of: none (无), bachelor (",
    )


def test_scheme_from_the_applicant_file(runner: CliRunner) -> None:
    doc = plan_json(runner, "examples/applicant-beijing-2020.json")
    assert doc["scheme"]["id"] == "beijing-2020"
    # two published cut-offs (2020, 2021): too few for a trend, so the latest is the target
    assert doc["target"] == {"kind": "cutoff", "year": 2021, "score": "100.88", "trend": None}
    assert (doc["first_round"], doc["rounds"][0]["total"]) == (2020, "101.38")


def test_terminal_keeps_at_most_two_changes_of_a_field(runner: CliRunner) -> None:
    """JSON lists every value of a field that helps; the terminal the two best of each field,
    so one field's many values (Beijing's degrees) do not crowd out the others."""
    args = ["plan", "examples/applicant-beijing-2020.json", "--target", "130"]
    document = json.loads(run(runner, *args, "--json").stdout)
    education = [s for s in document["suggestions"] if s["field"] == "education"]
    assert len(education) > 2
    shown = run(runner, *args).stdout
    assert shown.count("学历（学位）: ") == 2
    assert "(at most 2 a field)" in shown


def test_a_second_scheme_is_refused_not_dropped(runner: CliRunner) -> None:
    result = run(
        runner, "plan", "examples/applicant.json", "-s", "beijing-2018", "-s", "beijing-2020"
    )
    assert_error(result, 2, "plan takes one --scheme, not 2", "score -s A -s B")


@pytest.mark.parametrize(
    ("applicant", "line"),
    [("examples/applicant.json", "area_both"), ("examples/applicant-beijing-2020.json", "area")],
)
def test_a_policys_start_stays_put_while_the_rounds_move(
    runner: CliRunner, applicant: str, line: str
) -> None:
    """Beijing's 职住区域 months count from the measures' start in every round: a date literal,
    not a named date that the projection moves, so the line grows to its cap."""
    doc = plan_json(runner, applicant)
    grown = [round_["lines"][line] for round_ in doc["rounds"][:4]]
    assert grown[0] != grown[-1] and grown == sorted(grown, key=float), grown


def test_a_target_typed_with_more_digits_is_shown_as_typed(runner: CliRunner) -> None:
    """101.381 is not shown as 101.38 (a round at 101.38 would seem to reach it)."""
    out = run(runner, "plan", "examples/applicant-beijing-2020.json", "--target", "101.381")
    assert "Target 101.381 (--target)" in out.stdout and "target 101.381 =" in out.stdout


TREND = DATA / "trend.toml"


def test_trend_is_the_default_with_three_cut_offs_and_pins_its_arithmetic(
    runner: CliRunner,
) -> None:
    """trend.toml: cut-offs 2021 99, 2022 99.5, 2023 100. x = year − 2023: −2, −1, 0 (mean −1);
    y mean 99.5; Sxy = (−2+1)(99−99.5) + 0 + (0+1)(100−99.5) = 0.5 + 0.5 = 1; Sxx = 1 + 0 + 1 = 2:
    slope 0.5, intercept (at 2023) 99.5 + 0.5 = 100. Lines 2024 100.5, 2025 101, 2026 101.5,
    2027 102. The accrual applicant scores 95, 98, 101, 104 (cases.json): 2026 misses 101.5 by
    0.5, 2027 reaches 102. Month by month (0.25 a month from 95, each month against the next
    round's line): months 13-24 need 101.5, i.e. 26 months, past that round; months 25-36 need
    102: month 28, the cut-off 2026-04-30."""
    doc = plan_json(runner, DATA / "accrual.json", "-s", TREND)
    assert doc["target"] == {
        "kind": "trend",
        "year": None,
        "score": "100.5",
        "trend": {
            "method": "least_squares",
            "n": 3,
            "years": [2021, 2022, 2023],
            "scores": ["99", "99.5", "100"],
            "origin": 2023,
            "slope": "0.5",
            "intercept": "100",
            "notes": [
                {
                    "year": 2022,
                    "score": "99.5",
                    "note": "DISPUTED in the test: 99.5 or 99.4; the given value is used",
                }
            ],
        },
    }
    rounds = [(r["year"], r["total"], r["target"], r["reached"]) for r in doc["rounds"][:4]]
    assert rounds == [
        (2024, "95", "100.5", False),
        (2025, "98", "101", False),
        (2026, "101", "101.5", False),
        (2027, "104", "102", True),
    ]
    assert (doc["first_round"], doc["first_month"]) == (2027, "2026-04-30")
    fixed = plan_json(runner, DATA / "accrual.json", "-s", TREND, "--target", "cutoff")
    assert fixed["target"] == {"kind": "cutoff", "year": 2023, "score": "100", "trend": None}
    assert fixed["first_round"] == 2026


def test_trend_on_the_example_applicant_in_the_2027_round(runner: CliRunner) -> None:
    """beijing (= beijing-2027), last 5 cut-offs 2022-2026: 105.42, 109.92, 114.46, 117.33
    (disputed, used as given), 119.92. x = −4..0 (mean −2), y mean 567.05 / 5 = 113.41;
    deviations −7.99, −3.49, 1.05, 3.92, 6.51; Sxy = 15.98 + 3.49 + 0 + 3.92 + 13.02 = 36.41,
    Sxx = 10: slope 3.641, intercept (at 2026) 113.41 + 2 × 3.641 = 120.692. Lines: 2027
    124.333 → 124.33, 2028 127.974 → 127.97, 2029 131.615 → 131.62 (half-up), 2030 135.256 →
    135.26."""
    doc = plan_json(
        runner, "examples/applicant-beijing-2020.json", "-s", "beijing", "--target", "trend"
    )
    trend = doc["target"]["trend"]
    assert (trend["n"], trend["origin"], trend["slope"], trend["intercept"]) == (
        5,
        2026,
        "3.641",
        "120.692",
    )
    assert [n["year"] for n in trend["notes"]] == [2025]
    assert [r["target"] for r in doc["rounds"][:4]] == ["124.33", "127.97", "131.62", "135.26"]
    assert doc["today"] == TODAY.isoformat()
    default = plan_json(runner, "examples/applicant-beijing-2020.json", "-s", "beijing")
    assert default["target"] == doc["target"]


def test_trend_rounds_gives_an_exact_fraction_when_the_line_does_not_terminate(
    runner: CliRunner,
) -> None:
    """Last 3: 2024 114.46, 2025 117.33, 2026 119.92; x = −2, −1, 0; Sxy = −1 × 114.46 + 1 ×
    119.92 + (the mean's terms cancel) = 5.46, Sxx = 2: slope 2.73; intercept = 351.71 / 3 + 2.73
    = 359.9 / 3 = 3599/30 (119.9666…). 2027: 3599/30 + 2.73 = 122.6966… → 122.70."""
    doc = plan_json(
        runner, "examples/applicant-beijing-2020.json", "-s", "beijing", "--trend-rounds", "3"
    )
    trend = doc["target"]["trend"]
    assert (trend["slope"], trend["intercept"]) == ("2.73", "3599/30")
    assert doc["rounds"][0]["target"] == "122.7"


def test_trend_in_the_terminal(runner: CliRunner) -> None:
    result = run(runner, "plan", "examples/applicant-beijing-2020.json", "-s", "beijing")
    assert result.exit_code == 0, result.stderr
    out = flat(result.stdout)
    assert "Target: the cut-off trend of the last 5 rounds, 124.33 in 2027." in out
    assert "line = 120.692 + 3.641 × (year − 2026)" in out
    assert "the 2025 cut-off 117.33 is used as given: DISPUTED" in out
    assert "2027 96.38 124.33" in out  # round, projected score, projected line
    assert "2028 92.38 127.97" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--target", "trend"],
            "scheme 'plan-test' has 1 published cut-off; a trend needs at least 3",
        ),
        (["-s", str(TREND), "--trend-rounds", "1"], "--trend-rounds 1: fit the trend to 2 to 50"),
        (
            ["--target", "trends"],
            "--target: 'trends' is not a number (e.g. 100.88), cutoff or trend",
        ),
    ],
)
def test_trend_errors(runner: CliRunner, args: list[str], message: str) -> None:
    scheme = [] if "-s" in args else ["-s", str(SCHEME)]
    result = run(runner, "plan", DATA / "accrual.json", *scheme, *args)
    assert_error(result, ExitCode.USAGE, message)


def test_a_fresh_graduate_is_one_only_for_the_months_the_scheme_says(runner: CliRunner) -> None:
    """shanghai-2015: 全日制应届高校毕业生 holds_for_months = 12. Born 1990-06-15: 25 on
    2015-12-31 (age 30); 本科+学士 90; shortage subject 30; graduate 10; insured 2015-07..: 6
    months (0). 2015: 30 + 90 + 30 + 10 = 160. 2016 (cut-off 2016-12-31, 12 months on): the
    status has lapsed (0), insurance 18 months = 1 whole year (3): 30 + 90 + 30 + 3 = 153.
    Without the lapse it would be 163."""
    doc = plan_json(runner, DATA / "shanghai-graduate.json")
    totals = [(r["year"], r["total"], r["lines"]["fresh_graduate"]) for r in doc["rounds"][:3]]
    assert totals == [(2015, "160", "10"), (2016, "153", "0"), (2017, "156", "0")]
    assert doc["assumptions"] == [
        {
            "field": "residence_permit",
            "label": "持有上海市居住证",
            "value": True,
            "shown": "yes",
            "holds_for_months": None,
            "lapses": None,
            "after": None,
        },
        {
            "field": "education",
            "label": "教育背景（学历、学位）",
            "value": "bachelor_degree",
            "shown": "大学本科学历和学士学位",
            "holds_for_months": None,
            "lapses": None,
            "after": None,
        },
        {
            "field": "shortage_subject",
            "label": "所学专业属紧缺急需专业目录且与所从事工作相符",
            "value": True,
            "shown": "yes",
            "holds_for_months": None,
            "lapses": None,
            "after": None,
        },
        {
            "field": "fresh_graduate",
            "label": "全日制应届高校毕业生",
            "value": True,
            "shown": "yes",
            "holds_for_months": 12,
            "lapses": "2016-12-31",
            "after": "no",
        },
    ]
    out = flat(run(runner, "plan", DATA / "shanghai-graduate.json").stdout)
    assert (
        "lapses as the scheme says: 全日制应届高校毕业生 yes for 12 months, "
        "no from the cut-off 2016-12-31 on" in out
    )
    assert (
        "assumed unchanged in every round: 持有上海市居住证 (yes), "
        "教育背景（学历、学位） (大学本科学历和学士学位)" in out
    )


def test_a_status_without_a_lapse_is_shown_as_assumed_unchanged(runner: CliRunner) -> None:
    doc = plan_json(runner, DATA / "accrual.json", "-s", SCHEME)
    assert [(a["field"], a["shown"], a["holds_for_months"]) for a in doc["assumptions"]] == [
        ("education", "本科", None)
    ]
    out = flat(run(runner, "plan", DATA / "accrual.json", "-s", SCHEME).stdout)
    assert "· assumed unchanged in every round: 学历 (本科)" in out


def test_holds_for_months_is_refused_on_a_field_without_a_value_to_lapse() -> None:
    from hukoucalc.scheme.model import FieldSpec  # noqa: PLC0415

    with pytest.raises(ValueError, match="'holds_for_months' applies only to bool, enum"):
        FieldSpec.model_validate({"type": "periods", "label": "x", "holds_for_months": 12})
    with pytest.raises(ValueError, match="greater than or equal to 1"):
        FieldSpec.model_validate({"type": "bool", "label": "x", "holds_for_months": 0})


def test_a_lapsing_status_is_not_suggested(runner: CliRunner, tmp_path: Path) -> None:
    """Becoming a fresh graduate (a status that lapses, holds_for_months) is no change an
    applicant chooses: not suggested, though it would add 10 points."""
    data = json.loads((DATA / "shanghai-graduate.json").read_text(encoding="utf-8"))
    del data["fresh_graduate"]
    path = tmp_path / "not-graduate.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    doc = plan_json(runner, path)
    assert doc["rounds"][0]["total"] == "150"
    assert "fresh_graduate" not in {s["field"] for s in doc["suggestions"]}
