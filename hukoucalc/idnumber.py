"""Citizen ID numbers (公民身份号码, GB 11643-1999): structure and ISO 7064 MOD 11-2 check."""

from __future__ import annotations

import re
from datetime import date

from hukoucalc.periods import FIRST_YEAR

MALE, FEMALE = "male", "female"
"""The codes of the sex an ID number fixes: its 17th digit is odd for ``male``."""

_SHAPE = re.compile(r"[0-9]{17}[0-9X]")

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)  # ISO 7064 MOD 11-2, GB 11643
CHECK = "10X98765432"  # the check character for each remainder mod 11


def check_character(first17: str) -> str:
    """The 18th character for the first 17 digits."""
    return CHECK[sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True)) % 11]


def birth_date(number: str) -> date:
    """The date of birth an already valid number carries (positions 7-14)."""
    return date(int(number[6:10]), int(number[10:12]), int(number[12:14]))


def validate(number: str, *, today: date) -> str:
    """The number, normalised to upper case, or ValueError saying what is wrong with it (a
    birth date after ``today`` is impossible)."""
    text = number.strip().upper()
    if len(text) != 18:
        raise ValueError(f"ID number {number!r} has {len(text)} characters, not 18")
    if not _SHAPE.fullmatch(text):
        raise ValueError(f"ID number {number!r}: 17 digits then a digit or X expected")
    try:
        born = birth_date(text)
    except ValueError:
        raise ValueError(f"ID number {number!r}: {text[6:14]} is not a valid birth date") from None
    if born.year < FIRST_YEAR or born > today:
        raise ValueError(f"ID number {number!r}: birth date {born} is impossible")
    expected = check_character(text[:17])
    if text[17] != expected:
        raise ValueError(f"ID number {number!r}: check character should be {expected}")
    return text


def sex(number: str) -> str:
    """The sex role's code (``male`` or ``female``), from the parity of position 17."""
    return MALE if int(number[16]) % 2 else FEMALE
