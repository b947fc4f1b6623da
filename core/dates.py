"""Age arithmetic on dates, shared by filters, selectors and reports."""

import datetime as dt


def years_after(day: dt.date, years: int) -> dt.date:
    """The same calendar day `years` later; 29 February falls back to 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def years_before(day: dt.date, years: int) -> dt.date:
    """The same calendar day `years` earlier; 29 February falls back to 28 February."""
    return years_after(day, -years)


def age_on(born: dt.date, day: dt.date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def birth_range_for_ages(today: dt.date, low: int | None, high: int | None) -> dict:
    """Lookup kwargs on a birth date for ages in [low, high) on `today`."""
    lookups = {}
    if low is not None:
        lookups["lte"] = years_before(today, low)
    if high is not None:
        lookups["gt"] = years_before(today, high)
    return lookups
