import csv
import datetime as dt
import io
import re

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from branches.models import ActivityKind
from branches.services import activity_record
from core.periods import MONTH, period_of
from tests.factories import BranchFactory, CadreFactory, UserFactory

pytestmark = pytest.mark.django_db
URL = reverse("reports:compliance")
JULY = dt.date(2026, 7, 1)


def _hold(branch, code, day, topic="学习党章", attendance=None):
    kind = ActivityKind.objects.get(code=code)
    return activity_record(branch=branch, kind=kind, held_on=day, topic=topic, attendance=attendance)


def _hold_the_month(branch, day=JULY):
    """What a branch must hold every month: the committee meeting and the theme day."""
    _hold(branch, "committee_meeting", day)
    _hold(branch, "theme_day", day + dt.timedelta(days=14))


def _rows(response):
    return {row["branch"].name: row for row in response.context["rows"]}


def _cells(row):
    return {kind.code: status for kind, status in row["cells"]}


def _row_html(html, branch):
    return re.search(rf'<tr data-branch="{branch.pk}".*?</tr>', html, re.DOTALL).group(0)


def _export(client, file_type, **params):
    response = client.get(URL, {"period": "2026-07", "format": file_type, **params})
    assert response.status_code == 200
    if file_type == "csv":
        return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")))), response
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)], response


def test_it_shows_which_branches_held_their_meetings(branch_a, branch_b, staff_user, client_as):
    _hold_the_month(branch_a)
    _hold(branch_b, "committee_meeting", JULY)

    response = client_as(staff_user).get(URL, {"period": "2026-07"})

    assert response.status_code == 200
    rows = _rows(response)
    assert set(rows) == {branch_a.name, branch_b.name}  # the committee holds no 三会一课 of its own
    assert rows[branch_a.name]["compliant"]
    assert not rows[branch_b.name]["compliant"]
    theme_day = _cells(rows[branch_b.name])["theme_day"]
    assert (theme_day.held, theme_day.needed, theme_day.missing) == (0, 1, 1)
    assert response.context["summary"] == {
        "branches": 2,
        "compliant": 1,
        "noncompliant": 1,
        "rate": None,
        "compliant_share": 50,
    }
    html = response.content.decode()
    assert re.search(rf'data-branch="{branch_b.pk}"\s+data-compliant="false"', html)
    assert ">未达标</span>" in _row_html(html, branch_b)
    assert ">达标</span>" in _row_html(html, branch_a)
    assert ">缺</span>" in _row_html(html, branch_b)
    assert ">缺</span>" not in _row_html(html, branch_a)
    assert reverse("branches:branch_detail", args=[branch_a.pk]) in html
    assert "text-bg-danger" in html


def test_it_puts_the_noncompliant_first_by_default(committee, staff_user, client_as):
    first = BranchFactory(name="甲支部", parent=committee)
    second = BranchFactory(name="乙支部", parent=committee)
    _hold_the_month(first)

    response = client_as(staff_user).get(URL, {"period": "2026-07"})

    assert list(_rows(response)) == [second.name, first.name]


def test_it_shows_only_the_noncompliant_when_asked(branch_a, branch_b, staff_user, client_as):
    _hold_the_month(branch_a)

    response = client_as(staff_user).get(URL, {"period": "2026-07", "only": "noncompliant"})

    assert list(_rows(response)) == [branch_b.name]
    assert response.context["summary"]["branches"] == 2  # the headline still covers the scope


def test_it_sorts_by_attendance_rate_lowest_first(committee, staff_user, client_as):
    half = BranchFactory(name="半数出席支部", parent=committee)
    full = BranchFactory(name="全部出席支部", parent=committee)
    none = BranchFactory(name="未开展支部", parent=committee)
    came, stayed_home = CadreFactory(branch=half), CadreFactory(branch=half)
    _hold(half, "theme_day", JULY, attendance={came.pk: ("present", ""), stayed_home.pk: ("leave", "sick")})
    everyone = CadreFactory(branch=full)
    _hold(full, "theme_day", JULY, attendance={everyone.pk: ("present", "")})

    response = client_as(staff_user).get(URL, {"period": "2026-07", "sort": "rate"})

    rows = _rows(response)
    assert list(rows) == [none.name, half.name, full.name]
    assert [rows[name]["rate"] for name in rows] == [None, 50.0, 100.0]
    assert response.context["summary"]["rate"] == pytest.approx(66.7)
    assert "50.0%" in response.content.decode()


def test_it_reads_a_quarter_as_three_months(branch_a, staff_user, client_as):
    for month in (7, 8, 9):
        _hold(branch_a, "committee_meeting", dt.date(2026, month, 3))

    response = client_as(staff_user).get(URL, {"period": "2026-Q3"})

    assert response.context["period"].label == "2026-Q3"
    cells = _cells(_rows(response)[branch_a.name])
    assert (cells["committee_meeting"].held, cells["committee_meeting"].needed) == (3, 3)
    assert (cells["theme_day"].held, cells["theme_day"].needed) == (0, 3)
    assert cells["general_meeting"].needed == cells["party_lecture"].needed == 1
    assert "life_meeting" not in cells  # yearly: a quarter owes none


@pytest.mark.parametrize("period", ["2026-13", "July", "9999-12", "0000"])
def test_it_shows_an_error_for_a_bad_period_and_falls_back_to_this_month(
    period, branch_a, staff_user, client_as
):
    response = client_as(staff_user).get(URL, {"period": period})

    assert response.status_code == 200
    assert response.context["form"].errors["period"] == [
        "统计期间应为月份（2026-07）、季度（2026-Q3）或年度（2026）。"
    ]
    assert response.context["period"] == period_of(MONTH, timezone.localdate())
    assert f'value="{period}"' in response.content.decode()  # what was typed stays in the box


