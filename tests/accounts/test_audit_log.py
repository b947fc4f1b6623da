"""The audit log: changes to cadres, views of full ID numbers, and the auditor's page."""

import datetime as dt
import json

import pytest
from auditlog.context import set_actor
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cadres.models import Cadre
from cadres.services import cadre_update
from core.masking import mask_id_number
from tests.factories import CadreFactory, valid_id_number

pytestmark = pytest.mark.django_db

AUDIT_LOG = reverse("accounts:audit_log")


def _entries(cadre, action=None, after=0):
    """The cadre's log entries; `after` skips those written before (creating a cadre writes two)."""
    entries = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Cadre), object_id=cadre.pk, id__gt=after
    ).order_by("id")
    return entries if action is None else entries.filter(action=action)


def _last_id():
    return LogEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0


def _stored_text(entries):
    """Everything the log keeps about these entries, as one string."""
    return json.dumps(list(entries.values()), default=str, ensure_ascii=False)


def _detail(cadre, **params):
    return reverse("cadres:cadre_detail", args=[cadre.pk]) + (
        "?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else ""
    )


# --- changes ------------------------------------------------------------------------------


def test_it_logs_a_change_to_a_cadre_with_the_changed_field(cadre_a):
    before = _last_id()
    cadre_update(cadre=cadre_a, former_unit="市城管局")
    entry = _entries(cadre_a, after=before).get()
    assert entry.action == LogEntry.Action.UPDATE
    assert entry.changes_dict["former_unit"] == ["", "市城管局"]
    assert "name" not in entry.changes_dict
    assert entry.object_repr == "王建国"


def test_it_logs_a_changed_id_number_masked_never_in_clear(cadre_a):
    old_number = cadre_a.id_number
    new_number = valid_id_number(cadre_a.birth_date, cadre_a.sex)
    assert new_number != old_number
    before = _last_id()
    cadre_update(cadre=cadre_a, id_number=new_number)

    entry = _entries(cadre_a, LogEntry.Action.UPDATE, after=before).get()
    assert "id_number" in entry.changes_dict
    old_logged, new_logged = entry.changes_dict["id_number"]
    assert old_logged != old_number
    assert new_logged != new_number
    assert "*" in old_logged
    assert "*" in new_logged
    # Neither number stands in clear anywhere in the log, the creation entry included.
    stored = _stored_text(_entries(cadre_a))
    assert old_number not in stored
    assert new_number not in stored


def test_it_logs_the_actor_of_a_change_made_in_a_request(cadre_a, staff_user):
    before = _last_id()
    with set_actor(staff_user):
        cadre_update(cadre=cadre_a, address="新地址1号")
    assert _entries(cadre_a, after=before).get().actor == staff_user


# --- viewing full ID numbers --------------------------------------------------------------


def test_it_shows_staff_the_full_id_on_request_and_logs_the_access(cadre_a, staff_user, client_as):
    response = client_as(staff_user).get(_detail(cadre_a, reveal="id_number"), REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 200
    assert cadre_a.id_number in response.content.decode()

    entry = _entries(cadre_a, LogEntry.Action.ACCESS).get()
    assert entry.actor == staff_user
    assert entry.remote_addr == "10.1.2.3"
    assert entry.object_repr == "王建国"
    assert cadre_a.id_number not in _stored_text(_entries(cadre_a))


def test_it_logs_no_access_when_staff_view_a_cadre_without_revealing(cadre_a, staff_user, client_as):
    response = client_as(staff_user).get(_detail(cadre_a))
    assert response.status_code == 200
    html = response.content.decode()
    assert cadre_a.id_number not in html
    assert mask_id_number(cadre_a.id_number) in html
    assert not _entries(cadre_a, LogEntry.Action.ACCESS).exists()


def test_it_shows_a_secretary_only_the_masked_id_even_when_asked(cadre_a, secretary_a, client_as):
    response = client_as(secretary_a).get(_detail(cadre_a, reveal="id_number"))
    assert response.status_code == 200
    html = response.content.decode()
    assert cadre_a.id_number not in html
    assert mask_id_number(cadre_a.id_number) in html
    assert not _entries(cadre_a, LogEntry.Action.ACCESS).exists()


# --- the audit log page -------------------------------------------------------------------


def test_it_shows_the_auditor_the_log(cadre_a, auditor, client_as):
    response = client_as(auditor).get(AUDIT_LOG)
    assert response.status_code == 200
    assert "王建国" in response.content.decode()
    assert any(entry.object_id == cadre_a.pk for entry in response.context["entries"])


def test_it_filters_the_log_by_record_type_action_and_actor(cadre_a, staff_user, auditor, client_as):
    with set_actor(staff_user):
        cadre_update(cadre=cadre_a, former_unit="市城管局")
    client = client_as(auditor)
    response = client.get(
        AUDIT_LOG, {"model": "cadres.cadre", "action": LogEntry.Action.UPDATE, "actor": "staff"}
    )
    entries = list(response.context["entries"])
    assert [(e.object_repr, e.action, e.actor) for e in entries] == [
        ("王建国", LogEntry.Action.UPDATE, staff_user)
    ]
    assert entries[0].changes_dict["former_unit"] == ["", "市城管局"]


def test_it_shows_the_log_to_the_bureau_admin(cadre_a, admin_user, client_as):
    assert client_as(admin_user).get(AUDIT_LOG).status_code == 200


@pytest.mark.parametrize("who", ["secretary_a", "staff_user"])
def test_it_refuses_the_log_to_secretaries_and_staff(who, request, cadre_a, client_as):
    response = client_as(request.getfixturevalue(who)).get(AUDIT_LOG)
    assert response.status_code == 403
    assert "王建国" not in response.content.decode()


def test_it_sends_an_anonymous_visitor_of_the_log_to_the_login(client):
    response = client.get(AUDIT_LOG)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def _make_entries(count, actor):
    with set_actor(actor):
        for n in range(count):
            CadreFactory(name=f"审计{n}", birth_date=dt.date(1950, 1, 1) + dt.timedelta(days=n))


def test_it_runs_as_many_queries_for_thirty_entries_as_for_three(staff_user, auditor, client_as):
    client = client_as(auditor)
    LogEntry.objects.all().delete()
    _make_entries(3, staff_user)
    assert LogEntry.objects.count() == 3
    client.get(AUDIT_LOG)  # warm the caches (content types, session) once

    with CaptureQueriesContext(connection) as three:
        response = client.get(AUDIT_LOG)
    assert len(response.context["entries"]) == 3

    _make_entries(27, staff_user)
    assert LogEntry.objects.count() == 30
    with CaptureQueriesContext(connection) as thirty:
        response = client.get(AUDIT_LOG)
    assert len(response.context["entries"]) == 30
    assert "staff" in response.content.decode()

    assert len(thirty) == len(three), "\n".join(q["sql"] for q in thirty.captured_queries)


def test_it_logs_a_needy_elders_wish_and_a_lecturer_profile(cadre_a):
    from outreach.models import Lecturer
    from tests.factories import LecturerFactory
    from volunteers.models import MicroWish
    from volunteers.wish_services import wish_post

    before = _last_id()
    wish = wish_post(beneficiary=cadre_a, wish="想要一台助听器", posted_on=dt.date.today())
    lecturer = LecturerFactory(cadre=cadre_a)
    logged = set(
        LogEntry.objects.filter(id__gt=before).values_list("content_type__model", "object_id", "action")
    )
    assert (MicroWish._meta.model_name, wish.pk, LogEntry.Action.CREATE) in logged
    assert (Lecturer._meta.model_name, lecturer.pk, LogEntry.Action.CREATE) in logged
