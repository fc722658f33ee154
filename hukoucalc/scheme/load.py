"""Find a scheme by bundled name or path, read its TOML exactly, validate it, hash it."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import tomllib
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from hukoucalc.engine.compile import compile_scheme
from hukoucalc.engine.points import decimal_text
from hukoucalc.errors import HukoucalcError, InputFileError, SchemeError
from hukoucalc.scheme import cache
from hukoucalc.scheme.checks import problems
from hukoucalc.scheme.magnitude import check_magnitudes
from hukoucalc.scheme.model import Scheme
from hukoucalc.textfile import read_text

DEFAULT_SCHEME = "beijing"
"""The scheme of an applicant file without a ``"scheme"`` key: Beijing's latest round."""


@dataclass(frozen=True)
class LoadedScheme:
    """A validated scheme with where it came from and its content hash (an audit trail)."""

    scheme: Scheme
    origin: str
    sha256: str

    @property
    def id(self) -> str:
        return self.scheme.scheme.id


def bundled_dir() -> Path:
    """Where bundled schemes live: inside an installed wheel, or ``schemes/`` in a checkout."""
    packaged = Path(__file__).resolve().parent.parent / "_bundled_schemes"
    return packaged if packaged.is_dir() else Path(__file__).resolve().parents[2] / "schemes"


def bundled_names() -> list[str]:
    return sorted(p.stem for p in bundled_dir().glob("*.toml"))


def latest_round(city: str) -> str | None:
    """The bundled ``<city>-<year>`` with the latest year, for a bare city name (``beijing``)."""
    rounds = [n for n in bundled_names() if re.fullmatch(rf"{re.escape(city)}-[0-9]{{4}}", n)]
    return max(rounds, key=lambda n: int(n[-4:])) if rounds else None


def resolve(ref: str) -> Path:
    """A bundled name (``beijing-2020``), a bare city name for its latest bundled round
    (``beijing`` → ``beijing-2027``), or a path to a TOML file."""
    bare = "/" not in ref and "\\" not in ref and not ref.endswith(".toml")
    bundled = bundled_dir() / f"{ref}.toml"
    if bare and bundled.is_file():
        return bundled
    latest = latest_round(ref) if bare and re.fullmatch(r"[a-z][a-z0-9-]*", ref) else None
    if latest is not None and not Path(ref).exists():
        return bundled_dir() / f"{latest}.toml"
    path = Path(ref)
    if path.is_file():
        return path
    if path.is_dir():
        raise InputFileError("is a folder, not a scheme file", where=ref)
    if path.suffix == ".toml" or "/" in ref:
        hint = (
            f" (the bundled scheme is named '{path.stem}')" if path.stem in bundled_names() else ""
        )
        raise InputFileError(f"no such scheme file{hint}", where=ref)
    raise SchemeError(
        f"unknown scheme '{ref}'; bundled schemes: {', '.join(bundled_names())} "
        "(or give a path to a .toml file)"
    )


def load_scheme(ref: str) -> LoadedScheme:
    """Load, validate and cross-check a scheme; raise SchemeError naming file and key."""
    path = resolve(ref)
    data = read_raw(path)
    entry = cache.key(_canonical_json(data))
    hit = cache.get(entry)
    if hit is not None:
        return LoadedScheme(scheme=hit[0], origin=str(path), sha256=hit[1])
    loaded = scheme_from_data(data, origin=str(path))
    cache.put(entry, loaded.scheme, loaded.sha256)
    return loaded


def read_raw(path: Path, seen: tuple[Path, ...] = ()) -> dict[str, Any]:
    """The TOML data of a scheme file, with its ``extends`` base merged underneath."""
    text = read_text(path).removeprefix("\ufeff")  # a byte-order mark, as Windows editors write
    data = _parse(text, path)
    base_ref = (
        data.get("scheme", {}).get("extends") if isinstance(data.get("scheme"), dict) else None
    )
    if not isinstance(base_ref, str):
        return data
    local = path.parent / base_ref
    try:
        base_path = local if local.suffix == ".toml" and local.is_file() else resolve(base_ref)
    except HukoucalcError as exc:
        raise SchemeError(f"scheme.extends: '{base_ref}': {exc.message}", where=str(path)) from None
    chain = (*seen, path.resolve())
    if base_path.resolve() in chain:
        names = [p.name for p in chain[chain.index(base_path.resolve()) :]]
        cycle = " → ".join([*names, base_path.name])
        raise SchemeError(f"scheme.extends: schemes extend each other: {cycle}", where=str(path))
    base = read_raw(base_path, chain)
    return merge_tables(base, data)


MAX_DEPTH = 32
"""Tables and arrays nested deeper than this are no scheme (real ones nest under 10 deep)."""


