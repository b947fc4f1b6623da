"""The reminders' rules: each answers "who is due on date D" in one set-based query.

Settings (with the defaults below): REMINDERS_MILESTONE_AGES, REMINDERS_MEDAL_DAY (month, day),
REMINDERS_OFFICER_TERM_DAYS.
"""

import datetime as dt

from django.conf import settings
from django.db.models import Q, QuerySet

from branches.models import BranchOfficer
from cadres.models import Cadre
from reminders import lunar

# 逢五逢十 from 80: the ages whose birthday brings a due visit.
MILESTONE_AGES = tuple(range(80, 121, 5))
MEDAL_DAY = (6, 1)  # the 50-year medals are awarded around 1 July: remind a month before
MEDAL_YEARS = 50
OFFICER_TERM_DAYS = 90


def milestone_ages() -> tuple[int, ...]:
    return tuple(getattr(settings, "REMINDERS_MILESTONE_AGES", MILESTONE_AGES))


def living(on: dt.date) -> Q:
    return Q(deceased_on__isnull=True) | Q(deceased_on__gt=on)


def solar_keys(on: dt.date) -> list[int]:
    """The month-day keys whose anniversary falls on `on`: 29 February falls on 28 February in other years."""
    keys = [on.month * 100 + on.day]
    if (on.month, on.day) == (2, 28) and (on + dt.timedelta(days=1)).month == 3:
        keys.append(229)
    return keys


def lunar_keys(on: dt.date) -> tuple[int, list[int]]:
    """(lunar year, month-day keys) of the lunar birthdays celebrated on `on`.

    In a leap month nobody celebrates (a leap-month birth keeps the ordinary month); on the
    29th of a 29-day month those born on the 30th celebrate too.
    """
    day = lunar.solar_to_lunar(on)
    if day.is_leap:
        return day.year, []
    keys = [day.month * 100 + day.day]
    if day.day == 29 and lunar.month_length(day.year, day.month) == 29:
        keys.append(day.month * 100 + 30)
    return day.year, keys


def solar_birthdays(*, on: dt.date) -> QuerySet[Cadre]:
    return Cadre.objects.filter(
        living(on), birthday_calendar=Cadre.BirthdayCalendar.SOLAR, birth_month_day__in=solar_keys(on)
    ).exclude(birth_date__gte=on)


def lunar_birthdays(*, on: dt.date) -> QuerySet[Cadre]:
    _year, keys = lunar_keys(on)
    return Cadre.objects.filter(
        living(on), birthday_calendar=Cadre.BirthdayCalendar.LUNAR, lunar_birth_month_day__in=keys
    ).exclude(birth_date__gte=on)


def milestone_birthdays(*, on: dt.date) -> QuerySet[Cadre]:
    """Birthdays (by the calendar each keeps) of the milestone ages, counted in that calendar's years."""
    ages = milestone_ages()
    lunar_year, keys = lunar_keys(on)
    solar = Q(
        birthday_calendar=Cadre.BirthdayCalendar.SOLAR,
        birth_month_day__in=solar_keys(on),
        birth_date__year__in=[on.year - age for age in ages],
    )
    by_lunar = Q(
        birthday_calendar=Cadre.BirthdayCalendar.LUNAR,
        lunar_birth_month_day__in=keys,
        lunar_birth_year__in=[lunar_year - age for age in ages],
    )
    return Cadre.objects.filter(living(on)).filter(solar | by_lunar)


def political_birthdays(*, on: dt.date) -> QuerySet[Cadre]:
    """The anniversary of joining the Party (政治生日)."""
    return Cadre.objects.filter(living(on), party_join_month_day__in=solar_keys(on), party_join_date__lt=on)


def medal_awarded(queryset: QuerySet[Cadre], *, year: int) -> QuerySet[Cadre]:
    """HOOK: those of `queryset` already awarded the 50-year medal. No award record exists yet;
    when benefits records medals, return the awarded ones here and medal_due excludes them."""
    return queryset.none()


def medal_due(*, on: dt.date) -> QuerySet[Cadre]:
    """On the medal day: members whose standing reaches 50 years in `on`'s year, not yet awarded."""
    month, day = getattr(settings, "REMINDERS_MEDAL_DAY", MEDAL_DAY)
    if (on.month, on.day) != (month, day):
        return Cadre.objects.none()
    year = on.year - MEDAL_YEARS
    due = Cadre.objects.filter(
        living(on), party_join_date__gte=dt.date(year, 1, 1), party_join_date__lte=dt.date(year, 12, 31)
    )
    return due.exclude(pk__in=medal_awarded(due, year=on.year).values("pk"))


def officer_terms_ending(*, on: dt.date) -> QuerySet[BranchOfficer]:
    """Officers of living cadres whose term ends within the next 90 days (换届 due)."""
    days = getattr(settings, "REMINDERS_OFFICER_TERM_DAYS", OFFICER_TERM_DAYS)
    return BranchOfficer.objects.filter(
        Q(cadre__deceased_on__isnull=True) | Q(cadre__deceased_on__gt=on),
        term_end__gte=on,
        term_end__lte=on + dt.timedelta(days=days),
    )
