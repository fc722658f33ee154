"""hukoucalc: exact points and rankings for points-based hukou settlement (积分落户)."""

from __future__ import annotations

__version__ = "0.1.0"
__all__ = ["__version__"]
