"""Applicant records: a Pydantic model built from the fields a scheme declares.

One applicant is a JSON object whose keys are the scheme's fields (plus an optional ``"scheme"``
naming the scheme to use, and a free ``"comment"``). Unknown keys are refused, so a misspelt
field is never silently ignored.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import Annotated, Any, ClassVar

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    create_model,
    model_validator,
)

from hukoucalc import idnumber
from hukoucalc.errors import ApplicantError, InputFileError
from hukoucalc.kinds import kind
from hukoucalc.kinds.date import iso_date
from hukoucalc.kinds.integer import INT_DIGITS
from hukoucalc.kinds.jsonvalue import REQUIRED, json_value
from hukoucalc.plausible import record_error
from hukoucalc.roles import SEX_CODES, Roles, roles
from hukoucalc.scheme.model import AgeMeasure, ByField, FieldSpec, Scheme
from hukoucalc.textfile import read_text

__all__ = [  # iso_date: the date rule of a record, for the command line's dates too
    "FUTURE_BIRTH",
    "META_KEYS",
    "applicant_model",
    "iso_date",
    "read_json",
    "validate_applicant",
]
META_KEYS = ("scheme", "comment")
FUTURE_BIRTH = "birth date {} is in the future"  # a birth date an age is computed from


def _field_type(spec: FieldSpec) -> Any:
    """The model's type of a field: its kind's, the JSON type judged first, as a JSON Lines
    batch judges it (:mod:`.kinds.jsonvalue`)."""
    return Annotated[kind(spec).model(spec), BeforeValidator(partial(json_value, spec))]


class _ApplicantBase(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    scheme: str | None = None
    comment: str | None = None

    @model_validator(mode="after")
    def _id_agrees(self) -> _ApplicantBase:
        values, role = self.__dict__, type(self).hukou_roles
        number = values.get(role.id_number) if role.id_number is not None else None
        if number is None:
            return self
        born = values.get(role.birth_date) if role.birth_date is not None else None
        if isinstance(born, dt.date) and born != idnumber.birth_date(number):
            raise ValueError(
                f"field '{role.birth_date}': {born} disagrees with the ID number "
                f"({idnumber.birth_date(number)})"
            )
        sex = values.get(role.sex) if role.sex is not None else None
        if sex in SEX_CODES and sex != idnumber.sex(number):
            raise ValueError(f"field '{role.sex}': '{sex}' disagrees with the ID number")
        return self

    hukou_roles: ClassVar[Roles] = Roles()  # set on each scheme's model


_MODELS: dict[int, tuple[Scheme, type[_ApplicantBase]]] = {}


def applicant_model(scheme: Scheme) -> type[_ApplicantBase]:
    """The Pydantic model of an applicant record under this scheme (built once per scheme)."""
    cached = _MODELS.get(id(scheme))
    if cached is None or cached[0] is not scheme:
        cached = _MODELS[id(scheme)] = (scheme, _build_model(scheme))
    return cached[1]


def _build_model(scheme: Scheme) -> type[_ApplicantBase]:
    fields: dict[str, Any] = {}
    for name, spec in scheme.fields.items():
        typed = _field_type(spec)
        described = (
            Field(description=spec.label)
            if spec.required
            else Field(kind(spec).default(spec), description=spec.label)
        )
        fields[name] = (typed if spec.required else typed | None, described)
    model = create_model(f"Applicant_{scheme.scheme.id}", __base__=_ApplicantBase, **fields)
    model.hukou_roles = roles(scheme)
    return model


def read_json(path: Path) -> dict[str, Any]:
    """A JSON object from a file, decimals read exactly; InputFileError otherwise."""
    text = read_text(path, encoding="utf-8-sig")
    try:
        data = json.loads(
            text, parse_float=Decimal, parse_int=_json_int, object_pairs_hook=_json_object
        )
    except json.JSONDecodeError as exc:
        raise InputFileError(
            f"not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})", where=str(path)
        ) from None
    except _Unreadable as exc:
        raise InputFileError(str(exc), where=str(path)) from None
    except RecursionError:
        raise InputFileError("arrays or objects nested too deeply", where=str(path)) from None
    if not isinstance(data, dict):
        raise InputFileError("an applicant file holds one JSON object {...}", where=str(path))
    return data


class _Unreadable(Exception):
    """A JSON file that parses but cannot be taken as written (a key twice, a huge number)."""


def _json_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """An object whose keys are all different: a second value for a key is refused, not kept."""
    data: dict[str, Any] = {}
    for key, value in pairs:
        if key in data:
            raise _Unreadable(f"key {key!r} appears twice in one object")
        data[key] = value
    return data


def _json_int(text: str) -> int:
    digits = len(text.lstrip("-"))
    if digits > sys.get_int_max_str_digits():
        raise _Unreadable(f"a whole number of {digits} digits (at most {INT_DIGITS} in a field)")
    return int(text)


def validate_applicant(
    scheme: Scheme, data: dict[str, Any], *, where: str, today: dt.date
) -> dict[str, Any]:
    """The normalised record (field -> Python value) or ApplicantError naming each bad field;
    ``today`` decides validity (a birth date after it is refused)."""
    model = applicant_model(scheme)
    try:
        applicant = model.model_validate(data, context={"today": today})
    except ValidationError as exc:
        raise ApplicantError(_describe(exc, scheme), where=where) from None
    record = {name: getattr(applicant, name) for name in scheme.fields}
    _derive_from_id(scheme, record)
    births = sorted({m.birth for m in scheme.measures.values() if isinstance(m, AgeMeasure)})
    for name in _needed_births(scheme, record, births):
        raise ApplicantError(
            f"field '{name}' ({scheme.fields[name].label}): needed for age: "
            "give it, or a valid ID number",
            where=where,
        )
    for name in births:
        born = record.get(name)
        if born is not None and born > today:
            label = scheme.fields[name].label
            raise ApplicantError(
                f"field '{name}' ({label}): {FUTURE_BIRTH.format(born)}", where=where
            )
    for name in looked_up(scheme):
        if record.get(name) is None:
            raise ApplicantError(
                f"field '{name}' ({scheme.fields[name].label}): {needed_for_lookup(scheme, name)}",
                where=where,
            )
    implausible = record_error(scheme, record, today)
    if implausible is not None:
        name, reason = implausible
        raise ApplicantError(f"field '{name}' ({scheme.fields[name].label}): {reason}", where=where)
    return record


def _needed_births(scheme: Scheme, record: dict[str, Any], births: list[str]) -> list[str]:
    """The date fields of ages the record leaves out where the age decides something (a line
    that applies, a gate, a condition that turns on it); an age that decides nothing is not
    asked for (its line does not apply, another item of an all/any decides)."""
    if all(record.get(name) is not None for name in births):
        return []
    from hukoucalc.engine.compile import compile_scheme  # noqa: PLC0415
    from hukoucalc.engine.scalar import missing_ages  # noqa: PLC0415

    return missing_ages(compile_scheme(scheme, origin=scheme.scheme.id), record)


def _derive_from_id(scheme: Scheme, record: dict[str, Any]) -> None:
    """Fill the birth date and the sex that the ID number fixes, where not given."""
    role = roles(scheme)
    number = record.get(role.id_number) if role.id_number is not None else None
    if not number:
        return
    if role.birth_date is not None and record.get(role.birth_date) is None:
        record[role.birth_date] = idnumber.birth_date(number)
    if role.sex is not None and record.get(role.sex) is None:
        record[role.sex] = idnumber.sex(number)


_LOOKED_UP: dict[int, tuple[Scheme, tuple[str, ...]]] = {}


def looked_up(scheme: Scheme) -> tuple[str, ...]:
    """The fields a by-field value (``{ field = ..., values = {...} }``) is looked up by that
    may be absent (optional, no default): a record without one is refused, never read as the
    table's default (an age limit of 0 for a sex not given)."""
    cached = _LOOKED_UP.get(id(scheme))
    if cached is None or cached[0] is not scheme:
        names: set[str] = set()
        _by_field_names(scheme, names)
        optional = (n for n in sorted(names) if n in scheme.fields)
        found = tuple(n for n in optional if _may_be_absent(scheme.fields[n]))
        cached = _LOOKED_UP[id(scheme)] = (scheme, found)
    return cached[1]


