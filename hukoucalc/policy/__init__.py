"""``scheme check``: a scheme against the national rules (as data, ``national.toml``) and a linter.

>>> from hukoucalc.scheme.load import load_scheme
>>> from hukoucalc.policy import check_scheme
>>> [f.code for f in check_scheme(load_scheme("template")) if f.severity == "error"]
[]
"""

from __future__ import annotations

from decimal import Decimal

from hukoucalc.policy.finding import Finding, Severity, ordered
from hukoucalc.policy.lint import DEFAULT_CLIFF, lint
from hukoucalc.policy.national import check_national, class_of
from hukoucalc.policy.provenance import placeholders
from hukoucalc.policy.rules import SizeClass, national_rules
from hukoucalc.scheme.load import LoadedScheme

__all__ = [
    "DEFAULT_CLIFF",
    "Finding",
    "Severity",
    "SizeClass",
    "check_scheme",
    "class_of",
    "national_rules",
]


def check_scheme(loaded: LoadedScheme, *, cliff: Decimal = DEFAULT_CLIFF) -> list[Finding]:
    """Every finding about a loaded scheme: errors first, then warnings, then notes.

    ``cliff``: the points one more month may add to a line before it is reported as a cliff.
    """
    scheme = loaded.scheme
    return ordered(check_national(scheme) + lint(scheme, cliff=cliff) + placeholders(scheme))
