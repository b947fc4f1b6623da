"""The inbox: one's own reminders only, filters, export, marking done, the badge count."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reminders.models import Reminder
from tests.factories import CadreFactory, UserFactory

pytestmark = pytest.mark.django_db


def _reminder(cadre, user, rule=Reminder.Rule.BIRTHDAY, on=dt.date(2025, 3, 14)):
    return Reminder.objects.create(rule=rule, cadre=cadre, occasion_date=on, due_on=on, recipient=user)


def test_the_inbox_lists_only_the_users_open_reminders(cadre_a, cadre_b, secretary_a, staff_user, client_as):
    mine = _reminder(cadre_a, secretary_a)
    _reminder(cadre_b, staff_user)
    done = _reminder(cadre_a, secretary_a, rule=Reminder.Rule.POLITICAL_BIRTHDAY)
    Reminder.objects.filter(pk=done.pk).update(done_at="2025-03-14T08:00Z", done_by=secretary_a)
    client = client_as(secretary_a)
    response = client.get(reverse("reminders:inbox"))
    assert list(response.context["rows"]) == [mine]
    response = client.get(reverse("reminders:inbox"), {"status": "done"})
    assert list(response.context["rows"]) == [done]
    response = client.get(reverse("reminders:inbox"), {"status": "all", "rule": "political_birthday"})
    assert list(response.context["rows"]) == [done]


def test_the_export_holds_what_the_list_shows(cadre_a, cadre_b, secretary_a, staff_user, client_as):
    _reminder(cadre_a, secretary_a)
    _reminder(cadre_b, staff_user)
    response = client_as(secretary_a).get(reverse("reminders:inbox"), {"format": "csv"})
    body = response.content.decode("utf-8-sig")
    assert cadre_a.name in body and cadre_b.name not in body
    assert len(body.strip().splitlines()) == 2


def test_mark_done_closes_ones_own_reminder(cadre_a, secretary_a, client_as):
    reminder = _reminder(cadre_a, secretary_a)
    response = client_as(secretary_a).post(reverse("reminders:mark_done", args=[reminder.pk]))
    assert response.status_code == 302
    reminder.refresh_from_db()
    assert reminder.done_by == secretary_a


def test_another_users_reminder_is_not_found_and_unchanged(cadre_b, secretary_a, staff_user, client_as):
    theirs = _reminder(cadre_b, staff_user)
    response = client_as(secretary_a).post(reverse("reminders:mark_done", args=[theirs.pk]))
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.done_at is None


def test_the_navigation_badge_counts_open_reminders(cadre_a, secretary_a, client_as):
    _reminder(cadre_a, secretary_a)
    done = _reminder(cadre_a, secretary_a, rule=Reminder.Rule.POLITICAL_BIRTHDAY)
    client = client_as(secretary_a)
    client.post(reverse("reminders:mark_done", args=[done.pk]))
    response = client.get(reverse("reports:dashboard"))
    badges = [
        e["badge"]
        for s in response.context["navigation"]
        for e in s["entries"]
        if e["url"] == reverse("reminders:inbox")
    ]
    assert badges == [1]
    assert 'data-testid="nav-badge"' in response.content.decode()


def test_the_inbox_query_count_does_not_grow_with_rows(branch_a, secretary_a, client_as):
    cadres = [CadreFactory(branch=branch_a) for _ in range(30)]
    client = client_as(secretary_a)
    url = reverse("reminders:inbox")
    counts = []
    for rows in (5, 30):
        Reminder.objects.all().delete()
        for cadre in cadres[:rows]:
            _reminder(cadre, secretary_a)
        client.get(url, {"per_page": 50})
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url, {"per_page": 50})
        assert len(response.context["rows"]) == rows
        counts.append(len(ctx))
    assert counts[0] == counts[1]


def test_the_auditor_may_read_but_not_close(cadre_a, client_as):
    auditor = UserFactory(role="auditor")
    reminder = _reminder(cadre_a, auditor)
    client = client_as(auditor)
    assert client.get(reverse("reminders:inbox")).status_code == 200
    assert client.post(reverse("reminders:mark_done", args=[reminder.pk])).status_code == 403
