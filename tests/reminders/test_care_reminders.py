"""Birthdays a few days ahead, and the care rules: visits due and overdue, contacts overdue, medals;
each closed by the record that answers it."""

import datetime as dt

import pytest

from accounts.models import Role
from benefits.models import MedalAward, Occasion
from benefits.services import (
    assignment_create,
    contact_log_record,
    medal_award,
    occasion_record,
    visit_record,
)
from reminders import rules
from reminders.models import Reminder
from reminders.services import close_reminders, run_reminders
from tests.factories import CadreFactory, UserFactory

pytestmark = pytest.mark.django_db

Rule = Reminder.Rule
BIRTHDAY = dt.date(2025, 3, 14)  # CadreFactory's cadres are born on 14 March 1950


def _ledger(rule):
    return list(
        Reminder.objects.filter(rule=rule).values_list("cadre", "occasion_date", "due_on", "recipient")
    )


# Birthdays ahead


def test_a_birthday_is_reminded_the_lead_days_ahead_and_once(settings, cadre_a, secretary_a):
    settings.REMINDERS_BIRTHDAY_LEAD_DAYS = 3
    assert run_reminders(on=BIRTHDAY - dt.timedelta(days=4))[Rule.BIRTHDAY] == 0
    assert run_reminders(on=BIRTHDAY - dt.timedelta(days=3))[Rule.BIRTHDAY] == 1
    for later in range(-2, 1):
        assert run_reminders(on=BIRTHDAY + dt.timedelta(days=later))[Rule.BIRTHDAY] == 0
    assert _ledger(Rule.BIRTHDAY) == [(cadre_a.pk, BIRTHDAY, BIRTHDAY - dt.timedelta(days=3), secretary_a.pk)]


def test_a_day_the_job_did_not_run_is_caught_up(settings, cadre_a, secretary_a):
    settings.REMINDERS_BIRTHDAY_LEAD_DAYS = 3
    # Nothing ran on the 11th to the 13th: the 14th's run still covers that day's birthday.
    assert run_reminders(on=BIRTHDAY)[Rule.BIRTHDAY] == 1
    assert _ledger(Rule.BIRTHDAY) == [(cadre_a.pk, BIRTHDAY, BIRTHDAY, secretary_a.pk)]


def test_no_lead_means_the_day_itself(settings, cadre_a, secretary_a):
    settings.REMINDERS_BIRTHDAY_LEAD_DAYS = 0
    assert run_reminders(on=BIRTHDAY - dt.timedelta(days=1))[Rule.BIRTHDAY] == 0
    assert run_reminders(on=BIRTHDAY)[Rule.BIRTHDAY] == 1


def test_the_window_dates_each_person_on_their_own_day(django_assert_num_queries):
    leap_born = CadreFactory(birth_date=dt.date(1948, 2, 29))
    march_first = CadreFactory(birth_date=dt.date(1950, 3, 1))
    CadreFactory(birth_date=dt.date(1950, 3, 3))  # outside the window
    with django_assert_num_queries(1):
        due = dict(
            rules.solar_birthdays(on=dt.date(2025, 2, 27), until=dt.date(2025, 3, 2)).values_list(
                "id", "occasion_date"
            )
        )
    # 2025 has no 29 February: that birthday falls on the 28th.
    assert due == {leap_born.pk: dt.date(2025, 2, 28), march_first.pk: dt.date(2025, 3, 1)}


def test_a_political_birthday_ahead(settings, staff_user):
    settings.REMINDERS_BIRTHDAY_LEAD_DAYS = 5
    cadre = CadreFactory(birth_date=dt.date(1950, 8, 8), party_join_date=dt.date(1975, 7, 1))
    run_reminders(on=dt.date(2025, 6, 26))
    assert _ledger(Rule.POLITICAL_BIRTHDAY) == [
        (cadre.pk, dt.date(2025, 7, 1), dt.date(2025, 6, 26), staff_user.pk)
    ]


