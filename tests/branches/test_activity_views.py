import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from branches.models import Activity, ActivityKind, ActivityPhoto, Attendance
from branches.services import activity_record
from tests.factories import CadreFactory

pytestmark = pytest.mark.django_db


def jpeg(name="photo.jpg"):
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), "red").save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def _post(branch, members, **extra):
    data = {
        "kind": ActivityKind.objects.get(code="committee_meeting").pk,
        "held_on": dt.date.today().isoformat(),
        "topic": "学习党的二十届四中全会精神",
        "guest_count": 0,
    }
    for cadre, status, reason in members:
        data[f"status_{cadre.pk}"] = status
        data[f"reason_{cadre.pk}"] = reason
    data.update(extra)
    return data


def test_a_secretary_records_a_meeting_with_attendance_and_a_photo(branch_a, secretary_a, client_as):
    here, sick = CadreFactory(branch=branch_a), CadreFactory(branch=branch_a)
    data = _post(branch_a, [(here, "present", ""), (sick, "leave", "sick")], photos=[jpeg()])
    response = client_as(secretary_a).post(reverse("branches:activity_create", args=[branch_a.pk]), data)
    activity = Activity.objects.get()
    assert response.status_code == 302
    assert activity.created_by == secretary_a
    assert dict(activity.attendance.values_list("cadre_id", "status")) == {
        here.pk: "present",
        sick.pk: "leave",
    }
    photo = ActivityPhoto.objects.get()
    assert photo.image.storage.exists(photo.image.name)
    assert photo.thumbnail.storage.exists(photo.thumbnail.name)


def test_a_bad_photo_is_refused_and_nothing_is_saved(branch_a, secretary_a, client_as):
    member = CadreFactory(branch=branch_a)
    fake = SimpleUploadedFile("photo.jpg", b"not an image at all", content_type="image/jpeg")
    data = _post(branch_a, [(member, "present", "")], photos=[fake])
    response = client_as(secretary_a).post(reverse("branches:activity_create", args=[branch_a.pk]), data)
    assert response.status_code == 200
    assert "photos" in response.context["form"].errors
    assert response.context["form"]["topic"].value() == "学习党的二十届四中全会精神"
    assert not Activity.objects.exists()


def test_leave_without_a_reason_is_a_form_error(branch_a, secretary_a, client_as):
    member = CadreFactory(branch=branch_a)
    data = _post(branch_a, [(member, "leave", "")])
    response = client_as(secretary_a).post(reverse("branches:activity_create", args=[branch_a.pk]), data)
    assert f"reason_{member.pk}" in response.context["form"].errors
    assert not Activity.objects.exists()


def test_another_branchs_member_slipped_into_the_form_is_ignored(branch_a, cadre_b, secretary_a, client_as):
    member = CadreFactory(branch=branch_a)
    data = _post(branch_a, [(member, "present", ""), (cadre_b, "present", "")])
    client_as(secretary_a).post(reverse("branches:activity_create", args=[branch_a.pk]), data)
    assert not Attendance.objects.filter(cadre=cadre_b).exists()
    assert Attendance.objects.filter(cadre=member).exists()


def test_the_detail_shows_the_attendance_rate(branch_a, staff_user, client_as):
    members = [CadreFactory(branch=branch_a) for _ in range(4)]
    activity = activity_record(
        branch=branch_a,
        kind=ActivityKind.objects.get(code="theme_day"),
        held_on=dt.date(2026, 7, 1),
        topic="x",
        attendance={m.pk: ("present", "") for m in members[:3]},
    )
    response = client_as(staff_user).get(reverse("branches:activity_detail", args=[activity.pk]))
    assert response.context["present"] == 3
    assert "75%" in response.content.decode()


def test_deleting_an_activity_deletes_its_photo_files(branch_a, secretary_a, client_as):
    member = CadreFactory(branch=branch_a)
    client = client_as(secretary_a)
    client.post(
        reverse("branches:activity_create", args=[branch_a.pk]),
        _post(branch_a, [(member, "present", "")], photos=[jpeg()]),
    )
    photo = ActivityPhoto.objects.get()
    storage, names = photo.image.storage, [photo.image.name, photo.thumbnail.name]
    with pytest.MonkeyPatch.context():
        from django.test import TestCase

        with TestCase.captureOnCommitCallbacks(execute=True):
            response = client.post(reverse("branches:activity_delete", args=[photo.activity_id]))
    assert response.status_code == 302
    assert not Activity.objects.exists()
    assert not any(storage.exists(name) for name in names)


def test_photos_can_be_added_later(branch_a, secretary_a, client_as):
    activity = activity_record(
        branch=branch_a,
        kind=ActivityKind.objects.get(code="theme_day"),
        held_on=dt.date(2026, 7, 1),
        topic="x",
    )
    client_as(secretary_a).post(
        reverse("branches:activity_add_photos", args=[activity.pk]), {"photos": [jpeg(), jpeg("b.png")]}
    )
    assert activity.photos.count() == 2


def test_the_activity_list_runs_the_same_queries_for_20_and_100_rows(branch_a, staff_user, client_as):
    CadreFactory(branch=branch_a)
    kind = ActivityKind.objects.get(code="theme_day")
    for day in range(1, 29):
        for month in range(1, 5):
            activity_record(branch=branch_a, kind=kind, held_on=dt.date(2026, month, day), topic="x")
    client = client_as(staff_user)
    url = reverse("branches:activity_list")
    counts = []
    for per_page in (20, 100):
        client.get(url, {"per_page": per_page})
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url, {"per_page": per_page}).status_code == 200
        counts.append(len(ctx))
    assert counts[0] == counts[1]


def test_the_activity_list_filters_by_period_and_hides_other_branches(
    branch_a, branch_b, secretary_a, client_as
):
    kind = ActivityKind.objects.get(code="theme_day")
    july = activity_record(branch=branch_a, kind=kind, held_on=dt.date(2026, 7, 1), topic="七月")
    activity_record(branch=branch_a, kind=kind, held_on=dt.date(2026, 8, 1), topic="八月")
    activity_record(branch=branch_b, kind=kind, held_on=dt.date(2026, 7, 2), topic="别的支部")
    response = client_as(secretary_a).get(reverse("branches:activity_list"), {"period": "2026-07"})
    assert list(response.context["activities"]) == [july]


def test_the_workspace_shows_this_months_missing_duties(branch_a, secretary_a, client_as):
    kind = ActivityKind.objects.get(code="committee_meeting")
    activity_record(branch=branch_a, kind=kind, held_on=dt.date.today(), topic="支委会")
    response = client_as(secretary_a).get(reverse("branches:my_branch"))
    month = next(duty["row"] for duty in response.context["duties"] if duty["key"] == "month")
    missing = {r.kind.code for r in month.requirements if r.missing}
    assert "committee_meeting" not in missing
    assert "theme_day" in missing
