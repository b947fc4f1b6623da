"""Correcting and deleting an occasion: the due date follows, a visited one keeps what its visit says."""

import datetime as dt

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.urls import reverse

from benefits import services
from benefits.models import Occasion
from benefits.rules import visit_due_days
from reminders.models import Reminder
from reminders.services import run_reminders

pytestmark = pytest.mark.django_db

TODAY = dt.date.today()


def _days_ago(days):
    return TODAY - dt.timedelta(days=days)


@pytest.fixture
def occasion(cadre_a):
    return services.occasion_record(
        cadre=cadre_a, kind="hospitalised", occurred_on=_days_ago(10), note="脑梗住院"
    )


def test_a_new_date_moves_the_due_date(occasion):
    updated = services.occasion_update(occasion=occasion, kind="hardship", occurred_on=_days_ago(3), note="")
    updated.refresh_from_db()
    assert (updated.kind, updated.occurred_on, updated.note) == ("hardship", _days_ago(3), "")
    assert updated.due_on == _days_ago(3) + dt.timedelta(days=visit_due_days("hardship"))


def test_a_visited_occasion_keeps_its_kind_and_cannot_follow_its_visit(occasion):
    services.visit_record(occasion=occasion, visited_on=_days_ago(5), visitors="王科长")
    with pytest.raises(ValidationError) as kind_error:
        services.occasion_update(
            occasion=occasion, kind="hardship", occurred_on=occasion.occurred_on, note=""
        )
    assert "kind" in kind_error.value.message_dict
    with pytest.raises(ValidationError) as date_error:
        services.occasion_update(occasion=occasion, kind=occasion.kind, occurred_on=_days_ago(4), note="")
    assert "occurred_on" in date_error.value.message_dict
    services.occasion_update(occasion=occasion, kind=occasion.kind, occurred_on=_days_ago(6), note="出院")
    assert Occasion.objects.get(pk=occasion.pk).occurred_on == _days_ago(6)


def test_no_future_date_and_no_second_record_of_the_same_day(cadre_a, occasion):
    with pytest.raises(ValidationError):
        services.occasion_update(
            occasion=occasion, kind=occasion.kind, occurred_on=TODAY + dt.timedelta(days=1), note=""
        )
    other = services.occasion_record(cadre=cadre_a, kind="hospitalised", occurred_on=_days_ago(2))
    with pytest.raises(ValidationError) as error:
        services.occasion_update(occasion=other, kind="hospitalised", occurred_on=_days_ago(10), note="")
    assert "occurred_on" in error.value.message_dict
    assert Occasion.objects.get(pk=other.pk).occurred_on == _days_ago(2)


def test_deleting_takes_its_reminders_but_not_a_visited_one(occasion, staff_user):
    run_reminders(on=TODAY)
    assert Reminder.objects.filter(visit_occasion=occasion).exists()
    services.occasion_delete(occasion=occasion)
    assert not Occasion.objects.filter(pk=occasion.pk).exists()
    assert not Reminder.objects.exists()

    visited = services.occasion_record(cadre=occasion.cadre, kind="hardship", occurred_on=_days_ago(3))
    services.visit_record(occasion=visited, visited_on=_days_ago(1), visitors="王科长")
    with pytest.raises(ValidationError):
        services.occasion_delete(occasion=visited)
    assert Occasion.objects.filter(pk=visited.pk).exists()


def test_the_secretary_corrects_but_does_not_delete(client_as, secretary_a, occasion):
    client = client_as(secretary_a)
    page = client.get(reverse("benefits:occasion_update", args=[occasion.pk]))
    assert page.status_code == 200
    response = client.post(
        reverse("benefits:occasion_update", args=[occasion.pk]),
        {"kind": "hospitalised", "occurred_on": _days_ago(8).isoformat(), "note": "复查"},
    )
    assert response.status_code == 302
    occasion.refresh_from_db()
    assert (occasion.occurred_on, occasion.note) == (_days_ago(8), "复查")
    assert client.post(reverse("benefits:occasion_delete", args=[occasion.pk])).status_code == 403
    assert Occasion.objects.filter(pk=occasion.pk).exists()


def test_the_edit_form_hides_the_note_from_who_may_not_read_it(client_as, auditor, staff_user, occasion):
    url = reverse("benefits:occasion_update", args=[occasion.pk])
    assert "脑梗住院" in client_as(staff_user).get(url).content.decode()
    assert client_as(auditor).get(url).status_code == 403  # an auditor reads, and changes nothing

    # One who may correct occasions but not read personal details: no note shown, and it is kept.
    auditor.user_permissions.add(Permission.objects.get(codename="change_occasion"))
    client = client_as(auditor)
    page = client.get(url)
    assert page.status_code == 200 and "脑梗住院" not in page.content.decode()
    assert "note" not in page.context["form"].fields
    client.post(url, {"kind": "hospitalised", "occurred_on": _days_ago(9).isoformat()})
    occasion.refresh_from_db()
    assert (occasion.occurred_on, occasion.note) == (_days_ago(9), "脑梗住院")


def test_staff_delete_an_open_occasion_and_are_told_when_it_was_visited(client_as, staff_user, occasion):
    client = client_as(staff_user)
    assert (
        str(occasion) in client.get(reverse("benefits:occasion_delete", args=[occasion.pk])).content.decode()
    )
    response = client.post(reverse("benefits:occasion_delete", args=[occasion.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("benefits:occasion_list")
    assert not Occasion.objects.filter(pk=occasion.pk).exists()

    visited = services.occasion_record(cadre=occasion.cadre, kind="hardship", occurred_on=_days_ago(3))
    services.visit_record(occasion=visited, visited_on=_days_ago(1), visitors="王科长")
    response = client.post(reverse("benefits:occasion_delete", args=[visited.pk]), follow=True)
    assert response.status_code == 200
    assert Occasion.objects.filter(pk=visited.pk).exists()
    assert [message.level_tag for message in response.context["messages"]][-1] == "error"


@pytest.fixture
def in_process_tasks():
    """The embedded default (no broker): tasks run in-process, whatever REDIS_URL this run has."""
    from celery import current_app

    before = current_app.conf.task_always_eager
    current_app.conf.task_always_eager = True
    yield
    current_app.conf.task_always_eager = before


def test_a_recorded_occasion_is_in_the_inbox_at_once(
    client_as, secretary_a, staff_user, cadre_a, in_process_tasks, django_capture_on_commit_callbacks
):
    from core.models import OutboxMessage

    with django_capture_on_commit_callbacks(execute=True):
        response = client_as(secretary_a).post(
            reverse("benefits:occasion_create"),
            {"cadre": cadre_a.name, "kind": "hospitalised", "occurred_on": _days_ago(1).isoformat()},
        )
    assert response.status_code == 302
    occasion = Occasion.objects.get()
    # Not waiting for tomorrow's run: the secretary who recorded it has the due visit now.
    assert list(Reminder.objects.values_list("rule", "visit_occasion", "recipient")) == [
        (Reminder.Rule.VISIT_DUE, occasion.pk, secretary_a.pk)
    ]
    message = OutboxMessage.objects.get()
    assert message.task_name == "reminders.tasks.run_rules" and message.sent_at is not None
