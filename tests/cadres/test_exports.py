import datetime as dt

import pytest
from django.urls import reverse

from cadres.exports import MEMBER_COLUMNS, roster_columns
from cadres.models import Cadre
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
