"""Reporting periods (month, quarter, year) and the slots a required activity must fill."""

import datetime as dt
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

MONTH = "month"
QUARTER = "quarter"
YEAR = "year"
_UNIT_MONTHS = {MONTH: 1, QUARTER: 3, YEAR: 12}
_PATTERNS = [
    (re.compile(r"^(\d{4})-(\d{1,2})$"), MONTH),
    (re.compile(r"^(\d{4})-Q([1-4])$", re.IGNORECASE), QUARTER),
    (re.compile(r"^(\d{4})$"), YEAR),
]


@dataclass(frozen=True)
class Period:
    """A calendar month, quarter or year: [start, end)."""

    unit: str
    start: dt.date
    end: dt.date

    @property
    def label(self) -> str:
        if self.unit == YEAR:
            return f"{self.start.year}"
        if self.unit == QUARTER:
            return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"
        return f"{self.start.year}-{self.start.month:02d}"

    def slots(self, unit: str) -> list["Period"]:
        """The `unit`-long periods inside this one (none when `unit` is longer than the period)."""
        if _UNIT_MONTHS[unit] > _UNIT_MONTHS[self.unit]:
            return []
        slots, start = [], self.start
        while start < self.end:
            slot = period_of(unit, start)
            slots.append(slot)
            start = slot.end
        return slots


def period_of(unit: str, day: dt.date) -> Period:
    """The month, quarter or year that contains `day`."""
    months = _UNIT_MONTHS[unit]
    first_month = (day.month - 1) // months * months + 1
    start = dt.date(day.year, first_month, 1)
    end_month = first_month + months
    end = dt.date(day.year + (end_month - 1) // 12, (end_month - 1) % 12 + 1, 1)
    return Period(unit, start, end)


def parse_period(text: str) -> Period:
    """Read "2026-07", "2026-Q3" or "2026"; raise ValueError with a message otherwise."""
    text = (text or "").strip()
    for pattern, unit in _PATTERNS:
        match = pattern.match(text)
        if not match:
            continue
        year = int(match.group(1))
        if unit == YEAR:
            return period_of(YEAR, dt.date(year, 1, 1))
        number = int(match.group(2))
        if unit == QUARTER:
            return period_of(QUARTER, dt.date(year, number * 3 - 2, 1))
        if 1 <= number <= 12:
            return period_of(MONTH, dt.date(year, number, 1))
    raise ValueError(_("A period is a month (2026-07), a quarter (2026-Q3) or a year (2026)."))
