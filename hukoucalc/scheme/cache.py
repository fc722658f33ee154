"""An on-disk cache of validated schemes, so that ``score`` does not build and run the scheme
validators (about 0.1 s) on every start.

An entry is keyed by the scheme's TOML data (after ``extends``) and by a stamp of the code that
validates it (tool, Python and Pydantic versions, and a SHA-256 of the contents of every module
of the package: whatever validation imports, now or after a change, is covered), so any change
to either is a miss. The package is hashed once per process (about 2 ms for its ~80 files).
Only schemes that passed every check are stored. The folder is ``$HUKOUCALC_CACHE``, else
``$XDG_CACHE_HOME/hukoucalc``, else ``~/.cache/hukoucalc``, created private (0700); a folder
that others can write to is not used, because entries are pickles. ``HUKOUCALC_NO_CACHE=1``
turns the cache off. Any failure to read or write an entry is a miss, never an error.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import pickle
import stat
import sys
import tempfile
from pathlib import Path

from hukoucalc import __version__
from hukoucalc.scheme.model import Scheme

PACKAGE = Path(__file__).resolve().parent.parent


def folder() -> Path | None:
    if os.environ.get("HUKOUCALC_NO_CACHE"):
        return None
    given = os.environ.get("HUKOUCALC_CACHE")
    if given:
        return Path(given)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "hukoucalc"


def key(canonical_data: str) -> str:
    stamp = [__version__, sys.version, _pydantic_version(), code_digest(PACKAGE)]
    digest = hashlib.sha256("\n".join(stamp).encode())
    digest.update(canonical_data.encode())
    return digest.hexdigest()


@functools.cache
def code_digest(package: Path) -> str:
    """SHA-256 of every module file of ``package`` (each one's path and contents), computed once
    per process: a scheme validated by other code is never served from the cache."""
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0")
        try:
            digest.update(path.read_bytes())
        except OSError:
            digest.update(b"\0unreadable")
        digest.update(b"\0")
    return digest.hexdigest()


def get(entry: str) -> tuple[Scheme, str] | None:
    """The cached (scheme, content hash), or None."""
    where = _private_folder(create=False)
    if where is None:
        return None
    try:
        value = pickle.loads((where / f"{entry}.pickle").read_bytes())
    except Exception:
        return None
    if (
        isinstance(value, tuple)
        and len(value) == 2
        and isinstance(value[0], Scheme)
        and isinstance(value[1], str)
    ):
        return value
    return None


def put(entry: str, scheme: Scheme, sha256: str) -> None:
    where = _private_folder(create=True)
    if where is None:
        return
    with contextlib.suppress(OSError, pickle.PicklingError):
        handle, temporary = tempfile.mkstemp(dir=where, suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as out:
                pickle.dump((scheme, sha256), out, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, where / f"{entry}.pickle")
        finally:
            with contextlib.suppress(OSError):
                os.unlink(temporary)


def _private_folder(*, create: bool) -> Path | None:
    where = folder()
    if where is None:
        return None
    try:
        if create:
            where.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = where.stat()
    except OSError:
        return None
    others_write = info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)
    if others_write or (hasattr(os, "getuid") and info.st_uid != os.getuid()):
        return None
    return where


def _pydantic_version() -> str:
    from pydantic import VERSION  # noqa: PLC0415

    return str(VERSION)
