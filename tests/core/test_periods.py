import datetime as dt

import pytest

from core.periods import MONTH, QUARTER, YEAR, parse_period, period_of


def test_it_finds_the_quarter_of_a_day():
    quarter = period_of(QUARTER, dt.date(2026, 8, 31))
    assert (quarter.start, quarter.end, quarter.label) == (
        dt.date(2026, 7, 1),
        dt.date(2026, 10, 1),
        "2026-Q3",
    )


def test_it_ends_december_in_the_next_year():
    assert period_of(MONTH, dt.date(2026, 12, 5)).end == dt.date(2027, 1, 1)


def test_it_splits_a_year_into_months_and_quarters():
    year = parse_period("2026")
    assert len(year.slots(MONTH)) == 12
    assert [q.label for q in year.slots(QUARTER)] == ["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"]
    assert year.slots(YEAR) == [year]


def test_a_month_has_no_quarter_slots():
    assert parse_period("2026-07").slots(QUARTER) == []


@pytest.mark.parametrize(
    ("text", "unit", "start"),
    [
        ("2026-07", MONTH, dt.date(2026, 7, 1)),
        ("2026-7", MONTH, dt.date(2026, 7, 1)),
        ("2026-q4", QUARTER, dt.date(2026, 10, 1)),
        ("2025", YEAR, dt.date(2025, 1, 1)),
    ],
)
def test_it_parses_periods(text, unit, start):
    period = parse_period(text)
    assert (period.unit, period.start) == (unit, start)


@pytest.mark.parametrize("text", ["2026-13", "2026-Q5", "July", "", "2026-00"])
def test_it_refuses_what_is_not_a_period(text):
    with pytest.raises(ValueError):
        parse_period(text)
