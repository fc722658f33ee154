"""Writing output files atomically: never half-written, never left behind on failure, and a
command's several outputs all or none."""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path

from hukoucalc.errors import OutputError

Writer = Callable[[str], object]  # writes the whole output to the temporary path it is given


def check_outputs(outputs: dict[str, Path | None], *, source: Path | None = None) -> None:
    """Refuse, before any work, output paths that cannot end well: a missing folder, a folder
    or a device given as the file, the input file (``source``), or two outputs naming the same
    file.

    ``outputs`` maps each output, named as the caller words it (the CLI: by its option), to its
    path, or None when not given."""
    taken = {} if source is None else {source.resolve(): "the input file"}
    for option, path in outputs.items():
        if path is None:
            continue
        if not _folder(path).is_dir():
            raise OutputError(f"{option}: the folder does not exist", where=str(path))
        if path.is_dir():
            raise OutputError(f"{option}: a folder, not a file", where=str(path))
        _regular_or_new(path, option)
        resolved = path.resolve()
        if resolved in taken:
            raise OutputError(f"{option} would overwrite {taken[resolved]}", where=str(path))
        taken[resolved] = f"the file of {option}"


def _regular_or_new(path: Path, option: str = "") -> None:
    """A path that does not exist yet, or a regular file (through links): replacing a device, a
    pipe or a socket with a file (as root: /dev/null) is refused."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return
    except OSError as exc:
        raise OutputError(f"cannot write: {exc.strerror or exc}", where=str(path)) from None
    if not stat.S_ISREG(mode):
        what = "a folder" if stat.S_ISDIR(mode) else "a device, pipe or socket"
        lead = f"{option}: " if option else ""
        raise OutputError(f"{lead}{what}, not a regular file", where=str(path))


def _folder(path: Path) -> Path:
    return path.parent if str(path.parent) else Path(".")


def write_all(outputs: list[tuple[Path, Writer]]) -> None:
    """Write every output to a temporary file beside it; only when all are written, rename
    each into place. On any failure every temporary file is removed and no output is changed.

    A path that is a link is written through: its target is replaced, the link kept. The files
    get the permissions of an ordinary new file (not ``mkstemp``'s private 0600)."""
    umask = os.umask(0)
    os.umask(umask)
    staged: list[tuple[str, Path]] = []
    try:
        for path, write in outputs:
            target = path.resolve() if path.is_symlink() else path
            _regular_or_new(target)
            folder = _folder(target)
            if not folder.is_dir():
                raise OutputError("the folder does not exist", where=str(path))
            try:
                fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=folder)
                os.close(fd)
                staged.append((temp, target))
                os.chmod(temp, 0o666 & ~umask)
                write(temp)
            except OSError as exc:
                raise OutputError(f"cannot write: {exc.strerror or exc}", where=str(path)) from None
        for temp, target in staged:
            try:
                os.replace(temp, target)
            except OSError as exc:
                raise OutputError(
                    f"cannot write: {exc.strerror or exc}", where=str(target)
                ) from None
    finally:
        for temp, _ in staged:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temp)


def write_atomically(path: Path, write: Writer) -> None:
    """Call ``write`` on a temporary file beside ``path``, then rename it into place."""
    write_all([(path, write)])


def text_writer(text: str) -> Writer:
    """A writer of ``text`` as UTF-8."""
    return lambda temp: Path(temp).write_text(text, encoding="utf-8")


def write_text_atomically(path: Path, text: str) -> None:
    """``text`` as UTF-8, written atomically."""
    write_atomically(path, text_writer(text))
