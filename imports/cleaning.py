"""Cleaning spreadsheet cells as clerks type them: full-width digits, stray spaces, dates in
every usual form, choices by their Chinese label.

Each cleaner takes a raw cell (str, int, float, bool, date or datetime, as the readers give
it) and returns the clean value, or raises CellError with a message for the user. A blank
cell becomes None (or "" for text): whether blank is allowed is the column's business.
"""

import datetime as dt
import functools
import operator
import re
import time
import unicodedata
from collections.abc import Callable, Iterable

from django.utils.translation import gettext as _

from core import idcard
from core.exports import FORMULA_PREFIXES

# Excel's day 0 in the 1900 date system (the serial 60, 29 February 1900, never existed:
# counting from 30 December 1899 makes every later serial come out right).
_EXCEL_EPOCH = dt.date(1899, 12, 30)
# Serials from 1 January 1900 to 31 December 9999.
_SERIAL_RANGE = (1, 2958465)
_DATE_PATTERNS = (
    # 2023-7-1, 2023/07/01, 2023.7.1, 2023年7月1日, with a time after it from a datetime cell's text
    re.compile(
        r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"
    ),
    # 20230701
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)
_YEAR_MONTH = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?$")
_WHITESPACE = re.compile(r"\s+")
_SPACES_BETWEEN_CJK = re.compile(r"(?<=[\u3400-\u9fff])\s+(?=[\u3400-\u9fff])")
# Zero-width characters pasted from web pages and chat apps.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"), None)
_PHONE = re.compile(r"^\+?[0-9][0-9\-()（）]{5,18}(?:转[0-9]{1,6})?$")
_LIST_SEPARATORS = re.compile(r"[、,，;；/\s]+")

_TRUE = {"是", "y", "yes", "true", "1", "√", "✓", "✔", "有", "t"}
_FALSE = {"否", "n", "no", "false", "0", "×", "✗", "无", "f", "不是"}


class CellError(Exception):
    """A cell that cannot be read; `message` is for the user, `code` for tests and programs."""

    def __init__(self, message: str, code: str = "invalid"):
        super().__init__(message)
        self.message = message
        self.code = code


def text(value) -> str:
    """A cell as text: NFKC (full-width digits and letters, the ideographic space), zero-width
    characters dropped, spaces at both ends stripped; an integral number loses its ".0"."""
    if value is None:
        return ""
    if isinstance(value, str):
        if not value.isascii():
            value = unicodedata.normalize("NFKC", value).translate(_INVISIBLE)
        value = value.strip()
        # The quote core.exports.safe_cell puts before formula-like text on export: an exported
        # roster imports back as it was.
        if value[:1] == "'" and value[1:2] and value[1] in FORMULA_PREFIXES:
            return value[1:]
        return value
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def name(value) -> str:
    """A person's name: inner runs of spaces become one, and vanish between Chinese characters."""
    return _SPACES_BETWEEN_CJK.sub("", _WHITESPACE.sub(" ", text(value)))


def single_line(value) -> str:
    return _WHITESPACE.sub(" ", text(value))


