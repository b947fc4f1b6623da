"""Imports of records through their apps' services (imports.records): Party organisations and
transfers as the worked examples. Preview writes nothing, one bad row writes nothing, a
re-import changes nothing, and a user imports only within their scope."""

import datetime as dt
import io

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from branches.importers import BRANCHES, TRANSFERS
from branches.models import Branch, BranchMembership
from core import idcard
from imports import services
from imports.models import ImportJob
from imports.registry import importable_by
from tests.factories import CadreFactory
from tests.imports.helpers import upload, xlsx

pytestmark = pytest.mark.django_db

Status = ImportJob.Status


def run(run_jobs, user, resource, rows, *, confirm=True):
    job = run_jobs(services.job_create, user=user, resource=resource, upload=upload("表.xlsx", xlsx(rows)))
    job.refresh_from_db()
    if confirm and job.status == Status.PREVIEWED:
        run_jobs(services.job_confirm, job=job, user=user)
        job.refresh_from_db()
    return job


def snapshot():
    return (
        list(Branch.objects.order_by("pk").values()),
        list(BranchMembership.objects.order_by("pk").values()),
    )


BRANCH_HEADERS = ["名称", "类型", "上级党组织", "成立日期", "任期年限", "联络员电话"]


def test_branches_are_previewed_then_created_under_parents_named_in_the_file(run_jobs, staff_user, committee):
    rows = [
        BRANCH_HEADERS,
        ["区委老干部党总支", "党总支", committee.name, "2019-7-1", 3, "13800001111"],
        # Its parent is the row above: rows are written in order.
        ["区卫健局离退休干部党支部", "支部", "区委老干部党总支", "2020年3月1日", "５", ""],
    ]
    preview = run(run_jobs, staff_user, "branches", rows, confirm=False)
    assert preview.status == Status.PREVIEWED, (preview.message, preview.errors)
    assert (preview.create_count, preview.update_count, preview.skip_count) == (2, 0, 0)
    assert not Branch.objects.filter(name="区委老干部党总支").exists(), "the preview writes nothing"
    assert [change["name"] for change in preview.changes] == ["区委老干部党总支", "区卫健局离退休干部党支部"]

    run_jobs(services.job_confirm, job=preview, user=staff_user)
    preview.refresh_from_db()
    assert preview.status == Status.DONE
    general = Branch.objects.get(name="区委老干部党总支")
    child = Branch.objects.get(name="区卫健局离退休干部党支部")
    assert Branch.objects.get_parent(general) == committee and general.kind == Branch.Kind.GENERAL_BRANCH
    assert Branch.objects.get_parent(child) == general and child.term_years == 5
    assert child.founded_on == dt.date(2020, 3, 1)
    assert general.liaison_phone == "13800001111"


def test_reimporting_changes_nothing_and_a_changed_cell_updates_only_that(run_jobs, staff_user, committee):
    rows = [BRANCH_HEADERS, ["区委老干部党总支", "党总支", committee.name, "2019-07-01", 3, ""]]
    assert run(run_jobs, staff_user, "branches", rows).status == Status.DONE
    before = snapshot()

    again = run(run_jobs, staff_user, "branches", rows)
    assert (again.status, again.create_count, again.update_count, again.skip_count) == (Status.DONE, 0, 0, 1)
    assert snapshot() == before

    rows[1][4] = 4
    changed = run(run_jobs, staff_user, "branches", rows)
    assert (changed.create_count, changed.update_count) == (0, 1)
    assert changed.changes[0]["columns"] == ["任期年限"]
    assert Branch.objects.get(name="区委老干部党总支").term_years == 4


def test_one_bad_row_imports_nothing_and_names_each_row_and_column(run_jobs, staff_user, committee):
    before = snapshot()
    rows = [
        BRANCH_HEADERS,
        ["甲支部", "党支部", committee.name, "2019-07-01", 3, ""],
        ["乙支部", "党支部", "不存在的党委", "2019-07-01", 3, ""],
        ["丙支部", "党支部", committee.name, "2019-07-01", 7, ""],
        ["丁支部", "党支部", committee.name, "2019-07-01", 3, "一二三"],
        ["甲支部", "党支部", committee.name, "2019-07-01", 3, ""],
    ]
    job = run(run_jobs, staff_user, "branches", rows)
    assert job.status == Status.FAILED
    found = {(error["row"], error["column"], error["code"]) for error in job.errors}
    assert found == {
        (3, "上级党组织", "unknown_branch"),
        (4, "任期年限", "out_of_range"),
        (5, "联络员电话", "phone"),
        (6, "名称", "duplicate"),
    }
    assert job.create_count == 0 and not job.changes
    assert snapshot() == before


