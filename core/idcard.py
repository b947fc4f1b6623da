"""The resident ID number (居民身份证号, GB 11643-1999): check digit, birth date and sex."""

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CHARS = "10X98765432"
_SHAPE = re.compile(r"^\d{17}[\dX]$")

SEX_MALE = "M"
SEX_FEMALE = "F"


def normalize(raw: str) -> str:
    """Strip spaces and upper-case the check character, as clerks type it every way."""
    return re.sub(r"\s+", "", raw or "").upper()


def check_digit(first17: str) -> str:
    """ISO 7064 MOD 11-2 check character for the first 17 digits."""
    total = sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True))
    return _CHECK_CHARS[total % 11]


def birth_date_of(number: str) -> dt.date:
    return dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))


def sex_of(number: str) -> str:
    # The 17th digit is the sequence code: odd for men, even for women.
    return SEX_MALE if int(number[16]) % 2 else SEX_FEMALE


def validate_id_number(number: str) -> None:
    """Raise ValidationError with a precise message unless `number` is a valid 18-char ID."""
    number = normalize(number)
    if len(number) != 18:
        raise ValidationError(
            _("The ID number must have 18 characters; this one has %(count)d.") % {"count": len(number)},
            code="id_length",
        )
    if not _SHAPE.match(number):
        raise ValidationError(
            _("The first 17 characters of the ID number must be digits and the last a digit or X."),
            code="id_shape",
        )
    try:
        born = birth_date_of(number)
    except ValueError:
        raise ValidationError(
            _("The ID number holds no valid birth date (characters 7 to 14 read %(digits)s).")
            % {"digits": number[6:14]},
            code="id_birth_date",
        ) from None
    if born.year < 1890 or born > dt.date.today():
        raise ValidationError(
            _("The birth date in the ID number (%(date)s) is not plausible.") % {"date": born.isoformat()},
            code="id_birth_date",
        )
    expected = check_digit(number[:17])
    if number[17] != expected:
        raise ValidationError(
            _(
                "The check digit of the ID number is wrong: the last character should be %(expected)s, not %(given)s."
            )
            % {"expected": expected, "given": number[17]},
            code="id_check_digit",
        )


def make_id_number(region: str, born: dt.date, sequence: int, sex: str) -> str:
    """Build a valid ID number (for demo data): region code, birth date, a sequence and sex."""
    seq = sequence % 500 * 2 + (1 if sex == SEX_MALE else 0)
    first17 = f"{region[:6]:0>6}{born:%Y%m%d}{seq:03d}"
    return first17 + check_digit(first17)
