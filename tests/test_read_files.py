"""A city office's real files read honestly (issue 12, the input side).

Hostile inputs refused before a parser sees them, control characters kept off the terminal,
encodings never guessed wrong, malformed records costing only their rows, workbooks and Parquet
files, headers by label, and the columns a scheme does not score carried into the list.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from hukoucalc.errors import ExitCode

from .invoke import assert_error, flat, run

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "tests/data/rank/beijing-2018.csv"
SCHEME = ("-s", "beijing-2018")


def lines() -> list[str]:
    """The pool's lines: the header, then rows 2..10 (张三 is row 2, 周七 row 3, 吴八 row 4)."""
    return SOURCE.read_text(encoding="utf-8").splitlines()


def write(tmp_path: Path, name: str, rows: list[str]) -> Path:
    path = tmp_path / name
    path.write_bytes(("\n".join(rows) + "\n").encode("utf-8"))
    return path


def read_rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline="")))


def rank(
    runner: CliRunner, path: Path, tmp_path: Path, *args: str, code: ExitCode = ExitCode.OK
) -> dict[str, Any]:
    """`rank --json` with -o and --errors in tmp_path: exit ``code``, the summary, the two files."""
    out, bad = tmp_path / "ranked.csv", tmp_path / "bad.csv"
    result = run(runner, "rank", path, *SCHEME, "-o", out, "--errors", bad, *args, "--json")
    assert result.exit_code == code, (result.stdout, result.stderr)
    return {**json.loads(result.stdout), "ranked": read_rows(out), "bad": read_rows(bad)}


def errors(summary: dict[str, Any]) -> list[tuple[int, str, str]]:
    return [(int(e["row"]), e["column"], e["reason"]) for e in summary["bad"]]


# -- bounded on hostile input --------------------------------------------------------------------


def test_a_header_of_2001_columns_is_refused(runner: CliRunner, tmp_path: Path) -> None:
    path = write(tmp_path, "wide.csv", [",".join(f"c{k}" for k in range(2001)), "1" * 3])
    result = run(runner, "rank", path, *SCHEME)
    assert_error(result, ExitCode.INPUT_FILE, "wide.csv", "2,001 columns", "2,000")