def test_a_rule_of_the_service_is_a_row_error(run_jobs, staff_user, committee):
    """The model's own check (dissolved before founded) reaches the user as that row's error."""
    rows = [
        ["名称", "上级党组织", "成立日期", "撤销日期"],
        ["甲支部", committee.name, "2020-01-01", "2019-01-01"],
    ]
    job = run(run_jobs, staff_user, "branches", rows)
    assert job.status == Status.FAILED
    assert [(error["row"], error["column"]) for error in job.errors] == [(2, "撤销日期")]
    assert not Branch.objects.filter(name="甲支部").exists()


def test_moving_an_organisation_is_refused(run_jobs, staff_user, committee, branch_a, branch_b):
    job = run(run_jobs, staff_user, "branches", [["名称", "上级党组织"], [branch_a.name, branch_b.name]])
    assert job.status == Status.FAILED
    assert job.errors[0]["column"] == "上级党组织" and job.errors[0]["code"] == "moved"
    branch_a.refresh_from_db()
    assert Branch.objects.get_parent(branch_a) == committee


def test_a_secretary_may_not_import_organisations_or_transfers(secretary_a, staff_user):
    # Other sheets (talks, visits) a secretary may import within their branches; not these.
    mine = {resource.slug for resource in importable_by(secretary_a)}
    assert "cadres" in mine and not mine & {"branches", "memberships"}
    assert {"cadres", "branches", "memberships"} <= {resource.slug for resource in importable_by(staff_user)}
    with pytest.raises(ValidationError):
        services.job_create(user=secretary_a, resource="branches", upload=upload("a.xlsx", xlsx([["名称"]])))


TRANSFER_HEADERS = ["姓名", "身份证号", "转入党支部", "转入日期"]


def test_a_transfer_moves_the_cadre_and_its_reimport_is_skipped(run_jobs, staff_user, branch_a, branch_b):
    cadre = CadreFactory(name="王建国", branch=branch_a)
    rows = [TRANSFER_HEADERS, ["王建国", cadre.id_number, branch_b.name, dt.date.today()]]
    job = run(run_jobs, staff_user, "memberships", rows)
    assert (job.status, job.create_count) == (Status.DONE, 1), job.errors
    cadre.refresh_from_db()
    assert cadre.branch == branch_b
    current = BranchMembership.objects.get(cadre=cadre, left_on__isnull=True)
    assert (current.branch, current.joined_on) == (branch_b, dt.date.today())
    assert job.changes[0]["id_number"] != cadre.id_number, "the preview masks ID numbers"

    before = snapshot()
    again = run(run_jobs, staff_user, "memberships", rows)
    assert (again.status, again.create_count, again.skip_count) == (Status.DONE, 0, 1)
    assert snapshot() == before


def test_transfer_rows_are_checked_against_the_registry(run_jobs, staff_user, branch_a, branch_b):
    cadre = CadreFactory(name="王建国", branch=branch_a)
    stranger_id = idcard.make_id_number("510104", dt.date(1950, 1, 1), 7, "M")
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    rows = [
        TRANSFER_HEADERS,
        ["李四", cadre.id_number, branch_b.name, "2024-01-01"],
        ["无名", stranger_id, branch_b.name, "2024-01-01"],
        ["", cadre.id_number, "不存在的支部", "2024-01-02"],
        ["", cadre.id_number, branch_b.name, tomorrow],
    ]
    before = snapshot()
    job = run(run_jobs, staff_user, "memberships", rows)
    assert job.status == Status.FAILED
    assert [(error["row"], error["column"], error["code"]) for error in job.errors] == [
        (2, "姓名", "name_mismatch"),
        (3, "身份证号", "unknown"),
        (4, "转入党支部", "unknown"),
        (5, "转入日期", "future_date"),
    ]
    assert snapshot() == before


