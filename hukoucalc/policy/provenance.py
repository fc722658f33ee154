"""Where a scheme's numbers come from: lines that still cite a placeholder instead of a policy."""

from __future__ import annotations

from hukoucalc.policy.finding import Finding
from hukoucalc.scheme.checks import citations
from hukoucalc.scheme.model import Scheme

PLACEHOLDER = "placeholder"
"""The source id that `schemes/template.toml` and `scheme new` give every value a city must set."""


def placeholders(scheme: Scheme) -> list[Finding]:
    """One warning naming every key that cites ``[sources.placeholder]``: values that are not
    any city's policy yet (a new scheme's starting values, or a gap a bundled scheme marks)."""
    keys = [at for at, ref in citations(scheme) if ref == PLACEHOLDER]
    if not keys:
        return []
    shown = ", ".join(keys[:6]) + (f" and {len(keys) - 6} more" if len(keys) > 6 else "")
    lines = "line cites" if len(keys) == 1 else "lines cite"
    return [
        Finding(
            "warning",
            "placeholder-values",
            f"sources.{PLACEHOLDER}",
            f"{len(keys)} {lines} the placeholder source, not a policy: {shown}. "
            "Replace each value with the city's own figure and cite its document.",
        )
    ]
