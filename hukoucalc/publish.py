"""The public list (公示名单) of a ranking: the columns a scheme's ``[publish]`` names, Chinese
headers, ID numbers masked (``110105********123X``), the birth year-month they give.

It is made from the ranked list alone (:func:`public_list`), so any column the ranked list
carries (a field, or a column of the file that is no field, such as 单位) can be published; one the
list lacks is left out and named, never an error. It never writes: the CLI does.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from hukoucalc.roles import Roles
from hukoucalc.scheme.model import Publish, Scheme

HEADERS = {"rank": "排名", "name": "姓名", "birth_month": "出生年月", "total": "积分分值"}


@dataclass
class PublicList:
    frame: pl.DataFrame
    missing: list[str]  # columns the scheme names that the ranked list lacks: left out


def mask_id(column: pl.Expr, publish: Publish) -> pl.Expr:
    """An ID number with all but its first ``keep_start`` and last ``keep_end`` characters
    masked (a number too short to keep both is masked whole)."""
    keep = publish.keep_start + publish.keep_end
    length = column.str.len_chars()
    masked = pl.concat_str(
        column.str.slice(0, publish.keep_start),
        pl.lit(publish.mask).repeat_by(length - keep).list.join(""),
        column.str.slice(-publish.keep_end) if publish.keep_end else pl.lit(""),
    )
    whole = pl.lit(publish.mask).repeat_by(length).list.join("")
    return pl.when(length > keep).then(masked).otherwise(whole)


def birth_month(id_number: pl.Expr) -> pl.Expr:
    """The birth year-month an 18-character ID number gives (characters 7-12): 1980-05."""
    return (
        pl.when(id_number.str.len_chars() == 18)
        .then(pl.concat_str(id_number.str.slice(6, 4), pl.lit("-"), id_number.str.slice(10, 2)))
        .otherwise(pl.lit(""))
    )


def public_list(ranked: pl.DataFrame, scheme: Scheme, role: Roles) -> PublicList:
    """The public list of ``ranked`` (the publishable list of :func:`hukoucalc.ranking.rank_file`)
    as ``scheme.publish`` declares it."""
    publish = scheme.publish or Publish()  # absent: the default (kept out of the scheme's hash)
    frame = ranked.filter(pl.col("admitted")) if publish.admitted_only else ranked
    frame = frame.filter(pl.col("rank").is_not_null())
    labels = {n: spec.label for n, spec in scheme.fields.items()}
    labels |= {i.id: i.label for i in scheme.indicators}
    labels |= {g.id: g.label for g in scheme.groups}
    lines = [i.id for i in scheme.indicators] + [g.id for g in scheme.groups]
    columns: list[pl.Expr] = []
    missing: list[str] = []

    used: set[str] = set()

    def add(expr: pl.Expr, name: str) -> None:
        header = publish.headers.get(name) or HEADERS.get(name) or labels.get(name) or name
        if header in used:  # two lines of one label: told apart by their ids
            header = f"{header}（{name}）"
        used.add(header)
        columns.append(expr.alias(header))

    for name in publish.columns:
        field = {"name": role.name, "id_number": role.id_number}.get(name, name)
        if name == "points":
            for line in lines:
                if line in frame.columns:
                    add(pl.col(line), line)
        elif name == "birth_month":
            if role.id_number is not None and role.id_number in frame.columns:
                add(birth_month(pl.col(role.id_number)), name)
            else:
                missing.append(name)
        elif field is None or field not in frame.columns:
            missing.append(name)
        elif name == "id_number" or field == role.id_number:
            add(mask_id(pl.col(field), publish), "id_number")
        else:
            add(pl.col(field), name if name in HEADERS else field)
    return PublicList(frame=frame.select(columns), missing=missing)