def _parse(text: str, path: Path) -> dict[str, Any]:
    try:
        data = tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as exc:
        raise InputFileError(f"not valid TOML: {exc}", where=str(path)) from None
    except ValueError:  # an integer beyond Python's 4,300-digit conversion limit
        raise SchemeError(_huge_number(text), where=str(path)) from None
    except RecursionError:
        raise SchemeError(
            f"arrays or tables nested too deep (a scheme nests at most {MAX_DEPTH} levels)",
            where=str(path),
        ) from None
    deep = _too_deep(data)
    if deep is not None:
        raise SchemeError(
            f"{deep}: nested too deep (a scheme nests at most {MAX_DEPTH} levels)", where=str(path)
        )
    return data


def _huge_number(text: str) -> str:
    found = re.search(r"[0-9_]{4000,}", text)
    if found is None:
        return "a number is too long to read"
    line = text.count("\n", 0, found.start()) + 1
    start = text.rfind("\n", 0, found.start()) + 1
    key = text[start : found.start()].partition("=")[0].strip()
    where = f"line {line}" + (f" (key '{key}')" if key else "")
    return f"{where}: a number of {len(found.group())} digits is far beyond any scheme number"


def _too_deep(data: Any) -> str | None:
    """The key path of a value nested deeper than MAX_DEPTH, if any."""
    stack: list[tuple[Any, str, int]] = [(data, "", 0)]
    while stack:
        node, at, depth = stack.pop()
        if depth > MAX_DEPTH:
            return at or "(top level)"
        if isinstance(node, dict):
            stack += [(v, f"{at}.{k}" if at else str(k), depth + 1) for k, v in node.items()]
        elif isinstance(node, list):
            stack += [(v, f"{at}[{n}]", depth + 1) for n, v in enumerate(node)]
    return None


def merge_tables(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """Tables merge key by key; any other value (lists included) replaces the base's."""
    out = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merge_tables(out[key], value)
        else:
            out[key] = value
    return out


def scheme_from_data(data: dict[str, Any], *, origin: str) -> LoadedScheme:
    try:
        scheme = Scheme.model_validate(data)
    except ValidationError as exc:
        raise SchemeError(format_validation(exc, data), where=origin) from None
    found = problems(scheme)
    if found:
        raise SchemeError(_join(found), where=origin)
    compiled = compile_scheme(scheme, origin=origin)  # numeric checks: exact units, places
    check_magnitudes(compiled, origin=origin)  # no 64-bit overflow in the batch engine
    return LoadedScheme(scheme=scheme, origin=origin, sha256=content_hash(scheme))


def content_hash(scheme: Scheme) -> str:
    """SHA-256 of the scheme's canonical JSON: same content, same hash, whatever the layout."""
    canonical = _canonical_json(scheme.model_dump(mode="python", by_alias=True, exclude_none=True))
    return hashlib.sha256(canonical.encode()).hexdigest()


def _canonical_json(data: Any) -> str:
    return json.dumps(plain_data(data), sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def plain_data(value: Any) -> Any:
    """JSON-ready data: numbers as exact text by value (10.50 and 10.5 alike), dates as ISO text."""
    if isinstance(value, dict):
        return {key: plain_data(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [plain_data(item) for item in value]
    if isinstance(value, Decimal):
        return decimal_text(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _join(found: list[tuple[str, str]]) -> str:
    if len(found) == 1:
        return f"{found[0][0]}: {found[0][1]}"
    return f"{len(found)} problems:\n" + "\n".join(f"  {at}: {msg}" for at, msg in found)


def format_validation(exc: ValidationError, data: Any) -> str:
    """Pydantic's errors as ``key.path: message`` lines, list items named by their id."""
    found: list[tuple[str, str]] = []
    for err in exc.errors():
        found.append((_path(err["loc"], data), _message(err)))
    # a union of rule kinds reports one error per kind: keep only the one the user meant
    return _join(list(dict.fromkeys(found)))


def _path(loc: tuple[int | str, ...], data: Any) -> str:
    out = ""
    node = data
    kinds = {"per_unit", "bands", "marginal", "table", "flag", "months", "age", "value", "events"}
    kinds |= {"sum", "difference", "min", "max", "quotient", "remainder"}
    for step in loc:
        if isinstance(step, int):
            ident = (
                node[step].get("id")
                if isinstance(node, list) and isinstance(node[step], dict)
                else None
            )
            out += f"[{ident}]" if ident else f"[{step}]"
            node = node[step] if isinstance(node, list) and step < len(node) else None
            continue
        if step in kinds and not (isinstance(node, dict) and step in node):
            continue  # the discriminator tag Pydantic adds to the path
        out += f".{step}" if out else str(step)
        node = node.get(step) if isinstance(node, dict) else None
    return out or "(top level)"


def _message(err: Any) -> str:
    kind = err["type"]
    if kind == "extra_forbidden":
        return "unknown key (a typo?)"
    if kind == "missing":
        return "required key is missing"
    if kind == "union_tag_invalid":
        return f"unknown kind {err['input']!r}; expected one of {err['ctx']['expected_tags']}"
    msg: str = err["msg"]
    return msg.removeprefix("Value error, ")
