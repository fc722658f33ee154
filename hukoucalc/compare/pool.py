"""One applicant pool read once for several schemes, and scored and selected under each.

The file is read and typed once with the union of the schemes' fields. A field that two schemes
declare differently (Beijing 2018 and 2020 have different education codes) is typed once more
under each scheme that differs, so each scheme sees its own values. A row that is bad under any
of the schemes (or repeats an ID number) is left out of every ranking, so all schemes rank the
same applicants, exactly as ``rank`` validates them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import polars as pl

from hukoucalc.batch.fields import Typed, type_batch
from hukoucalc.batch.names import ROW
from hukoucalc.batch.read import RawBatch, read_batch
from hukoucalc.batch.score import score_batch
from hukoucalc.batch.select import Selected, select
from hukoucalc.engine.compile import Compiled, compile_scheme
from hukoucalc.engine.reads import fields_read
from hukoucalc.errors import InputFileError, UsageError, option
from hukoucalc.ranking import keep_valid
from hukoucalc.roles import resolve, roles
from hukoucalc.scheme.load import LoadedScheme, bundled_dir
from hukoucalc.scheme.model import AgeMeasure, FieldSpec, Scheme

Progress = Callable[[str], None]
_SAME = {"label", "help", "required"}  # what may differ between two schemes' specs of a field


@dataclass
class Ranked:
    """One scheme's results over the pool."""

    loaded: LoadedScheme
    compiled: Compiled
    typed: pl.DataFrame  # the valid rows' typed columns under this scheme
    chosen: Selected  # ROW, ind:*, grp:*, gate:*, eligible, total, qualified, rank, admitted


@dataclass
class Pool:
    path: Path
    quota: int | None  # the quota given to every scheme, if any
    raw: RawBatch
    errors: pl.DataFrame  # row, column, value, reason
    invalid: int
    fields: dict[str, FieldSpec]  # the union of the schemes' fields (first declaration wins)
    ranked: list[Ranked]


def rank_pool(
    path: Path,
    schemes: list[LoadedScheme],
    *,
    today: dt.date,
    quota: int | None = None,
    encoding: str | None = None,
    strict: bool = False,
    progress: Progress | None = None,
) -> Pool:
    """Read ``path`` once; validate it under every scheme (``today`` decides validity); score
    and select under each."""
    step = progress or (lambda _: None)
    if len(schemes) < 2:
        raise UsageError(
            f"compare needs at least two {option('schemes')} options (the first is the baseline)"
        )
    _check_distinct(schemes)
    compiled = [compile_scheme(s.scheme, origin=s.origin) for s in schemes]
    union, differs = _union([s.scheme for s in schemes])
    step("reading")
    # read with no field required: a missing column is reported below with the scheme needing it
    optional = {n: spec.model_copy(update={"required": False}) for n, spec in union.items()}
    raw = read_batch(
        path,
        _with_fields(schemes[0].scheme, optional, schemes),
        encoding=encoding,
        unknown_columns=partial(_not_fields_of_any, schemes),
    )
    _check_columns(path, raw, schemes, compiled)
    step("validating")
    typed = type_batch(raw.frame, _with_fields(schemes[0].scheme, union, schemes), today=today)
    own: list[Typed | None] = []
    errors = [typed.errors]
    for loaded, names in zip(schemes, differs, strict=True):
        if not names:
            own.append(None)
            continue
        fields = {n: loaded.scheme.fields[n] for n in names}
        again = type_batch(
            raw.frame.select(ROW, *names), _with_fields(loaded.scheme, fields, []), today=today
        )
        errors.append(again.errors)
        own.append(again)
    typed.errors = raw.with_cell_errors(
        pl.concat(errors).unique([ROW, "column"], keep="first", maintain_order=True)
    )
    valid, errors_out, invalid = keep_valid(typed, resolve(union).id_number, path, strict=strict)
    ranked: list[Ranked] = []
    for loaded, comp, mine in zip(schemes, compiled, own, strict=True):
        step(f"scoring under {loaded.id}")
        frame, widths = valid.frame, dict(valid.widths)
        if mine is not None:
            swapped = [c for c in mine.frame.columns if c != ROW]
            frame = frame.drop(swapped, strict=False).join(
                mine.frame.select(ROW, *swapped), on=ROW, how="left"
            )
            widths.update(mine.widths)
        scored = score_batch(Typed(frame=frame, widths=widths, errors=valid.errors), comp)
        chosen = select(scored.frame, loaded.scheme.selection, comp.unit, quota=quota)
        ranked.append(Ranked(loaded=loaded, compiled=comp, typed=frame, chosen=chosen))
    return Pool(
        path=path,
        quota=quota,
        raw=raw,
        errors=errors_out,
        invalid=invalid,
        fields=union,
        ranked=ranked,
    )