def test_it_never_shows_a_secretary_another_branchs_subtree(branch_a, branch_b, secretary_a, client_as):
    _hold_the_month(branch_b)
    BranchFactory(name="教育局第一党小组", kind="group", parent=branch_b)
    client = client_as(secretary_a)

    for root in (branch_b.pk, "abc", 999_999):
        response = client.get(URL, {"period": "2026-07", "root": root})
        assert response.status_code == 200
        assert "root" in response.context["form"].errors
        assert list(_rows(response)) == [branch_a.name]
        html = response.content.decode()
        assert branch_b.name not in html
        assert "教育局第一党小组" not in html
        rows, _response = _export(client, "csv", root=root)
        assert [row[0] for row in rows[1:]] == [branch_a.name]


def test_it_shows_a_secretary_only_the_own_branch(branch_a, branch_b, secretary_a, client_as):
    group = BranchFactory(name="城管局第一党小组", kind="group", parent=branch_a)

    response = client_as(secretary_a).get(URL, {"period": "2026-07"})

    assert list(_rows(response)) == [branch_a.name, group.name]
    assert response.context["scope"] == branch_a
    assert branch_b.name not in response.content.decode()


def test_it_narrows_to_a_subtree_for_the_bureau(committee, branch_a, branch_b, staff_user, client_as):
    group = BranchFactory(name="城管局第一党小组", kind="group", parent=branch_a)

    response = client_as(staff_user).get(URL, {"period": "2026-07", "root": branch_a.pk})

    assert not response.context["form"].errors
    assert list(_rows(response)) == [branch_a.name, group.name]
    # A group owes its group meeting only; the branch owes no group meeting.
    assert _cells(_rows(response)[group.name])["committee_meeting"] is None
    assert _cells(_rows(response)[branch_a.name])["group_meeting"] is None


def test_it_refuses_a_user_without_a_role(branch_a, client_as):
    nobody = UserFactory(role="")
    assert client_as(nobody).get(URL).status_code == 403


def test_it_asks_an_anonymous_visitor_to_log_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_it_exports_every_row_as_csv_with_chinese_headers(
    committee, branch_a, branch_b, staff_user, client_as
):
    _hold_the_month(branch_a)
    for number in range(25):  # more than one page
        BranchFactory(name=f"第{number}支部", parent=committee)

    rows, response = _export(client_as(staff_user), "csv", per_page=20, page=2)

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="compliance-2026-07.csv"'
    assert response.content.startswith("\ufeff".encode())  # Excel reads UTF-8 only with the mark
    assert rows[0] == [
        "党组织",
        "类型",
        "支部委员会已开展",
        "支部委员会应开展",
        "主题党日已开展",
        "主题党日应开展",
        "缺项数",
        "出勤率（%）",
        "达标",
    ]
    assert len(rows) == 1 + 27
    by_name = {row[0]: row for row in rows[1:]}
    assert by_name[branch_a.name] == [branch_a.name, "党支部", "1", "1", "1", "1", "0", "", "是"]
    assert by_name[branch_b.name] == [branch_b.name, "党支部", "0", "1", "0", "1", "2", "", "否"]


def test_it_exports_xlsx_that_opens(branch_a, branch_b, staff_user, client_as):
    member = CadreFactory(branch=branch_a)
    _hold(branch_a, "committee_meeting", JULY, attendance={member.pk: ("present", "")})

    rows, response = _export(client_as(staff_user), "xlsx", only="noncompliant")

    assert response["Content-Disposition"] == 'attachment; filename="compliance-2026-07.xlsx"'
    assert rows[0][:2] == ["党组织", "类型"]
    assert rows[0][-1] == "达标"
    assert [row[0] for row in rows[1:]] == [branch_a.name, branch_b.name]
    assert rows[1][2:] == [1, 1, 0, 1, 1, 100.0, "否"]


def test_it_escapes_cells_a_spreadsheet_would_run_as_formulas(committee, staff_user, client_as):
    BranchFactory(name="=SUM(A1)", parent=committee)
    BranchFactory(name="@cmd", parent=committee)
    BranchFactory(name="-2+3", parent=committee)
    client = client_as(staff_user)

    for file_type in ("csv", "xlsx"):
        rows, _response = _export(client, file_type)
        assert sorted(row[0] for row in rows[1:]) == ["'-2+3", "'=SUM(A1)", "'@cmd"]


def test_it_escapes_an_activity_kind_named_like_a_formula(branch_a, staff_user, client_as):
    ActivityKind.objects.filter(code="theme_day").update(name="=HYPERLINK(1)")

    rows, _response = _export(client_as(staff_user), "csv")

    assert "'=HYPERLINK(1)已开展" in rows[0]


def test_it_runs_the_same_queries_for_3_and_15_branches(committee, staff_user, client_as):
    client = client_as(staff_user)

    def count():
        client.get(URL, {"period": "2026-Q3", "per_page": 100})  # warm the tree-choices cache
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(URL, {"period": "2026-Q3", "per_page": 100})
        assert response.status_code == 200
        return len(ctx), len(response.context["rows"])

    for _ in range(3):
        _hold_the_month(BranchFactory(parent=committee))
    few, shown = count()
    assert shown == 3
    for _ in range(12):
        _hold_the_month(BranchFactory(parent=committee))
    many, shown = count()
    assert shown == 15
    assert many == few
