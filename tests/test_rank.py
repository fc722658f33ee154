"""``hukoucalc rank``, end to end: selection modes, ties, bad rows, encodings, safe output.

Hand-built fixtures live in ``tests/data/rank/``; every expected rank, total and cut-off below was
computed by hand from the scheme's rules (the comments show the arithmetic). Commands run from the
repository root through Typer's CliRunner, as a user types them; outputs go to ``tmp_path``.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from hukoucalc.batch.synth import synthesise
from hukoucalc.batch.write import write_atomically
from hukoucalc.cli.outputs import write_rank_outputs as write_results
from hukoucalc.errors import ExitCode
from hukoucalc.ranking import rank_file
from hukoucalc.scheme.load import load_scheme

from .invoke import TODAY, assert_error, flat, run

ROOT = Path(__file__).resolve().parent.parent
DATA = "tests/data/rank"
BEIJING = f"{DATA}/beijing-2018.csv"  # 9 applicants under beijing-2018, see test_quota_*
THRESHOLD = "docs/examples/selection-threshold.toml"
KEYS = "docs/examples/selection-keys.toml"


def rank(runner: CliRunner, *args: str | Path) -> dict[str, Any]:
    """`rank ... --json`: the summary document; exit 0, or 7 when it ranked nobody (no rows,
    every row invalid, none eligible)."""
    result = run(runner, "rank", *args, "--json")
    assert result.exit_code in (ExitCode.OK, ExitCode.NOTHING_RANKED), (
        result.stdout,
        result.stderr,
    )
    summary: dict[str, Any] = json.loads(result.stdout)
    nothing = summary["invalid"] == summary["rows"] or summary["eligible"] == 0
    expected = ExitCode.NOTHING_RANKED if nothing else ExitCode.OK
    assert result.exit_code == expected, (summary, result.stderr)
    return summary


def read_rows(path: Path) -> list[dict[str, str]]:
    """A CSV written by hukoucalc (UTF-8 with BOM), every cell as text."""
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "CSV output must carry a BOM for Excel"
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


def ranked(runner: CliRunner, tmp_path: Path, source: str, *args: str) -> list[dict[str, str]]:
    out = tmp_path / "ranked.csv"
    rank(runner, source, *args, "-o", out)
    return read_rows(out)


def column(rows: list[dict[str, str]], name: str) -> list[str]:
    return [r[name] for r in rows]


def no_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


# -- quota: competition ranks, everyone tied at the cut-off admitted ------------------------------
#
# beijing-2018 (as_of 2017-12, age on 2017-01-01): employment 0.25 a month of insurance; housing
# own 1/12, rental 1/24 a month, each part rounded half-up to 0.01; education table; tax +6 / -12 a
# violation since 2017-01-01; age <= 45 -> 20. Gates: residence permit, insurance run >= 84 months.
#
#   王五 108 m insurance 27 + own 108 m 9.00 + master 26 + age 20          = 82.00  rank 1
#   李四 120 m 30 + own 72 m 6.00 + rental 48 m 2.00 + bachelor 15 + 20    = 73.00  rank 2
#   赵四  96 m 24 + own 96 m 8.00 + bachelor 15 + tax 6 + 20               = 73.00  rank 2
#   张三 120 m 30 + rental 120 m 5.00 + bachelor 15 + 20                   = 70.00  rank 4
#   钱六  96 m 24 + own 60 m 5.00 + bachelor 15 + tax 6 + 20               = 70.00  rank 4
#   孙十  91 m 22.75 + own 7 m 0.58 (7/12) + rental 84 m 3.50 + 15 + 20    = 61.83  rank 6
#   周七 156 m 39 + rental 156 m 6.50 + college 10.5 + age 46: 0 - 12 tax  = 44.00  rank 7
#   吴八 no residence permit: 30 + 15 + 20                                 = 65.00  ineligible
#   郑九  60 m 15 (run < 84) + master 26 + 20                              = 61.00  ineligible

EXPECTED = [  # rank, name, employment, housing, education, tax, age, total, eligible
    ("1", "王五", "27.00", "9.00", "26.00", "0.00", "20.00", "82.00", "true"),
    ("2", "李四", "30.00", "8.00", "15.00", "0.00", "20.00", "73.00", "true"),
    ("2", "赵四", "24.00", "8.00", "15.00", "6.00", "20.00", "73.00", "true"),
    ("4", "张三", "30.00", "5.00", "15.00", "0.00", "20.00", "70.00", "true"),
    ("4", "钱六", "24.00", "5.00", "15.00", "6.00", "20.00", "70.00", "true"),
    ("6", "孙十", "22.75", "4.08", "15.00", "0.00", "20.00", "61.83", "true"),
    ("7", "周七", "39.00", "6.50", "10.50", "-12.00", "0.00", "44.00", "true"),
    ("", "吴八", "30.00", "0.00", "15.00", "0.00", "20.00", "65.00", "false"),
    ("", "郑九", "15.00", "0.00", "26.00", "0.00", "20.00", "61.00", "false"),
]
POINTS = ("rank", "name", "employment", "housing", "education", "tax", "age", "total", "eligible")


def test_quota_hand_checked_points_and_competition_ranks(runner: CliRunner, tmp_path: Path) -> None:
    rows = ranked(runner, tmp_path, BEIJING, "-s", "beijing-2018")
    assert [tuple(r[c] for c in POINTS) for r in rows] == EXPECTED
    reasons = column(rows, "reason")
    assert reasons[:7] == [""] * 7  # the scheme's quota (6,000) admits every eligible applicant
    assert reasons[7:] == ["未持有北京市居住证", "在京连续缴纳社会保险不满7年"]
    assert rows[0]["id_number"] == "110105197911200252"


@pytest.mark.parametrize(
    ("quota", "admitted", "cutoff", "ties"),
    [
        (None, 7, "44", 1),  # the scheme's 6,000
        ("7", 7, "44", 1),
        ("6", 6, "61.83", 1),
        ("5", 5, "70", 2),
        ("4", 5, "70", 2),  # ranks 1 2 2 4 4: both at rank 4 get in, 5 for 4 places
        ("3", 3, "73", 2),
        ("2", 3, "73", 2),  # the tie at rank 2 straddles the quota: both admitted
        ("1", 1, "82", 1),
        ("0", 0, None, 0),  # no places: no one admitted, no cut-off
    ],
)
def test_quota_everyone_tied_at_the_cutoff_is_admitted(
    runner: CliRunner,
    tmp_path: Path,
    quota: str | None,
    admitted: int,
    cutoff: str | None,
    ties: int,
) -> None:
    out = tmp_path / "ranked.csv"
    extra = ["--quota", quota] if quota is not None else []
    summary = rank(runner, BEIJING, "-s", "beijing-2018", *extra, "-o", out)
    assert summary["selection"] == "quota"
    assert summary["quota"] == (int(quota) if quota is not None else 6000)
    assert (summary["admitted"], summary["cutoff"], summary["ties_at_cutoff"]) == (
        admitted,
        cutoff,
        ties,
    )
    assert (summary["rows"], summary["invalid"], summary["eligible"], summary["ineligible"]) == (
        9,
        0,
        7,
        2,
    )
    rows = read_rows(out)
    assert column(rows, "rank") == ["1", "2", "2", "4", "4", "6", "7", "", ""]  # quota-blind
    flags = column(rows, "admitted")
    assert flags == ["true"] * admitted + ["false"] * (9 - admitted)
    reasons = column(rows, "reason")
    assert reasons[admitted:7] == ["below the cut-off"] * (7 - admitted)


def test_quota_zero_admits_no_one_in_the_table(runner: CliRunner) -> None:
    result = run(runner, "rank", BEIJING, "-s", "beijing-2018", "--quota", "0")
    assert result.exit_code == ExitCode.OK, result.stderr
    text = flat(result.stdout)
    assert "admitted 0" in text
    assert "cut-off score (lowest admitted) —" in text


def test_negative_quota_is_a_usage_error(runner: CliRunner) -> None:
    result = run(runner, "rank", BEIJING, "-s", "beijing-2018", "--quota", "-1")
    assert result.exit_code == ExitCode.USAGE
    assert "--quota" in result.stderr


# -- threshold ------------------------------------------------------------------------------------
#
# selection-threshold (Shanghai 120, as_of 2023-12-31): age <= 43 -> 30, else 31 - 2 a year over 43;
# education 50/60/90/100/110; insurance 3 a full year.
#   born 1990 master:            30 + 100 + 0              = 130
#   born 1985 本科+学位, 12 m:    30 + 90 + 3               = 123
#   born 1975 (48) 本科+学位, 42 m: 21 + 90 + 9 (3 full yrs) = 120  at the line
#   born 1991 本科+学位:          30 + 90                   = 120  at the line
#   born 1988 本科, 108 m:        30 + 60 + 27              = 117  below
#   born 1992 大专:               30 + 50                   = 80   below


def test_threshold_admits_everyone_at_or_above_the_line(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "ranked.csv"
    summary = rank(runner, f"{DATA}/selection-threshold.csv", "-s", THRESHOLD, "-o", out)
    assert summary["selection"] == "threshold"
    assert summary["threshold"] == "120"
    assert summary["quota"] is None
    assert (summary["eligible"], summary["qualified"], summary["admitted"]) == (6, 4, 4)
    assert (summary["cutoff"], summary["ties_at_cutoff"]) == ("120", 2)
    rows = read_rows(out)
    assert column(rows, "total") == ["130", "123", "120", "120", "117", "80"]
    ages = column(rows, "age")  # the two tied at 120 are ordered by content, not input order
    assert ages[:2] + ages[4:] == ["30"] * 4
    assert sorted(ages[2:4]) == ["21", "30"]
    assert column(rows, "rank")[:4] == ["1", "2", "3", "3"]
    assert column(rows, "admitted") == ["true"] * 4 + ["false"] * 2
    assert column(rows, "reason") == [""] * 4 + ["below the threshold"] * 2


@pytest.mark.parametrize(("quota", "admitted"), [("2", 2), ("3", 4), ("1", 1)])
def test_threshold_within_a_quota_keeps_ties(runner: CliRunner, quota: str, admitted: int) -> None:
    summary = rank(runner, f"{DATA}/selection-threshold.csv", "-s", THRESHOLD, "--quota", quota)
    assert summary["admitted"] == admitted


# -- threshold, then keys -------------------------------------------------------------------------
#
# selection-keys (Guangzhou 2015, as_of 2015-10): >= 60 points qualify; places by medical-insurance
# months, then unemployment-insurance months; applicants equal on both share a place.
#   本科 60,            medical 96, unemployment 60  -> place 1
#   本科+高级工 100,    medical 48, unemployment 60  -> place 2 (more points, but fewer months)
#   大专+目录工种 60,   medical 48, unemployment 48  -> place 3
#   本科 60,            medical 48, unemployment 48  -> place 3 (shares it)
#   中技+中级工 40,     medical 120                  -> below the line: no place
#   大专 40,            medical 120                  -> below the line: no place


def test_threshold_then_keys_orders_by_keys_and_ties_share_a_place(
    runner: CliRunner, tmp_path: Path
) -> None:
    out = tmp_path / "ranked.csv"
    summary = rank(runner, f"{DATA}/selection-keys.csv", "-s", KEYS, "-o", out)
    assert summary["selection"] == "threshold_then_keys"
    assert (summary["qualified"], summary["admitted"], summary["ties_at_cutoff"]) == (4, 4, 2)
    assert summary["cutoff"] == "60"  # lowest admitted total
    rows = read_rows(out)
    assert column(rows, "rank") == ["1", "2", "3", "3", "", ""]
    assert column(rows, "total")[:2] == ["60", "100"]
    assert sorted(column(rows, "total")[2:4]) == ["60", "60"]
    assert column(rows, "admitted") == ["true"] * 4 + ["false"] * 2
    assert column(rows, "total")[4:] == ["40", "40"]


@pytest.mark.parametrize(
    ("quota", "admitted", "cutoff"), [("1", 1, "60"), ("2", 2, "60"), ("3", 4, "60")]
)
def test_threshold_then_keys_within_a_quota(
    runner: CliRunner, quota: str, admitted: int, cutoff: str
) -> None:
    summary = rank(runner, f"{DATA}/selection-keys.csv", "-s", KEYS, "--quota", quota)
    assert (summary["admitted"], summary["cutoff"]) == (admitted, cutoff)


# -- output order: the content decides, never the row order ---------------------------------------


def _rank_bytes(scheme: str, header: str, lines: list[str], fmt: str) -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        path, out = Path(folder) / "pool.csv", Path(folder) / "ranked"
        path.write_text(header + "".join(lines), encoding="utf-8")
        write_results(rank_file(path, load_scheme(scheme), today=TODAY), out, fmt, None)
        return out.read_bytes()


def _pool(scheme: str, n: int, seed: int) -> tuple[str, list[str], dict[str, bytes]]:
    """A synthetic pool (with a few bad rows) as header and lines, and its ranked list."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "pool.csv"
        write_atomically(synthesise([load_scheme(scheme).scheme], n, seed, dirty=True), path, "csv")
        header, *lines = path.read_text(encoding="utf-8-sig").splitlines(keepends=True)
    expected = {fmt: _rank_bytes(scheme, header, lines, fmt) for fmt in ("csv", "jsonl")}
    return header, lines, expected


