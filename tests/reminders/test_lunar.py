"""reminders.lunar (lunar-python) checked day by day against a second library, lunardate."""

import datetime as dt

from lunardate import LunarDate

from reminders import lunar

# The days 1920–2050 on which the two libraries disagree: three historical months whose
# first day each puts one day apart (lunar-python computes new moons; lunardate reads a table).
# Found by running the comparison below; a change in either library shows up here.
KNOWN_DISAGREEMENTS = [
    # (first day, last day, lunar-python's lunar date of the first day, lunardate's)
    (dt.date(1933, 7, 22), dt.date(1933, 8, 20), (1933, 5, 30, True), (1933, 6, 1, False)),
    (dt.date(1954, 11, 25), dt.date(1954, 12, 24), (1954, 11, 1, False), (1954, 10, 30, False)),
    (dt.date(1978, 9, 2), dt.date(1978, 10, 1), (1978, 7, 30, False), (1978, 8, 1, False)),
]


def _second_opinion(day: dt.date) -> tuple:
    other = LunarDate.from_solar_date(day.year, day.month, day.day)
    return (other.year, other.month, other.day, bool(other.is_leap_month))


def test_every_day_1920_to_2050_agrees_with_lunardate_except_the_known_months():
    disagreements = []
    day = dt.date(1920, 1, 1)
    while day <= dt.date(2050, 12, 31):
        ours, theirs = tuple(lunar.solar_to_lunar(day)), _second_opinion(day)
        if ours != theirs:
            if disagreements and (day - disagreements[-1][1]).days == 1:
                disagreements[-1][1] = day
            else:
                disagreements.append([day, day, ours, theirs])
        day += dt.timedelta(days=1)
    assert [tuple(run) for run in disagreements] == KNOWN_DISAGREEMENTS


def test_known_dates():
    # 2023 had a leap second month (闰二月) from 22 March.
    assert lunar.solar_to_lunar(dt.date(2023, 3, 22)) == (2023, 2, 1, True)
    assert lunar.solar_to_lunar(dt.date(2023, 1, 22)) == (2023, 1, 1, False)  # Spring Festival
    assert lunar.solar_to_lunar(dt.date(2023, 1, 21)) == (2022, 12, 30, False)


def test_a_leap_month_birth_is_celebrated_in_the_ordinary_month():
    born = lunar.solar_to_lunar(dt.date(2023, 4, 1))
    assert born.is_leap and born.month == 2
    expected = LunarDate(2024, 2, born.day).to_solar_date()
    assert lunar.birthday_in(2024, born.month, born.day) == expected


def test_one_born_on_the_30th_celebrates_on_the_29th_of_a_short_month():
    # The third month of 2023 has 29 days (20 April – 18 May); the second has 30.
    assert lunar.month_length(2023, 3) == 29
    assert lunar.birthday_in(2023, 3, 30) == dt.date(2023, 5, 18)
    assert lunar.month_length(2023, 2) == 30
    assert lunar.birthday_in(2023, 2, 30) == dt.date(2023, 3, 21)
