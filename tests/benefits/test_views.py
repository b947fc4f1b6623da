"""The benefits pages: forms that refuse bad input, scoped lists and exports, masking, one-click visits."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from accounts.models import Role
from benefits import services
from benefits.models import ContactAssignment, ContactLog, Occasion, Visit, VisitPhoto
from tests.factories import CadreFactory, UserFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date.today()


def _days_ago(days):
    return TODAY - dt.timedelta(days=days)


def _csv(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))[1:]


def jpeg(name="visit.jpg"):
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), "red").save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture
def occasion_a(cadre_a):
    return services.occasion_record(
        cadre=cadre_a, kind="hospitalised", occurred_on=_days_ago(10), note="脑梗住院"
    )


@pytest.fixture
def occasion_b(cadre_b):
    return services.occasion_record(
        cadre=cadre_b, kind="hardship", occurred_on=_days_ago(10), note="家庭困难"
    )


@pytest.fixture
def team_leader(db):
    from volunteers.services import team_create

    team = team_create(name="城管局志愿服务队", level="corps")
    return UserFactory(username="leader", role=Role.TEAM_LEADER, volunteer_team=team)


# Occasions


def test_a_secretary_records_an_occasion_of_an_own_member(cadre_a, secretary_a, client_as):
    response = client_as(secretary_a).post(
        reverse("benefits:occasion_create"),
        {
            "cadre": f"#{cadre_a.pk}",
            "kind": "hospitalised",
            "occurred_on": _days_ago(1).isoformat(),
            "note": "住院",
        },
    )
    occasion = Occasion.objects.get()
    assert response.status_code == 302
    assert (occasion.cadre, occasion.recorded_by, occasion.due_on) == (
        cadre_a,
        secretary_a,
        _days_ago(1) + dt.timedelta(days=3),
    )


def test_a_secretary_cannot_record_an_occasion_of_another_branchs_cadre(cadre_b, secretary_a, client_as):
    response = client_as(secretary_a).post(
        reverse("benefits:occasion_create"),
        {"cadre": f"#{cadre_b.pk}", "kind": "hospitalised", "occurred_on": _days_ago(1).isoformat()},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["cadre"]
    assert not Occasion.objects.exists()


def test_a_future_occasion_is_a_form_error(cadre_a, staff_user, client_as):
    response = client_as(staff_user).post(
        reverse("benefits:occasion_create"),
        {
            "cadre": f"#{cadre_a.pk}",
            "kind": "hardship",
            "occurred_on": (TODAY + dt.timedelta(days=2)).isoformat(),
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["occurred_on"]
    assert not Occasion.objects.exists()


def test_one_click_records_the_visit_and_closes_the_occasion(occasion_a, secretary_a, client_as):
    client = client_as(secretary_a)
    page = client.get(occasion_a.get_absolute_url())
    assert page.context["visit_form"] is not None
    response = client.post(
        reverse("benefits:occasion_visit", args=[occasion_a.pk]),
        {"visited_on": TODAY.isoformat(), "visitors": "支部书记", "gift": "水果", "photos": [jpeg()]},
    )
    visit = Visit.objects.get()
    assert response.status_code == 302
    assert (visit.occasion, visit.cadre, visit.reason, visit.recorded_by) == (
        occasion_a,
        occasion_a.cadre,
        "hospitalised",
        secretary_a,
    )
    assert visit.photos.count() == 1
    closed = client.get(reverse("benefits:occasion_list"), {"status": "closed"})
    assert [o.pk for o in closed.context["rows"]] == [occasion_a.pk]
    assert not client.get(reverse("benefits:occasion_list"), {"status": "overdue"}).context["rows"]


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"visited_on": _days_ago(11).isoformat()}, "visited_on"),  # before the occasion
        ({"visited_on": (TODAY + dt.timedelta(days=1)).isoformat()}, "visited_on"),
        ({"condolence_money": "-5"}, "condolence_money"),
        ({"visitors": ""}, "visitors"),
    ],
)
def test_a_bad_visit_is_a_form_error_and_nothing_is_saved(occasion_a, staff_user, client_as, data, field):
    response = client_as(staff_user).post(
        reverse("benefits:occasion_visit", args=[occasion_a.pk]),
        {"visited_on": TODAY.isoformat(), "visitors": "干部科", **data},
    )
    assert response.status_code == 200
    assert response.context["visit_form"].errors[field]
    assert not Visit.objects.exists()


def test_the_status_filter_tells_due_from_overdue(cadre_a, staff_user, client_as):
    overdue = services.occasion_record(cadre=cadre_a, kind="hospitalised", occurred_on=_days_ago(10))
    due = services.occasion_record(cadre=cadre_a, kind="festival", occurred_on=_days_ago(1))
    client = client_as(staff_user)
    url = reverse("benefits:occasion_list")
    assert [o.pk for o in client.get(url, {"status": "overdue"}).context["rows"]] == [overdue.pk]
    assert [o.pk for o in client.get(url, {"status": "due"}).context["rows"]] == [due.pk]


def test_a_secretary_sees_only_own_occasions_in_the_list_and_export(
    occasion_a, occasion_b, secretary_a, client_as
):
    client = client_as(secretary_a)
    url = reverse("benefits:occasion_list")
    assert [o.pk for o in client.get(url).context["rows"]] == [occasion_a.pk]
    rows = _csv(client.get(url, {"format": "csv"}))
    assert [row[0] for row in rows] == [occasion_a.cadre.name]
    assert rows[0][-1] == "脑梗住院"


def test_the_auditor_reads_occasions_without_health_notes(occasion_a, auditor, client_as):
    client = client_as(auditor)
    response = client.get(reverse("benefits:occasion_list"))
    assert response.status_code == 200
    assert "脑梗住院" not in response.content.decode()
    assert _csv(client.get(reverse("benefits:occasion_list"), {"format": "csv"}))[0][-1] == "***"
    assert "脑梗住院" not in client.get(occasion_a.get_absolute_url()).content.decode()
    assert client.get(occasion_a.get_absolute_url()).context["visit_form"] is None
    assert client.post(reverse("benefits:occasion_visit", args=[occasion_a.pk]), {}).status_code == 403


def test_a_team_leader_sees_no_care_records(occasion_a, team_leader, client_as):
    client = client_as(team_leader)
    for name in ("occasion_list", "visit_list", "assignment_list", "contact_log_list"):
        assert client.get(reverse(f"benefits:{name}")).status_code == 403


# Visits


def test_a_routine_visit_is_recorded_with_photos(cadre_a, secretary_a, client_as):
    response = client_as(secretary_a).post(
        reverse("benefits:visit_create"),
        {
            "cadre": cadre_a.name,
            "reason": "routine",
            "visited_on": TODAY.isoformat(),
            "visitors": "支部书记",
            "condolence_money": "200",
            "photos": [jpeg(), jpeg("b.jpg")],
        },
    )
    visit = Visit.objects.get()
    assert response.status_code == 302
    assert (visit.cadre, visit.occasion, visit.condolence_money) == (cadre_a, None, Decimal("200"))
    assert visit.photos.count() == 2


def test_a_bad_photo_leaves_no_visit(cadre_a, staff_user, client_as):
    bad = SimpleUploadedFile("x.jpg", b"not a photo", content_type="image/jpeg")
    response = client_as(staff_user).post(
        reverse("benefits:visit_create"),
        {
            "cadre": cadre_a.name,
            "reason": "routine",
            "visited_on": TODAY.isoformat(),
            "visitors": "x",
            "photos": [bad],
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["photos"]
    assert not Visit.objects.exists()


def test_a_secretary_cannot_record_a_visit_to_another_branchs_cadre(cadre_b, secretary_a, client_as):
    response = client_as(secretary_a).post(
        reverse("benefits:visit_create"),
        {"cadre": f"#{cadre_b.pk}", "reason": "routine", "visited_on": TODAY.isoformat(), "visitors": "x"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["cadre"]
    assert not Visit.objects.exists()


def test_editing_a_visit_checks_it_is_not_before_its_occasion(occasion_a, staff_user, client_as):
    visit = services.visit_record(occasion=occasion_a, visited_on=_days_ago(5), visitors="干部科")
    response = client_as(staff_user).post(
        reverse("benefits:visit_update", args=[visit.pk]),
        {"visited_on": _days_ago(20).isoformat(), "visitors": "干部科"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["visited_on"]
    visit.refresh_from_db()
    assert visit.visited_on == _days_ago(5)


def test_deleting_a_visit_deletes_its_photo_files(occasion_a, staff_user, client_as):
    visit = services.visit_record(occasion=occasion_a, visited_on=_days_ago(5), visitors="干部科")
    [photo] = services.visit_add_photos(visit=visit, files=[jpeg()])
    storage, names = photo.image.storage, [photo.image.name, photo.thumbnail.name]
    assert all(storage.exists(name) for name in names)
    assert names[0].startswith("visits/")
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client_as(staff_user).post(reverse("benefits:visit_delete", args=[visit.pk]))
    assert response.status_code == 302
    assert not VisitPhoto.objects.exists()
    assert not any(storage.exists(name) for name in names)


def test_the_visit_list_and_export_follow_the_scope_and_hide_money(
    occasion_a, occasion_b, secretary_a, auditor, client_as
):
    services.visit_record(
        occasion=occasion_a, visited_on=_days_ago(5), visitors="甲", condolence_money=Decimal("800")
    )
    services.visit_record(
        occasion=occasion_b, visited_on=_days_ago(5), visitors="乙", condolence_money=Decimal("900")
    )
    url = reverse("benefits:visit_list")
    rows = _csv(client_as(secretary_a).get(url, {"format": "csv"}))
    assert [(row[0], row[6]) for row in rows] == [(occasion_a.cadre.name, "800.00")]
    audited = _csv(client_as(auditor).get(url, {"format": "csv"}))
    assert sorted(row[6] for row in audited) == ["***", "***"]
    assert "800" not in client_as(auditor).get(url).content.decode()


# One-to-one contact


def test_interval_zero_is_a_form_error(cadre_a, staff_user, client_as):
    response = client_as(staff_user).post(
        reverse("benefits:assignment_create"),
        {"cadre": cadre_a.name, "staff": staff_user.pk, "interval_days": 0, "started_on": TODAY.isoformat()},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["interval_days"]
    assert not ContactAssignment.objects.exists()


def test_a_secretary_assigns_self_and_logs_a_contact(cadre_a, secretary_a, client_as):
    client = client_as(secretary_a)
    response = client.post(
        reverse("benefits:assignment_create"),
        {
            "cadre": cadre_a.name,
            "staff": secretary_a.pk,
            "interval_days": 14,
            "started_on": _days_ago(20).isoformat(),
        },
    )
    assignment = ContactAssignment.objects.get()
    assert response.status_code == 302
    listed = client.get(reverse("benefits:assignment_list"), {"status": "overdue"}).context["rows"]
    assert [a.pk for a in listed] == [assignment.pk]
    client.post(
        reverse("benefits:assignment_log", args=[assignment.pk]),
        {"contacted_on": TODAY.isoformat(), "method": "phone", "note": "身体尚好"},
    )
    assert ContactLog.objects.get().recorded_by == secretary_a
    assert not client.get(reverse("benefits:assignment_list"), {"status": "overdue"}).context["rows"]


def test_an_assignment_ending_before_it_started_is_a_form_error(cadre_a, staff_user, client_as):
    assignment = services.assignment_create(
        staff=staff_user, cadre=cadre_a, interval_days=30, started_on=_days_ago(5)
    )
    response = client_as(staff_user).post(
        reverse("benefits:assignment_end", args=[assignment.pk]), {"ended_on": _days_ago(6).isoformat()}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["ended_on"]
    assignment.refresh_from_db()
    assert assignment.ended_on is None


def test_the_contact_lists_and_exports_follow_the_scope(cadre_a, cadre_b, staff_user, secretary_a, client_as):
    for cadre in (cadre_a, cadre_b):
        assignment = services.assignment_create(
            staff=staff_user, cadre=cadre, interval_days=30, started_on=_days_ago(5)
        )
        services.contact_log_record(assignment=assignment, contacted_on=_days_ago(1), method="visit")
    client = client_as(secretary_a)
    for name in ("assignment_list", "contact_log_list"):
        url = reverse(f"benefits:{name}")
        assert len(client.get(url).context["rows"]) == 1
        rows = _csv(client.get(url, {"format": "csv"}))
        assert cadre_a.name in rows[0] and len(rows) == 1


def test_the_staff_choice_offers_no_other_branchs_secretary(branch_b, secretary_a, client_as):
    other = UserFactory(username="secretary_b", role=Role.BRANCH_SECRETARY, branch=branch_b)
    offered = set(
        client_as(secretary_a)
        .get(reverse("benefits:assignment_create"))
        .context["form"]
        .fields["staff"]
        .queryset
    )
    assert secretary_a in offered and other not in offered


# Query counts


def _make_occasions(count, branch):
    for index in range(count):
        services.occasion_record(
            cadre=CadreFactory(branch=branch), kind="hardship", occurred_on=_days_ago(index % 20)
        )


def _make_visits(count, branch):
    for _index in range(count):
        services.visit_record(cadre=CadreFactory(branch=branch), visited_on=TODAY, visitors="干部科")


def _make_assignments(count, branch, staff=None):
    staff = staff or UserFactory(role=Role.BUREAU_STAFF)
    for _index in range(count):
        services.assignment_create(
            staff=staff, cadre=CadreFactory(branch=branch), interval_days=30, started_on=TODAY
        )


def _make_logs(count, branch):
    staff = UserFactory(role=Role.BUREAU_STAFF)
    for _index in range(count):
        assignment = services.assignment_create(
            staff=staff, cadre=CadreFactory(branch=branch), interval_days=30, started_on=TODAY
        )
        services.contact_log_record(assignment=assignment, contacted_on=TODAY, method="phone")


@pytest.mark.parametrize(
    ("url_name", "make"),
    [
        ("benefits:occasion_list", _make_occasions),
        ("benefits:visit_list", _make_visits),
        ("benefits:assignment_list", _make_assignments),
        ("benefits:contact_log_list", _make_logs),
    ],
)
def test_the_lists_run_the_same_queries_for_5_and_30_rows(url_name, make, branch_a, secretary_a, client_as):
    client = client_as(secretary_a)
    url = reverse(url_name)
    counts, made = [], 0
    for rows in (5, 30):
        make(rows - made, branch_a)
        made = rows
        client.get(url, {"per_page": 50})  # warm the cache (tree choices)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url, {"per_page": 50})
        assert response.status_code == 200
        assert len(response.context["rows"]) == rows
        counts.append(len(ctx))
    assert counts[0] == counts[1]