def test_a_milestone_ahead_records_its_visit_only_on_the_day(settings, staff_user):
    settings.REMINDERS_BIRTHDAY_LEAD_DAYS = 2
    cadre = CadreFactory(birth_date=dt.date(1945, 3, 14))  # 80 on 14 March 2025
    assert run_reminders(on=dt.date(2025, 3, 12))[Rule.MILESTONE_BIRTHDAY] == 1
    assert not Occasion.objects.exists()  # a visit cannot fall due for a day still ahead
    run_reminders(on=BIRTHDAY)
    occasion = Occasion.objects.get()
    assert (occasion.cadre_id, occasion.kind, occasion.occurred_on) == (
        cadre.pk,
        Occasion.Kind.MILESTONE_BIRTHDAY,
        BIRTHDAY,
    )
    assert _ledger(Rule.MILESTONE_BIRTHDAY) == [(cadre.pk, BIRTHDAY, dt.date(2025, 3, 12), staff_user.pk)]


# Visits (六必访)


@pytest.fixture
def recorder(db):
    return UserFactory(username="carer", role=Role.BUREAU_STAFF)


def test_a_recorded_occasion_is_due_then_overdue_and_the_visit_closes_both(
    cadre_a, secretary_a, recorder, staff_user
):
    occasion = occasion_record(
        cadre=cadre_a, kind=Occasion.Kind.HOSPITALISED, occurred_on=dt.date(2025, 5, 10), recorded_by=recorder
    )
    run_reminders(on=dt.date(2025, 5, 10))
    # The branch's secretary and who recorded it; not every member of staff.
    assert sorted(
        Reminder.objects.filter(rule=Rule.VISIT_DUE).values_list(
            "visit_occasion", "occasion_date", "recipient"
        )
    ) == sorted(
        [
            (occasion.pk, occasion.occurred_on, secretary_a.pk),
            (occasion.pk, occasion.occurred_on, recorder.pk),
        ]
    )
    assert run_reminders(on=occasion.due_on)[Rule.VISIT_DUE] == 0  # still due: nothing new

    after = occasion.due_on + dt.timedelta(days=1)
    assert run_reminders(on=after)[Rule.VISIT_OVERDUE] == 2
    assert run_reminders(on=after + dt.timedelta(days=1))[Rule.VISIT_OVERDUE] == 0

    visit_record(occasion=occasion, visited_on=after, visitors="王科长", recorded_by=recorder)
    closed = Reminder.objects.filter(visit_occasion=occasion)
    assert closed.count() == 4
    assert all(reminder.done_at and reminder.done_by_id == recorder.pk for reminder in closed)
    assert run_reminders(on=after + dt.timedelta(days=2))[Rule.VISIT_OVERDUE] == 0


def test_two_occasions_of_one_day_are_two_reminders(cadre_a, secretary_a):
    day = dt.date(2025, 5, 10)
    first = occasion_record(cadre=cadre_a, kind=Occasion.Kind.HOSPITALISED, occurred_on=day)
    second = occasion_record(cadre=cadre_a, kind=Occasion.Kind.FAMILY_EVENT, occurred_on=day)
    assert run_reminders(on=day)[Rule.VISIT_DUE] == 2
    assert set(Reminder.objects.values_list("visit_occasion", flat=True)) == {first.pk, second.pk}


def test_without_a_secretary_or_recorder_the_staff_are_told(cadre_b, staff_user):
    occasion = occasion_record(cadre=cadre_b, kind=Occasion.Kind.HARDSHIP, occurred_on=dt.date(2025, 5, 10))
    run_reminders(on=dt.date(2025, 5, 11))
    assert list(Reminder.objects.values_list("visit_occasion", "recipient")) == [(occasion.pk, staff_user.pk)]


def test_after_a_death_the_family_visit_is_still_reminded(branch_a, secretary_a):
    cadre = CadreFactory(branch=branch_a, deceased_on=dt.date(2025, 5, 9))
    occasion = occasion_record(cadre=cadre, kind=Occasion.Kind.DEATH, occurred_on=dt.date(2025, 5, 9))
    counts = run_reminders(on=dt.date(2025, 5, 10))
    assert counts[Rule.VISIT_DUE] == 1
    assert Reminder.objects.get().visit_occasion == occasion


# One-to-one contact


