"""The staff pages: template, upload, preview, confirm, the cadres in the list; 403 and 404 where due."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import Role
from cadres.models import Cadre
from imports.models import ImportJob
from imports.specs import CADRE_ROSTER
from tests.factories import UserFactory
from tests.imports.helpers import person, rows_of, upload, xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture
def team_leader(db):
    from volunteers.services import team_create

    return UserFactory(role=Role.TEAM_LEADER, volunteer_team=team_create(name="总队", level="corps"))


def _post_file(client, name, data, resource="cadres"):
    return client.post(reverse("imports:index"), {"resource": resource, "file": upload(name, data)})


def test_upload_preview_confirm_then_the_cadres_are_in_the_list(
    client_as, staff_user, branch_a, run_jobs, django_capture_on_commit_callbacks
):
    client = client_as(staff_user)
    data = xlsx(rows_of([person(1, branch=branch_a.name), person(2, branch=branch_a.name)]))
    with django_capture_on_commit_callbacks(execute=True):
        response = _post_file(client, "花名册.xlsx", data)
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response.url == job.get_absolute_url()

    page = client.get(response.url)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-count="create">2<' in html
    assert 'data-testid="confirm-import"' in html
    assert "测试1" in html and not Cadre.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("imports:job_confirm", args=[job.pk]))
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert reverse("cadres:cadre_list") in page
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE

    listing = client.get(reverse("cadres:cadre_list")).content.decode()
    assert "测试1" in listing and "测试2" in listing


def test_the_preview_lists_each_bad_row(
    client_as, staff_user, branch_a, run_jobs, django_capture_on_commit_callbacks
):
    client = client_as(staff_user)
    people = [person(1, branch=branch_a.name), person(2, branch="无此支部")]
    with django_capture_on_commit_callbacks(execute=True):
        response = _post_file(client, "花名册.xlsx", xlsx(rows_of(people)))
    html = client.get(response.url).content.decode()
    assert 'data-testid="error-table"' in html
    assert "无此支部" in html and "所在党支部" in html
    assert 'data-testid="confirm-import"' not in html
    job = ImportJob.objects.get()
    assert client.post(reverse("imports:job_confirm", args=[job.pk])).status_code == 302
    assert not Cadre.objects.exists()


def test_a_running_job_shows_a_progress_bar_that_polls(client_as, staff_user):
    job = ImportJob.objects.create(resource="cadres", file_name="a.xlsx", uploaded_by=staff_user, progress=40)
    client = client_as(staff_user)
    html = client.get(job.get_absolute_url()).content.decode()
    assert reverse("imports:job_progress", args=[job.pk]) in html
    assert "imports/progress.js" in html
    progress = client.get(reverse("imports:job_progress", args=[job.pk])).json()
    assert progress == {
        "status": "uploaded",
        "status_label": job.get_status_display(),
        "progress": 40,
        "running": True,
        "counts": {"create": 0, "update": 0, "skip": 0, "error": 0},
    }


def test_the_template_downloads_with_the_chinese_headers(client_as, secretary_a):
    response = client_as(secretary_a).get(reverse("imports:template_cadres"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert [cell.value for cell in sheet[1]] == CADRE_ROSTER.headers


@pytest.mark.parametrize(("name", "data"), [("roster.pdf", b"%PDF"), ("empty.csv", b"")])
def test_a_bad_upload_is_refused_on_the_form(client_as, staff_user, name, data):
    response = _post_file(client_as(staff_user), name, data)
    assert response.status_code == 200
    [message] = response.context["form"].errors["file"]
    assert message in response.content.decode()
    assert not ImportJob.objects.exists()


def test_a_missing_file_or_resource_is_refused_on_the_form(client_as, staff_user):
    client = client_as(staff_user)
    assert client.post(reverse("imports:index"), {"resource": "cadres"}).status_code == 200
    response = client.post(reverse("imports:index"), {"resource": "nothing", "file": upload("a.csv", b"x")})
    assert response.status_code == 200
    assert not ImportJob.objects.exists()


def test_a_corrupt_workbook_shows_a_failed_job_not_a_server_error(
    client_as, staff_user, run_jobs, django_capture_on_commit_callbacks
):
    client = client_as(staff_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = _post_file(client, "a.xlsx", b"PK\x03\x04" + b"\xff" * 500)
    page = client.get(response.url)
    assert page.status_code == 200
    assert 'data-testid="job-message"' in page.content.decode()


@pytest.mark.parametrize("role", ["auditor", "team_leader"])
def test_auditors_and_team_leaders_may_not_import(client_as, request, role):
    client = client_as(request.getfixturevalue(role))
    for url in (reverse("imports:index"), reverse("imports:job_list"), reverse("imports:template_cadres")):
        assert client.get(url).status_code == 403
    assert client.post(reverse("imports:index"), {"resource": "cadres"}).status_code == 403


def test_a_user_sees_their_own_jobs_and_an_admin_sees_all(client_as, staff_user, secretary_a, admin_user):
    mine = ImportJob.objects.create(resource="cadres", file_name="mine.xlsx", uploaded_by=staff_user)
    theirs = ImportJob.objects.create(resource="cadres", file_name="theirs.xlsx", uploaded_by=secretary_a)
    client = client_as(staff_user)
    listing = client.get(reverse("imports:job_list")).content.decode()
    assert "mine.xlsx" in listing and "theirs.xlsx" not in listing
    assert client.get(theirs.get_absolute_url()).status_code == 404
    assert client.get(reverse("imports:job_progress", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("imports:job_confirm", args=[theirs.pk])).status_code == 404
    client = client_as(admin_user)
    listing = client.get(reverse("imports:job_list")).content.decode()
    assert "mine.xlsx" in listing and "theirs.xlsx" in listing
    assert client.get(mine.get_absolute_url()).status_code == 200


def test_the_navigation_offers_import_to_those_who_may(client_as, staff_user, secretary_a, auditor):
    url = reverse("imports:index")
    assert f'href="{url}"' in client_as(staff_user).get(reverse("cadres:cadre_list")).content.decode()
    assert f'href="{url}"' in client_as(secretary_a).get(reverse("cadres:cadre_list")).content.decode()
    assert f'href="{url}"' not in client_as(auditor).get(reverse("cadres:cadre_list")).content.decode()
