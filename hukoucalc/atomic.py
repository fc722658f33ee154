"""Writing an output file atomically: never half-written, never left behind on failure."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from hukoucalc.errors import OutputError


def write_atomically(path: Path, write: Callable[[str], object]) -> None:
    """Call ``write`` on a temporary file beside ``path``, then rename it into place.

    The file gets the permissions of an ordinary new file (not ``mkstemp``'s private 0600).
    """
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise OutputError("the folder does not exist", where=str(path))
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=folder)
    os.close(fd)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(temp, 0o666 & ~umask)
    try:
        write(temp)
        os.replace(temp, path)
    except OSError as exc:
        raise OutputError(f"cannot write: {exc.strerror or exc}", where=str(path)) from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)


def write_text_atomically(path: Path, text: str) -> None:
    """``text`` as UTF-8, written atomically."""
    write_atomically(path, lambda temp: Path(temp).write_text(text, encoding="utf-8"))
