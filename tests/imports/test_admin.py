"""The admin: the cadre changelist exports the roster with the import's Chinese columns, inside
the user's scope, formulas inert; its "Import" link leads to the staff import page."""

import io

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import Role
from imports.resources import CadreRosterResource, resource_class
from imports.specs import CADRE_ROSTER
from tests.factories import CadreFactory, UserFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:cadres_cadre_changelist")
EXPORT = reverse("admin:cadres_cadre_export")


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", role=Role.BUREAU_ADMIN, is_superuser=True, is_staff=True)


@pytest.fixture
def staff_secretary(branch_a):
    user = UserFactory(username="admin_secretary", role=Role.BRANCH_SECRETARY, branch=branch_a, is_staff=True)
    user.user_permissions.add(Permission.objects.get(content_type__app_label="cadres", codename="view_cadre"))
    return user


def _export(client, url=EXPORT, slug="cadres"):
    resource = resource_class(slug)
    prefix = resource.__name__.lower()
    fields = {f"{prefix}_{name}": "on" for name in resource._meta.fields}
    response = client.post(url, {"format": "0", "resource": "0", **fields})
    assert response.status_code == 200, response.content[:500]
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def test_the_admin_exports_the_roster_with_the_chinese_headers(
    superuser, client_as, cadre_a, cadre_b, branch_a
):
    CadreFactory(name="=1+2", branch=branch_a, notes="=HYPERLINK(1)")
    rows = _export(client_as(superuser))
    assert rows[0] == CADRE_ROSTER.headers
    by_name = {row[0]: dict(zip(CADRE_ROSTER.headers, row, strict=True)) for row in rows[1:]}
    assert set(by_name) == {"王建国", "李秀英", "'=1+2"}
    assert by_name["'=1+2"]["备注"] == "'=HYPERLINK(1)"
    assert by_name["王建国"]["身份证号"] == cadre_a.id_number
    assert by_name["王建国"]["所在党支部"] == branch_a.name
    assert by_name["李秀英"]["性别"] == "女"


def test_a_staff_secretary_exports_only_their_branch_with_masked_ids(
    staff_secretary, client_as, cadre_a, cadre_b
):
    rows = _export(client_as(staff_secretary))
    assert [row[0] for row in rows[1:]] == ["王建国"]
    assert rows[1][CADRE_ROSTER.headers.index("身份证号")] != cadre_a.id_number
    assert "*" in rows[1][CADRE_ROSTER.headers.index("身份证号")]


def test_the_changelist_links_to_the_staff_import_page(superuser, client_as):
    html = client_as(superuser).get(CHANGELIST).content.decode()
    assert reverse("imports:index") in html
    assert EXPORT in html


def test_the_resource_headers_are_the_import_headers():
    assert CadreRosterResource().get_export_headers() == CADRE_ROSTER.headers


def test_the_job_admin_lists_jobs_by_the_same_rule(superuser, staff_user, client_as):
    from imports.models import ImportJob

    staff_user.is_staff = True
    staff_user.save()
    ImportJob.objects.create(resource="cadres", file_name="staff.xlsx", uploaded_by=staff_user)
    ImportJob.objects.create(resource="cadres", file_name="root.xlsx", uploaded_by=superuser)
    url = reverse("admin:imports_importjob_changelist")
    html = client_as(superuser).get(url).content.decode()
    assert "staff.xlsx" in html and "root.xlsx" in html
    html = client_as(staff_user).get(url).content.decode()
    assert "staff.xlsx" in html and "root.xlsx" not in html


def test_a_record_sheet_exports_from_its_admin_as_the_import_reads_it(
    superuser, client_as, branch_a, cadre_a
):
    from branches.importers import BRANCHES, TRANSFERS

    rows = _export(client_as(superuser), reverse("admin:branches_branch_export"), "branches")
    assert rows[0] == BRANCHES.headers
    by_name = {row[0]: dict(zip(BRANCHES.headers, row, strict=True)) for row in rows[1:]}
    assert by_name[branch_a.name]["上级党组织"] == "市委老干部局离退休干部党委"
    assert by_name[branch_a.name]["类型"] == "党支部"
    rows = _export(client_as(superuser), reverse("admin:branches_branchmembership_export"), "memberships")
    assert rows[0] == TRANSFERS.headers
    assert [row[1] for row in rows[1:]] == [cadre_a.id_number]
    html = client_as(superuser).get(reverse("admin:branches_branchmembership_changelist")).content.decode()
    assert f"{reverse('imports:index')}?resource=memberships" in html


def test_the_officers_and_activities_export_from_their_admins_as_the_import_reads_them(
    superuser, client_as, branch_a, cadre_a
):
    import datetime as dt

    from branches import services
    from branches.importers import ACTIVITIES, OFFICERS
    from branches.models import ActivityKind

    services.officer_appoint(branch=branch_a, cadre=cadre_a, role="secretary", term_start=dt.date(2024, 3, 1))
    services.activity_record(
        branch=branch_a,
        kind=ActivityKind.objects.get(code="theme_day"),
        held_on=dt.date(2024, 7, 1),
        topic="学习党章",
        attendance={cadre_a.pk: ("leave", "hospital")},
    )
    client = client_as(superuser)
    rows = _export(client, reverse("admin:branches_branchofficer_export"), "officers")
    assert rows[0] == OFFICERS.headers
    assert rows[1][2:4] == [cadre_a.id_number, "书记"]
    rows = _export(client, reverse("admin:branches_activity_export"), "activities")
    assert rows[0] == ACTIVITIES.headers
    assert dict(zip(ACTIVITIES.headers, rows[1], strict=True))["请假"] == "王建国(住院)"
    html = client.get(reverse("admin:branches_activity_changelist")).content.decode()
    assert f"{reverse('imports:index')}?resource=activities" in html


@pytest.mark.parametrize(
    ("model", "slug"),
    [
        ("volunteers_volunteerteam", "volunteer_teams"),
        ("volunteers_chiefpost", "chief_posts"),
        ("volunteers_servicerecord", "service_records"),
        ("outreach_talkevent", "talks"),
        ("benefits_visit", "visits"),
    ],
)
def test_every_sheets_admin_exports_its_headers_and_links_to_the_staff_import(
    superuser, client_as, model, slug
):
    from imports.registry import resource_for

    client = client_as(superuser)
    rows = _export(client, reverse(f"admin:{model}_export"), slug)
    assert rows[0] == resource_for(slug).headers
    html = client.get(reverse(f"admin:{model}_changelist")).content.decode()
    assert f"{reverse('imports:index')}?resource={slug}" in html
