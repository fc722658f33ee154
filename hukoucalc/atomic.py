"""Writing an output file atomically: never half-written, never left behind on failure."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from hukoucalc.errors import OutputError


def check_outputs(outputs: dict[str, Path | None], *, source: Path | None = None) -> None:
    """Refuse, before any work, output paths that cannot end well: a missing folder, a folder
    given as the file, the input file (``source``), or two outputs naming the same file.

    ``outputs`` maps each option's name (``--output``) to its path, or None when not given."""
    taken = {} if source is None else {source.resolve(): "the input file"}
    for option, path in outputs.items():
        if path is None:
            continue
        if not _folder(path).is_dir():
            raise OutputError(f"{option}: the folder does not exist", where=str(path))
        if path.is_dir():
            raise OutputError(f"{option}: a folder, not a file", where=str(path))
        resolved = path.resolve()
        if resolved in taken:
            raise OutputError(f"{option} would overwrite {taken[resolved]}", where=str(path))
        taken[resolved] = f"the file of {option}"


def _folder(path: Path) -> Path:
    return path.parent if str(path.parent) else Path(".")


def write_atomically(path: Path, write: Callable[[str], object]) -> None:
    """Call ``write`` on a temporary file beside ``path``, then rename it into place.

    The file gets the permissions of an ordinary new file (not ``mkstemp``'s private 0600).
    """
    folder = _folder(path)
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
