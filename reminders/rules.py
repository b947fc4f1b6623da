"""The reminders' rules: each answers "who is due on date D" in one set-based query.

The birthday rules take a window of days, [on, until], and annotate each person with
`occasion_date`, the day of the window their anniversary falls on: the engine looks a few
days ahead (REMINDERS_BIRTHDAY_LEAD_DAYS), and a day the job did not run is caught up by the
next run whose window still covers it.

Settings (with the defaults below): REMINDERS_MILESTONE_AGES, REMINDERS_MEDAL_DAY (month, day),
REMINDERS_OFFICER_TERM_DAYS, REMINDERS_BIRTHDAY_LEAD_DAYS.
"""

import datetime as dt

from django.conf import settings
from django.db.models import Case, DateField, Exists, OuterRef, Q, QuerySet, Value, When

from benefits.models import ContactAssignment, MedalAward, Occasion
from benefits.selectors import contacts_overdue, visits_overdue
from branches.models import BranchOfficer
from cadres.models import Cadre
from reminders import lunar

# 逢五逢十 from 80: the ages whose birthday brings a due visit.
MILESTONE_AGES = tuple(range(80, 121, 5))
MEDAL_DAY = (6, 1)  # the 50-year medals are awarded around 1 July: remind a month before
MEDAL_YEARS = 50
OFFICER_TERM_DAYS = 90
BIRTHDAY_LEAD_DAYS = 3
# The month-day keys of a window must name one day each, so a window stays under a month.
MAX_LEAD_DAYS = 27


def milestone_ages() -> tuple[int, ...]:
    return tuple(getattr(settings, "REMINDERS_MILESTONE_AGES", MILESTONE_AGES))


def birthday_lead_days() -> int:
    days = int(getattr(settings, "REMINDERS_BIRTHDAY_LEAD_DAYS", BIRTHDAY_LEAD_DAYS))
    return min(max(days, 0), MAX_LEAD_DAYS)


def window(on: dt.date, until: dt.date | None) -> list[dt.date]:
    last = until or on
    return [on + dt.timedelta(days=offset) for offset in range((last - on).days + 1)]


def _on_day(conditions: list[tuple[Q, dt.date]]) -> Case:
    """The window's day on which each row's condition holds, as `occasion_date`."""
    return Case(
        *(When(condition, then=Value(day)) for condition, day in conditions), output_field=DateField()
    )


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


def solar_birthdays(*, on: dt.date, until: dt.date | None = None) -> QuerySet[Cadre]:
    """Those keeping the solar calendar whose birthday falls in [on, until]."""
    days = {key: day for day in window(on, until) for key in solar_keys(day)}
    return (
        Cadre.objects.filter(
            living(on), birthday_calendar=Cadre.BirthdayCalendar.SOLAR, birth_month_day__in=list(days)
        )
        .exclude(birth_date__gte=on)
        .annotate(occasion_date=_on_day([(Q(birth_month_day=key), day) for key, day in days.items()]))
    )


def lunar_birthdays(*, on: dt.date, until: dt.date | None = None) -> QuerySet[Cadre]:
    """Those keeping the lunar calendar whose lunar birthday falls in [on, until]."""
    days = {key: day for day in window(on, until) for key in lunar_keys(day)[1]}
    return (
        Cadre.objects.filter(
            living(on), birthday_calendar=Cadre.BirthdayCalendar.LUNAR, lunar_birth_month_day__in=list(days)
        )
        .exclude(birth_date__gte=on)
        .annotate(occasion_date=_on_day([(Q(lunar_birth_month_day=key), day) for key, day in days.items()]))
    )


