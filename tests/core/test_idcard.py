import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from core import idcard

# A published example number of GB 11643 whose check character is X.
KNOWN_VALID = "11010519491231002X"


def test_it_computes_the_check_character_of_a_known_number():
    assert idcard.check_digit(KNOWN_VALID[:17]) == "X"


def test_it_accepts_a_valid_number_and_reads_birth_date_and_sex():
    idcard.validate_id_number(KNOWN_VALID)
    assert idcard.birth_date_of(KNOWN_VALID) == dt.date(1949, 12, 31)
    assert idcard.sex_of(KNOWN_VALID) == idcard.SEX_FEMALE


def test_it_accepts_a_lower_case_x_and_spaces():
    idcard.validate_id_number(" 110105 19491231 002x ")


@pytest.mark.parametrize(
    ("number", "code"),
    [
        ("1101051949123100", "id_length"),
        ("11010519491231002XX", "id_length"),
        ("1101051949123100AX", "id_shape"),
        ("110105194913310021", "id_birth_date"),
        ("110105219912310021", "id_birth_date"),
        ("110105194912310021", "id_check_digit"),
    ],
)
def test_it_refuses_a_bad_number_with_a_precise_code(number, code):
    with pytest.raises(ValidationError) as error:
        idcard.validate_id_number(number)
    assert error.value.code == code


def test_it_names_the_expected_check_character_in_the_message():
    with pytest.raises(ValidationError) as error:
        idcard.validate_id_number("110105194912310021")
    assert "X" in error.value.messages[0]


@pytest.mark.parametrize("sex", ["M", "F"])
def test_it_makes_valid_numbers_that_carry_birth_date_and_sex(sex):
    born = dt.date(1938, 2, 28)
    numbers = {idcard.make_id_number("320102", born, n, sex) for n in range(300)}
    assert len(numbers) == 300
    for number in numbers:
        idcard.validate_id_number(number)
        assert idcard.birth_date_of(number) == born
        assert idcard.sex_of(number) == sex
