"""The on-disk cache of validated schemes: a hit equals a fresh load, anything odd is a miss."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from hukoucalc.errors import SchemeError
from hukoucalc.scheme import cache
from hukoucalc.scheme.load import load_scheme
from hukoucalc.scheme.model import Scheme

BUNDLED = "beijing-2020"


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    where = tmp_path / "cache"
    monkeypatch.setenv("HUKOUCALC_CACHE", str(where))
    return where


def _no_validation(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_: object, **__: object) -> None:
        raise AssertionError("validated although the scheme was cached")

    monkeypatch.setattr(Scheme, "model_validate", refuse)


def test_a_hit_equals_a_fresh_load_without_validating(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fresh = load_scheme(BUNDLED)
    assert len(list(folder.glob("*.pickle"))) == 1
    assert oct(folder.stat().st_mode & 0o777) == "0o700"
    _no_validation(monkeypatch)
    cached = load_scheme(BUNDLED)
    assert cached.scheme == fresh.scheme
    assert cached.sha256 == fresh.sha256
    assert cached.origin == fresh.origin


def test_a_changed_scheme_is_a_miss(folder: Path, tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    text = (Path("schemes") / f"{BUNDLED}.toml").read_text(encoding="utf-8")
    path.write_text(text, encoding="utf-8")
    first = load_scheme(str(path))
    path.write_text(text.replace("quota = 6000", "quota = 6001"), encoding="utf-8")
    second = load_scheme(str(path))
    assert second.scheme.selection.quota == 6001
    assert second.sha256 != first.sha256
    assert len(list(folder.glob("*.pickle"))) == 2


def test_a_corrupt_entry_is_a_miss(folder: Path) -> None:
    fresh = load_scheme(BUNDLED)
    (entry,) = folder.glob("*.pickle")
    entry.write_bytes(b"not a pickle")
    again = load_scheme(BUNDLED)
    assert again.sha256 == fresh.sha256
    assert entry.read_bytes() != b"not a pickle"  # rewritten


def test_an_invalid_scheme_is_never_stored(folder: Path, tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    text = (Path("schemes") / f"{BUNDLED}.toml").read_text(encoding="utf-8")
    path.write_text(text.replace("quota = 6000", "quota = -1"), encoding="utf-8")
    with pytest.raises(SchemeError, match="quota"):
        load_scheme(str(path))
    assert not list(folder.glob("*.pickle"))


def test_turned_off(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HUKOUCALC_NO_CACHE", "1")
    load_scheme(BUNDLED)
    assert not folder.exists()


@pytest.mark.parametrize("mode", [0o777, 0o770], ids=["others-write", "group-writes"])
def test_a_folder_others_can_write_is_not_used(
    folder: Path, monkeypatch: pytest.MonkeyPatch, mode: int
) -> None:
    folder.mkdir()
    os.chmod(folder, mode)
    load_scheme(BUNDLED)
    assert not list(folder.glob("*.pickle"))
    _no_validation(monkeypatch)
    with pytest.raises(AssertionError, match="validated"):
        load_scheme(BUNDLED)


def test_the_key_follows_the_data() -> None:
    assert cache.key('{"a":1}') == cache.key('{"a":1}')
    assert cache.key('{"a":1}') != cache.key('{"a":2}')


def test_the_key_follows_the_tool_version(monkeypatch: pytest.MonkeyPatch) -> None:
    before = cache.key('{"a":1}')
    monkeypatch.setattr(cache, "__version__", "0.0.0-other")
    assert cache.key('{"a":1}') != before


def test_the_key_covers_every_module_validation_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A byte changed in any module of the package (here the evaluator, which the magnitude
    check runs, and a module validation does not import today) gives another key."""
    copy = tmp_path / "hukoucalc"
    shutil.copytree(cache.PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(cache, "PACKAGE", copy)
    before = cache.key("{}")
    assert cache.key("{}") == before  # the same code and data: the same key
    for module in ("engine/evaluate.py", "engine/ops.py", "applicant.py", "periods.py", "words.py"):
        path = copy / module
        text = path.read_bytes()
        path.write_bytes(text[:-1] + bytes([text[-1] ^ 1]))  # one bit of the last byte
        cache.code_digest.cache_clear()
        changed = cache.key("{}")
        assert changed != before, module
        path.write_bytes(text)
        cache.code_digest.cache_clear()
        assert cache.key("{}") == before
    assert cache.key("[]") != before  # and the data


def test_the_package_is_hashed_once_per_process(monkeypatch: pytest.MonkeyPatch) -> None:
    cache.key("{}")
    read: list[Path] = []
    real = Path.read_bytes

    def counting(self: Path) -> bytes:
        read.append(self)
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", counting)
    cache.key("{}")
    cache.key("[]")
    assert read == []
