"""run_reminders writes each reminder once, to the right people; the command runs it."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from accounts.models import Role
from branches.services import officer_appoint
from reminders.models import Reminder
from reminders.services import reminder_mark_done, run_reminders
from tests.factories import CadreFactory, UserFactory

pytestmark = pytest.mark.django_db

ON = dt.date(2025, 3, 14)  # CadreFactory's cadres are born on 14 March 1950


def test_a_second_run_inserts_nothing(branch_a, cadre_a, secretary_a):
    first = run_reminders(on=ON)
    assert first[Reminder.Rule.BIRTHDAY] == 1
    assert run_reminders(on=ON) == dict.fromkeys(Reminder.Rule.values, 0)
    assert list(Reminder.objects.values_list("rule", "cadre", "recipient")) == [
        (Reminder.Rule.BIRTHDAY, cadre_a.pk, secretary_a.pk)
    ]


def test_the_branchs_secretaries_receive_else_the_bureau_staff(
    branch_a, branch_b, cadre_a, cadre_b, secretary_a, staff_user
):
    second_secretary = UserFactory(role=Role.BRANCH_SECRETARY, branch=branch_a)
    UserFactory(role=Role.AUDITOR)
    homeless = CadreFactory(name="无支部")
    run_reminders(on=ON)
    recipients = {(cadre, user) for cadre, user in Reminder.objects.values_list("cadre", "recipient")}
    assert recipients == {
        (cadre_a.pk, secretary_a.pk),
        (cadre_a.pk, second_secretary.pk),
        (cadre_b.pk, staff_user.pk),  # branch b has no secretary
        (homeless.pk, staff_user.pk),
    }


def test_deceased_cadres_get_none(staff_user):
    CadreFactory(deceased_on=dt.date(2024, 1, 1), party_join_date=dt.date(1975, 3, 14))
    assert sum(run_reminders(on=ON).values()) == 0
    assert not Reminder.objects.exists()


def test_officer_term_reminder_once_per_term(branch_a, cadre_a, secretary_a):
    officer_appoint(
        branch=branch_a,
        cadre=cadre_a,
        role="secretary",
        term_start=dt.date(2022, 6, 1),
        term_end=dt.date(2025, 6, 1),
    )
    assert run_reminders(on=dt.date(2025, 3, 5))[Reminder.Rule.OFFICER_TERM_END] == 1
    # The next day the same term end is not reminded again.
    assert run_reminders(on=dt.date(2025, 3, 6))[Reminder.Rule.OFFICER_TERM_END] == 0
    reminder = Reminder.objects.get(rule=Reminder.Rule.OFFICER_TERM_END)
    assert (reminder.occasion_date, reminder.recipient, reminder.officer.cadre) == (
        dt.date(2025, 6, 1),
        secretary_a,
        cadre_a,
    )


def test_mark_done_by_the_recipient_only(cadre_a, secretary_a, staff_user):
    run_reminders(on=ON)
    reminder = Reminder.objects.get()
    with pytest.raises(Exception, match="recipient"):
        reminder_mark_done(reminder=reminder, user=staff_user)
    reminder_mark_done(reminder=reminder, user=secretary_a)
    reminder.refresh_from_db()
    assert reminder.done_by == secretary_a and reminder.done_at is not None


def test_the_command_runs_a_given_date(cadre_a, staff_user):
    out = StringIO()
    call_command("run_reminders", "--date", "2025-03-14", stdout=out)
    assert "birthday: 1" in out.getvalue()
    assert Reminder.objects.filter(due_on=ON, recipient=staff_user).count() == 1
    with pytest.raises(CommandError):
        call_command("run_reminders", "--date", "14/03/2025")


def test_a_milestone_birthday_records_a_due_visit_once(staff_user):
    benefits_models = pytest.importorskip("benefits.models")
    pytest.importorskip("benefits.services")
    cadre = CadreFactory(birth_date=dt.date(1945, 3, 14))
    assert run_reminders(on=ON)[Reminder.Rule.MILESTONE_BIRTHDAY] == 1
    run_reminders(on=ON)
    occasions = benefits_models.Occasion.objects.filter(cadre=cadre)
    assert list(occasions.values_list("kind", "occurred_on")) == [("milestone_birthday", ON)]


def test_the_command_sends_the_digests_when_asked(cadre_a, mailoutbox, django_capture_on_commit_callbacks):
    UserFactory(username="mailed_staff", role=Role.BUREAU_STAFF, email="staff@example.com")
    call_command("run_reminders", "--date", "2025-03-14", stdout=StringIO())
    assert mailoutbox == []
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):  # the mail goes out after the commit
        call_command("run_reminders", "--date", "2025-03-14", "--send-digests", stdout=out)
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["staff@example.com"]
    assert "1 digests e-mailed" in out.getvalue()
