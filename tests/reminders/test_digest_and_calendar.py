"""E-mail digests, a year of daily runs in a leap and a non-leap year, and Asia/Shanghai's midnight."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from lunardate import LunarDate

from cadres.models import Cadre
from reminders.models import Reminder
from reminders.services import run_reminders, send_digests, today_in_shanghai
from reminders.tasks import run_daily
from tests.factories import CadreFactory

pytestmark = pytest.mark.django_db

ON = dt.date(2025, 3, 14)


def test_one_digest_per_recipient_sent_once(
    cadre_a, cadre_b, secretary_a, staff_user, django_capture_on_commit_callbacks
):
    secretary_a.email = "secretary@example.org"
    secretary_a.save(update_fields=["email"])
    staff_user.email = ""
    staff_user.save(update_fields=["email"])
    run_reminders(on=ON)
    with django_capture_on_commit_callbacks(execute=True):
        assert send_digests(on=ON) == 1  # the staff member has no address
    assert [message.to for message in mail.outbox] == [["secretary@example.org"]]
    assert cadre_a.name in mail.outbox[0].body and cadre_b.name not in mail.outbox[0].body
    with django_capture_on_commit_callbacks(execute=True):
        assert send_digests(on=ON) == 0
    assert len(mail.outbox) == 1
    assert Reminder.objects.filter(recipient=secretary_a, notified_at__isnull=False).count() == 1


def _a_year_of_runs(year):
    day = dt.date(year, 1, 1)
    while day.year == year:
        run_reminders(on=day)
        day += dt.timedelta(days=1)


@pytest.mark.parametrize("year", [2024, 2025])
def test_each_person_gets_one_birthday_reminder_a_year(year, staff_user):
    born = [dt.date(1948, 2, 29), dt.date(1950, 2, 28), dt.date(1950, 3, 1), dt.date(1951, 12, 31)]
    solar = [CadreFactory(birth_date=day) for day in born]
    lunar_born = [
        LunarDate(1941, 6, 10, 1).to_solar_date(),  # a leap sixth month
        next(LunarDate(y, 3, 30).to_solar_date() for y in range(1940, 1960) if _has(y, 3, 30)),
        LunarDate(1950, 12, 29).to_solar_date(),
        LunarDate(1950, 1, 1).to_solar_date(),
    ]
    lunar = [
        CadreFactory(birth_date=day, birthday_calendar=Cadre.BirthdayCalendar.LUNAR) for day in lunar_born
    ]
    _a_year_of_runs(year)
    for cadre in solar:
        dates = list(
            Reminder.objects.filter(cadre=cadre, rule="birthday").values_list("occasion_date", flat=True)
        )
        assert len(dates) == 1, (cadre.birth_date, dates)
    assert Reminder.objects.get(cadre=solar[0]).occasion_date == (
        dt.date(2024, 2, 29) if year == 2024 else dt.date(2025, 2, 28)
    )
    for cadre in lunar:
        # A solar year holds one lunar birthday, or two when a lunar year begins and ends in it
        # (the 12th month's birthdays of both ends): never none, never two in one lunar year.
        dates = list(
            Reminder.objects.filter(cadre=cadre, rule="lunar_birthday").values_list(
                "occasion_date", flat=True
            )
        )
        lunar_years = [LunarDate.from_solar_date(d.year, d.month, d.day).year for d in dates]
        assert dates and len(set(lunar_years)) == len(lunar_years), (cadre.birth_date, dates)


def _has(year, month, day):
    try:
        LunarDate(year, month, day).to_solar_date()
    except ValueError:
        return False
    return True


def test_today_is_shanghais_date_across_utc_midnight():
    # 16:30 UTC on 13 March is 00:30 on 14 March in Shanghai.
    with time_machine.travel(dt.datetime(2025, 3, 13, 16, 30, tzinfo=dt.UTC), tick=False):
        assert today_in_shanghai() == dt.date(2025, 3, 14)
    with time_machine.travel(dt.datetime(2025, 3, 13, 15, 59, tzinfo=dt.UTC), tick=False):
        assert today_in_shanghai() == dt.date(2025, 3, 13)


def test_the_daily_task_uses_shanghais_today(cadre_a, staff_user):
    with time_machine.travel(dt.datetime(2025, 3, 13, 16, 30, tzinfo=dt.UTC), tick=False):
        counts = run_daily.apply().get()  # in this process, broker or not
    assert counts["birthday"] == 1
    assert Reminder.objects.get().due_on == ON
