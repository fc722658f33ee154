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
from pathlib import Path

import pytest
from typer.testing import CliRunner

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
        "insurance": ("92", "23", "73.6"),
        "education": ("20", "5", "16"),
        "housing": ("13", "3.25", "10.4"),
    }
    assert [(x["id"], x["share"]) for x in a["lines"]] == [
        ("insurance", "24.05"),  # 19 / 79
        ("education", "75.95"),
    ]


def test_movers_and_overlap(runner: CliRunner) -> None:
    (m,) = compare_json(runner)["movers"]
    assert (m["entering"], m["leaving"], m["overlap"]) == (3, 2, 1)
    assert names(m["entering_ids"]) == ["P3", "P1", "P5"]  # by new rank, then ID number
    assert names(m["leaving_ids"]) == ["P2", "P6"]
    assert (m["ranked_both"], m["median_rank_change"]) == (8, "0.5")


def test_composition(runner: CliRunner) -> None:
    dims = {d["id"]: d for d in compare_json(runner)["composition"]}
    assert list(dims) == ["age", "education", "held"]
    counts = {d: {c["code"]: c["counts"] for c in dims[d]["categories"]} for d in dims}
    assert counts["education"] == {"none": [0, 1], "bachelor": [0, 2], "master": [3, 1]}
    ages = {k: v for k, v in counts["age"].items() if any(v)}
    assert ages == {"25-29": [0, 1], "30-34": [2, 2], "35-39": [1, 0], "45-49": [0, 1]}
    assert counts["held"] == {"social_insurance": [3, 4], "own_home": [1, 2], "rental": [0, 0]}


def test_parameter_diff(runner: CliRunner) -> None:
    (diff,) = compare_json(runner)["diffs"]
    keys = {c["key"]: (c["kind"], c["old"], c["new"]) for c in diff["changes"]}
    assert keys["indicators[insurance].rule.points"] == ("changed", "1", "2")
    assert keys["indicators[housing]"][0] == "added"


def test_golden_json(runner: CliRunner) -> None:
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
    assert "master 硕士 3 (100%) 1 (25%)" in out
    assert "1 bad cells in 1 rows" in flat(result.stderr)


def test_movers_file(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "movers.csv"
    result = run(runner, "compare", POOL, "-s", A, "-s", B, "--movers", out)
    assert result.exit_code == 0, result.stderr
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
        result, 3, str(POOL), "scheme 'cmp-needs-employment' needs employment", "hukoucalc synth"
    )


def test_one_scheme_is_a_usage_error(runner: CliRunner) -> None:
    assert_error(run(runner, "compare", POOL, "-s", A), 2, "at least two --scheme")


def test_outputs_never_over_the_input(runner: CliRunner) -> None:
    assert_error(run(runner, "compare", POOL, "-s", A, "-s", B, "--movers", POOL), 6, "input")


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
