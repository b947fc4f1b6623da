import datetime as dt

import pytest
from django.urls import reverse

from cadres.exports import MEMBER_COLUMNS, roster_columns
from cadres.models import Cadre
from core.masking import mask_id_number, mask_phone
from tests.factories import CadreFactory
from tests.test_exports import csv_table, xlsx_table

pytestmark = pytest.mark.django_db
LIST = reverse("cadres:cadre_list")
# A request: session and user (2), savepoint (1), the user's and the group's permissions (2),
# the rows in one chunked read (1), release (1), and the idle timeout's session save (3).
EXPORT_QUERIES = 10


def test_the_export_holds_every_page_not_just_the_one_shown(branch_a, staff_user, client_as):
    for n in range(25):
        CadreFactory(name=f"李{n:02d}", branch=branch_a)
    client = client_as(staff_user)
    assert len(client.get(LIST, {"per_page": 20, "page": 2}).context["cadres"]) == 5
    _header, *rows = csv_table(client.get(LIST, {"per_page": 20, "page": 2, "format": "csv"}))
    assert [row[0] for row in rows] == [f"李{n:02d}" for n in range(25)]


def test_the_export_keeps_the_lists_filters(branch_a, branch_b, staff_user, client_as):
    lixiu = CadreFactory(name="赵老", branch=branch_a, retirement_type=Cadre.RetirementType.LIXIU)
    CadreFactory(name="钱老", branch=branch_a)
    CadreFactory(name="孙老", branch=branch_b, retirement_type=Cadre.RetirementType.LIXIU)
    params = {"retirement_type": "lixiu", "branch": branch_a.pk}
    client = client_as(staff_user)
    shown = [cadre.name for cadre in client.get(LIST, params).context["cadres"]]
    _header, *rows = csv_table(client.get(LIST, {**params, "format": "csv"}))
    assert shown == [row[0] for row in rows] == [lixiu.name]


def test_the_deceased_are_exported_only_when_the_list_shows_them(branch_a, staff_user, client_as):
    CadreFactory(name="健在", branch=branch_a)
    late = CadreFactory(name="已故", branch=branch_a)
    Cadre.objects.filter(pk=late.pk).update(deceased_on=dt.date(2025, 5, 1))
    client = client_as(staff_user)
    assert [row[0] for row in csv_table(client.get(LIST, {"format": "csv"}))[1:]] == ["健在"]
    header, *rows = csv_table(client.get(LIST, {"format": "csv", "status": "all"}))
    deceased_on = dict(zip(header, rows[1], strict=True))["去世日期"]
    assert (rows[1][0], deceased_on) == ("已故", "2025-05-01")


def test_the_headers_are_the_roster_columns_translated(cadre_a, staff_user, client_as):
    header = csv_table(client_as(staff_user).get(LIST, {"format": "csv"}))[0]
    assert header == [title for _key, title, _value in roster_columns(user=staff_user)]
    assert header[:4] == ["姓名", "性别", "身份证号", "出生日期"]
    assert "入党时间" in header and "所在党支部" in header


def test_dates_are_dates_in_the_workbook_and_iso_text_in_the_csv(cadre_a, staff_user, client_as):
    client = client_as(staff_user)
    header, row = xlsx_table(client.get(LIST, {"format": "xlsx"}))
    assert row[header.index("出生日期")] == dt.datetime(1950, 3, 14)
    header, row = csv_table(client.get(LIST, {"format": "csv"}))
    assert row[header.index("出生日期")] == "1950-03-14"


def test_a_branchs_member_export_has_the_member_tables_columns(cadre_a, branch_a, auditor, client_as):
    header, row = csv_table(client_as(auditor).get(branch_a.get_absolute_url(), {"format": "csv"}))
    assert len(header) == len(MEMBER_COLUMNS) and "身份证号" not in header
    assert row[0] == cadre_a.name
    assert "13812345678" not in row


@pytest.mark.parametrize("role", ["staff_user", "secretary_a"])
@pytest.mark.parametrize("file_type", ["csv", "xlsx"])
def test_the_export_runs_the_same_queries_for_3_and_60_cadres(
    role, file_type, request, branch_a, client_as, django_assert_num_queries
):
    client = client_as(request.getfixturevalue(role))
    for total, added in ((3, 3), (60, 57)):
        for _ in range(added):
            CadreFactory(branch=branch_a)
        client.get(LIST)  # warm the cached select choices, as in service
        with django_assert_num_queries(EXPORT_QUERIES):
            response = client.get(LIST, {"format": file_type})
        table = csv_table(response) if file_type == "csv" else xlsx_table(response)
        assert len(table) == total + 1


# The roster for re-import: the import's layout, full ID numbers, each download logged -------------

ROSTER = reverse("cadres:cadre_roster_export")
# As EXPORT_QUERIES, with the branch filtered on (its lookup, 1) and the audit-log entry (1).
ROSTER_EXPORT_QUERIES = 12


def _roster(response) -> list[dict]:
    """The rows of a roster download as {header: cell}, checking that its headers are the import's."""
    from imports.specs import CADRE_ROSTER

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    header, *rows = xlsx_table(response)
    assert header == CADRE_ROSTER.headers
    # Empty rows below the data keep the ID column's text format: the import skips them too.
    return [dict(zip(header, row, strict=True)) for row in rows if any(cell != "" for cell in row)]


def _roster_entries():
    from auditlog.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    return LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Cadre), action=LogEntry.Action.ACCESS, object_pk=""
    ).order_by("pk")