def test_the_current_records_download_imports_back_unchanged(
    run_jobs, client_as, staff_user, branch_a, branch_b
):
    CadreFactory(branch=branch_a)
    for resource in (BRANCHES, TRANSFERS):
        response = client_as(staff_user).get(reverse(f"imports:records_{resource.slug}"))
        assert response.status_code == 200
        sheet = load_workbook(filename=io.BytesIO(response.content)).active
        # The sheet keeps empty text-formatted rows below the records; they read as blank.
        rows = [list(row) for row in sheet.iter_rows(values_only=True) if any(row)]
        assert rows[0] == resource.headers
        assert len(rows) > 1
        before = snapshot()
        job = run(
            run_jobs,
            staff_user,
            resource.slug,
            [[cell if cell is not None else "" for cell in row] for row in rows],
        )
        assert job.status == Status.DONE, (resource.slug, job.message, job.errors)
        assert (job.create_count, job.update_count, job.skip_count) == (0, 0, len(rows) - 1)
        assert snapshot() == before


def test_a_download_with_full_id_numbers_is_logged(client_as, staff_user, branch_a):
    cadre = CadreFactory(branch=branch_a)
    response = client_as(staff_user).get(reverse("imports:records_memberships"))
    sheet = load_workbook(filename=io.BytesIO(response.content)).active
    assert sheet.cell(row=2, column=2).value == cadre.id_number
    entry = LogEntry.objects.get(action=LogEntry.Action.ACCESS, actor=staff_user)
    assert entry.changes_dict["row_count"] == [None, "1"]
    assert entry.content_type.model == "cadre" and str(TRANSFERS.verbose_name) in entry.object_repr


def test_templates_and_downloads_are_for_those_who_may_import_them(
    client_as, secretary_a, staff_user, auditor
):
    response = client_as(staff_user).get(reverse("imports:template_branches"))
    assert response.status_code == 200
    header = [cell.value for cell in load_workbook(filename=io.BytesIO(response.content)).active[1]]
    assert header == BRANCHES.headers
    page = client_as(staff_user).get(reverse("imports:index"))
    assert reverse("imports:template_memberships") in page.content.decode()
    for user in (secretary_a, auditor):
        client = client_as(user)
        assert client.get(reverse("imports:template_branches")).status_code == 403
        assert client.get(reverse("imports:records_branches")).status_code == 403
    assert (
        reverse("imports:template_branches")
        not in client_as(secretary_a).get(reverse("imports:index")).content.decode()
    )


def test_each_template_says_how_its_rows_find_their_records(client_as, staff_user):
    from imports.registry import resources
    from imports.workbook import _matching_notes

    for slug, resource in resources().items():
        response = client_as(staff_user).get(reverse(f"imports:template_{slug}"))
        notes = load_workbook(io.BytesIO(response.content)).worksheets[1]
        lines = [row[0] for row in notes.iter_rows(values_only=True) if row and row[0]]
        matching = _matching_notes(resource)[0]
        assert matching in lines, slug
        keys = [
            column.header
            for column in resource.columns
            if column.field in getattr(resource, "key_fields", ())
        ]
        assert all(header in matching for header in keys), (slug, matching)
        assert ("身份证号" in matching) == (
            slug == "cadres" or "id_number" in getattr(resource, "key_fields", ())
        )


def test_names_with_full_width_brackets_are_found_as_cells_spell_them(
    run_jobs, staff_user, committee, branch_a
):
    """A cell's （） reads as () (NFKC); a branch stored with （） must still be found."""
    from tests.factories import BranchFactory
    from tests.imports.helpers import person, rows_of

    bracketed = BranchFactory(name="城东街道（临时）党支部", parent=committee)
    cadre = CadreFactory(branch=branch_a)
    job = run(
        run_jobs,
        staff_user,
        "memberships",
        [TRANSFER_HEADERS, ["", cadre.id_number, bracketed.name, "2024-5-1"]],
    )
    assert job.status == Status.DONE, job.errors
    cadre.refresh_from_db()
    assert cadre.branch == bracketed

    roster = run_jobs(
        services.job_create,
        user=staff_user,
        resource="cadres",
        upload=upload("花名册.xlsx", xlsx(rows_of([person(1, branch=bracketed.name)]))),
    )
    roster.refresh_from_db()
    assert roster.status == Status.PREVIEWED, roster.errors
