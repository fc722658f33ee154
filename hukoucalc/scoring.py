"""Scoring applicant files: choose the schemes, validate the record for each, score it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hukoucalc.applicant import META_KEYS, read_json, validate_applicant
from hukoucalc.errors import ApplicantError
from hukoucalc.scheme.load import DEFAULT_SCHEME, load_scheme
from hukoucalc.scorecard import Scorecard, score_record


def score_file(path: Path, scheme_refs: list[str]) -> list[Scorecard]:
    """Scorecards for the applicant in ``path`` under each scheme (or the file's own scheme)."""
    data = read_json(path)
    refs = scheme_refs or [_scheme_key(data, path)]
    loaded = [load_scheme(ref) for ref in refs]
    known = {name for s in loaded for name in s.scheme.fields}
    cards = []
    for scheme in loaded:
        # with several schemes, a key another scheme declares is not a typo for this one
        own = {k: v for k, v in data.items() if k in scheme.scheme.fields or k in META_KEYS}
        extra = {k: v for k, v in data.items() if k not in known and k not in META_KEYS}
        record = validate_applicant(scheme.scheme, own | extra, where=str(path))
        cards.append(score_record(scheme, record, applicant=str(path)))
    return cards


def _scheme_key(data: dict[str, Any], path: Path) -> str:
    ref = data.get("scheme", DEFAULT_SCHEME)
    if not isinstance(ref, str):
        raise ApplicantError("'scheme' must be a scheme name or path", where=str(path))
    return ref
