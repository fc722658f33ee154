"""Field kinds: everything about a field type in one place, as OpenFisca's ``VALUE_TYPES``.

One module a type (``text``, ``id_number``, ``date``, ``bool``, ``int``, ``decimal``, ``enum``,
``periods``, ``events``), each with its :class:`~.base.Kind`: the applicant model's type, the
JSON types it takes, its value when left out, how a batch keeps it, its broken cell for
``synth --dirty`` and how ``scheme show`` names it. Adding a type touches this package.
"""

from __future__ import annotations

from hukoucalc.kinds import (
    boolean,
    date,
    decimals,
    enum,
    events,
    id_number,
    integer,
    periods,
    text,
)
from hukoucalc.kinds.base import Kind
from hukoucalc.scheme.model import FieldSpec

KINDS: dict[str, Kind] = {
    k.name: k
    for k in (
        text.KIND,
        id_number.KIND,
        date.KIND,
        boolean.KIND,
        integer.KIND,
        decimals.KIND,
        enum.KIND,
        periods.KIND,
        events.KIND,
    )
}


def kind(spec: FieldSpec) -> Kind:
    """The kind of a field."""
    return KINDS[spec.type]


__all__ = ["KINDS", "Kind", "kind"]