def needed_for_lookup(scheme: Scheme, name: str) -> str:
    """Why a record without the field is refused, and how to give it."""
    role = roles(scheme)
    derivable = role.id_number is not None and name in role.personal
    return "needed to look a value up by it: give it" + (", or a valid ID number" * derivable)


def _may_be_absent(spec: FieldSpec) -> bool:
    return not spec.required and spec.default is None


def _by_field_names(node: object, found: set[str]) -> None:
    if isinstance(node, ByField):
        found.add(node.field)
    elif isinstance(node, BaseModel):
        for value in node.__dict__.values():
            _by_field_names(value, found)
    elif isinstance(node, list | tuple):
        for value in node:
            _by_field_names(value, found)
    elif isinstance(node, dict):
        for value in node.values():
            _by_field_names(value, found)


def _describe(exc: ValidationError, scheme: Scheme) -> str:
    lines = []
    for err in exc.errors():
        loc = err["loc"]
        name = str(loc[0]) if loc else ""
        spec = scheme.fields.get(name)
        if err["type"] == "extra_forbidden":
            lines.append(f"field '{name}': unknown field for scheme '{scheme.scheme.id}' (a typo?)")
            continue
        message = err["msg"].removeprefix("Value error, ")
        if err["type"] == "missing":
            message = REQUIRED
        elif err["type"] == "literal_error" and spec is not None and spec.values:
            allowed = ", ".join(f"{code} ({label})" for code, label in spec.values.items())
            message = f"{err['input']!r} is not one of: {allowed}"
        elif not err["type"].startswith("value_error") and "input" in err:
            given = err["input"]
            message = f"{message}, got {str(given) if isinstance(given, Decimal) else repr(given)}"
        label = f" ({spec.label})" if spec is not None else ""
        at = "".join(f"[{step}]" for step in loc[1:] if isinstance(step, int))
        lines.append(f"field '{name}'{at}{label}: {message}" if name else message)
    lines = list(dict.fromkeys(lines))
    return lines[0] if len(lines) == 1 else f"{len(lines)} problems:\n  " + "\n  ".join(lines)
