"""Two schemes compared parameter by parameter: what was added, removed or changed.

Every key of the scheme language is compared by value (``10.50`` equals ``10.5``), so the
result is the complete list of differences, each named by its key path in the loader's style
(``indicators[housing].parts[own].rule.points``). List items with an ``id`` (indicators, parts,
groups, gates) are matched by id and cut-offs by year, never by position; other lists of tables
(bands, tiers, selection keys, conditions) are compared item by item when they have the same
length, and as a whole otherwise; lists of names (``serves``, ``of``, ``in``) as a whole. A rule
or measure whose ``kind`` changes is one change of the whole table.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from hukoucalc.scheme.dump import model_data
from hukoucalc.scheme.load import plain_data
from hukoucalc.scheme.model import Scheme

ChangeKind = Literal["added", "removed", "changed"]

SECTIONS: dict[str, str] = {
    "scheme": "metadata",
    "dates": "dates",
    "indicators": "indicators",
    "groups": "groups",
    "gates": "gates",
    "total": "total",
    "selection": "selection",
    "cutoffs": "cut-offs",
    "fields": "fields",
    "measures": "measures",
    "sources": "sources",
}
"""The top-level keys of a scheme in the order a diff shows them, with their section titles."""

PROVENANCE = frozenset({"source", "confidence", "note", "label", "title", "description", "help"})
"""Keys that say where a rule comes from or what it is called, not what it does: ``scheme diff``
lists their changes only on request."""

_BY_NAME = frozenset({"fields", "measures", "dates"})
"""Sections that are tables of items keyed by their names."""

_MATCH_BY = {"cutoffs": "year"}
"""Lists of tables matched by a key other than ``id``."""


class Change(BaseModel):
    """One difference: ``old`` is absent (None) when added, ``new`` when removed."""

    model_config = ConfigDict(frozen=True)

    kind: ChangeKind
    section: str
    key: str
    label: str = ""
    old: Any = None
    new: Any = None

    @property
    def provenance(self) -> bool:
        """A change of a source, a confidence tag, a note or a label (see :data:`PROVENANCE`);
        not an item of a table keyed by name that happens to be named so (``fields.title``)."""
        parts = self.key.split(".")
        if self.section in _BY_NAME and len(parts) == 2:
            return False
        return self.section == "sources" or parts[-1] in PROVENANCE


class SchemeDiff(BaseModel):
    """The differences from scheme ``a`` to scheme ``b``, in the order of :data:`SECTIONS`."""

    model_config = ConfigDict(frozen=True)

    a: str
    b: str
    changes: list[Change]

    @property
    def identical(self) -> bool:
        return not self.changes

    def sections(self, *, provenance: bool = True) -> dict[str, list[Change]]:
        """The changes grouped by section, in the order of :data:`SECTIONS`; without
        ``provenance``, only those that change what the scheme does."""
        out: dict[str, list[Change]] = {}
        for change in self.changes:
            if provenance or not change.provenance:
                out.setdefault(change.section, []).append(change)
        return out

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready document; numbers are exact decimal strings, dates ISO text."""
        return {
            "a": self.a,
            "b": self.b,
            "identical": self.identical,
            "changes": [plain_data(change.model_dump()) for change in self.changes],
        }


def diff_schemes(a: Scheme, b: Scheme) -> SchemeDiff:
    """Every parameter that differs from ``a`` to ``b``."""
    walk = _Walk()
    for section in [*SECTIONS, *(k for k in Scheme.model_fields if k not in SECTIONS)]:
        walk.section = section
        walk.value(section, getattr(a, section), getattr(b, section), ())
    return SchemeDiff(a=a.scheme.id, b=b.scheme.id, changes=walk.changes)


class _Walk:
    def __init__(self) -> None:
        self.section = ""
        self.changes: list[Change] = []

    def add(self, kind: ChangeKind, key: str, labels: tuple[str, ...], old: Any, new: Any) -> None:
        self.changes.append(
            Change(
                kind=kind,
                section=self.section,
                key=key,
                label=" › ".join(labels),
                old=_data(old),
                new=_data(new),
            )
        )

    def value(self, key: str, old: Any, new: Any, labels: tuple[str, ...]) -> None:
        if old == new:
            return
        if old is None or new is None:
            labels = (*labels, *_label(key, old if new is None else new))
            self.add("added" if old is None else "removed", key, labels, old, new)
        elif type(old) is not type(new) and not (_number(old) and _number(new)):
            self.add("changed", key, (*labels, *_label(key, new)), old, new)  # e.g. a rule's kind
        elif isinstance(old, BaseModel):
            labels = (*labels, *_label(key, new))
            for name, field in type(old).model_fields.items():
                sub = f"{key}.{field.alias or name}"
                self.value(sub, getattr(old, name), getattr(new, name), labels)
        elif isinstance(old, dict):
            for name in [*old, *(n for n in new if n not in old)]:
                self.value(f"{key}.{name}", old.get(name), new.get(name), labels)
        elif isinstance(old, list) and _tables(old) and _tables(new):
            self.items(key, old, new, labels)
        else:
            self.add("changed", key, labels, old, new)

    def items(self, key: str, old: list[Any], new: list[Any], labels: tuple[str, ...]) -> None:
        by = _MATCH_BY.get(key, "id")
        if all(hasattr(item, by) for item in (*old, *new)):
            olds = {getattr(item, by): item for item in old}
            news = {getattr(item, by): item for item in new}
            for ident in [*olds, *(i for i in news if i not in olds)]:
                self.value(f"{key}[{ident}]", olds.get(ident), news.get(ident), labels)
        elif len(old) == len(new):
            for n, (x, y) in enumerate(zip(old, new, strict=True)):
                self.value(f"{key}[{n}]", x, y, labels)
        else:
            self.add("changed", key, labels, old, new)


def _data(value: Any) -> Any:
    """A value as plain data; a whole table with only the keys its file would need."""
    if isinstance(value, BaseModel):
        return model_data(value)
    if isinstance(value, list):
        return [_data(item) for item in value]
    if isinstance(value, dict):
        return {key: _data(item) for key, item in value.items()}
    return value


def _tables(items: list[Any]) -> bool:
    return bool(items) and all(isinstance(item, BaseModel) for item in items)


def _number(value: Any) -> bool:
    return isinstance(value, int | Decimal) and not isinstance(value, bool)


def _label(key: str, value: Any) -> tuple[str, ...]:
    """The label a scheme gives the table at ``key`` (a source's title), if any."""
    if not isinstance(value, BaseModel) or key == "scheme":
        return ()
    text = getattr(value, "title" if key.startswith("sources.") else "label", None)
    return (text,) if isinstance(text, str) and text else ()
