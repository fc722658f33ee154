"""Applicant records: a Pydantic model built from the fields a scheme declares.

One applicant is a JSON object whose keys are the scheme's fields (plus an optional ``"scheme"``
naming the scheme to use, and a free ``"comment"``). Unknown keys are refused, so a misspelt
field is never silently ignored.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import re
import sys
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, ClassVar, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    ValidationError,
    ValidationInfo,
    WithJsonSchema,
    create_model,
    model_validator,
)

from hukoucalc import idnumber, periods
from hukoucalc.errors import ApplicantError, InputFileError
from hukoucalc.scheme.model import AgeMeasure, FieldSpec, Scheme
from hukoucalc.textfile import NOT_TEXT, is_text, read_text, shown
from hukoucalc.words import FALSE, TRUE, YES_NO, truth

META_KEYS = ("scheme", "comment")
# Value rules shared with the batch parsers (hukoucalc.batch.fields), so that a value is judged
# the same in a JSON file and in a CSV cell.
INT_DIGITS = 15  # a whole number has at most 15 digits (a CSV cell is cast to a 64-bit integer)
TOO_LONG = f"has more than {INT_DIGITS} digits"
FUTURE_BIRTH = "birth date {} is in the future"  # a birth date an age is computed from
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_MONTHS = r"[0-9]{4}-[0-9]{2}(\.\.[0-9]{4}-[0-9]{2})?"
PERIODS_SCHEMA: dict[str, Any] = {
    "description": "Month periods: 'YYYY-MM..YYYY-MM' joined by ';', or a list of such "
    "strings or of {'from': 'YYYY-MM', 'to': 'YYYY-MM'} objects",
    "anyOf": [
        {"type": "string", "pattern": f"^({_MONTHS})?(;{_MONTHS})*;?$"},
        {
            "type": "array",
            "items": {
                "anyOf": [
                    {"type": "string", "pattern": f"^{_MONTHS}$"},
                    {
                        "type": "object",
                        "properties": {
                            "from": {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}$"},
                            "to": {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}$"},
                        },
                        "required": ["from", "to"],
                        "additionalProperties": False,
                    },
                ]
            },
        },
    ],
}


def _no_float(value: object) -> object:
    if isinstance(value, float):
        raise ValueError("write decimals exactly (as a string or a JSON number read exactly)")
    return value


def iso_date(value: object) -> object:
    if isinstance(value, dt.date):
        return value
    text = value.strip() if isinstance(value, str) else None
    if text is not None and _DATE.fullmatch(text):
        if int(text[:4]) < periods.FIRST_YEAR:
            raise ValueError(f"{text!r} {periods.EARLY_DATE}")
        with contextlib.suppress(ValueError):
            return dt.date.fromisoformat(text)
    raise ValueError(f"{value!r} is not a date (YYYY-MM-DD)")


def _whole_number(value: object) -> object:
    """A JSON integer of at most INT_DIGITS digits, as in a CSV cell."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10**INT_DIGITS:
        raise ValueError(f"{value} {TOO_LONG}")
    return value


def _decimal_as_in_a_cell(places: int) -> Any:
    """A decimal as a CSV cell may hold it (the same pattern and reason): text of ASCII digits,
    at most whole_digits(places) of them before the point; a JSON number with so many."""
    pattern = re.compile(decimal_pattern(places))

    def check(value: object) -> object:
        text = value.strip() if isinstance(value, str) else None
        if text is not None and not pattern.fullmatch(text):
            raise ValueError(f"{text} {decimal_reason(places)}")
        number = value if isinstance(value, Decimal | int) and not isinstance(value, bool) else 0
        if abs(number) >= 10 ** whole_digits(places):
            raise ValueError(f"{value} {decimal_reason(places)}")
        return value

    return check


def whole_digits(places: int) -> int:
    """Digits a decimal may have before its point: INT_DIGITS, fewer where with its ``places``
    the value in units (``whole * 10**places``) would pass the 18 digits a 64-bit integer holds."""
    return min(INT_DIGITS, 18 - places)


def decimal_pattern(places: int) -> str:
    """A decimal as text: a sign, at most whole_digits(places) ASCII digits before the point, up
    to ``places`` after it."""
    whole = rf"[+-]?[0-9]{{1,{whole_digits(places)}}}"
    return rf"{whole}(\.[0-9]{{0,{places}}})?" if places else whole


def decimal_reason(places: int) -> str:
    return f"is not a number of at most {whole_digits(places)} digits and {places} decimal places"


def _event_list(value: object) -> object:
    """Dates as a JSON list, or one text of dates joined by ';' (as in a CSV cell)."""
    if isinstance(value, str):
        return [part for part in value.replace(" ", "").split(";") if part]
    return value


def _text(value: str) -> str:
    if not is_text(value):
        raise ValueError(f"'{shown(value)}' {NOT_TEXT}")
    return value