def date(value) -> dt.date | None:
    """A date from an Excel date cell, an Excel serial number, or text such as 2023-7-1,
    2023/07/01, 2023.7.1, 2023年7月1日 or 20230701."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool):
        raise CellError(_("“%(value)s” is not a date.") % {"value": value}, "date")
    if isinstance(value, int | float):
        return _from_number(value)
    return _date_from_text(text(value))


_date_cache: dict[str, dt.date] = {}


def _date_from_text(raw: str) -> dt.date | None:
    # A roster repeats a few thousand dates over a hundred thousand rows: parse each once.
    cached = _date_cache.get(raw)
    if cached is not None:
        return cached
    if raw == "":
        return None
    for pattern in _DATE_PATTERNS:
        match = pattern.match(raw)
        if match:
            year, month, day = (int(part) for part in match.groups())
            try:
                parsed = dt.date(year, month, day)
            except ValueError:
                raise CellError(
                    _("“%(value)s” is not a date that exists.") % {"value": raw}, "date"
                ) from None
            if len(_date_cache) < 100_000:
                _date_cache[raw] = parsed
            return parsed
    if _YEAR_MONTH.match(raw):
        raise CellError(
            _("“%(value)s” gives no day: write the full date, e.g. 2023-7-1.") % {"value": raw}, "date"
        )
    if re.fullmatch(r"\d{1,7}(\.\d+)?", raw):
        return _from_number(float(raw))
    raise CellError(
        _("“%(value)s” is not a date. Write it as 2023-7-1, 2023/07/01 or 2023年7月1日.") % {"value": raw},
        "date",
    )


def _from_number(number: float) -> dt.date:
    if number == int(number) and 19000101 <= number <= 21001231:
        return _date_from_text(str(int(number)))
    if number == int(number) and 1800 <= number <= 2200:
        raise CellError(
            _("“%(value)s” gives only a year: write the full date, e.g. 2023-7-1.") % {"value": int(number)},
            "date",
        )
    if not _SERIAL_RANGE[0] <= number <= _SERIAL_RANGE[1]:
        raise CellError(_("“%(value)s” is not a date.") % {"value": text(number)}, "date")
    return _EXCEL_EPOCH + dt.timedelta(days=int(number))


# 9:30, 09:30:00, 9时30分, 9点30, 9点半 or 9点, perhaps after 上午, 下午 or 晚上.
_TIME = re.compile(
    r"^(上午|下午|晚上)?\s*(\d{1,2})\s*(?:[:时点]\s*(?:(\d{1,2})\s*分?|(半))?(?:\s*:\s*(\d{1,2}))?)$"
)


def time_of_day(value) -> dt.time | None:
    """A time of day from an Excel time cell, a fraction of a day, or text such as 9:30,
    09:30:00, 9时30分, 9点半 or 下午2:30."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.time()
    if isinstance(value, dt.time):
        return value
    if isinstance(value, float | int) and not isinstance(value, bool) and 0 <= value < 1:
        # Excel keeps a time as the fraction of a day it has gone.
        seconds = round(value * 86400)
        if seconds < 86400:
            return dt.time(seconds // 3600, seconds // 60 % 60, seconds % 60)
    raw = text(value)
    if raw == "":
        return None
    match = _TIME.match(raw)
    if match:
        noon, hour, minute, half, second = match.groups()
        hour, minute, second = int(hour), 30 if half else int(minute or 0), int(second or 0)
        if noon in ("下午", "晚上") and hour < 12:
            hour += 12
        if hour < 24 and minute < 60 and second < 60:
            return dt.time(hour, minute, second)
    raise CellError(
        _("“%(value)s” is not a time of day. Write it as 9:30 or 14:00.") % {"value": raw}, "time"
    )


def boolean(value) -> bool | None:
    """是/否, Y/N, 1/0, √/×; blank is None."""
    if isinstance(value, bool):
        return value
    raw = text(value).lower()
    if raw == "":
        return None
    if raw in _TRUE:
        return True
    if raw in _FALSE:
        return False
    raise CellError(_("“%(value)s” is neither 是 nor 否.") % {"value": text(value)}, "boolean")


def integer(low: int, high: int) -> Callable:
    """A whole number from `low` to `high`; blank is None."""

    def clean(value) -> int | None:
        if isinstance(value, bool):
            raise CellError(_("“%(value)s” is not a whole number.") % {"value": text(value)}, "integer")
        raw = text(value).replace(",", "")
        if raw == "":
            return None
        try:
            number = float(raw)
        except ValueError:
            number = None
        if number is None or not number.is_integer():
            raise CellError(_("“%(value)s” is not a whole number.") % {"value": raw}, "integer")
        if not low <= number <= high:
            raise CellError(
                _("%(value)s is not between %(low)d and %(high)d.")
                % {"value": raw, "low": low, "high": high},
                "out_of_range",
            )
        return int(number)

    return clean


def decimal(low, high, places: int = 1) -> Callable:
    """A number from `low` to `high` with at most `places` decimals; blank is None."""
    import decimal as decimals

    def clean(value):
        if isinstance(value, bool):
            raise CellError(_("“%(value)s” is not a number.") % {"value": text(value)}, "number")
        raw = text(value).replace(",", "")
        if raw == "":
            return None
        try:
            number = decimals.Decimal(raw)
        except decimals.InvalidOperation:
            raise CellError(_("“%(value)s” is not a number.") % {"value": raw}, "number") from None
        if not number.is_finite() or not low <= number <= high:
            raise CellError(
                _("%(value)s is not between %(low)s and %(high)s.")
                % {"value": raw, "low": low, "high": high},
                "out_of_range",
            )
        if number != round(number, places):
            raise CellError(
                _("%(value)s has more than %(places)d decimal places.") % {"value": raw, "places": places},
                "too_precise",
            )
        return round(number, places)

    return clean


def phone(value) -> str:
    """A phone number: spaces dropped; digits with an optional +, hyphens, brackets or 转 extension."""
    if isinstance(value, float | int) and not isinstance(value, bool):
        value = text(value)
    raw = _WHITESPACE.sub("", text(value))
    if raw and not _PHONE.match(raw):
        raise CellError(_("“%(value)s” is not a phone number.") % {"value": raw}, "phone")
    return raw


_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
# The weights times the code of "0": subtracted, the ASCII codes of the digits weigh as the digits.
_ID_DIGIT_OFFSET = 48 * sum(_ID_WEIGHTS)
_ID_CHECK_CHARS = "10X98765432"


@functools.lru_cache(maxsize=65536)
def _id_birth_date(digits: str) -> dt.date | None:
    try:
        return dt.date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        return None


def _plain_valid_id(value: str) -> bool:
    """True when `value` is an 18-character ID number as core.idcard accepts it, already
    normalised: the common case, decided without the ValidationError machinery."""
    if len(value) != 18 or not value.isascii():
        return False
    head, last = value[:17], value[17]
    if not head.isdigit() or not (last.isdigit() or last == "X"):
        return False
    if _ID_CHECK_CHARS[(sum(map(operator.mul, _ID_WEIGHTS, head.encode())) - _ID_DIGIT_OFFSET) % 11] != last:
        return False
    born = _id_birth_date(value[6:14])
    return born is not None and born.year >= 1890 and born <= _today()


def _today() -> dt.date:
    # A hundred thousand ID numbers a second: ask the clock once a second, not once a number.
    now = time.monotonic()
    if now - _clock[0] > 1:
        _clock[:] = [now, dt.date.today()]
    return _clock[1]


_clock = [float("-inf"), dt.date.min]


def id_number(value) -> str:
    """A resident ID number: spaces dropped, x upper-cased, check digit and birth date verified."""
    if value.__class__ is str:
        plain = value[:17] + "X" if value[17:] == "x" else value
        if _plain_valid_id(plain):
            return plain
    if isinstance(value, int | float) and not isinstance(value, bool):
        # Excel keeps 15 significant digits of a number: an ID typed into a number cell has
        # already lost its last digits, so no guess can be made.
        raise CellError(
            _(
                "Excel stored the ID number as a number and has lost its last digits (%(value)s). "
                "Format the column as text, type the numbers again, then upload."
            )
            % {"value": text(value)},
            "id_number_as_number",
        )
    raw = idcard.normalize(text(value))
    if raw == "":
        return ""
    from django.core.exceptions import ValidationError

    try:
        idcard.validate_id_number(raw)
    except ValidationError as error:
        raise CellError(" ".join(error.messages), error.error_list[0].code or "id_number") from None
    return raw


# An ID number as the lists mask it (core.masking.mask_id_number): region code, 11 stars, last four.
MASKED_ID_NUMBER = re.compile(r"^\d{3}\*{11}\d{3}[\dX]$")


def id_number_or_masked(value) -> str:
    """A resident ID number, or one masked as the lists show it (110***********1234): a secretary,
    who never sees a full one, names their members so in a sheet they downloaded."""
    if value.__class__ is str and "*" in value:
        raw = _WHITESPACE.sub("", text(value)).upper().replace("＊", "*")
        if MASKED_ID_NUMBER.match(raw):
            return raw
    return id_number(value)


def choice(options: dict[str, str]) -> Callable:
    """A cleaner for a choice given by its Chinese label or its code: `options` maps every
    accepted spelling (lower-cased) to the stored code."""
    accepted = {key.lower(): code for key, code in options.items()}
    shown = "、".join(dict.fromkeys(key for key in options if not key.isascii()))

    def clean(value) -> str:
        raw = text(value)
        if raw == "":
            return ""
        try:
            return accepted[raw.lower()]
        except KeyError:
            raise CellError(
                _("“%(value)s” is not one of: %(options)s.") % {"value": raw, "options": shown}, "choice"
            ) from None

    return clean


def multiple_choice(options: dict[str, str], order: Iterable[str]) -> Callable:
    """A cleaner for several choices in one cell, separated by 、 , ; or spaces; returned in `order`."""
    one = choice(options)
    order = list(order)

    def clean(value) -> list[str] | None:
        raw = text(value)
        if raw == "":
            return None
        codes = {one(part) for part in _LIST_SEPARATORS.split(raw) if part}
        return [code for code in order if code in codes]

    return clean


def max_length(cleaner: Callable, limit: int) -> Callable:
    """`cleaner`, refusing text longer than `limit` characters."""

    def clean(value):
        cleaned = cleaner(value)
        if isinstance(cleaned, str) and len(cleaned) > limit:
            raise CellError(
                _("Too long: %(count)d characters, at most %(limit)d.")
                % {"count": len(cleaned), "limit": limit},
                "too_long",
            )
        return cleaned

    return clean