def test_the_roster_for_re_import_imports_back_with_every_row_unchanged(
    branch_a, branch_b, staff_user, client_as
):
    from branches.models import BranchMembership
    from imports import services
    from imports.models import ImportJob
    from tests.imports.helpers import upload

    CadreFactory(
        name="王建国", branch=branch_a, five_elders=["teacher", "old_cadre"], notes="=1+2", rank="county"
    )
    CadreFactory(
        name="李秀英",
        sex="F",
        birth_date=dt.date(1952, 1, 2),
        branch=branch_a,
        retirement_type=Cadre.RetirementType.LIXIU,
        party_join_date=dt.date(1975, 7, 1),
        address="锦江区红星路1号",
    )
    late = CadreFactory(name="赵德明", branch=branch_a, retired_on=dt.date(2010, 4, 1))
    Cadre.objects.filter(pk=late.pk).update(deceased_on=dt.date(2025, 5, 1))
    CadreFactory(name="孙老", branch=branch_b)
    client = client_as(staff_user)

    response = client.get(ROSTER, {"branch": branch_a.pk, "status": "all"})
    rows = _roster(response)
    mine = Cadre.objects.filter(branch=branch_a).order_by("id")
    assert [row["姓名"] for row in rows] == [cadre.name for cadre in mine]
    assert [row["身份证号"] for row in rows] == [cadre.id_number for cadre in mine]
    assert rows[0]["联系电话"] == "13812345678"

    def registry():
        return (
            list(Cadre.objects.order_by("pk").values()),
            list(BranchMembership.objects.order_by("pk").values()),
        )

    before = registry()
    job = services.job_create(
        user=staff_user, resource="cadres", upload=upload("名册.xlsx", response.content)
    )
    assert services.job_validate(job_id=job.pk) == ImportJob.Status.PREVIEWED
    job.refresh_from_db()
    assert (job.row_count, job.create_count, job.update_count, job.skip_count, job.error_count) == (
        3,
        0,
        0,
        3,
        0,
    ), job.message or job.errors
    services.job_confirm(job=job, user=staff_user)
    assert services.job_run(job_id=job.pk) == ImportJob.Status.DONE
    assert registry() == before


def test_each_roster_download_is_logged_with_its_user_row_count_and_filter(
    branch_a, cadre_a, staff_user, client_as
):
    CadreFactory(name="王建民", branch=branch_a)
    client = client_as(staff_user)
    assert len(_roster(client.get(ROSTER, {"branch": branch_a.pk, "q": "王建"}))) == 2
    assert len(_roster(client.get(ROSTER, {"q": f" {cadre_a.id_number.lower()} "}))) == 1

    first, second = _roster_entries()
    assert (first.actor, second.actor) == (staff_user, staff_user)
    assert first.timestamp is not None and first.remote_addr == "127.0.0.1"
    assert first.changes_dict == {
        "row_count": [None, "2"],
        "filter": [None, f"q=王建&branch={branch_a.name}&status=living"],
    }
    # An ID number searched for stays masked in the log, as every ID number there.
    assert second.changes_dict["filter"] == [None, f"q={mask_id_number(cadre_a.id_number)}&status=living"]
    assert cadre_a.id_number not in str(second.changes)
    # The log names the filter the list applied: a search it refused (a NUL) is not there.
    assert len(_roster(client.get(ROSTER, {"q": "王\x00建"}))) == 2
    assert _roster_entries().last().changes_dict == {
        "row_count": [None, "2"],
        "filter": [None, "status=living"],
    }
    # The masked exports of the list log nothing.
    client.get(LIST, {"format": "xlsx"})
    assert _roster_entries().count() == 3


@pytest.mark.parametrize("role", ["secretary_a", "auditor"])
def test_roles_that_may_not_see_full_id_numbers_get_403_and_no_button(role, cadre_a, request, client_as):
    client = client_as(request.getfixturevalue(role))
    assert client.get(ROSTER).status_code == 403
    assert client.get(ROSTER, {"branch": cadre_a.branch_id}).status_code == 403
    assert ROSTER not in client.get(LIST).content.decode()
    assert not _roster_entries().exists()


def test_staff_see_the_button_with_the_lists_filters(branch_a, staff_user, client_as):
    page = client_as(staff_user).get(LIST, {"branch": branch_a.pk, "page": 2}).content.decode()
    assert f'href="{ROSTER}?branch={branch_a.pk}"' in page
    assert "导出名册（可导入）" in page


def test_phones_stay_masked_for_a_role_that_may_see_full_ids_but_not_personal_details(
    cadre_a, auditor, client_as
):
    from django.contrib.auth.models import Permission

    auditor.user_permissions.add(Permission.objects.get(codename="view_full_id_number"))
    (row,) = _roster(client_as(auditor).get(ROSTER))
    assert row["身份证号"] == cadre_a.id_number
    assert row["联系电话"] == mask_phone(cadre_a.phone)


def test_the_roster_export_runs_the_same_queries_for_3_and_60_cadres(
    branch_a, staff_user, client_as, django_assert_num_queries
):
    client = client_as(staff_user)
    for total, added in ((3, 3), (60, 57)):
        for _ in range(added):
            CadreFactory(branch=branch_a, five_elders=["veteran"], former_unit="市城管局")
        client.get(LIST)  # warm the cached select choices, as in service
        with django_assert_num_queries(ROSTER_EXPORT_QUERIES):
            response = client.get(ROSTER, {"branch": branch_a.pk})
        assert len(_roster(response)) == total
