"""Reading a small text input file (a scheme, an applicant) with one clear message per failure."""

from __future__ import annotations

import re
from pathlib import Path

from hukoucalc.errors import InputFileError


def check_readable(path: Path) -> None:
    """A regular file, to be read whole: not standard input, a folder, a pipe or a device (a
    pipe would be waited on for ever)."""
    if str(path) == "-":
        raise InputFileError("reading from standard input is not supported: give a file path")
    if path.is_dir():
        raise InputFileError("is a folder, not a file", where=str(path))
    if path.exists() and not path.is_file():
        raise InputFileError(
            "not a regular file (a pipe or a device): save it as a file first", where=str(path)
        )
    if not path.is_file():
        raise InputFileError("no such file", where=str(path))


def read_text(path: Path, *, encoding: str = "utf-8") -> str:
    """The file's text; InputFileError naming the file and what is wrong with it otherwise."""
    check_readable(path)
    try:
        return path.read_text(encoding=encoding)
    except FileNotFoundError:  # gone since the check
        raise InputFileError("no such file", where=str(path)) from None
    except PermissionError:
        raise InputFileError("permission denied: cannot read it", where=str(path)) from None
    except UnicodeDecodeError as exc:
        raise InputFileError(
            f"not UTF-8 text (byte {exc.start}); save it as UTF-8", where=str(path)
        ) from None
    except OSError as exc:
        raise InputFileError(f"cannot read: {exc.strerror or exc}", where=str(path)) from None


NOT_TEXT = "is not valid text (a lone UTF-16 surrogate, as a \\ud800 escape gives)"


def is_text(value: str) -> bool:
    """Whether ``value`` can be written as UTF-8: JSON's \\ud800-style escapes can give lone
    surrogates, which no output file can hold."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def shown(value: str) -> str:
    """``value`` with what cannot be written as UTF-8 escaped (for messages and error files)."""
    return value.encode("utf-8", "backslashreplace").decode("utf-8")


_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def visible(text: str) -> str:
    """``text`` with the control characters a file's cell or a scheme may hold (an escape
    sequence, a carriage return, a bidirectional override) written as ``\\xNN``/``\\uNNNN``:
    shown on a terminal, they could rewrite what it shows. Line breaks and tabs are kept."""
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)
