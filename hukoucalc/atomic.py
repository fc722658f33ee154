"""Writing output files atomically: never half-written, never left behind on failure, and a
command's several outputs all or none."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import stat
import tempfile
import threading
from collections.abc import Callable, Collection, Iterator
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


PART = ".part"


def _part_prefix(target: Path) -> str:
    """A temporary file's name before its random part: ``.NAME.PID.``; the pid tells the next
    run whether the process that left it is still at work."""
    return f".{target.name}.{os.getpid()}."


def remove_stale_parts(target: Path) -> list[Path]:
    """Remove the temporary files a killed run left beside ``target`` (``.NAME.PID.XXXX.part``
    of a process no longer running, or of the form without a pid); return those removed."""
    pattern = re.compile(
        rf"\.{re.escape(target.name)}\.(?:(?P<pid>[0-9]+)\.[A-Za-z0-9_]+|[A-Za-z0-9_]{{8}})"
        + re.escape(PART)
    )
    removed: list[Path] = []
    folder = _folder(target)
    try:
        names = [e.name for e in os.scandir(folder) if e.name.endswith(PART)]
    except OSError:
        return removed
    for name in names:
        found = pattern.fullmatch(name)
        if found is None:
            continue
        pid = found.group("pid")
        if pid is not None and (int(pid) == os.getpid() or _running(int(pid))):
            continue
        with contextlib.suppress(OSError):
            (folder / name).unlink()
            removed.append(folder / name)
    return removed


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # running, as another user
        return True
    return True


def _mode(target: Path, private: bool, umask: int) -> int:
    """An existing file's mode is kept; a new one is 0600 when ``private`` (it holds ID
    numbers), else an ordinary new file's."""
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except OSError:
        return 0o600 if private else 0o666 & ~umask


def write_all(outputs: list[tuple[Path, Writer]], *, private: Collection[Path] = ()) -> None:
    """Write every output to a temporary file beside it; only when all are written, rename
    each into place. On any failure, or a signal (see :func:`on_signals`), every temporary file
    is removed and no output is changed.

    A path that is a link is written through: its target is replaced, the link kept. An existing
    file keeps its mode; a new one among ``private`` (files holding ID numbers) is created 0600,
    any other with an ordinary new file's permissions. Temporary files a killed run left beside
    an output are removed first."""
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
            remove_stale_parts(target)
            try:
                fd, temp = tempfile.mkstemp(prefix=_part_prefix(target), suffix=PART, dir=folder)
                os.close(fd)
                staged.append((temp, target))
                os.chmod(temp, _mode(target, path in private, umask))
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


class Terminated(BaseException):
    """SIGTERM or SIGHUP arrived: raised where the program was, so that every ``finally``
    (the temporary files of :func:`write_all`) runs before the process ends."""

    def __init__(self, signum: int) -> None:
        self.signum = signum
        super().__init__(signal.Signals(signum).name)


@contextlib.contextmanager
def on_signals() -> Iterator[None]:
    """Within the block, SIGTERM and SIGHUP raise :class:`Terminated` (main thread only; the
    previous handlers are restored after)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, _frame: object) -> None:
        raise Terminated(signum)

    caught = [signal.SIGTERM, signal.SIGHUP]
    previous = {s: signal.signal(s, stop) for s in caught}
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)


def write_atomically(path: Path, write: Writer, *, private: bool = False) -> None:
    """Call ``write`` on a temporary file beside ``path``, then rename it into place."""
    write_all([(path, write)], private=[path] if private else ())


def text_writer(text: str) -> Writer:
    """A writer of ``text`` as UTF-8."""
    return lambda temp: Path(temp).write_text(text, encoding="utf-8")


def write_text_atomically(path: Path, text: str) -> None:
    """``text`` as UTF-8, written atomically."""
    write_atomically(path, text_writer(text))
