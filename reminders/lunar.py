"""The Chinese lunar calendar (农历) for birthdays, on lunar-python's astronomical tables.

lunardate (a second, table-based library) checks it in tests/reminders/test_lunar.py; the
two disagree on three historical months only, listed there.

Birthday rules (DOMAIN.md): one born in a leap month (闰月) celebrates in the ordinary month
of the same number; one born on the 30th celebrates on the 29th when that month has 29 days.
"""

import datetime as dt
from functools import lru_cache
from typing import NamedTuple

from lunar_python import LunarYear, Solar

_EPOCH = dt.date(2000, 1, 1)
_EPOCH_JD = 2451545  # the Julian day number of 2000-01-01


class LunarDay(NamedTuple):
    year: int
    month: int  # 1..12, the month's number (a leap month has its ordinary month's number)
    day: int  # 1..30
    is_leap: bool


class LunarMonth(NamedTuple):
    month: int
    is_leap: bool
    first: dt.date
    days: int


def _date_of(julian_day) -> dt.date:
    return _EPOCH + dt.timedelta(days=int(julian_day) - _EPOCH_JD)


@lru_cache(maxsize=512)
def months_of(lunar_year: int) -> tuple[LunarMonth, ...]:
    """The months of a lunar year in order, leap month included."""
    return tuple(
        LunarMonth(
            abs(month.getMonth()),
            month.getMonth() < 0,
            _date_of(month.getFirstJulianDay()),
            month.getDayCount(),
        )
        for month in LunarYear.fromYear(lunar_year).getMonthsInYear()
    )


def solar_to_lunar(day: dt.date) -> LunarDay:
    """The lunar date of a solar (Gregorian) date."""
    for year in (day.year, day.year - 1):
        for month in months_of(year):
            offset = (day - month.first).days
            if 0 <= offset < month.days:
                return LunarDay(year, month.month, offset + 1, month.is_leap)
    # Unreachable for real dates; lunar-python answers for any year.
    lunar = Solar.fromYmd(day.year, day.month, day.day).getLunar()
    return LunarDay(lunar.getYear(), abs(lunar.getMonth()), lunar.getDay(), lunar.getMonth() < 0)


def ordinary_month(lunar_year: int, month: int) -> LunarMonth:
    return next(m for m in months_of(lunar_year) if m.month == month and not m.is_leap)


def month_length(lunar_year: int, month: int) -> int:
    """Days (29 or 30) in the ordinary month `month` of `lunar_year`."""
    return ordinary_month(lunar_year, month).days


def birthday_in(lunar_year: int, month: int, day: int) -> dt.date:
    """The solar date on which one born on lunar `month`/`day` celebrates in `lunar_year`.

    Born in a leap month: pass the month's number, the ordinary month is used. Born on the
    30th: the 29th when that month has only 29 days.
    """
    target = ordinary_month(lunar_year, month)
    return target.first + dt.timedelta(days=min(day, target.days) - 1)
