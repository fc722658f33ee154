"""Ranking a batch of applications under a scheme: validate, score, select, publish.

The core of ``hukoucalc rank``: reads the file (:mod:`.batch.read`), types and checks every cell
(:mod:`.batch.fields`), scores the valid rows with the one evaluator (:mod:`.batch.score`),
selects within the quota (:mod:`.batch.select`) and returns the publishable list, the bad rows and
a summary. It never prints and never writes; :func:`write_results` writes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import polars as pl
from pydantic import BaseModel

from hukoucalc import __version__
from hukoucalc.batch.fields import ROW, Typed, type_batch
from hukoucalc.batch.read import read_batch
from hukoucalc.batch.score import decimal_column, score_batch
from hukoucalc.batch.select import ADMITTED, QUALIFIED, RANK, select
from hukoucalc.batch.write import neutralise, write_atomically
from hukoucalc.engine.compile import compile_scheme
from hukoucalc.engine.units import format_decimal, to_decimal
from hukoucalc.errors import ApplicantError, OutputError
from hukoucalc.scheme.load import LoadedScheme
from hukoucalc.scheme.model import FieldSpec

Progress = Callable[[str], None]


class Bin(BaseModel):
    low: str
    high: str
    count: int
    cutoff: bool  # the cut-off score falls in this bin


class RankSummary(BaseModel):
    """The ``rank --json`` document."""

    hukoucalc: str
    scheme: dict[str, str]
    input: dict[str, str]
    selection: str
    rows: int
    invalid: int
    ineligible: int
    eligible: int
    qualified: int
    quota: int | None
    threshold: str | None
    admitted: int
    cutoff: str | None
    ties_at_cutoff: int
    histogram: list[Bin]
    output: str | None = None
    errors: str | None = None


@dataclass
class RankResult:
    summary: RankSummary
    ranked: pl.DataFrame  # the publishable list, as text cells
    errors: pl.DataFrame  # row, column, value, reason


def rank_file(
    path: Path,
    loaded: LoadedScheme,
    *,
    quota: int | None = None,
    encoding: str | None = None,
    strict: bool = False,
    progress: Progress | None = None,
) -> RankResult:
    """Validate, score and rank every application in ``path``."""
    step = progress or (lambda _: None)
    scheme = loaded.scheme
    compiled = compile_scheme(scheme, origin=loaded.origin)
    step("reading")
    raw = read_batch(path, scheme, encoding=encoding)
    step("validating")
    typed, errors, bad_rows = keep_valid(
        type_batch(raw.frame, scheme), scheme.fields, path, strict=strict
    )
    valid = typed.frame
    step("scoring")
    scored = score_batch(typed, compiled)
    step("ranking")
    chosen = select(scored.frame, scheme.selection, compiled.unit, quota=quota)
    text = [n for n, spec in scheme.fields.items() if spec.type in ("id_number", "text", "enum")]
    # a content key for the last ties (identical rows are interchangeable): a fixed-seed hash
    # of every cell, so the order never depends on the input's row order
    content = raw.frame.select(
        ROW,
        pl.struct(list(scheme.fields)).hash(seed=0).alias("__content"),
    )
    cells = valid.select(ROW, *text).join(content, on=ROW, how="left")
    ranked = _publishable(chosen.frame, cells, loaded, compiled.unit, compiled.places)
    frame = chosen.frame
    eligible = int(frame["eligible"].sum())
    summary = RankSummary(
        hukoucalc=__version__,
        scheme={"id": loaded.id, "sha256": loaded.sha256, "origin": loaded.origin},
        input={"path": str(path), "sha256": raw.sha256, "encoding": raw.encoding},
        selection=scheme.selection.mode,
        rows=raw.frame.height,
        invalid=bad_rows.height,
        ineligible=frame.height - eligible,
        eligible=eligible,
        qualified=int(frame[QUALIFIED].sum()),
        quota=chosen.quota,
        threshold=format_decimal(scheme.selection.threshold)
        if scheme.selection.threshold is not None
        else None,
        admitted=int(frame[ADMITTED].sum()),
        cutoff=_points(chosen.cutoff_units, compiled.unit),
        ties_at_cutoff=chosen.ties_at_cutoff,
        histogram=histogram(frame, compiled.unit, chosen.cutoff_units),
    )
    errors = errors.rename({ROW: "row"}).with_columns(pl.col("value").fill_null(""))
    return RankResult(summary=summary, ranked=ranked, errors=errors)


def keep_valid(
    typed: Typed, fields: dict[str, FieldSpec], path: Path, *, strict: bool
) -> tuple[Typed, pl.DataFrame, pl.DataFrame]:
    """The valid rows of a typed batch, every error (duplicate ID numbers included, by row and
    column) and the bad rows' numbers; with ``strict``, the first error stops the run."""
    errors = _with_duplicates(typed.errors, typed.frame, fields).sort(ROW, "column")
    if strict and errors.height:
        first = errors.row(0, named=True)
        raise ApplicantError(
            f"row {first[ROW]}, column '{first['column']}': {first['reason']} "
            "(--strict stops at the first bad row; nothing was written)",
            where=str(path),
        )
    bad_rows = errors.select(ROW).unique()
    valid = typed.frame.join(bad_rows, on=ROW, how="anti")
    return Typed(frame=valid, widths=typed.widths, errors=typed.errors), errors, bad_rows


def _points(units: int | None, unit: int) -> str | None:
    return None if units is None else format_decimal(to_decimal(units, unit))