def _union(schemes: list[Scheme]) -> tuple[dict[str, FieldSpec], list[list[str]]]:
    """The union of the fields (required if any scheme requires it), and for each scheme the
    fields it declares differently from the union's (first) declaration."""
    union: dict[str, FieldSpec] = {}
    differs: list[list[str]] = []
    for scheme in schemes:
        mine: list[str] = []
        for name, spec in scheme.fields.items():
            first = union.get(name)
            if first is None:
                union[name] = spec
            elif spec.model_dump(exclude=_SAME) != first.model_dump(exclude=_SAME):
                mine.append(name)
            elif spec.required and not first.required:
                union[name] = first.model_copy(update={"required": True})
        differs.append(mine)
    return union, differs


def _with_fields(base: Scheme, fields: dict[str, FieldSpec], schemes: list[LoadedScheme]) -> Scheme:
    """A scheme to read and type with: ``base`` with these fields, and the age measures of all
    ``schemes`` (so a birth date is checked wherever one of them needs it)."""
    ages = {
        f"age{k}_{name}": m
        for k, s in enumerate(schemes)
        for name, m in s.scheme.measures.items()
        if isinstance(m, AgeMeasure) and m.birth in fields
    }
    return base.model_copy(update={"fields": fields, "measures": ages})


def scheme_ref(loaded: LoadedScheme) -> str:
    """How to name ``loaded`` on a command line: its bundled name, or its file."""
    return (
        loaded.id if Path(loaded.origin) == bundled_dir() / f"{loaded.id}.toml" else loaded.origin
    )


def _synth_hint(schemes: list[LoadedScheme]) -> str:
    names = " ".join(f"-s {scheme_ref(s)}" for s in schemes)
    return f"`hukoucalc synth {names} ...` writes a pool with every scheme's fields"


def _check_distinct(schemes: list[LoadedScheme]) -> None:
    """Each scheme once: two with one id would make columns and movers that cannot be told apart."""
    seen: dict[str, LoadedScheme] = {}
    for loaded in schemes:
        first = seen.setdefault(loaded.id, loaded)
        if first is loaded:
            continue
        same = "the same scheme" if first.sha256 == loaded.sha256 else "two schemes with one id"
        raise UsageError(
            f"{option('schemes')} {scheme_ref(first)} and {option('schemes')} {scheme_ref(loaded)} "
            f"are {same} "
            f"('{loaded.id}'): compare each scheme once, and give a draft its own [scheme] id"
        )


def _not_fields_of_any(schemes: list[LoadedScheme], unknown: list[str]) -> str:
    """The error for columns no compared scheme declares (not a field missing from one)."""
    ids = ", ".join(s.id for s in schemes)
    return (
        f"column(s) {', '.join(unknown)} are fields of none of the compared schemes ({ids}); "
        f"{_synth_hint(schemes)}"
    )


def _check_columns(
    path: Path, raw: RawBatch, schemes: list[LoadedScheme], compiled: list[Compiled]
) -> None:
    """Every field a scheme's rules read, and every field it requires, is a column of the pool
    (a birth date may come from the ID number)."""
    header = set(raw.columns)
    missing: list[str] = []
    for loaded, comp in zip(schemes, compiled, strict=True):
        fields = loaded.scheme.fields
        needed = fields_read(comp) | {n for n, spec in fields.items() if spec.required}
        role = roles(loaded.scheme)
        if role.id_number in header and role.birth_date is not None:
            needed.discard(role.birth_date)
        lacking = sorted(needed - header)
        if lacking:
            missing.append(f"scheme '{loaded.id}' needs {', '.join(lacking)}")
    if missing:
        raise InputFileError(
            "the pool lacks column(s) that a scheme needs: "
            + "; ".join(missing)
            + f" ({_synth_hint(schemes)})",
            where=str(path),
        )
