"""One finding of ``scheme check``: a severity, a stable code, the key it concerns, a message."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning", "info"]

SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")


@dataclass(frozen=True)
class Finding:
    """``code`` is a stable kebab-case id (documented in docs/schemes.md, "Checking a scheme");
    ``key`` is the scheme key path in the loader's style (``indicators[housing].parts[own].rule``).
    """

    severity: Severity
    code: str
    key: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {
            "severity": self.severity,
            "code": self.code,
            "key": self.key,
            "message": self.message,
        }


def ordered(findings: list[Finding]) -> list[Finding]:
    """Errors first, then warnings, then notes; otherwise in the order they were found."""
    return sorted(findings, key=lambda f: SEVERITIES.index(f.severity))
