"""`hukoucalc compare`: hand-checked figures on a tiny pool, a golden JSON, errors, the movers
file, synth's union pools, and the HTML report rendered in a real headless Chromium.

The pool (tests/data/compare/pool.csv, P1…P10) under a.toml (1 point a whole insurance year,
education 0/10/20, quota 3) and b.toml (2 a year, education 0/5/10, own home 1 a year):

| | P1 | P2 | P3 | P4 | P5 | P6 | P7 | P8 | P9 | P10 |
|---|---|---|---|---|---|---|---|---|---|---|
| a total | 11+10=21 | 6+20=26 | 16 | 8+20=28 | 21 | 5+20=25 | no permit | bad education | 4 | 3 |
| a rank | 4 | 2 | 6 | 1 | 4 | 3 | — | — | 7 | 8 |
| b total | 22+5=27 | 12+10=22 | 32+9=41 | 16+10+4=30 | 27 | 10+10=20 | | | 8+14=22 | 6 |
| b rank | 3 | 5 | 1 | 2 | 3 | 7 | | | 5 | 8 |

Admitted: a {P4, P2, P6} (cut-off 25); b {P3, P4, P1, P5} (cut-off 27, two tied at it). Rank
changes (a − b): 1, −3, 5, −1, 1, −4, 2, 0 → median (0 + 1) / 2 = 0.5.

Regenerate the golden JSON after a deliberate change of the document:
    HUKOUCALC_REGENERATE=1 pytest tests/test_compare.py -k golden
"""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import subprocess
from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from hukoucalc.compare.stats import Line, half_up
from hukoucalc.render import compare as render_compare
from tests.invoke import assert_error, flat, run

DATA = Path("tests/data/compare")
POOL = DATA / "pool.csv"
A, B = DATA / "a.toml", DATA / "b.toml"
GOLDEN = DATA / "a-b.golden.json"
IDS = {row["name"]: row["id_number"] for row in csv.DictReader(POOL.open(encoding="utf-8"))}


def compare_json(runner: CliRunner, *args: str | Path) -> dict:  # type: ignore[type-arg]
    result = run(runner, "compare", POOL, "-s", A, "-s", B, "--json", *args)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def names(ids: list[str]) -> list[str]:
    by_id = {v: k for k, v in IDS.items()}
    return [by_id[i] for i in ids]


def test_per_scheme_figures(runner: CliRunner) -> None:
    doc = compare_json(runner)
    assert (doc["rows"], doc["invalid"], doc["baseline"]) == (10, 1, "cmp-current")
    a, b = doc["schemes"]
    assert (a["eligible"], a["admitted"], a["cutoff"], a["ties_at_cutoff"]) == (8, 3, "25", 1)
    assert (b["eligible"], b["admitted"], b["cutoff"], b["ties_at_cutoff"]) == (8, 4, "27", 2)
    assert (a["mean"], a["quartiles"], a["highest"]) == ("26.33", ["25", "26", "28"], "28")
    assert (b["mean"], b["quartiles"], b["highest"]) == ("31.25", ["27", "27", "30"], "41")
    shares = {line["id"]: (line["points"], line["mean"], line["share"]) for line in b["lines"]}
    assert shares == {
        "insurance": ("92", "23.00", "73.60"),  # means and shares to fixed places
        "education": ("20", "5.00", "16.00"),
        "housing": ("13", "3.25", "10.40"),
    }
    assert [(x["id"], x["share"]) for x in a["lines"]] == [
        ("insurance", "24.05"),  # 19 / 79
        ("education", "75.95"),
    ]


def test_why_applicants_are_not_eligible(runner: CliRunner) -> None:
    """P7 has no residence permit: the gate each scheme's ineligible fail, most failed first."""
    a, b = compare_json(runner)["schemes"]
    for doc in (a, b):
        assert doc["excluded_by"] == [{"gate": "permit", "reason": "未持有居住证", "failing": 1}]
    out = flat(run(runner, "compare", POOL, "-s", A, "-s", B).stdout)
    assert "most failed gate 未持有居住证 (1) 未持有居住证 (1)" in out  # the reason, not the id
    assert "reference date" not in out  # both count on 2023-12-31