def _milestone_on(day: dt.date, ages: tuple[int, ...]) -> tuple[Q, Q]:
    """(whose milestone birthday falls on `day`, the same without the age): by each one's calendar."""
    lunar_year, keys = lunar_keys(day)
    solar_day = Q(birthday_calendar=Cadre.BirthdayCalendar.SOLAR, birth_month_day__in=solar_keys(day))
    lunar_day = Q(birthday_calendar=Cadre.BirthdayCalendar.LUNAR, lunar_birth_month_day__in=keys)
    due = (solar_day & Q(birth_date__year__in=[day.year - age for age in ages])) | (
        lunar_day & Q(lunar_birth_year__in=[lunar_year - age for age in ages])
    )
    return due, solar_day | lunar_day


def milestone_birthdays(*, on: dt.date, until: dt.date | None = None) -> QuerySet[Cadre]:
    """Birthdays (by the calendar each keeps) of the milestone ages, counted in that calendar's years."""
    ages = milestone_ages()
    conditions = [(day, *_milestone_on(day, ages)) for day in window(on, until)]
    due = Q()
    for _day, on_day, _any_age in conditions:
        due |= on_day
    return (
        Cadre.objects.filter(living(on))
        .filter(due)
        .annotate(occasion_date=_on_day([(any_age, day) for day, _due, any_age in conditions]))
    )


def political_birthdays(*, on: dt.date, until: dt.date | None = None) -> QuerySet[Cadre]:
    """The anniversary of joining the Party (政治生日) in [on, until]."""
    days = {key: day for day in window(on, until) for key in solar_keys(day)}
    return Cadre.objects.filter(
        living(on), party_join_month_day__in=list(days), party_join_date__lt=on
    ).annotate(occasion_date=_on_day([(Q(party_join_month_day=key), day) for key, day in days.items()]))


def medal_due(*, on: dt.date) -> QuerySet[Cadre]:
    """On the medal day: members whose standing reaches 50 years in `on`'s year, not yet awarded."""
    month, day = getattr(settings, "REMINDERS_MEDAL_DAY", MEDAL_DAY)
    year = on.year - MEDAL_YEARS
    due = Cadre.objects.filter(
        living(on), party_join_date__gte=dt.date(year, 1, 1), party_join_date__lte=dt.date(year, 12, 31)
    )
    if (on.month, on.day) != (month, day):
        due = due.none()
    # Awarded once in a life: anyone holding the medal is skipped, whatever the year.
    awarded = MedalAward.objects.filter(cadre=OuterRef("pk"), kind=MedalAward.Kind.PARTY_50_YEARS)
    return due.filter(~Exists(awarded)).annotate(occasion_date=Value(on, output_field=DateField()))


def officer_terms_ending(*, on: dt.date) -> QuerySet[BranchOfficer]:
    """Officers of living cadres whose term ends within the next 90 days (换届 due)."""
    days = getattr(settings, "REMINDERS_OFFICER_TERM_DAYS", OFFICER_TERM_DAYS)
    deceased = Cadre.objects.filter(pk=OuterRef("cadre_id"), deceased_on__isnull=False, deceased_on__lte=on)
    return BranchOfficer.objects.filter(term_end__gte=on, term_end__lte=on + dt.timedelta(days=days)).filter(
        ~Exists(deceased)
    )


def visits_due(*, on: dt.date) -> QuerySet[Occasion]:
    """Open occasions (六必访) whose visit is due by now but not yet overdue: "a visit is due when the
    occasion is recorded"."""
    return (
        Occasion.objects.filter(occurred_on__lte=on, due_on__gte=on, visits__isnull=True)
        .filter(Q(cadre__deceased_on__isnull=True) | Q(kind=Occasion.Kind.DEATH))
        .order_by()
    )


def visits_overdue_on(*, on: dt.date) -> QuerySet[Occasion]:
    """Open occasions whose visit was due before `on` (benefits.selectors.visits_overdue)."""
    return visits_overdue(on=on).select_related(None).order_by()


def contacts_overdue_on(*, on: dt.date) -> QuerySet[ContactAssignment]:
    """Open one-to-one contacts whose next contact was due before `on`, with `contact_due_on`."""
    return contacts_overdue(on=on).select_related(None).order_by()
