"""The column names of the batch frames, in one place.

A scored frame has one column per indicator, group, gate and ordering key, each named by a
prefix and the scheme's id (``ind:<id>``, ``grp:<id>``, ``gate:<id>``, ``key:<measure>``), plus
the fixed columns below. The prefixes keep a scheme's ids from clashing with each other and with
the fixed names; nothing outside this module spells them.
"""

from __future__ import annotations

ROW = "__row"  # the input's row number, added by the typing (batch.fields)
TODAY = "~today"  # the day that decides validity: a column the typing adds (batch.fields)
ELIGIBLE = "eligible"
SUBTOTAL = "subtotal"
TOTAL = "total"
QUALIFIED = "qualified"
RANK = "rank"
ADMITTED = "admitted"


def indicator_col(ident: str) -> str:
    """The integer points (units of 1/D point) of indicator ``ident``."""
    return f"ind:{ident}"


def group_col(ident: str) -> str:
    """The integer points (units of 1/D point) of group ``ident``, after its cap."""
    return f"grp:{ident}"


def gate_col(ident: str) -> str:
    """True where gate ``ident`` passes."""
    return f"gate:{ident}"


def key_col(measure: str) -> str:
    """The value of the ordering key over ``measure`` (``threshold_then_keys`` selection)."""
    return f"key:{measure}"