def test_the_most_failed_gate_comes_first(runner: CliRunner, tmp_path: Path) -> None:
    """A second gate, 5 years of insurance, fails P9 and P10: listed before the permit (P7)."""
    insured = tmp_path / "insured.toml"
    insured.write_text(
        A.read_text(encoding="utf-8").replace('id = "cmp-current"', 'id = "cmp-insured"')
        + '\n[[gates]]\nid = "insured"\nlabel = "社保满5年"\nsource = "doc#3"\n'
        'require = { measure = "si_months", at_least = 60 }\nreason = "社保不满5年"\n',
        encoding="utf-8",
    )
    result = run(runner, "compare", POOL, "-s", A, "-s", insured, "--json")
    assert result.exit_code == 0, result.stderr
    excluded = json.loads(result.stdout)["schemes"][1]["excluded_by"]
    assert [(e["gate"], e["failing"]) for e in excluded] == [("insured", 2), ("permit", 1)]


def test_schemes_of_different_rounds_are_flagged(runner: CliRunner, tmp_path: Path) -> None:
    later = tmp_path / "later.toml"
    later.write_text(
        f'[scheme]\nextends = "{A.resolve()}"\nid = "cmp-later"\ntitle = "next round"\n'
        "[dates]\nas_of = 2024-12-31\n"
    )
    result = run(runner, "compare", POOL, "-s", A, "-s", later)
    assert result.exit_code == 0, result.stderr
    out = flat(result.stdout)
    assert "reference date (as_of) 2023-12-31 2024-12-31" in out
    assert "count on different dates (as_of)" in out


def test_movers_and_overlap(runner: CliRunner) -> None:
    (m,) = compare_json(runner)["movers"]
    assert (m["entering"], m["leaving"], m["overlap"]) == (3, 2, 1)
    assert names(m["entering_ids"]) == ["P3", "P1", "P5"]  # by new rank, then ID number
    assert names(m["leaving_ids"]) == ["P2", "P6"]
    assert (m["ranked_both"], m["median_rank_change"]) == (8, "0.5")


def test_movers_are_in_rank_order_not_id_order(runner: CliRunner, tmp_path: Path) -> None:
    """Bachelors first: P1, P5 41 (tied first, ID order), P3 16 third; ID order is P3, P1, P5."""
    text = A.read_text(encoding="utf-8")
    bachelors = tmp_path / "bachelors.toml"
    bachelors.write_text(
        text.replace('id = "cmp-current"', 'id = "cmp-bachelors"').replace(
            "none = 0, bachelor = 10, master = 20", "none = 0, bachelor = 30, master = 0"
        ),
        encoding="utf-8",
    )
    result = run(runner, "compare", POOL, "-s", A, "-s", bachelors, "--json")
    assert result.exit_code == 0, result.stderr
    (m,) = json.loads(result.stdout)["movers"]
    assert names(m["entering_ids"]) == ["P1", "P5", "P3"]
    result = run(runner, "compare", POOL, "-s", bachelors, "-s", A, "--json")
    assert result.exit_code == 0, result.stderr
    (m,) = json.loads(result.stdout)["movers"]
    assert names(m["leaving_ids"]) == ["P1", "P5", "P3"]  # by baseline rank


def test_composition(runner: CliRunner) -> None:
    dims = {d["id"]: d for d in compare_json(runner)["composition"]}
    assert list(dims) == ["age", "education", "held"]
    counts = {d: {c["code"]: c["counts"] for c in dims[d]["categories"]} for d in dims}
    assert counts["education"] == {"none": [0, 1], "bachelor": [0, 2], "master": [3, 1]}
    ages = {k: v for k, v in counts["age"].items() if any(v)}
    assert ages == {"25-29": [0, 1], "30-34": [2, 2], "35-39": [1, 0], "45-49": [0, 1]}
    assert counts["held"] == {"social_insurance": [3, 4], "own_home": [1, 2], "rental": [0, 0]}


def test_a_header_with_a_bom_and_blanks_is_the_same_pool(runner: CliRunner, tmp_path: Path) -> None:
    """Column names are trimmed once, when read: the composition (enum and held fields the
    header has) and the figures do not change."""
    header, rest = POOL.read_text(encoding="utf-8").split("\n", 1)
    pool = tmp_path / "pool.csv"
    padded = ",".join(f" {name} " for name in header.split(","))
    pool.write_text("\ufeff" + padded + "\n" + rest, encoding="utf-8")
    result = run(runner, "compare", pool, "-s", A, "-s", B, "--json")
    assert result.exit_code == 0, result.stderr
    doc, clean = json.loads(result.stdout), compare_json(runner)
    assert [d["id"] for d in doc["composition"]] == ["age", "education", "held"]
    assert doc["composition"] == clean["composition"]
    assert doc["schemes"] == clean["schemes"]


