"""The words an applicant's yes/no field may be written with, in a CSV cell or a JSON file alike
(case-insensitive): one list for the batch parsers and the single-applicant model."""

from __future__ import annotations

TRUE = ("true", "1", "yes", "y", "t", "是", "有")
FALSE = ("false", "0", "no", "n", "f", "否", "无")
YES_NO = "true/false (also 1/0, yes/no, 是/否)"


def truth(word: str) -> bool | None:
    """True or False for one of the words, else None."""
    low = word.strip().lower()
    return True if low in TRUE else False if low in FALSE else None
