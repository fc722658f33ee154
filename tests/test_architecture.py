"""The shape of the house, checked on the source: no import cycle between the package's modules
(imports inside functions counted), no import excused as a cycle."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from hukoucalc.cli.common import error_text
from hukoucalc.compare.pool import rank_pool
from hukoucalc.errors import UsageError, option, word_options
from hukoucalc.scheme.load import load_scheme

from .invoke import TODAY

PACKAGE = Path(__file__).resolve().parents[1] / "hukoucalc"


def _modules() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


MODULES = _modules()


def _imported(name: str, path: Path, node: ast.Import | ast.ImportFrom) -> set[str]:
    """The package's modules an import statement runs (``from a import b``: ``a.b`` when it is
    a module, else ``a``)."""
    if isinstance(node, ast.Import):
        return {alias.name for alias in node.names} & MODULES.keys()
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    base = node.module or ""
    if node.level:
        parts = package.split(".")[: len(package.split(".")) - node.level + 1]
        base = ".".join([*parts, *([node.module] if node.module else [])])
    out = {f"{base}.{a.name}" if f"{base}.{a.name}" in MODULES else base for a in node.names}
    return out & MODULES.keys()


def import_graph() -> dict[str, set[str]]:
    """Module → the package's modules it imports, at module level or inside a function."""
    graph: dict[str, set[str]] = {}
    for name, path in MODULES.items():
        edges: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import | ast.ImportFrom):
                edges |= _imported(name, path, node)
        graph[name] = edges - {name}
    return graph


def cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of the graph, as the modules along it, or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt) :], nxt]
            if nxt not in state:
                found = visit(nxt)
                if found:
                    return found
        path.pop()
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state:
            found = visit(start)
            if found:
                return found
    return None


def test_the_graph_sees_function_level_imports() -> None:
    graph = import_graph()
    assert "hukoucalc.ranking" in graph["hukoucalc.cli.rank_cmd"]  # imported inside rank()
    assert cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert cycle({"a": {"b"}, "b": set()}) is None


def test_no_import_cycle() -> None:
    found = cycle(import_graph())
    assert found is None, " → ".join(found or [])


def test_no_import_excused_as_a_cycle() -> None:
    excused = [
        f"{path.relative_to(PACKAGE.parent)}:{number}"
        for path in MODULES.values()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"#\s*noqa\b.*\(cycle\)", line)
    ]
    assert excused == []


# -- the library never names a flag ---------------------------------------------------------------

FLAG = re.compile(r"(?<![\w-])--[a-z][a-z0-9-]*")


def _docstrings(tree: ast.Module) -> set[int]:
    """The ids of the string constants that are docstrings: of a module, a class, a function, or
    an attribute (a string standing alone as a statement)."""
    return {
        id(node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
    }


def flags_named(source: str) -> list[tuple[int, str]]:
    """(line, flag) for each option name inside a string constant of ``source`` that is not a
    docstring (f-strings' literal parts included)."""
    tree = ast.parse(source)
    skip = _docstrings(tree)
    return sorted(
        (node.lineno, flag)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip
        for flag in FLAG.findall(node.value)
    )


def test_the_flag_finder_sees_strings_not_docstrings_nor_comments() -> None:
    source = (
        '"""Module doc: --json."""\n'
        'X = 1\n"""Attribute doc: --all."""\n'
        "def f(x):\n"
        '    """Doc: --until."""\n'
        "    # a comment: --strict\n"
        '    a = "plain --scheme"\n'
        '    return f"{x} and --target", "a - b -- c", "-s", "---"\n'
    )
    assert flags_named(source) == [(7, "--scheme"), (8, "--target")]


def test_no_flag_named_outside_the_cli() -> None:
    named = [
        f"{path.relative_to(PACKAGE.parent)}:{line}: {flag}"
        for name, path in MODULES.items()
        if not name.startswith("hukoucalc.cli")
        for line, flag in flags_named(path.read_text(encoding="utf-8"))
    ]
    assert named == []


def test_a_domain_error_names_the_parameter_and_the_cli_words_the_option() -> None:
    with pytest.raises(UsageError) as caught:
        rank_pool(Path("pool.csv"), [load_scheme("beijing-2020")], today=TODAY)
    error = caught.value
    assert error.options == ("schemes",)
    assert str(error) == "compare needs at least two schemes options (the first is the baseline)"
    assert error_text(error) == (
        "compare needs at least two --scheme options (the first is the baseline)"
    )


def test_marks_are_worded_by_the_names_given_or_as_the_parameter() -> None:
    text = f"{option('until')} 2050-01-01 and {option('city_en')}: {{until}} stays"
    assert word_options(text) == "until 2050-01-01 and city_en: {until} stays"
    assert (
        word_options(text, {"until": "--until"}) == "--until 2050-01-01 and city_en: {until} stays"
    )
    where = UsageError("the city's name is empty", where=option("city_en"))
    assert (where.options, error_text(where)) == (
        ("city_en",),
        "--city-en: the city's name is empty",
    )


def _reached(graph: dict[str, set[str]], start: set[str]) -> set[str]:
    seen, todo = set(start), list(start)
    while todo:
        for nxt in graph[todo.pop()] - seen:
            seen.add(nxt)
            todo.append(nxt)
    return seen


def test_the_engine_sits_on_the_scheme_language_only() -> None:
    """scheme → engine: the engine reads the scheme's model (the language), never the loader
    that validates with it (``scheme.load`` compiles and checks magnitudes with the engine)."""
    graph = import_graph()
    engine = {m for m in graph if m.startswith("hukoucalc.engine.")}
    reached = _reached(graph, engine)
    assert sorted(m for m in reached if m.startswith("hukoucalc.scheme")) == [
        "hukoucalc.scheme.model"
    ]
    assert not any(m.startswith(("hukoucalc.cli", "hukoucalc.render")) for m in reached)


def test_the_domain_neither_renders_nor_speaks_cli() -> None:
    """Writing outputs and rendering sit above the domain: no module outside ``cli/`` and
    ``render/`` imports either (``compare/job`` once rendered the report and wrote files)."""
    above = ("hukoucalc.cli", "hukoucalc.render", "hukoucalc.__main__")
    reaching = {
        name: sorted(m for m in imported if m.startswith(above))
        for name, imported in import_graph().items()
        if not name.startswith(above)
    }
    assert {name: found for name, found in reaching.items() if found} == {}