def test_a_birthday_on_the_reference_day_counts(runner: CliRunner, tmp_path: Path) -> None:
    """P4 (admitted under both) born 1988-01-01 is 35 on age_on 2023-01-01, not 34."""
    pool = tmp_path / "pool.csv"
    pool.write_text(
        POOL.read_text(encoding="utf-8").replace(
            "110105198811111038,P4,1988-11-11", "110105198801011033,P4,1988-01-01"
        ),
        encoding="utf-8",
    )
    result = run(runner, "compare", pool, "-s", A, "-s", B, "--json")
    assert result.exit_code == 0, result.stderr
    (age,) = [d for d in json.loads(result.stdout)["composition"] if d["id"] == "age"]
    counts = {c["code"]: c["counts"] for c in age["categories"]}
    assert (counts["30-34"], counts["35-39"]) == ([1, 1], [2, 1])


def test_composition_spread(runner: CliRunner) -> None:
    """The largest change of a category's share of the admitted, baseline to draft (quota 3:
    a admits 3, b 4): education master 3/3 → 1/4 (75 points); age 35–39 1/3 → 0 (33.3);
    own home 1/3 → 2/4 (16.7)."""
    dims = {d["id"]: d["spread"] for d in compare_json(runner, "--quota", "3")["composition"]}
    assert dims == {"age": "33.3", "education": "75.0", "held": "16.7"}


