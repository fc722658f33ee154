"""Scoring applicant files: choose the schemes, validate the record for each, score it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from hukoucalc.applicant import META_KEYS, read_json, validate_applicant
from hukoucalc.errors import ApplicantError, HukoucalcError
from hukoucalc.scheme.load import DEFAULT_SCHEME, LoadedScheme, load_scheme
from hukoucalc.scorecard import Scorecard, score_record


def score_file(path: Path, scheme_refs: list[str], *, today: dt.date) -> list[Scorecard]:
    """Scorecards for the applicant in ``path`` under each scheme (or the file's own scheme);
    ``today`` decides validity (a birth date after it is refused)."""
    data = read_json(path)
    loaded = [load_scheme(ref) for ref in scheme_refs] or [_own_scheme(data, path)]
    known = {name for s in loaded for name in s.scheme.fields}
    cards = []
    for scheme in loaded:
        # with several schemes, a key another scheme declares is not a typo for this one
        own = {k: v for k, v in data.items() if k in scheme.scheme.fields or k in META_KEYS}
        extra = {k: v for k, v in data.items() if k not in known and k not in META_KEYS}
        record = validate_applicant(scheme.scheme, own | extra, where=str(path), today=today)
        cards.append(score_record(scheme, record, applicant=str(path)))
    return cards


def load_applicant(
    path: Path, scheme_ref: str | None, *, today: dt.date
) -> tuple[LoadedScheme, dict[str, Any]]:
    """One applicant file under one scheme (``scheme_ref``, else the file's own): the scheme and
    the validated record."""
    data = read_json(path)
    loaded = load_scheme(scheme_ref) if scheme_ref else _own_scheme(data, path)
    return loaded, validate_applicant(loaded.scheme, data, where=str(path), today=today)


def _own_scheme(data: dict[str, Any], path: Path) -> LoadedScheme:
    """The scheme the file names in its "scheme" key (a path is relative to the file)."""
    ref = data.get("scheme", DEFAULT_SCHEME)
    if not isinstance(ref, str):
        raise ApplicantError("key 'scheme': a scheme name or path is expected", where=str(path))
    beside = path.parent / ref
    if ref.endswith(".toml") and beside.is_file():
        ref = str(beside)
    try:
        return load_scheme(ref)
    except HukoucalcError as exc:
        exc.message = f"key 'scheme': {exc.render()}"
        exc.where = str(path)
        raise