def _yes_no(value: object) -> object:
    """A JSON boolean, or one of the words a CSV cell may use."""
    if isinstance(value, str):
        found = truth(value)
        if found is None:
            raise ValueError(f"{value!r} is not {YES_NO}")
        return found
    return value


def _periods(value: object) -> tuple[periods.Period, ...]:
    return periods.parse_periods(value)


def _id_number(value: str, info: ValidationInfo) -> str:
    return idnumber.validate(value, today=context_today(info))


def context_today(info: ValidationInfo) -> dt.date:
    """The day that decides validity, which the caller passes in the validation context
    (``model_validate(data, context={"today": day})``; :func:`validate_applicant` does)."""
    today = (info.context or {}).get("today")
    if not isinstance(today, dt.date):
        raise TypeError("an applicant is validated against a day: context={'today': date}")
    return today


def _field_type(name: str, spec: FieldSpec) -> Any:
    if spec.type == "text":
        return Annotated[str, AfterValidator(_text)]
    if spec.type == "id_number":
        return Annotated[str, AfterValidator(_id_number)]
    if spec.type == "date":
        return Annotated[
            dt.date,
            BeforeValidator(iso_date),
            WithJsonSchema({"type": "string", "format": "date"}),
        ]
    if spec.type == "bool":
        words = [*TRUE, *FALSE]
        schema = {"anyOf": [{"type": "boolean"}, {"type": "string", "enum": words}]}
        return Annotated[StrictBool, BeforeValidator(_yes_no), WithJsonSchema(schema)]
    if spec.type == "int":
        low = int(spec.min) if spec.min is not None else None
        high = int(spec.max) if spec.max is not None else None
        return Annotated[StrictInt, BeforeValidator(_whole_number), Field(ge=low, le=high)]
    if spec.type == "decimal":
        return Annotated[
            Decimal,
            BeforeValidator(_no_float),
            BeforeValidator(_decimal_as_in_a_cell(spec.places or 0)),
            Field(ge=spec.min, le=spec.max, decimal_places=spec.places),
        ]
    if spec.type == "enum":
        assert spec.values is not None
        labels = {label: code for code, label in spec.values.items() if label not in spec.values}
        choices = [{"const": code, "title": label} for code, label in spec.values.items()]
        choices += [
            {"const": label, "description": f"label of {code}"} for label, code in labels.items()
        ]
        return Annotated[
            Literal[tuple(spec.values)],
            BeforeValidator(
                lambda value: (
                    labels.get(value.strip(), value.strip())  # trimmed, as a CSV cell
                    if isinstance(value, str)
                    else value
                )
            ),
            WithJsonSchema({"type": "string", "anyOf": choices}),
        ]
    if spec.type == "periods":
        return Annotated[
            tuple[tuple[int, int], ...], BeforeValidator(_periods), WithJsonSchema(PERIODS_SCHEMA)
        ]
    assert spec.type == "events"
    return Annotated[
        tuple[Annotated[dt.date, BeforeValidator(iso_date)], ...],
        BeforeValidator(_event_list),
        WithJsonSchema({"type": "array", "items": {"type": "string", "format": "date"}}),
    ]


def _default(spec: FieldSpec) -> Any:
    if spec.default is not None:
        if spec.type == "int":
            return int(spec.default)
        return spec.default
    return {"periods": (), "events": (), "bool": False}.get(spec.type)


class _ApplicantBase(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    scheme: str | None = None
    comment: str | None = None

    @model_validator(mode="after")
    def _id_agrees(self) -> _ApplicantBase:
        values = self.__dict__
        for name, spec in type(self).hukou_fields.items():
            number = values.get(name)
            if spec.type != "id_number" or number is None:
                continue
            born = values.get("birth_date")
            if isinstance(born, dt.date) and born != idnumber.birth_date(number):
                raise ValueError(
                    f"field 'birth_date': {born} disagrees with the ID number "
                    f"({idnumber.birth_date(number)})"
                )
            sex = values.get("sex")
            if sex in ("male", "female") and sex != idnumber.sex(number):
                raise ValueError(f"field 'sex': '{sex}' disagrees with the ID number")
        return self

    hukou_fields: ClassVar[dict[str, FieldSpec]] = {}  # set on each scheme's model


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
        kind = _field_type(name, spec)
        described = (
            Field(description=spec.label)
            if spec.required
            else Field(_default(spec), description=spec.label)
        )
        fields[name] = (kind if spec.required else kind | None, described)
    model = create_model(f"Applicant_{scheme.scheme.id}", __base__=_ApplicantBase, **fields)
    model.hukou_fields = dict(scheme.fields)
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
    _derive_birth_date(scheme, record)
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


def _derive_birth_date(scheme: Scheme, record: dict[str, Any]) -> None:
    if "birth_date" in scheme.fields and record.get("birth_date") is None:
        for name, spec in scheme.fields.items():
            if spec.type == "id_number" and record.get(name):
                record["birth_date"] = idnumber.birth_date(record[name])


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
            message = "required field is missing"
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
