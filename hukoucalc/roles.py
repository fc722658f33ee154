"""Which field of a scheme plays which role: the ID number, the name, the birth date, the sex, the
registration place. Resolved once per scheme; the only module that knows the names of fields.

A scheme may call its fields anything. A role is found, in this order:

1. declared: ``role = "birth_date"`` on the field (the ID number then fixes it);
2. the field of the shared vocabulary (``id_number``, ``name``, ``birth_date``, ``sex``) when it
   has the role's type;
3. by what the scheme says of its fields: the (first) ``id_number`` field, the one ``text`` field,
   the one field age measures are computed from, the one enum with codes ``male`` and ``female``.

The registration place is the field the selection names (``selection.registration``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from hukoucalc.idnumber import FEMALE, MALE
from hukoucalc.kinds import Kind, date, enum, id_number, kind, text
from hukoucalc.scheme.model import AgeMeasure, FieldRole, FieldSpec, Scheme

SEX_CODES = (MALE, FEMALE)
"""The codes of the sex role: an ID number's 17th digit is odd for ``male``."""
ROLE_KINDS: dict[FieldRole, Kind] = {
    "id_number": id_number.KIND,
    "name": text.KIND,
    "birth_date": date.KIND,
    "sex": enum.KIND,
}
"""The kind of field each role takes."""
ROLES: tuple[FieldRole, ...] = tuple(ROLE_KINDS)


@dataclass(frozen=True)
class Roles:
    """The field playing each role in one scheme (None: the scheme has no such field)."""

    id_number: str | None = None
    name: str | None = None
    birth_date: str | None = None
    """the birth date the ID number fixes (filled from it, checked against it)"""
    sex: str | None = None
    """the sex the ID number fixes: an enum of :data:`SEX_CODES`"""
    registration: str | None = None
    """where an admitted applicant's hukou may be registered (published with the list)"""

    @property
    def published(self) -> tuple[str, ...]:
        """The fields published beside each rank, and the order of ties: ID number, name."""
        return tuple(n for n in (self.id_number, self.name) if n is not None)

    @property
    def personal(self) -> tuple[str, ...]:
        """Facts of the person that the ID number fixes: never a change to suggest."""
        return tuple(n for n in (self.birth_date, self.sex) if n is not None)


def is_sex(spec: FieldSpec) -> bool:
    """Whether a field can be the sex role: an enum with the codes male and female."""
    return kind(spec) is enum.KIND and set(SEX_CODES) <= set(spec.values or {})


def fits(role: FieldRole, spec: FieldSpec) -> bool:
    """Whether a field's type fits a role."""
    return is_sex(spec) if role == "sex" else kind(spec) is ROLE_KINDS[role]


_CACHE: dict[int, tuple[Scheme, Roles]] = {}


def roles(scheme: Scheme) -> Roles:
    """The roles of a scheme's fields (resolved once per scheme)."""
    cached = _CACHE.get(id(scheme))
    if cached is None or cached[0] is not scheme:
        ages = sorted({m.birth for m in scheme.measures.values() if isinstance(m, AgeMeasure)})
        cached = _CACHE[id(scheme)] = (scheme, resolve(scheme.fields, ages, scheme))
    return cached[1]


def resolve(
    fields: dict[str, FieldSpec], ages: list[str] | None = None, scheme: Scheme | None = None
) -> Roles:
    """The roles among ``fields`` (of one scheme, or the union of several: a pool's);
    ``ages``: the fields age measures are computed from."""
    found: dict[FieldRole, str | None] = {}
    for role in ROLES:
        declared = [n for n, spec in fields.items() if spec.role == role]
        vocabulary = [role] if role in fields and fits(role, fields[role]) else []
        found[role] = _one(declared) or _one(vocabulary) or _one(_by_type(role, fields, ages))
    registration = scheme.selection.registration if scheme is not None else None
    return Roles(**found, registration=registration)


def _by_type(role: FieldRole, fields: dict[str, FieldSpec], ages: list[str] | None) -> list[str]:
    if role == "birth_date":
        return [n for n in ages or [] if n in fields and fits(role, fields[n])]
    found = [n for n, spec in fields.items() if fits(role, spec) and spec.role is None]
    return found[:1] if role == "id_number" else found  # the first of several ID numbers


def _one(names: Sequence[str]) -> str | None:
    return names[0] if len(names) == 1 else None


_WORK_WORDS = ("insurance", "employ", "work", "社会保险", "社保", "就业", "工作")


def work_periods(scheme: Scheme) -> tuple[str, ...]:
    """The periods fields of insurance or employment (none before the age of 16): by their id or
    label (``social_insurance``, ``employment``, 社会保险, 就业)."""
    return tuple(
        n
        for n, spec in scheme.fields.items()
        if kind(spec).spans and any(w in f"{n} {spec.label}".lower() for w in _WORK_WORDS)
    )