POOLS = {name: _pool(name, 60, 7) for name in ("beijing-2018", "template")}


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
@pytest.mark.parametrize("scheme", sorted(POOLS))
@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_shuffled_rows_give_a_byte_identical_ranked_list(
    scheme: str, fmt: str, data: st.DataObject
) -> None:
    header, lines, expected = POOLS[scheme]
    order = data.draw(st.permutations(range(len(lines))), label="row order")
    assert _rank_bytes(scheme, header, [lines[i] for i in order], fmt) == expected[fmt]


def test_reversed_rows_give_the_same_file_through_the_cli(
    runner: CliRunner, tmp_path: Path
) -> None:
    header, *lines = (ROOT / BEIJING).read_text(encoding="utf-8").splitlines(keepends=True)
    backwards = tmp_path / "backwards.csv"
    backwards.write_text(header + "".join(reversed(lines)), encoding="utf-8")
    rank(runner, BEIJING, "-s", "beijing-2018", "-o", tmp_path / "a.csv")
    rank(runner, backwards, "-s", "beijing-2018", "-o", tmp_path / "b.csv")
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()


def _without_ids(tmp_path: Path) -> Path:
    """The beijing fixture without id_number and name (both optional): birth dates instead."""
    rows = list(csv.DictReader((ROOT / BEIJING).open(encoding="utf-8", newline="")))
    path = tmp_path / "no-ids.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        names = ["birth_date", *[c for c in rows[0] if c not in ("id_number", "name")]]
        writer = csv.DictWriter(handle, names, extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            number = row["id_number"]
            row["birth_date"] = f"{number[6:10]}-{number[10:12]}-{number[12:14]}"
            writer.writerow(row)
    return path


@pytest.mark.parametrize("case", ["keys-scheme", "beijing-without-ids"])
def test_order_does_not_depend_on_rows_without_id_numbers(
    runner: CliRunner, tmp_path: Path, case: str
) -> None:
    if case == "keys-scheme":
        source, scheme = ROOT / DATA / "selection-keys.csv", KEYS
    else:
        source, scheme = _without_ids(tmp_path), "beijing-2018"
    header, *lines = source.read_text(encoding="utf-8").splitlines(keepends=True)
    backwards = tmp_path / "backwards.csv"
    backwards.write_text(header + "".join(reversed(lines)), encoding="utf-8")
    rank(runner, source, "-s", scheme, "-o", tmp_path / "a.csv")
    rank(runner, backwards, "-s", scheme, "-o", tmp_path / "b.csv")
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()


# -- bad rows: reported with row (header = 1) and column, the good rows still ranked --------------

BAD_ROWS = [  # row, column, part of the reason
    (3, "birth_date", "1982-02-30 is not a date"),
    (4, "education", "phd is not one of"),
    (5, "id_number", "check character should be 8"),
    (6, "innovation_national_award", "1.5 is not a whole number"),
    (7, "social_insurance", "ends before it starts"),
    (9, "id_number", "duplicate ID number (rows 9, 15)"),
    (10, "tax_violations", "2017-13-01 is not a list of dates"),
    (11, "innovation_national_award", "above the maximum 12"),
    (12, "residence_permit", "maybe is not true/false"),
    (13, "id_number", "the ID number is missing"),
    (13, "sex", "needed to look a value up by it: give it, or a valid ID number"),
    (15, "id_number", "duplicate ID number (rows 9, 15)"),
    (16, "social_insurance", "'2015-13' is not a month (YYYY-MM)"),  # the JSON parser's words
]


def test_every_kind_of_bad_row_is_reported_and_the_good_rows_are_ranked(
    runner: CliRunner, tmp_path: Path
) -> None:
    out, bad = tmp_path / "ranked.csv", tmp_path / "bad.csv"
    summary = rank(runner, f"{DATA}/bad-rows.csv", "-s", "beijing-2018", "-o", out, "--errors", bad)
    errors = read_rows(bad)
    assert list(errors[0]) == ["row", "column", "value", "reason"]
    assert [(int(e["row"]), e["column"]) for e in errors] == [(r, c) for r, c, _ in BAD_ROWS]
    for error, (_, _, reason) in zip(errors, BAD_ROWS, strict=True):
        assert reason in error["reason"], error
    assert errors[0]["value"] == "1982-02-30"  # the cell as given
    assert (summary["rows"], summary["invalid"], summary["eligible"]) == (15, 12, 3)
    assert summary["errors"] == str(bad)
    rows = read_rows(out)
    assert sorted(column(rows, "name")) == sorted(["甲", "庚", "寅"])  # rows 2, 8 and 14
    assert "31011519870707015X" in column(rows, "id_number")  # check character X


def test_every_row_sharing_an_id_number_is_reported(runner: CliRunner, tmp_path: Path) -> None:
    lines = (ROOT / BEIJING).read_text(encoding="utf-8").splitlines(keepends=True)
    # rows 2, 4 and 12 share 张三's number (row 4 padded with a space: still the same ID)
    copy = lines[1].replace("张三", "张三丰", 1).replace("198005100254", "198005100254 ", 1)
    path = tmp_path / "dup.csv"
    path.write_text("".join([*lines[:3], copy, *lines[3:], lines[1]]), encoding="utf-8")
    bad = tmp_path / "bad.csv"
    summary = rank(runner, path, "-s", "beijing-2018", "--errors", bad)
    errors = read_rows(bad)
    assert [(e["row"], e["column"]) for e in errors] == [
        ("2", "id_number"),
        ("4", "id_number"),
        ("12", "id_number"),
    ]
    assert {e["reason"] for e in errors} == {"duplicate ID number (rows 2, 4, 12)"}
    assert (summary["rows"], summary["invalid"], summary["eligible"]) == (11, 3, 6)


def test_a_malformed_id_number_is_blamed_on_the_id_column_only(
    runner: CliRunner, tmp_path: Path
) -> None:
    path = tmp_path / "short-id.csv"
    path.write_text("id_number,sex,residence_permit\n1101051980051002,male,true\n", "utf-8")
    bad = tmp_path / "bad.csv"
    rank(runner, path, "-s", "beijing-2018", "--errors", bad)
    assert [e["column"] for e in read_rows(bad)] == ["id_number"]


def test_full_width_digits_are_never_scored_as_zero(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "wide.csv"
    path.write_text(
        "id_number,sex,residence_permit,innovation_national_award\n"
        "310115198101010152,male,true,１２\n",
        encoding="utf-8",
    )
    out, bad = tmp_path / "ranked.csv", tmp_path / "bad.csv"
    rank(runner, path, "-s", "beijing-2018", "-o", out, "--errors", bad)
    reported = [e["column"] for e in read_rows(bad)]
    scored = [r["innovation_national"] for r in read_rows(out)]
    assert reported == ["innovation_national_award"] or scored == ["12.00"]


# -- --strict -------------------------------------------------------------------------------------


def test_strict_stops_at_the_first_bad_row_and_writes_nothing(
    runner: CliRunner, tmp_path: Path
) -> None:
    out, bad = tmp_path / "ranked.csv", tmp_path / "bad.csv"
    args = ("rank", f"{DATA}/bad-rows.csv", "-s", "beijing-2018", "--strict")
    result = run(runner, *args, "-o", out, "--errors", bad)
    assert_error(result, ExitCode.APPLICANT, "bad-rows.csv", "row 3", "birth_date", "1982-02-30")
    assert_error(result, ExitCode.APPLICANT, "(--strict stops at the first bad row; nothing was")
    result = run(runner, *args, "-o", out, "--errors", bad, "--json")
    assert_error(result, ExitCode.APPLICANT, "row 3")
    assert no_files(tmp_path) == []


def test_strict_keeps_an_existing_output_file(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "ranked.csv"
    out.write_text("last year's list\n", encoding="utf-8")
    result = run(
        runner, "rank", f"{DATA}/bad-rows.csv", "-s", "beijing-2018", "--strict", "-o", out
    )
    assert result.exit_code == ExitCode.APPLICANT
    assert out.read_text(encoding="utf-8") == "last year's list\n"
    assert no_files(tmp_path) == ["ranked.csv"]


def test_strict_on_a_clean_file_ranks_it(runner: CliRunner, tmp_path: Path) -> None:
    summary = rank(runner, BEIJING, "-s", "beijing-2018", "--strict", "-o", tmp_path / "r.csv")
    assert (summary["invalid"], summary["admitted"]) == (0, 7)
    assert (tmp_path / "r.csv").is_file()


# -- encodings ------------------------------------------------------------------------------------


@pytest.fixture
def encoded(tmp_path: Path) -> dict[str, Path]:
    """The beijing fixture as GB18030, as UTF-8 with a BOM, and as plain UTF-8."""
    text = (ROOT / BEIJING).read_text(encoding="utf-8")
    files = {
        "utf-8": tmp_path / "utf8.csv",
        "gb18030": tmp_path / "gb18030.csv",
        "utf-8-bom": tmp_path / "bom.csv",
    }
    files["utf-8"].write_bytes(text.encode("utf-8"))
    files["gb18030"].write_bytes(text.encode("gb18030"))
    files["utf-8-bom"].write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert files["gb18030"].read_bytes() != files["utf-8"].read_bytes()  # Chinese names differ
    return files


@pytest.mark.parametrize(
    ("kind", "option", "encoding"),
    [
        ("gb18030", None, "gb18030"),  # detected: not UTF-8
        ("gb18030", "gb18030", "gb18030"),
        ("gb18030", "GBK", "GBK"),  # names here are in GBK, a subset
        ("utf-8-bom", None, "utf-8"),
        ("utf-8-bom", "utf-8", "utf-8"),
        ("utf-8-bom", "utf-8-sig", "utf-8"),
        ("utf-8", "utf-8", "utf-8"),
    ],
)
def test_gb18030_and_bom_input_rank_the_same(
    runner: CliRunner,
    tmp_path: Path,
    encoded: dict[str, Path],
    kind: str,
    option: str | None,
    encoding: str,
) -> None:
    expected = tmp_path / "expected.csv"
    rank(runner, encoded["utf-8"], "-s", "beijing-2018", "-o", expected)
    out = tmp_path / "ranked.csv"
    extra = ["--encoding", option] if option else []
    summary = rank(runner, encoded[kind], "-s", "beijing-2018", *extra, "-o", out)
    assert summary["input"]["encoding"] == encoding
    assert summary["rows"] == 9
    assert summary["invalid"] == 0
    assert out.read_bytes() == expected.read_bytes()
    assert "张三" in column(read_rows(out), "name")


def test_gb18030_read_as_utf8_is_refused(runner: CliRunner, encoded: dict[str, Path]) -> None:
    result = run(runner, "rank", encoded["gb18030"], "-s", "beijing-2018", "--encoding", "utf-8")
    assert_error(result, ExitCode.INPUT_FILE, "gb18030.csv", "give the right --encoding (gb18030?)")


@pytest.mark.parametrize("command", ["rank", "compare"])
def test_an_unknown_encoding_is_a_usage_error(runner: CliRunner, command: str) -> None:
    schemes = ["-s", "beijing-2018"] + (["-s", "beijing-2020"] if command == "compare" else [])
    result = run(runner, command, BEIJING, *schemes, "--encoding", "klingon")
    assert result.exit_code == ExitCode.USAGE and result.stdout == ""
    assert "Invalid value for '--encoding': unknown encoding 'klingon'" in flat(result.stderr)


def test_a_file_in_neither_encoding_says_so(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "utf16.csv"
    path.write_text((ROOT / BEIJING).read_text(encoding="utf-8"), encoding="utf-16")
    result = run(runner, "rank", path, "-s", "beijing-2018")
    assert_error(result, ExitCode.INPUT_FILE, "utf16.csv", "--encoding")


# -- spreadsheet safety ---------------------------------------------------------------------------


def test_formula_like_cells_are_neutralised_and_negative_points_stay_numbers(
    runner: CliRunner, tmp_path: Path
) -> None:
    out, bad = tmp_path / "ranked.csv", tmp_path / "bad.csv"
    rank(runner, f"{DATA}/formulas.csv", "-s", "beijing-2018", "-o", out, "--errors", bad)
    rows = read_rows(out)
    names = column(rows, "name")
    assert sorted(names) == sorted(["'=1+2", "'+SUM(A1:A2)", "'-2+3", "'@SUM(A1)", "'=tab", "孙十"])
    by_name = {r["name"]: r for r in rows}
    assert by_name["'=1+2"]["tax"] == "-12.00"  # one violation in 2017
    assert (by_name["孙十"]["tax"], by_name["孙十"]["total"]) == ("-60.00", "-10.00")
    raw = out.read_text(encoding="utf-8-sig")
    assert ",-60.00," in raw
    assert ",-10.00," in raw  # plain numbers, not quoted, no apostrophe
    assert "'-" not in raw.replace("'-2+3", "")
    [id_error, *_] = [e for e in read_rows(bad) if e["column"] == "id_number"]
    assert id_error["value"] == '\'=HYPERLINK("http://x")'
    assert id_error["row"] == "8"


# -- empty, header-only and mis-shaped files ------------------------------------------------------


@pytest.mark.parametrize(
    "content",
    [b"", b"\xef\xbb\xbf", b"\n\n"],
    ids=["empty", "bom-only", "blank-lines"],
)
def test_an_empty_file_is_refused(runner: CliRunner, tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "empty.csv"
    path.write_bytes(content)
    out = tmp_path / "ranked.csv"
    result = run(runner, "rank", path, "-s", "beijing-2018", "-o", out)
    assert_error(result, ExitCode.INPUT_FILE, "empty.csv", "the file is empty")
    assert not out.exists()


def test_a_trailing_blank_line_is_not_an_application(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "trailing.csv"
    path.write_bytes((ROOT / BEIJING).read_bytes() + b"\n")
    summary = rank(runner, path, "-s", "beijing-2018")
    assert (summary["rows"], summary["invalid"]) == (9, 0)


def test_an_empty_jsonl_file_is_refused_clearly(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "empty.jsonl"
    path.write_bytes(b"")
    result = run(runner, "rank", path, "-s", "beijing-2018")
    assert_error(result, ExitCode.INPUT_FILE, "empty.jsonl", "the file is empty")


def test_a_header_only_file_ranks_zero_rows(runner: CliRunner, tmp_path: Path) -> None:
    template = run(runner, "scheme", "template", "beijing-2018")
    assert template.exit_code == ExitCode.OK
    path = tmp_path / "header.csv"
    path.write_text(template.stdout, encoding="utf-8")
    out = tmp_path / "ranked.csv"
    summary = rank(runner, path, "-s", "beijing-2018", "-o", out)
    assert (summary["rows"], summary["invalid"], summary["eligible"], summary["admitted"]) == (
        0,
        0,
        0,
        0,
    )
    assert summary["cutoff"] is None
    assert summary["histogram"] == []
    assert read_rows(out) == []
    assert out.read_text(encoding="utf-8-sig").startswith("rank,id_number,name,employment,")
    table = run(runner, "rank", path, "-s", "beijing-2018")  # the table too
    assert table.exit_code == ExitCode.NOTHING_RANKED  # a script notices
    assert "rows read 0" in flat(table.stdout)


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("id_number,name,sex,residence_permit,educaton", ["'educaton'", "misspelt", "education"]),
        ("id_number,name,Sex,residence_permit", ["Sex"]),
        ("id_number,name,sex", ["required", "residence_permit"]),
    ],
    ids=["misspelt", "wrong-case", "missing-permit"],  # sex may be missing: the ID number gives it
)
def test_column_errors_stop_before_any_work(
    runner: CliRunner, tmp_path: Path, header: str, expected: list[str]
) -> None:
    path = tmp_path / "columns.csv"
    path.write_text(header + "\n" + ",".join(["x"] * len(header.split(","))) + "\n", "utf-8")
    out, bad = tmp_path / "ranked.csv", tmp_path / "bad.csv"
    result = run(runner, "rank", path, "-s", "beijing-2018", "-o", out, "--errors", bad)
    assert_error(result, ExitCode.INPUT_FILE, "columns.csv", *expected)
    assert no_files(tmp_path) == ["columns.csv"]


def test_a_comment_column_is_allowed_and_headers_are_trimmed(
    runner: CliRunner, tmp_path: Path
) -> None:
    path = tmp_path / "comment.csv"
    path.write_text(
        " id_number , sex,residence_permit,comment\n110105198005100254,male,true,=note\n", "utf-8"
    )
    summary = rank(runner, path, "-s", "beijing-2018")
    assert (summary["rows"], summary["invalid"]) == (1, 0)


def test_a_repeated_column_is_named(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "twice.csv"
    path.write_text("id_number,name,name,sex,residence_permit\n", "utf-8")
    result = run(runner, "rank", path, "-s", "beijing-2018")
    assert_error(result, ExitCode.INPUT_FILE, "name", "twice")
    assert "duplicated_0" not in result.stderr


def test_a_missing_input_is_an_input_error(runner: CliRunner, tmp_path: Path) -> None:
    result = run(runner, "rank", tmp_path / "nowhere.csv", "-s", "beijing-2018")
    assert_error(result, ExitCode.INPUT_FILE, "nowhere.csv", "no such file")
    (tmp_path / "folder.csv").mkdir()
    result = run(runner, "rank", tmp_path / "folder.csv", "-s", "beijing-2018")
    assert_error(result, ExitCode.INPUT_FILE, "folder.csv")


def test_an_unknown_scheme_is_a_scheme_error(runner: CliRunner) -> None:
    result = run(runner, "rank", BEIJING, "-s", "beijing-2099")
    assert_error(result, ExitCode.SCHEME, "beijing-2099")


# -- output: atomic, never half-written -----------------------------------------------------------


@pytest.mark.parametrize("option", ["-o", "--errors"])
def test_output_into_a_missing_folder_writes_nothing(
    runner: CliRunner, tmp_path: Path, option: str
) -> None:
    target = tmp_path / "no" / "such" / "folder" / "out.csv"
    result = run(runner, "rank", BEIJING, "-s", "beijing-2018", option, target)
    assert_error(result, ExitCode.OUTPUT, "out.csv", "folder does not exist")
    assert no_files(tmp_path) == []


def test_output_onto_a_folder_is_an_output_error(runner: CliRunner, tmp_path: Path) -> None:
    result = run(runner, "rank", BEIJING, "-s", "beijing-2018", "-o", tmp_path)
    assert_error(result, ExitCode.OUTPUT, str(tmp_path))
    assert no_files(tmp_path) == []  # no leftover temporary file


def test_a_successful_run_leaves_no_temporary_files(runner: CliRunner, tmp_path: Path) -> None:
    out, bad = tmp_path / "ranked.csv", tmp_path / "bad.csv"
    out.write_text("old\n", encoding="utf-8")
    rank(runner, f"{DATA}/bad-rows.csv", "-s", "beijing-2018", "-o", out, "--errors", bad)
    assert no_files(tmp_path) == ["bad.csv", "ranked.csv"]
    assert len(read_rows(out)) == 3


@pytest.mark.parametrize(
    ("clash", "message"),
    [
        ("input", "--output would overwrite the input file"),
        ("errors", "--errors would overwrite the file of --output"),
    ],
)
def test_an_output_that_would_overwrite_another_file_is_refused_before_any_work(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, clash: str, message: str
) -> None:
    source = tmp_path / "applicants.csv"
    source.write_bytes((ROOT / BEIJING).read_bytes())
    target = source if clash == "input" else tmp_path / "same.csv"
    monkeypatch.setattr("hukoucalc.ranking.rank_file", _no_work)
    result = run(runner, "rank", source, "-s", "beijing-2018", "-o", target, "--errors", target)
    assert_error(result, ExitCode.OUTPUT, target.name, message)
    assert source.read_bytes() == (ROOT / BEIJING).read_bytes()
    assert no_files(tmp_path) == ["applicants.csv"]


def test_a_missing_output_folder_is_refused_before_any_work(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("hukoucalc.ranking.rank_file", _no_work)
    result = run(
        runner, "rank", BEIJING, "-s", "beijing-2018", "--errors", tmp_path / "no" / "bad.csv"
    )
    assert_error(result, ExitCode.OUTPUT, "bad.csv", "--errors: the folder does not exist")


def _no_work(*args: object, **kwargs: object) -> None:
    raise AssertionError("the outputs should have been refused before ranking")


# -- formats --------------------------------------------------------------------------------------


def test_jsonl_output_holds_the_same_cells_as_csv(runner: CliRunner, tmp_path: Path) -> None:
    expected = ranked(runner, tmp_path, BEIJING, "-s", "beijing-2018", "--quota", "4")
    out = tmp_path / "ranked.jsonl"
    summary = rank(
        runner, BEIJING, "-s", "beijing-2018", "--quota", "4", "--format", "jsonl", "-o", out
    )
    assert summary["output"] == str(out)
    raw = out.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    lines = [json.loads(line) for line in raw.decode("utf-8").splitlines()]
    assert len(lines) == 9
    assert [list(line) for line in lines] == [list(expected[0])] * 9
    as_text = [{k: _csv_text(v) for k, v in line.items()} for line in lines]
    assert as_text == expected
    assert lines[6]["tax"] == "-12.00"  # exact decimal text, not a float
    assert (lines[0]["rank"], lines[0]["eligible"], lines[0]["admitted"]) == (1, True, True)
    assert [line["rank"] for line in lines if not line["eligible"]] == [None, None]


def _csv_text(value: object) -> str:
    """A JSON value as the CSV list writes it (null empty, booleans lower case)."""
    if value is None:
        return ""
    return str(value).lower() if isinstance(value, bool) else str(value)


def test_json_summary_document(runner: CliRunner, tmp_path: Path) -> None:
    out, bad = tmp_path / "ranked.csv", tmp_path / "bad.csv"
    summary = rank(runner, f"{DATA}/bad-rows.csv", "-s", "beijing-2018", "-o", out, "--errors", bad)
    for key in ("rows", "invalid", "ineligible", "eligible", "admitted", "cutoff"):
        assert key in summary, key
    loaded = load_scheme("beijing-2018")
    assert summary["scheme"]["id"] == "beijing-2018"
    assert summary["scheme"]["sha256"] == loaded.sha256
    source = ROOT / DATA / "bad-rows.csv"
    assert summary["input"]["sha256"] == hashlib.sha256(source.read_bytes()).hexdigest()
    assert summary["hukoucalc"]
    assert (summary["rows"], summary["invalid"], summary["ineligible"], summary["eligible"]) == (
        15,
        12,
        0,
        3,
    )
    # 甲 120 m 30 + bachelor 15 + 20 = 65; 庚 108 m 27 + master 26 + national award 2 + 20 = 75;
    # 寅 156 m 39 + college 10.5 + age 20 (born 1976: 40) = 69.5
    assert (summary["admitted"], summary["cutoff"], summary["ties_at_cutoff"]) == (3, "65", 1)
    assert sum(b["count"] for b in summary["histogram"]) == summary["eligible"]
    assert [b["low"] for b in summary["histogram"] if b["cutoff"]] == ["65"]
    assert [r["total"] for r in read_rows(out)] == ["75.00", "69.50", "65.00"]


def test_summary_table_and_messages(runner: CliRunner, tmp_path: Path) -> None:
    out, bad = tmp_path / "ranked.csv", tmp_path / "bad.csv"
    result = run(
        runner, "rank", BEIJING, "-s", "beijing-2018", "--quota", "4", "-o", out, "--errors", bad
    )
    assert result.exit_code == ExitCode.OK, result.stderr
    text = flat(result.stdout)
    for expected in (
        "Ranking under beijing-2018",
        "rows read 9",
        "eligible 7",
        "admitted 5",
        "cut-off score (lowest admitted) 70",
        "admitted at the last place (ties) 2",
        "◀ cut-off",
        f"ranked list written to {out}",
    ):
        assert expected in text, expected


# -- JSON Lines input -----------------------------------------------------------------------------


def test_jsonl_input_with_lists_of_periods_ranks_like_csv(
    runner: CliRunner, tmp_path: Path
) -> None:
    """Periods as lists of {"from", "to"} objects or of strings, events as a list of dates."""
    csv_out, jsonl_out = tmp_path / "from-csv.csv", tmp_path / "from-jsonl.csv"
    rank(runner, BEIJING, "-s", "beijing-2018", "-o", csv_out)
    summary = rank(runner, f"{DATA}/beijing-2018.jsonl", "-s", "beijing-2018", "-o", jsonl_out)
    assert (summary["rows"], summary["invalid"]) == (9, 0)
    assert jsonl_out.read_bytes() == csv_out.read_bytes()


def test_jsonl_bad_rows_are_numbered_from_one(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    lines = (ROOT / DATA / "beijing-2018.jsonl").read_text(encoding="utf-8").splitlines()
    lines[2] = lines[2].replace('"education": "bachelor"', '"education": "phd"')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    bad = tmp_path / "bad.csv"
    summary = rank(runner, path, "-s", "beijing-2018", "--errors", bad)
    assert [(e["row"], e["column"]) for e in read_rows(bad)] == [("3", "education")]
    assert summary["invalid"] == 1


JSONL_MIXED = [  # (two lines, the rows that are really bad)
    # one row writes periods as a list, another as a string: both are valid applicant JSON
    (
        '{"id_number": "110105198005100254", "sex": "male", "residence_permit": true, '
        '"social_insurance": [{"from": "2008-01", "to": "2017-12"}]}',
        '{"id_number": "110105198203150244", "sex": "female", "residence_permit": true, '
        '"social_insurance": "2008-01..2017-12"}',
        [],
    ),
    # a whole number in one row, a fraction (an error) in another: only the second is bad
    (
        '{"id_number": "110105198005100254", "sex": "male", "residence_permit": true, '
        '"innovation_national_award": 3}',
        '{"id_number": "110105198203150244", "sex": "female", "residence_permit": true, '
        '"innovation_national_award": 2.5}',
        ["2"],
    ),
]


@pytest.mark.parametrize(
    ("first", "second", "bad_rows"), JSONL_MIXED, ids=["periods-list-and-text", "int-and-float"]
)
def test_jsonl_rows_are_read_each_on_its_own(
    runner: CliRunner, tmp_path: Path, first: str, second: str, bad_rows: list[str]
) -> None:
    path = tmp_path / "mixed.jsonl"
    path.write_text(f"{first}\n{second}\n", encoding="utf-8")
    bad = tmp_path / "bad.csv"
    rank(runner, path, "-s", "beijing-2018", "--errors", bad)
    assert [e["row"] for e in read_rows(bad)] == bad_rows


def test_jsonl_row_numbers_are_line_numbers(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "gaps.jsonl"
    path.write_text(
        '{"id_number": "110105198005100254", "sex": "male", "residence_permit": true}\n'
        "\n"
        '{"id_number": "110105198203150244", "sex": "female", "residence_permit": "maybe"}\n',
        encoding="utf-8",
    )
    bad = tmp_path / "bad.csv"
    rank(runner, path, "-s", "beijing-2018", "--errors", bad)
    assert [e["row"] for e in read_rows(bad)] == ["3"]


@pytest.mark.parametrize(
    "content",
    ['{"id_number": \n', "[1, 2]\n"],
    ids=["truncated", "not-an-object"],
)
def test_broken_jsonl_is_an_input_error(runner: CliRunner, tmp_path: Path, content: str) -> None:
    path = tmp_path / "broken.jsonl"
    path.write_text(content, encoding="utf-8")
    result = run(runner, "rank", path, "-s", "beijing-2018")
    assert_error(result, ExitCode.INPUT_FILE, "broken.jsonl", "JSON Lines")


# -- hukou registration (template scheme) ---------------------------------------------------------


def test_registration_place_is_the_label_of_the_typed_value(
    runner: CliRunner, tmp_path: Path
) -> None:
    path = tmp_path / "reg.csv"
    path.write_text(
        "id_number,residence_permit,social_insurance,registration\n"
        "110105198005100254,true,2015-01..2025-12,\n"
        "110105198203150244,true,2015-01..2025-12, talent_collective\n"
        "110105197911200252,true,2015-01..2025-12,rental_home\n",
        encoding="utf-8",
    )
    rows = ranked(runner, tmp_path, str(path), "-s", "template")
    places = {r["id_number"]: r["registration"] for r in rows}
    assert places == {
        "110105198005100254": "合法产权住所",
        "110105198203150244": "人才集体户",
        "110105197911200252": "租赁住所",
    }


def test_a_single_applicant_json_is_pointed_to_score(runner: CliRunner) -> None:
    result = run(runner, "rank", "examples/applicant.json", "-s", "beijing-2018")
    assert_error(result, ExitCode.INPUT_FILE, "examples/applicant.json", "hukoucalc score")


def test_a_second_scheme_is_refused_not_dropped(runner: CliRunner) -> None:
    result = run(runner, "rank", BEIJING, "-s", "beijing-2018", "-s", "beijing-2020")
    assert_error(
        result,
        ExitCode.USAGE,
        "rank takes one --scheme, not 2 (beijing-2018, beijing-2020)",
        "hukoucalc compare",
    )


def test_the_summary_says_when_there_is_nothing_to_rank(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "header.csv"
    path.write_text(run(runner, "scheme", "template", "beijing-2018").stdout, encoding="utf-8")
    shown = flat(run(runner, "rank", path, "-s", "beijing-2018").stdout)
    assert "rows read 0 " in shown and "No applications in the file: nothing to rank." in shown


def test_the_summary_points_to_the_errors_file_only_when_there_is_one(
    runner: CliRunner, tmp_path: Path
) -> None:
    bad = f"{DATA}/bad-rows.csv"
    without = flat(run(runner, "rank", bad, "-s", "beijing-2018").stdout)
    assert "invalid 12 " in without and "errors file" not in without
    written = run(runner, "rank", bad, "-s", "beijing-2018", "--errors", tmp_path / "bad.csv")
    assert "invalid (see the errors file) 12 " in flat(written.stdout)
    clean = run(runner, "rank", BEIJING, "-s", "beijing-2018", "--errors", tmp_path / "none.csv")
    assert "invalid 0 " in flat(clean.stdout)
