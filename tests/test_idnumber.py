"""Citizen ID numbers (GB 11643-1999): the reference's test numbers (§7.3) and properties."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hukoucalc import idnumber

from .invoke import TODAY

CHECK_CHARS = "0123456789X"


def _reference_check(first17: str) -> str:
    """The check character straight from reference §7.2, independently of the module's tables:
    weights 2^(18-i) mod 11, r = S mod 11, check value (12 - r) mod 11, 10 written X."""
    total = sum(int(d) * pow(2, 17 - i, 11) for i, d in enumerate(first17))
    value = (12 - total % 11) % 11
    return "X" if value == 10 else str(value)


# -- reference §7.3 ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("number", "born", "sex"),
    [
        ("11010519491231002X", date(1949, 12, 31), "female"),
        ("440524188001010014", date(1880, 1, 1), "male"),
        ("440524188001015368", date(1880, 1, 1), "female"),
        ("53010219200508011X", date(1920, 5, 8), "male"),
    ],
)
def test_valid_reference_numbers(number: str, born: date, sex: str) -> None:
    assert idnumber.validate(number, today=TODAY) == number
    assert idnumber.birth_date(number) == born
    assert idnumber.sex(number) == sex
    assert idnumber.check_character(number[:17]) == number[17]


@pytest.mark.parametrize(
    ("number", "should_be"),
    [
        ("110105194912310021", "X"),
        # a GitHub fixture wrongly calls this one valid (reference §7.3)
        ("110105195001010014", "2"),
    ],
)
def test_invalid_reference_numbers(number: str, should_be: str) -> None:
    with pytest.raises(ValueError, match=f"check character should be {should_be}"):
        idnumber.validate(number, today=TODAY)
    assert idnumber.check_character(number[:17]) == should_be


def test_check_character_table() -> None:
    # r = S mod 11 maps to "10X98765432"; S = 0 gives r = 0 and so "1"
    assert idnumber.check_character("0" * 17) == "1"
    # a single 1 in position 1 (weight 7) gives r = 7 -> "5"; in position 17 (weight 2) -> "X"
    assert idnumber.check_character("1" + "0" * 16) == "5"
    assert idnumber.check_character("0" * 16 + "1") == "X"
    assert idnumber.check_character("0" * 15 + "10") == "8"  # weight 4: r = 4


# -- shape ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "number",
    [
        "",
        "11010519491231002",  # 17 characters
        "11010519491231002X0",  # 19 characters
        "110105491231002",  # an old 15-digit number is not accepted as such
    ],
)
def test_wrong_length(number: str) -> None:
    with pytest.raises(ValueError, match="not 18"):
        idnumber.validate(number, today=TODAY)


@pytest.mark.parametrize(
    "number",
    [
        "1101051949123100XX",  # X only as the last character
        "11010519491231002Y",
        "A1010519491231002X",
        "110105 9491231002X",
    ],
)
def test_bad_characters(number: str) -> None:
    with pytest.raises(ValueError, match="17 digits then a digit or X"):
        idnumber.validate(number, today=TODAY)


def _with_check(first17: str) -> str:
    return first17 + idnumber.check_character(first17)


@pytest.mark.parametrize(
    "birth",
    ["19490230", "19490229", "19491301", "19490001", "19490100", "19490431"],
)
def test_bad_birth_date(birth: str) -> None:
    # correct check characters, so only the date can be at fault
    number = _with_check(f"110105{birth}002")
    with pytest.raises(ValueError, match=f"{birth} is not a valid birth date"):
        idnumber.validate(number, today=TODAY)


def test_leap_day_is_a_valid_birth_date() -> None:
    number = _with_check("11010519480229002")
    assert idnumber.validate(number, today=TODAY) == number
    assert idnumber.birth_date(number) == date(1948, 2, 29)


def test_impossible_birth_year() -> None:
    number = _with_check("11010517990101002")
    with pytest.raises(ValueError, match="birth date 1799-01-01 is impossible"):
        idnumber.validate(number, today=TODAY)
    earliest = _with_check("11010518000101002")
    assert idnumber.validate(earliest, today=TODAY) == earliest


def test_lower_case_x_is_accepted_and_normalised() -> None:
    assert idnumber.validate("11010519491231002x", today=TODAY) == "11010519491231002X"
    assert idnumber.validate("53010219200508011x", today=TODAY) == "53010219200508011X"


def test_surrounding_blanks_are_stripped() -> None:
    assert idnumber.validate(" 11010519491231002x\n", today=TODAY) == "11010519491231002X"


@pytest.mark.parametrize(
    "number",
    [
        "１１０１０５１９４９１２３１００２X",  # full-width digits
        "11010519491231002X".replace("0", "\u0660"),  # Arabic-Indic zero
    ],
)
def test_non_ascii_digits_are_refused(number: str) -> None:
    with pytest.raises(ValueError, match="17 digits then a digit or X expected"):
        idnumber.validate(number, today=TODAY)


@pytest.mark.parametrize(
    ("seventeenth", "sex"),
    [(str(d), "male" if d % 2 else "female") for d in range(10)],
)
def test_sex_from_parity_of_position_17(seventeenth: str, sex: str) -> None:
    number = _with_check(f"1101051980010100{seventeenth}")
    assert idnumber.validate(number, today=TODAY) == number
    assert idnumber.sex(number) == sex


# -- properties ----------------------------------------------------------------------------------

prefixes = st.builds(
    lambda area, born, seq: f"{area}{born:%Y%m%d}{seq}",
    st.text("0123456789", min_size=6, max_size=6),
    st.dates(min_value=date(1800, 1, 1), max_value=date(2025, 12, 31)),
    st.text("0123456789", min_size=3, max_size=3),
)


@given(prefixes)
def test_check_character_agrees_with_the_reference_formula(prefix: str) -> None:
    assert idnumber.check_character(prefix) == _reference_check(prefix)


@given(prefixes)
def test_only_the_right_check_character_validates(prefix: str) -> None:
    right = idnumber.check_character(prefix)
    number = prefix + right
    assert idnumber.validate(number, today=TODAY) == number
    assert idnumber.birth_date(number) == date(
        int(prefix[6:10]), int(prefix[10:12]), int(prefix[12:14])
    )
    assert idnumber.sex(number) == ("male" if int(prefix[16]) % 2 else "female")
    for wrong in CHECK_CHARS:
        if wrong == right:
            continue
        with pytest.raises(ValueError, match=f"check character should be {right}"):
            idnumber.validate(prefix + wrong, today=TODAY)
        if wrong == "X":
            with pytest.raises(ValueError, match=f"check character should be {right}"):
                idnumber.validate(prefix + "x", today=TODAY)


@given(prefixes, st.integers(0, 16), st.integers(1, 9))
def test_any_single_digit_change_is_detected(prefix: str, position: int, delta: int) -> None:
    """MOD 11-2 catches every single-digit substitution (the weights are all non-zero mod 11)."""
    number = prefix + idnumber.check_character(prefix)
    digit = (int(number[position]) + delta) % 10
    changed = number[:position] + str(digit) + number[position + 1 :]
    with pytest.raises(ValueError):
        idnumber.validate(changed, today=TODAY)


def test_birth_date_in_the_future_is_impossible() -> None:
    number = _with_check("11010520990101002")
    with pytest.raises(ValueError, match="birth date 2099-01-01 is impossible"):
        idnumber.validate(number, today=TODAY)