def _with_duplicates(
    errors: pl.DataFrame, typed: pl.DataFrame, fields: dict[str, FieldSpec]
) -> pl.DataFrame:
    """Every row whose ID number another row also carries is reported (the office decides)."""
    ids = [n for n, spec in fields.items() if spec.type == "id_number"]
    if not ids:
        return errors
    name = ids[0]
    bad_id = errors.filter(pl.col("column") == name).select(ROW)
    good = (
        typed.select(ROW, name).filter(pl.col(name).is_not_null()).join(bad_id, on=ROW, how="anti")
    )
    rows = good.group_by(name).agg(pl.col(ROW).sort()).filter(pl.col(ROW).list.len() > 1)
    if rows.height == 0:
        return errors
    dup = (
        rows.explode(ROW, keep_nulls=False)
        .join(rows.rename({ROW: "all"}), on=name)
        .select(
            pl.col(ROW),
            pl.lit(name).alias("column"),
            pl.col(name).alias("value"),
            pl.format(
                "duplicate ID number (rows {})",
                pl.col("all").list.eval(pl.element().cast(pl.String)).list.join(", "),
            ).alias("reason"),
        )
    )
    return pl.concat([errors, dup.cast(errors.schema)])


def _publishable(
    frame: pl.DataFrame, raw: pl.DataFrame, loaded: LoadedScheme, unit: int, places: int
) -> pl.DataFrame:
    """Rank, id, name, every indicator's points, total, eligible, admitted, reason, in an order
    that depends only on the content: ties by ID number, then name, then the whole row."""
    scheme = loaded.scheme
    frame = frame.join(raw, on=ROW, how="left")
    reasons = [
        pl.when(~pl.col(f"gate:{g.id}")).then(pl.lit(g.reason)).otherwise(None)
        for g in scheme.gates
    ]
    below = "below the cut-off" if scheme.selection.mode == "quota" else "below the threshold"
    if scheme.selection.mode == "threshold_then_keys":
        below = "below the threshold, or after the last place"
    reason = (
        pl.when(~pl.col("eligible"))
        .then(pl.concat_str(reasons, separator="；", ignore_nulls=True) if reasons else pl.lit(""))
        .when(~pl.col(ADMITTED))
        .then(pl.lit(below))
        .otherwise(pl.lit(""))
    )
    columns: list[pl.Expr] = [pl.col(RANK).cast(pl.String).fill_null("").alias("rank")]
    columns += [pl.col(n).fill_null("") for n in ("id_number", "name") if n in scheme.fields]
    columns += [
        decimal_column(pl.col(f"ind:{i.id}"), unit, places).alias(i.id) for i in scheme.indicators
    ]
    columns += [
        decimal_column(pl.col(f"grp:{g.id}"), unit, places).alias(g.id) for g in scheme.groups
    ]
    columns += [
        decimal_column(pl.col("total"), unit, places).alias("total"),
        pl.col("eligible").cast(pl.String),
        pl.col(ADMITTED).cast(pl.String).alias("admitted"),
        reason.alias("reason"),
    ]
    registration = scheme.selection.registration
    if registration is not None:
        labels = scheme.fields[registration].values or {}
        columns.append(
            pl.when(pl.col(ADMITTED))
            .then(pl.col(registration).replace_strict(labels, default=pl.col(registration)))
            .otherwise(pl.lit(""))
            .alias("registration")
        )
    order = [RANK, "total"] + [n for n in ("id_number", "name") if n in scheme.fields]
    order.append("__content")
    descending = [False, True] + [False] * (len(order) - 2)
    ordered = frame.sort(order, descending=descending, nulls_last=True)
    return ordered.select(columns)


def histogram(frame: pl.DataFrame, unit: int, cutoff: int | None, width: int = 5) -> list[Bin]:
    """Eligible applicants by total, in bins of ``width`` points (multiples of it, so bins of
    several schemes line up); the bin holding the cut-off is marked."""
    eligible = frame.filter(pl.col("eligible"))
    if eligible.height == 0:
        return []
    step = width * unit
    counts = (
        eligible.group_by((pl.col("total") // step).alias("bin"))
        .agg(pl.len().alias("count"))
        .sort("bin")
    )
    cut_bin = cutoff // step if cutoff is not None else None
    low_bin, high_bin = int(counts["bin"].min()), int(counts["bin"].max())  # type: ignore[arg-type]
    found = dict(zip(counts["bin"].to_list(), counts["count"].to_list(), strict=True))
    return [
        Bin(
            low=format_decimal(to_decimal(b * step, unit)),
            high=format_decimal(to_decimal((b + 1) * step, unit)),
            count=int(found.get(b, 0)),
            cutoff=b == cut_bin,
        )
        for b in range(low_bin, high_bin + 1)
    ]


def write_results(
    result: RankResult, output: Path | None, fmt: str, errors_path: Path | None
) -> None:
    """Write the ranked list and the bad rows (each atomically, never over the input)."""
    source = Path(result.summary.input["path"]).resolve()
    for path in (output, errors_path):
        if path is not None and path.resolve() == source:
            raise OutputError("refusing to overwrite the input file", where=str(path))
    same = output is not None and errors_path is not None
    if same and output.resolve() == errors_path.resolve():  # type: ignore[union-attr]
        raise OutputError("--output and --errors name the same file", where=str(output))
    if output is not None:
        ranked = result.ranked
        if fmt == "csv":
            text = [
                c for c in ("id_number", "name", "reason", "registration") if c in ranked.columns
            ]
            ranked = ranked.with_columns(neutralise(text))
        write_atomically(ranked, output, fmt)
        result.summary.output = str(output)
    if errors_path is not None:
        safe = result.errors.with_columns(neutralise(["value", "reason"]))
        write_atomically(safe, errors_path, "csv")
        result.summary.errors = str(errors_path)
