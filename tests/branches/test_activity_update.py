"""Correcting a recorded activity and its attendance."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from branches.models import ActivityKind, Attendance
from branches.services import activity_record, activity_update, membership_transfer
from tests.factories import CadreFactory

pytestmark = pytest.mark.django_db

HELD = dt.date(2026, 7, 10)


def kind(code):
    return ActivityKind.objects.get(code=code)


def meeting(branch, attendance=None, held_on=HELD):
    return activity_record(
        branch=branch, kind=kind("committee_meeting"), held_on=held_on, topic="支委会", attendance=attendance
    )


def statuses(activity):
    return dict(activity.attendance.values_list("cadre_id", "status"))


def test_it_changes_the_marked_members_and_keeps_the_others(branch_a):
    late, sick, other = (CadreFactory(branch=branch_a, joined_on=dt.date(2020, 1, 1)) for _ in range(3))
    activity = meeting(
        branch_a, {late.pk: ("absent", ""), sick.pk: ("present", ""), other.pk: ("present", "")}
    )
    activity_update(activity=activity, attendance={late.pk: ("present", ""), sick.pk: ("leave", "hospital")})
    assert statuses(activity) == {late.pk: "present", sick.pk: "leave", other.pk: "present"}
    assert Attendance.objects.get(activity=activity, cadre=sick).leave_reason == "hospital"


def test_it_clears_the_reason_when_a_member_is_no_longer_on_leave(branch_a):
    member = CadreFactory(branch=branch_a, joined_on=dt.date(2020, 1, 1))
    activity = meeting(branch_a, {member.pk: ("leave", "sick")})
    activity_update(activity=activity, attendance={member.pk: ("present", "")})
    assert Attendance.objects.get(activity=activity).leave_reason == ""


def test_it_refuses_a_stranger_or_a_leave_without_reason_and_changes_nothing(branch_a, branch_b):
    member = CadreFactory(branch=branch_a, joined_on=dt.date(2020, 1, 1))
    stranger = CadreFactory(branch=branch_b, joined_on=dt.date(2020, 1, 1))
    activity = meeting(branch_a, {member.pk: ("present", "")})
    with pytest.raises(ValidationError) as error:
        activity_update(activity=activity, attendance={stranger.pk: ("present", "")}, topic="改了")
    assert "attendance" in error.value.message_dict
    with pytest.raises(ValidationError):
        activity_update(activity=activity, attendance={member.pk: ("leave", "")})
    activity.refresh_from_db()
    assert activity.topic == "支委会"
    assert statuses(activity) == {member.pk: "present"}


def test_moving_the_date_makes_the_roster_follow_the_members_of_that_day(branch_a, branch_b):
    stays = CadreFactory(branch=branch_a, joined_on=dt.date(2020, 1, 1))
    leaves = CadreFactory(branch=branch_a, joined_on=dt.date(2020, 1, 1))
    joins = CadreFactory(branch=branch_b, joined_on=dt.date(2020, 1, 1))
    membership_transfer(cadre=leaves, branch=branch_b, on=dt.date(2026, 6, 15))
    membership_transfer(cadre=joins, branch=branch_a, on=dt.date(2026, 6, 15))
    activity = meeting(
        branch_a, {stays.pk: ("present", ""), leaves.pk: ("present", "")}, held_on=dt.date(2026, 6, 1)
    )
    activity_update(activity=activity, held_on=dt.date(2026, 7, 1))
    assert statuses(activity) == {stays.pk: "present", joins.pk: "absent"}


def test_a_future_date_is_refused(branch_a):
    activity = meeting(branch_a)
    with pytest.raises(ValidationError) as error:
        activity_update(activity=activity, held_on=dt.date.today() + dt.timedelta(days=2))
    assert "held_on" in error.value.message_dict


def test_a_kind_retired_since_stays_valid_on_its_activities(branch_a):
    activity = meeting(branch_a)
    ActivityKind.objects.filter(code="committee_meeting").update(is_active=False)
    activity_update(activity=activity, topic="更正")
    activity.refresh_from_db()
    assert activity.topic == "更正"
    ActivityKind.objects.filter(code="theme_day").update(is_active=False)
    with pytest.raises(ValidationError) as error:
        activity_update(activity=activity, kind=kind("theme_day"))
    assert "kind" in error.value.message_dict


def test_the_secretary_corrects_attendance_in_the_browser_form(branch_a, secretary_a, client_as):
    member = CadreFactory(branch=branch_a, joined_on=dt.date(2020, 1, 1))
    activity = meeting(branch_a, {member.pk: ("absent", "")})
    client = client_as(secretary_a)
    url = reverse("branches:activity_update", args=[activity.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert member.name in page.content.decode()
    data = {
        "kind": activity.kind_id,
        "held_on": HELD.isoformat(),
        "topic": "支委会（更正）",
        "guest_count": 2,
        f"status_{member.pk}": "leave",
        f"reason_{member.pk}": "",
    }
    refused = client.post(url, data)
    assert refused.status_code == 200
    assert statuses(activity) == {member.pk: "absent"}
    data[f"reason_{member.pk}"] = "away"
    response = client.post(url, data)
    assert response.status_code == 302
    activity.refresh_from_db()
    assert (activity.topic, activity.guest_count) == ("支委会（更正）", 2)
    assert Attendance.objects.get(activity=activity).leave_reason == "away"


def test_an_auditor_may_not_edit(branch_a, auditor, client_as):
    activity = meeting(branch_a)
    assert client_as(auditor).get(reverse("branches:activity_update", args=[activity.pk])).status_code == 403


def tallies(activity):
    activity.refresh_from_db()
    rows = list(activity.attendance.values_list("status", flat=True))
    return (activity.present_count, activity.roll_count), (rows.count("present"), len(rows))


def test_the_tallies_follow_the_rows_through_record_and_update(branch_a, branch_b):
    here, away, moved = (CadreFactory(branch=branch_a, joined_on=dt.date(2020, 1, 1)) for _ in range(3))
    membership_transfer(cadre=moved, branch=branch_b, on=dt.date(2026, 6, 15))
    activity = meeting(
        branch_a, {here.pk: ("present", ""), away.pk: ("leave", "sick")}, held_on=dt.date(2026, 6, 1)
    )
    stored, counted = tallies(activity)
    assert stored == counted == (1, 3)
    activity_update(activity=activity, attendance={away.pk: ("present", "")})
    stored, counted = tallies(activity)
    assert stored == counted == (2, 3)
    activity_update(activity=activity, held_on=dt.date(2026, 7, 1))  # `moved` left the roll
    stored, counted = tallies(activity)
    assert stored == counted == (2, 2)


def test_attendance_edited_in_the_admin_reaches_the_tallies(branch_a, admin_user, client):
    member = CadreFactory(branch=branch_a, joined_on=dt.date(2020, 1, 1))
    activity = meeting(branch_a, {member.pk: ("absent", "")})
    row = activity.attendance.get()
    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save()
    client.force_login(admin_user)
    data = {
        "branch": branch_a.pk,
        "kind": activity.kind_id,
        "held_on": HELD.isoformat(),
        "topic": activity.topic,
        "guest_count": 0,
        "attendance-TOTAL_FORMS": 1,
        "attendance-INITIAL_FORMS": 1,
        "attendance-0-id": row.pk,
        "attendance-0-activity": activity.pk,
        "attendance-0-cadre": member.pk,
        "attendance-0-status": "present",
        "attendance-0-leave_reason": "",
    }
    response = client.post(reverse("admin:branches_activity_change", args=[activity.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    stored, counted = tallies(activity)
    assert stored == counted == (1, 1)


def test_the_migration_tallies_activities_recorded_before_it(branch_a):
    import importlib

    from django.apps import apps

    from branches.models import Activity

    member = CadreFactory(branch=branch_a, joined_on=dt.date(2020, 1, 1))
    activity = meeting(branch_a, {member.pk: ("present", "")})
    Activity.objects.update(present_count=0, roll_count=0)
    migration = importlib.import_module("branches.migrations.0008_activity_attendance_tallies")
    migration.tally_recorded_activities(apps, None)
    stored, counted = tallies(activity)
    assert stored == counted == (1, 1)