def test_a_header_line_over_1_mb_is_refused(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "long.csv"
    path.write_bytes(b"x" * (1 << 20) + b"y\n1\n")
    result = run(runner, "rank", path, *SCHEME)
    assert_error(result, ExitCode.INPUT_FILE, "long.csv", "header line is over 1 MB")


def test_a_file_of_nul_bytes_is_refused(runner: CliRunner, tmp_path: Path) -> None:
    for name in ("nul.csv", "nul.jsonl"):
        path = tmp_path / name
        path.write_bytes(b"id_number,name\n" + b"\0" * 300_000)
        result = run(runner, "rank", path, *SCHEME)
        assert_error(result, ExitCode.INPUT_FILE, name, "mostly NUL bytes")


def test_control_characters_of_a_cell_never_reach_the_terminal(
    runner: CliRunner, tmp_path: Path
) -> None:
    rows = lines()
    rows[1] = rows[1].replace(",male,", ",\x1b[2Jmale\r,")
    result = run(runner, "rank", write(tmp_path, "esc.csv", rows), *SCHEME)
    assert result.exit_code == ExitCode.OK, result.stderr
    assert "\x1b" not in result.stderr and "\r" not in result.stderr
    assert "\\x1b[2Jmale is not one of" in flat(result.stderr)


# -- encodings: never guessed wrong ---------------------------------------------------------------


def test_a_latin1_byte_in_utf8_keeps_utf8_and_costs_its_row(
    runner: CliRunner, tmp_path: Path
) -> None:
    data = ("\n".join(lines()) + "\n").encode("utf-8")
    data = data.replace("周七".encode(), "周七".encode() + b"\xe9", 1)  # a Latin-1 é
    path = tmp_path / "latin1.csv"
    path.write_bytes(data)
    summary = rank(runner, path, tmp_path)
    assert summary["input"]["encoding"] == "utf-8"
    [(row, column, reason)] = errors(summary)
    assert (row, column) == (3, "name") and "not UTF-8" in reason
    assert summary["bad"][0]["value"] == "周七\ufffd"
    names = {r["name"] for r in summary["ranked"]}
    assert "张三" in names and "吴八" in names and len(names) == 8  # none garbled


def test_gb18030_is_read_only_when_the_file_is_gb18030(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "gb.csv"
    path.write_bytes(("\n".join(lines()) + "\n").encode("gb18030"))
    summary = rank(runner, path, tmp_path)
    assert summary["input"]["encoding"] == "gb18030"
    assert summary["invalid"] == 0
    assert "张三" in {r["name"] for r in summary["ranked"]}


def test_the_summary_says_the_encoding(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "gb.csv"
    path.write_bytes(("\n".join(lines()) + "\n").encode("gb18030"))
    result = run(runner, "rank", path, *SCHEME)
    assert result.exit_code == ExitCode.OK, result.stderr
    assert "(gb18030)" in flat(result.stdout)


# -- malformed records cost their rows -------------------------------------------------------------


def test_a_stray_quote_in_one_row_of_1000_costs_that_row(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "pool.csv"
    made = run(runner, "synth", *SCHEME, "--n", "1000", "--seed", "7", "-o", path)
    assert made.exit_code == 0, made.stderr
    clean = rank(runner, path, tmp_path)
    assert clean["invalid"] == 0
    rows = path.read_text(encoding="utf-8-sig").splitlines()
    name = rows[0].split(",").index("name")
    cells = rows[500].split(",")  # row 501
    cells[name] = '王"芳'
    rows[500] = ",".join(cells)
    summary = rank(runner, write(tmp_path, "quote.csv", rows), tmp_path)
    [(row, column, reason)] = errors(summary)
    assert (row, column) == (501, "*") and "quote" in reason
    assert (summary["rows"], summary["invalid"]) == (1000, 1)
    assert len(summary["ranked"]) == len(clean["ranked"]) - 1


def test_an_unbalanced_quote_costs_only_its_row(runner: CliRunner, tmp_path: Path) -> None:
    rows = lines()
    rows[2] = rows[2].replace(",周七,", ',"周七,')  # opens, never closes
    summary = rank(runner, write(tmp_path, "open.csv", rows), tmp_path)
    assert [(r, c) for r, c, _ in errors(summary)] == [(3, "*")]
    assert "quote" in errors(summary)[0][2]
    assert (summary["rows"], summary["invalid"]) == (9, 1)
    assert len(summary["ranked"]) == 8


def test_a_quoted_line_break_and_a_stray_quote_keep_row_numbers(
    runner: CliRunner, tmp_path: Path
) -> None:
    rows = lines()
    rows[1] = rows[1].replace(",张三,", ',"张三\n(二, 三)",')  # one record on two lines
    rows[3] = rows[3].replace(",吴八,", ',吴"八,')
    summary = rank(runner, write(tmp_path, "both.csv", rows), tmp_path)
    assert [(r, c) for r, c, _ in errors(summary)] == [(4, "*")]
    assert "张三\n(二, 三)" in {r["name"] for r in summary["ranked"]}


def test_a_truncated_json_lines_line_costs_that_line(runner: CliRunner, tmp_path: Path) -> None:
    records = list(csv.DictReader(io.StringIO("\n".join(lines()))))
    text = [json.dumps({k: v for k, v in r.items() if v}, ensure_ascii=False) for r in records]
    text[3] = text[3][: len(text[3]) // 2]  # line 4, cut by a failed export
    path = tmp_path / "cut.jsonl"
    path.write_text("\n".join(text) + "\n", encoding="utf-8")
    summary = rank(runner, path, tmp_path)
    [(row, column, reason)] = errors(summary)
    assert (row, column) == (4, "*") and reason.startswith("not a JSON object")
    assert (summary["rows"], summary["invalid"]) == (9, 1)
    assert len(summary["ranked"]) == 8


# -- headers by label, carried columns ----------------------------------------------------------


def labels() -> dict[str, str]:
    from hukoucalc.scheme.load import load_scheme  # noqa: PLC0415

    return {n: spec.label for n, spec in load_scheme("beijing-2018").scheme.fields.items()}


def carried_pool(tmp_path: Path, *, chinese: bool = True) -> Path:
    """The pool with a Chinese header and three carried columns (申请编号 first, 单位, 联系电话
    last)."""
    rows = lines()
    header = rows[0].split(",")
    named = [labels()[c] for c in header] if chinese else header
    out = [",".join(["申请编号", *named, "单位", "联系电话"])]
    for k, row in enumerate(rows[1:], start=1):
        out.append(f"A{k:04d},{row},单位{k},=138{k:08d}")
    return write(tmp_path, "chinese.csv", out)


def test_a_chinese_header_ranks_as_the_field_ids_do(runner: CliRunner, tmp_path: Path) -> None:
    expected = rank(runner, write(tmp_path, "ids.csv", lines()), tmp_path)
    summary = rank(runner, carried_pool(tmp_path), tmp_path)
    assert summary["invalid"] == 0
    assert [r["id_number"] for r in summary["ranked"]] == [
        r["id_number"] for r in expected["ranked"]
    ]
    assert [r["total"] for r in summary["ranked"]] == [r["total"] for r in expected["ranked"]]


def test_carried_columns_follow_the_points_unchanged(runner: CliRunner, tmp_path: Path) -> None:
    summary = rank(runner, carried_pool(tmp_path), tmp_path)
    assert summary["carried"] == ["申请编号", "单位", "联系电话"]
    columns = list(summary["ranked"][0])
    at = columns.index("total")
    assert columns[at + 1 : at + 4] == ["申请编号", "单位", "联系电话"]
    zhang = next(r for r in summary["ranked"] if r["name"] == "张三")
    assert (zhang["申请编号"], zhang["单位"]) == ("A0001", "单位1")
    assert zhang["联系电话"] == "'=13800000001"  # as given, neutralised for a spreadsheet


def test_the_summary_names_the_carried_columns(runner: CliRunner, tmp_path: Path) -> None:
    result = run(runner, "rank", carried_pool(tmp_path), *SCHEME)
    assert result.exit_code == ExitCode.OK, result.stderr
    assert "carried into the list, not scored: 申请编号, 单位, 联系电话" in flat(result.stdout)


def test_drop_extra_leaves_the_carried_columns_out(runner: CliRunner, tmp_path: Path) -> None:
    summary = rank(runner, carried_pool(tmp_path), tmp_path, "--drop-extra")
    assert summary["carried"] == []
    assert "单位" not in summary["ranked"][0]


def test_a_near_miss_of_a_label_is_an_error(runner: CliRunner, tmp_path: Path) -> None:
    rows = lines()
    header = [labels()[c] for c in rows[0].split(",")]
    header[1] = "姓 名 "  # blanks inside: 姓名 misspelt
    header[2] = "性别（男/女"
    path = write(tmp_path, "near.csv", [",".join(header), *rows[1:]])
    result = run(runner, "rank", path, *SCHEME)
    assert_error(result, ExitCode.INPUT_FILE, "near.csv", "'姓 名'", "field name", "misspelt")


def test_a_carried_column_named_as_a_list_column_is_refused(
    runner: CliRunner, tmp_path: Path
) -> None:
    rows = lines()
    path = write(tmp_path, "clash.csv", [rows[0] + ",total", *(r + ",1" for r in rows[1:])])
    result = run(runner, "rank", path, *SCHEME)
    assert_error(result, ExitCode.INPUT_FILE, "clash.csv", "total", "--drop-extra")
    summary = rank(runner, path, tmp_path, "--drop-extra")
    assert summary["invalid"] == 0


def test_a_scheme_may_declare_aliases(runner: CliRunner, tmp_path: Path) -> None:
    text = (ROOT / "schemes/beijing-2018.toml").read_text(encoding="utf-8")
    marker = '[fields.id_number]\ntype = "id_number"\n'
    assert marker in text
    scheme = tmp_path / "aliased.toml"
    scheme.write_text(text.replace(marker, marker + 'aliases = ["身份证号"]\n'), "utf-8")
    rows = lines()
    path = write(tmp_path, "alias.csv", [rows[0].replace("id_number", "身份证号"), *rows[1:]])
    out = tmp_path / "out.csv"
    result = run(runner, "rank", path, "-s", scheme, "-o", out, "--json")
    assert result.exit_code == ExitCode.OK, result.stderr
    assert json.loads(result.stdout)["carried"] == []
    assert read_rows(out)[0]["id_number"]


# -- workbooks and Parquet ---------------------------------------------------------------------


def workbook(tmp_path: Path, *, sheet: str = "名单", numeric_row: int | None = None) -> Path:
    """The pool as an office keeps it: an .xlsx with a Chinese header, the birth date as an
    Excel date, carried columns (申请编号 as a number, 单位, 联系电话) and, with
    ``numeric_row``, that row's ID number stored as a number (Excel shows 1.10105E+17)."""
    import datetime as dt  # noqa: PLC0415

    from openpyxl import Workbook  # noqa: PLC0415

    rows = list(csv.DictReader(io.StringIO("\n".join(lines()))))
    names = labels()
    book = Workbook()
    other = book.active
    assert other is not None
    other.title = "说明"
    other.append(["填表说明"])
    ws = book.create_sheet(sheet)
    fields = list(rows[0])
    ws.append(["申请编号", *(names[f] for f in fields), names["birth_date"], "单位", "联系电话"])
    for k, row in enumerate(rows, start=2):
        cells: list[object] = [k - 1]
        for f in fields:
            value = row[f]
            if f == "id_number" and k == numeric_row:
                cells.append(int(value))
            else:
                cells.append(value or None)
        born = row["id_number"][6:14]
        cells.append(dt.datetime(int(born[:4]), int(born[4:6]), int(born[6:])))
        cells += [f"单位{k - 1}", f"0{k:010d}"]
        ws.append(cells)
    path = tmp_path / "pool.xlsx"
    book.save(path)
    return path


def test_a_workbook_ranks_as_its_csv_does(runner: CliRunner, tmp_path: Path) -> None:
    expected = rank(runner, write(tmp_path, "ids.csv", lines()), tmp_path)
    summary = rank(runner, workbook(tmp_path), tmp_path, "--sheet", "名单")
    assert (summary["invalid"], summary["input"]["encoding"]) == (0, "xlsx")
    assert [(r["name"], r["total"]) for r in summary["ranked"]] == [
        (r["name"], r["total"]) for r in expected["ranked"]
    ]
    assert summary["carried"] == ["申请编号", "单位", "联系电话"]
    zhang = next(r for r in summary["ranked"] if r["name"] == "张三")
    assert (zhang["申请编号"], zhang["单位"], zhang["联系电话"]) == ("1", "单位1", "00000000002")


def test_an_id_number_stored_as_a_number_is_a_bad_cell(runner: CliRunner, tmp_path: Path) -> None:
    path = workbook(tmp_path, numeric_row=3)  # 周七
    summary = rank(runner, path, tmp_path, "--sheet", "名单")
    [(row, column, reason)] = errors(summary)
    assert (row, column) == (3, "id_number")
    assert "stored as a number" in reason and "Text" in reason
    assert "周七" not in {r["name"] for r in summary["ranked"]}


def test_the_first_sheet_is_read_unless_one_is_named(runner: CliRunner, tmp_path: Path) -> None:
    path = workbook(tmp_path)
    result = run(runner, "rank", path, *SCHEME)  # the first sheet: 说明, no fields
    assert_error(result, ExitCode.INPUT_FILE, "pool.xlsx", "required column", "first row?")
    result = run(runner, "rank", path, *SCHEME, "--sheet", "Sheet9")
    assert_error(result, ExitCode.INPUT_FILE, "no sheet named 'Sheet9'", "说明, 名单", "--sheet")


def test_a_damaged_workbook_is_a_file_error(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"PK\x03\x04 not a workbook")
    result = run(runner, "rank", path, *SCHEME)
    assert_error(result, ExitCode.INPUT_FILE, "broken.xlsx", "not a readable .xlsx")


def test_a_parquet_file_ranks_as_its_csv_does(runner: CliRunner, tmp_path: Path) -> None:
    import polars as pl  # noqa: PLC0415

    expected = rank(runner, write(tmp_path, "ids.csv", lines()), tmp_path)
    path = tmp_path / "pool.parquet"
    pl.read_csv(SOURCE, infer_schema=False).write_parquet(path)
    summary = rank(runner, path, tmp_path)
    assert (summary["invalid"], summary["input"]["encoding"]) == (0, "parquet")
    assert [(r["name"], r["total"]) for r in summary["ranked"]] == [
        (r["name"], r["total"]) for r in expected["ranked"]
    ]


# -- the Chinese template --------------------------------------------------------------------------


def test_template_labels_writes_the_chinese_header(runner: CliRunner, tmp_path: Path) -> None:
    result = run(runner, "scheme", "template", "beijing-2018", "--labels")
    assert result.exit_code == ExitCode.OK, result.stderr
    header = result.stdout.splitlines()[0].split(",")
    assert header[:2] == ["公民身份号码", "姓名"]
    assert header == list(labels().values())
    out = tmp_path / "header.csv"
    result = run(runner, "scheme", "template", "beijing-2018", "--labels", "-o", out)
    assert result.exit_code == ExitCode.OK, result.stderr
    assert out.read_text(encoding="utf-8-sig").splitlines() == [",".join(header)]


def test_template_labels_as_a_workbook_reads_back(runner: CliRunner, tmp_path: Path) -> None:
    from openpyxl import load_workbook  # noqa: PLC0415

    out = tmp_path / "名单.xlsx"
    result = run(runner, "scheme", "template", "beijing-2018", "--labels", "-o", out)
    assert result.exit_code == ExitCode.OK, result.stderr
    sheet = load_workbook(out).active
    assert sheet is not None
    assert [c.value for c in sheet[1]] == list(labels().values())
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["A"].number_format == "@"  # ID numbers typed in stay text
    # filled in by the office (张三 under the header), it ranks
    given = dict(zip(lines()[0].split(","), lines()[1].split(","), strict=True))
    book = load_workbook(out)
    ws = book.active
    assert ws is not None
    ws.append([given.get(field) or None for field in labels()])
    book.save(out)
    summary = rank(runner, out, tmp_path)
    assert (summary["rows"], summary["invalid"]) == (1, 0)


def test_template_refuses_another_suffix(runner: CliRunner, tmp_path: Path) -> None:
    result = run(runner, "scheme", "template", "beijing-2018", "-o", tmp_path / "h.txt")
    assert_error(result, ExitCode.USAGE, ".csv or .xlsx")


def test_every_id_number_stored_as_a_number_is_reported_by_row(
    runner: CliRunner, tmp_path: Path
) -> None:
    """Not "is the header row right?": the header is right, the cells are numbers."""
    from openpyxl import Workbook  # noqa: PLC0415

    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.append(["公民身份号码", "姓名", "性别", "持有北京市居住证"])
    ws.append([110105198005100254, "张三", "male", "true"])
    ws.append([110105197006150240, "周七", "female", "true"])
    path = tmp_path / "numbers.xlsx"
    book.save(path)
    summary = rank(runner, path, tmp_path, code=ExitCode.NOTHING_RANKED)  # every row is invalid
    assert [(r, c) for r, c, _ in errors(summary)] == [(2, "id_number"), (3, "id_number")]
    assert all("stored as a number" in reason for _, _, reason in errors(summary))


def test_json_lines_keys_may_be_labels(runner: CliRunner, tmp_path: Path) -> None:
    names = labels()
    records = list(csv.DictReader(io.StringIO("\n".join(lines()))))
    text = [
        json.dumps({names[k]: v for k, v in r.items() if v}, ensure_ascii=False) for r in records
    ]
    path = tmp_path / "labels.jsonl"
    path.write_text("\n".join(text) + "\n", encoding="utf-8")
    expected = rank(runner, write(tmp_path, "ids.csv", lines()), tmp_path)
    summary = rank(runner, path, tmp_path)
    assert summary["invalid"] == 0
    assert [r["total"] for r in summary["ranked"]] == [r["total"] for r in expected["ranked"]]


def test_a_stray_quote_and_a_latin1_byte_each_cost_their_row(
    runner: CliRunner, tmp_path: Path
) -> None:
    rows = lines()
    rows[3] = rows[3].replace(",吴八,", ',吴"八,')
    data = ("\n".join(rows) + "\n").encode("utf-8")
    data = data.replace("周七".encode(), "周七".encode() + b"\xe9", 1)
    path = tmp_path / "both.csv"
    path.write_bytes(data)
    summary = rank(runner, path, tmp_path)
    assert [(r, c) for r, c, _ in errors(summary)] == [(3, "name"), (4, "*")]
    assert summary["input"]["encoding"] == "utf-8"


def test_a_column_an_office_names_its_own_way_is_not_carried_silently(
    runner: CliRunner, tmp_path: Path
) -> None:
    """学历 (the start of 学历（学位）) and 身份证号码 (公民身份号码) would be read as no
    education and no ID number if carried: an error naming the field, which an alias fixes."""
    rows = lines()
    for given, field in (("学历", "education"), ("身份证号码", "id_number")):
        path = write(tmp_path, "own.csv", [rows[0].replace(field, given), *rows[1:]])
        result = run(runner, "rank", path, *SCHEME)
        assert_error(result, ExitCode.INPUT_FILE, f"'{given}' (field {field}", "aliases")


def test_an_id_number_excel_saved_as_1_10105e17_in_a_csv_has_the_hint(
    runner: CliRunner, tmp_path: Path
) -> None:
    rows = lines()
    rows[2] = rows[2].replace("110105197006150240", "1.10105E+17")  # 周七, row 3
    summary = rank(runner, write(tmp_path, "sci.csv", rows), tmp_path)
    [(row, column, reason)] = errors(summary)
    assert (row, column) == (3, "id_number") and "stored as a number" in reason