def test_an_overdue_contact_goes_to_its_staff_member_and_a_contact_closes_it(branch_a, secretary_a, recorder):
    cadre = CadreFactory(branch=branch_a, birth_date=dt.date(1950, 8, 8))
    assignment = assignment_create(
        staff=recorder, cadre=cadre, interval_days=30, started_on=dt.date(2025, 1, 1)
    )
    assert run_reminders(on=dt.date(2025, 1, 31))[Rule.CONTACT_OVERDUE] == 0  # due on the 31st
    assert run_reminders(on=dt.date(2025, 2, 1))[Rule.CONTACT_OVERDUE] == 1
    assert run_reminders(on=dt.date(2025, 2, 2))[Rule.CONTACT_OVERDUE] == 0
    reminder = Reminder.objects.get(rule=Rule.CONTACT_OVERDUE)
    assert (reminder.recipient_id, reminder.occasion_date, reminder.contact_assignment_id) == (
        recorder.pk,
        dt.date(2025, 1, 31),
        assignment.pk,
    )

    contact_log_record(
        assignment=assignment, contacted_on=dt.date(2025, 2, 3), method="phone", recorded_by=recorder
    )
    reminder.refresh_from_db()
    assert reminder.is_done and reminder.done_by_id == recorder.pk
    # The next contact is due 30 days after the last one.
    assert run_reminders(on=dt.date(2025, 3, 5))[Rule.CONTACT_OVERDUE] == 0
    assert run_reminders(on=dt.date(2025, 3, 6))[Rule.CONTACT_OVERDUE] == 1


# Medals


def test_the_medal_reminder_skips_the_awarded_and_an_award_closes_it(settings, staff_user):
    settings.REMINDERS_MEDAL_DAY = (6, 1)
    due = CadreFactory(party_join_date=dt.date(1975, 3, 1))
    awarded = CadreFactory(party_join_date=dt.date(1975, 4, 1))
    medal_award(cadre=awarded, kind=MedalAward.Kind.PARTY_50_YEARS, awarded_on=dt.date(2025, 5, 1))
    assert run_reminders(on=dt.date(2025, 6, 1))[Rule.MEDAL_50_YEARS] == 1
    reminder = Reminder.objects.get(rule=Rule.MEDAL_50_YEARS)
    assert reminder.cadre_id == due.pk

    medal_award(
        cadre=due, kind=MedalAward.Kind.PARTY_50_YEARS, awarded_on=dt.date(2025, 7, 1), recorded_by=staff_user
    )
    reminder.refresh_from_db()
    assert reminder.is_done


def test_close_reminders_needs_exactly_one_subject(cadre_a):
    with pytest.raises(ValueError):
        close_reminders()
    with pytest.raises(ValueError):
        close_reminders(medal_of=cadre_a, assignment=object())


# Recipients


def test_without_a_secretary_each_cadre_has_one_owner_among_the_staff(
    staff_user, django_assert_max_num_queries
):
    second = UserFactory(username="staff_two", role=Role.BUREAU_STAFF)
    UserFactory(username="retired_staff", role=Role.BUREAU_STAFF, is_active=False)
    cadres = [CadreFactory(birth_date=dt.date(1950, 3, 14)) for _ in range(6)]
    run_reminders(on=BIRTHDAY)
    owners = dict(Reminder.objects.filter(rule=Rule.BIRTHDAY).values_list("cadre", "recipient"))
    # One reminder per cadre, not one per member of staff; the work is shared between the active ones.
    assert Reminder.objects.filter(rule=Rule.BIRTHDAY).count() == len(cadres) == len(owners)
    assert set(owners.values()) == {staff_user.pk, second.pk}
    # The same cadre goes to the same person the next time.
    run_reminders(on=dt.date(2026, 3, 14))
    next_year = dict(
        Reminder.objects.filter(rule=Rule.BIRTHDAY, occasion_date=dt.date(2026, 3, 14)).values_list(
            "cadre", "recipient"
        )
    )
    assert next_year == owners


def test_a_run_is_a_constant_number_of_statements(
    staff_user, branch_a, secretary_a, django_assert_max_num_queries
):
    for _ in range(3):
        CadreFactory(branch=branch_a)
        CadreFactory()
    with django_assert_max_num_queries(40) as few:
        run_reminders(on=BIRTHDAY)
    for _ in range(20):
        CadreFactory(branch=branch_a)
        CadreFactory()
    Reminder.objects.all().delete()
    with django_assert_max_num_queries(40) as many:
        run_reminders(on=BIRTHDAY)
    assert len(many.captured_queries) == len(few.captured_queries)
    assert Reminder.objects.filter(rule=Rule.BIRTHDAY).count() == 46
