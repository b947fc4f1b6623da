import datetime as dt
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.db.models import F

from cadres.models import Cadre
from reminders.demo import seed_reminders
from reminders.models import Reminder
from reminders.services import SHANGHAI

pytestmark = pytest.mark.django_db


def test_the_demo_reminders_are_true_to_the_registry():
    today = dt.date(2026, 11, 23)
    with time_machine.travel(dt.datetime(2026, 11, 23, 10, tzinfo=SHANGHAI), tick=False):
        call_command("seed_demo", cadres=200, seed=1, stdout=StringIO())
    reminders = Reminder.objects.count()
    done = Reminder.objects.filter(done_at__isnull=False).count()
    assert 0 < done < reminders
    # The care rules have their share: the demo's open occasions and contacts are reminded.
    assert Reminder.objects.filter(rule__in=["visit_due", "visit_overdue"]).exists()
    # Every solar birthday reminder falls on the cadre's birthday; nobody deceased is reminded.
    for reminder in Reminder.objects.filter(rule="birthday").select_related("cadre"):
        born = reminder.cadre.birth_date
        assert (born.month, born.day) == (reminder.occasion_date.month, reminder.occasion_date.day) or (
            (born.month, born.day) == (2, 29)
            and (reminder.occasion_date.month, reminder.occasion_date.day) == (2, 28)
        )
    assert not Reminder.objects.filter(cadre__deceased_on__lte=F("occasion_date")).exists()
    assert not Reminder.objects.filter(due_on__gt=today).exists()
    # Every living lunar-calendar cadre carries the keys its rule reads.
    assert not Cadre.objects.filter(birthday_calendar="lunar", lunar_birth_month_day__isnull=True).exists()
    # Done ones were closed by their recipient.
    assert not Reminder.objects.filter(done_at__isnull=False).exclude(done_by=F("recipient")).exists()
    # Running the demo again writes nothing new.
    assert seed_reminders(seed=1, today=today)["reminders"] == 0