def test_terminal_composition_most_informative_first(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Education tells the schemes apart most, then age, then held periods; with room for
    two dimensions of two categories, the rest is named, never silently dropped."""
    out = flat(run(runner, "compare", POOL, "-s", A, "-s", B).stdout)
    assert out.index("The admitted by 学历") < out.index("The admitted by 年龄")
    assert out.index("The admitted by 年龄") < out.index("The admitted by 2023年12月持有")
    monkeypatch.setattr(render_compare, "SHOWN_DIMENSIONS", 2)
    monkeypatch.setattr(render_compare, "SHOWN_CATEGORIES", 2)
    out = flat(run(runner, "compare", POOL, "-s", A, "-s", B).stdout)
    assert "The admitted by 2023年12月持有" not in out.split("Not shown")[0]
    assert "Not shown (shares differ by up to, in points): held 16.7." in out
    education = out[out.index("The admitted by 学历") : out.index("The admitted by 年龄")]
    assert "master" in education and "bachelor" in education and "none" not in education
    assert "… 1 smaller categories" in education


def test_cells_of_the_terminal_tables() -> None:
    assert render_compare.percent(3, 6001) == "<0.1%"  # never "0.0%" for someone
    assert (render_compare.percent(3, 6000), render_compare.percent(0, 5)) == ("0.1%", "0.0%")
    assert render_compare.percent(1, 0) == "—"
    changes = [Decimal("0.5"), Decimal("-2"), Decimal("0"), None]
    assert [render_compare.signed(x) for x in changes] == ["+0.5", "-2", "0", "—"]
    nothing = Line(id="x", label="x", kind="indicator", points="0", mean="0", share=None)
    assert render_compare.share_cell(nothing) == "— (0)"
    assert render_compare.share_cell(None) == ""


def test_parameter_diff(runner: CliRunner) -> None:
    (diff,) = compare_json(runner)["diffs"]
    keys = {c["key"]: (c["kind"], c["old"], c["new"]) for c in diff["changes"]}
    assert keys["indicators[insurance].rule.points"] == ("changed", "1", "2")
    assert keys["indicators[housing]"][0] == "added"


def test_golden_json(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HUKOUCALC_TODAY", "2026-12-06")  # the day is recorded: a fixed one
    doc = compare_json(runner, "--quota", "3")
    doc["hukoucalc"] = "VERSION"
    text = json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
    if os.environ.get("HUKOUCALC_REGENERATE"):
        GOLDEN.write_text(text, encoding="utf-8")
    assert text == GOLDEN.read_text(encoding="utf-8")


def test_terminal_tables(runner: CliRunner) -> None:
    result = run(runner, "compare", POOL, "-s", A, "-s", B)
    assert result.exit_code == 0, result.stderr
    out = flat(result.stdout)
    assert "cut-off score 25 27" in out
    assert "ties at the cut-off 1 2" in out
    assert "cmp-draft 3 2 1 +0.5" in out
    assert "master 硕士 3 (100.0%) 1 (25.0%)" in out
    assert "1 bad cells in 1 rows" in flat(result.stderr)


def test_movers_file(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "[draft] movers.csv"  # brackets are not Rich markup in the footer
    result = run(runner, "compare", POOL, "-s", A, "-s", B, "--movers", out)
    assert result.exit_code == 0, result.stderr
    assert f"movers written to {out}" in flat(result.stdout)
    rows = list(csv.reader(out.read_text(encoding="utf-8-sig").splitlines()))
    assert rows == [
        ["id", "scheme", "direction", "baseline_rank", "new_rank"],
        [IDS["P3"], "cmp-draft", "enter", "6", "1"],
        [IDS["P1"], "cmp-draft", "enter", "4", "3"],
        [IDS["P5"], "cmp-draft", "enter", "4", "3"],
        [IDS["P2"], "cmp-draft", "leave", "2", "5"],
        [IDS["P6"], "cmp-draft", "leave", "3", "7"],
    ]


def test_a_field_the_pool_lacks(runner: CliRunner) -> None:
    result = run(runner, "compare", POOL, "-s", A, "-s", DATA / "needs-employment.toml")
    assert_error(
        result,
        3,
        str(POOL),
        "scheme 'cmp-needs-employment' needs employment",
        # the hint names the schemes as a command line can load them: files by their path
        f"hukoucalc synth -s {A} -s {DATA / 'needs-employment.toml'} ...",
    )


def test_a_column_no_scheme_declares(runner: CliRunner, tmp_path: Path) -> None:
    """Named as a column of none of the schemes, not of a made-up scheme 'a + b'."""
    lines = POOL.read_text(encoding="utf-8").splitlines()
    pool = tmp_path / "extra.csv"
    pool.write_text("\n".join([lines[0] + ",floor", *(x + ",3" for x in lines[1:])]) + "\n")
    result = run(runner, "compare", pool, "-s", A, "-s", B)
    assert_error(
        result,
        3,
        str(pool),
        "column(s) floor",
        "none of the compared schemes (cmp-current, cmp-draft)",
    )
    assert " + " not in result.stderr


def test_one_scheme_is_a_usage_error(runner: CliRunner) -> None:
    assert_error(run(runner, "compare", POOL, "-s", A), 2, "at least two --scheme")


def test_the_same_scheme_twice(runner: CliRunner) -> None:
    result = run(runner, "compare", POOL, "-s", A, "-s", A)
    assert_error(result, 2, f"--scheme {A} and --scheme {A} are the same scheme ('cmp-current')")


def test_two_schemes_with_one_id(runner: CliRunner, tmp_path: Path) -> None:
    """A draft copied from the baseline that kept its id: columns could not be told apart."""
    draft = tmp_path / "draft.toml"
    draft.write_text(f'[scheme]\nextends = "{A.resolve()}"\ntitle = "a draft"\n')
    result = run(runner, "compare", POOL, "-s", A, "-s", draft)
    assert_error(result, 2, "two schemes with one id ('cmp-current')", "its own [scheme] id")


def test_outputs_never_over_the_input(runner: CliRunner) -> None:
    result = run(runner, "compare", POOL, "-s", A, "-s", B, "--movers", POOL)
    assert_error(result, 6, "--movers would overwrite the input file")


def test_two_outputs_never_on_one_file(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Refused before the pool is read: nothing is ranked, nothing written."""
    monkeypatch.setattr("hukoucalc.compare.pool.rank_pool", _no_work)
    out = tmp_path / "out.csv"
    result = run(runner, "compare", POOL, "-s", A, "-s", B, "--movers", out, "--report", out)
    assert_error(result, 6, "out.csv", "--report would overwrite the file of --movers")
    assert list(tmp_path.iterdir()) == []


def _no_work(*args: object, **kwargs: object) -> None:
    raise AssertionError("the outputs should have been refused before the pool was read")


def test_synth_pool_has_every_schemes_fields(runner: CliRunner, tmp_path: Path) -> None:
    """With schemes declaring a field differently (education codes of Beijing 2018 and 2020),
    synth draws values both accept, so no row is lost to the comparison."""
    pool = tmp_path / "pool.csv"
    schemes = ("-s", "beijing-2020", "-s", "beijing-2018")
    made = run(runner, "synth", *schemes, "--n", "300", "-o", pool)
    assert made.exit_code == 0, made.stderr
    header = pool.read_text(encoding="utf-8-sig").splitlines()[0].split(",")
    for scheme in ("beijing-2018", "beijing-2020"):
        fields = run(runner, "scheme", "template", scheme).stdout.strip().lstrip("\ufeff")
        assert set(fields.split(",")) <= set(header), scheme
    doc = json.loads(
        run(runner, "compare", pool, "-s", "beijing-2018", "-s", "beijing-2020", "--json").stdout
    )
    assert (doc["rows"], doc["invalid"]) == (300, 0)


def test_synth_union_then_compare(runner: CliRunner, tmp_path: Path) -> None:
    pool = tmp_path / "pool.csv"
    needs = DATA / "needs-employment.toml"
    assert run(runner, "synth", "-s", A, "-s", needs, "--n", "50", "-o", pool).exit_code == 0
    result = run(runner, "compare", pool, "-s", A, "-s", needs, "--json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["schemes"][1]["id"] == "cmp-needs-employment"


# -- the HTML report -------------------------------------------------------------------------


def test_report_is_self_contained_and_deterministic(runner: CliRunner, tmp_path: Path) -> None:
    first, second = tmp_path / "1.html", tmp_path / "2.html"
    for path in (first, second):
        assert run(runner, "compare", POOL, "-s", A, "-s", B, "--report", path).exit_code == 0
    html = first.read_text(encoding="utf-8")
    assert html == second.read_text(encoding="utf-8")
    assert "<script" not in html and "<link" not in html and "@import" not in html
    addresses = set(re.findall(r"(?:https?:)?//[\w.-]+", html))
    assert addresses == {"http://www.w3.org"}  # only the SVG namespace, never fetched
    assert html.count("<svg") >= 3 and "stroke-dasharray" in html  # cut-off lines


def test_report_leaves_room_for_long_scheme_ids(runner: CliRunner, tmp_path: Path) -> None:
    """The enter/leave chart right-aligns each scheme id left of its bars: a long id must
    start inside the picture (about 7 px a character), and the bars leave room for '+N enter'."""
    ident = "cmp-draft-with-a-rather-long-descriptive-id"
    draft = tmp_path / "long.toml"
    draft.write_text(B.read_text(encoding="utf-8").replace('"cmp-draft"', f'"{ident}"'))
    (tmp_path / "a.toml").write_text(A.read_text(encoding="utf-8"), encoding="utf-8")  # extended
    report = tmp_path / "report.html"
    result = run(runner, "compare", POOL, "-s", A, "-s", draft, "--report", report)
    assert result.exit_code == 0, result.stderr
    html = report.read_text(encoding="utf-8")
    label = re.search(rf'<text x="([\d.]+)" y="\d+" text-anchor="end">{ident}</text>', html)
    assert label is not None and float(label.group(1)) >= 7 * len(ident)
    enters = [float(x) for x in re.findall(r'<text x="([\d.]+)" y="\d+">\+[\d,]+ enter', html)]
    assert enters and all(x + 80 <= 760 for x in enters)
    assert "+0.5" in html  # the median rank change signed as in the terminal


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--enable-logging=stderr",
    "--v=0",
]


def browse(page: Path, profile: Path) -> tuple[str, list[str]]:
    """The DOM Chromium built from ``page`` and the console messages it logged."""
    assert CHROMIUM is not None
    done = subprocess.run(
        [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", "--dump-dom", page.resolve().as_uri()],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    console = [line for line in done.stderr.splitlines() if "CONSOLE" in line]
    return done.stdout, console


needs_chromium = pytest.mark.skipif(
    CHROMIUM is None,
    reason="Debian's chromium is not installed (.ci/run installs it where apt-get works)",
)


@needs_chromium
def test_console_errors_are_caught(tmp_path: Path) -> None:
    """The harness itself: a page that logs an error is seen as logging one."""
    page = tmp_path / "bad.html"
    page.write_text("<html><body><script>console.error('broken')</script></body></html>")
    _, console = browse(page, tmp_path / "profile")
    assert any("broken" in line for line in console), console


@needs_chromium
def test_report_renders_in_chromium(runner: CliRunner, tmp_path: Path) -> None:
    report = tmp_path / "report.html"
    assert run(runner, "compare", POOL, "-s", A, "-s", B, "--report", report).exit_code == 0
    dom, console = browse(report, tmp_path / "profile")
    assert console == []
    for text in ("cmp-current", "cmp-draft", "Score distributions", "Who enters", "admitted"):
        assert text in dom
    assert dom.count("<svg") >= 3 and "<polyline" in dom


@given(st.integers(-(10**9), 10**9), st.integers(1, 10**4), st.integers(0, 4))
def test_half_up_is_decimal_half_up(numerator: int, denominator: int, places: int) -> None:
    """compare's figures use the engine's rounding (round_units), which is Decimal's half-up."""
    with localcontext() as ctx:
        ctx.prec = 100
        exact = Decimal(numerator) / Decimal(denominator)
        expected = exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    shown = half_up(Fraction(numerator, denominator), places)
    assert shown == expected
    assert shown.as_tuple().exponent == -places  # exactly ``places`` decimals, zeros kept
