"""Records that type-check but cannot be true: a birth date after the scheme's accrual cut-off
(``dates.as_of``), a period before the birth date. (Insurance or employment before the age of 16
is not checked yet: bundled scenarios and synthetic pools hold such periods; see
:func:`hukoucalc.roles.work_periods`.)

One wording for both paths: :func:`batch_errors` marks the bad rows of a typed batch (``rank``),
:func:`record_error` refuses one applicant (``score``), with the same reason.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from hukoucalc.kinds import kind
from hukoucalc.periods import format_month, month_of_date
from hukoucalc.roles import roles
from hukoucalc.scheme.model import Scheme

BORN_AFTER = "birth date {born} is after the scheme's cut-off {cutoff}"
BEFORE_BIRTH = "a period from {start} starts before the birth date {born}"


def period_fields(scheme: Scheme) -> list[str]:
    return [n for n, spec in scheme.fields.items() if kind(spec).spans]


def record_error(scheme: Scheme, record: dict[str, Any], today: dt.date) -> tuple[str, str] | None:
    """The first implausible field of a validated record and why, else None (a birth date
    after ``today`` is refused as such, elsewhere)."""
    role = roles(scheme)
    born = record.get(role.birth_date) if role.birth_date else None
    if not isinstance(born, dt.date):
        return None
    cutoff = scheme.dates.get("as_of")
    if cutoff is not None and cutoff < born <= today:
        return role.birth_date or "", BORN_AFTER.format(born=born, cutoff=cutoff)
    first = month_of_date(born)
    for name in period_fields(scheme):
        starts = [start for start, _ in record.get(name) or ()]
        if not starts:
            continue
        start = min(starts)
        if start < first:
            return name, BEFORE_BIRTH.format(start=format_month(start), born=born)
    return None
