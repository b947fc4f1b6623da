"""The annual report's cost in queries, its workbook and CSV, and the organisations list it links to."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from branches.models import ActivityKind, Attendance
from branches.services import activity_record
from reports.selectors_annual import annual_report
from tests.factories import BranchFactory, CadreFactory, TalkEventFactory, VolunteerTeamFactory
from tests.reports.test_annual import YEAR, annual_data  # noqa: F401  (the fixture)

# Every model is read once for both years; compliance is three queries a year (see branch_compliance)
# and campaign progress three; the senior university three (schools, courses, enrolments). The number
# does not grow with the data, the branches or the scope.
REPORT_QUERIES = 29


def _more_of_everything(branch):
    """Another branch with members, activities, a team and talks: more rows, never more queries."""
    extra = BranchFactory(name="新建党支部", parent=branch, founded_on=dt.date(2021, 1, 1), area=branch.area)
    cadres = [CadreFactory(branch=extra, joined_on=dt.date(2021, 1, 1)) for _ in range(3)]
    kind = ActivityKind.objects.get(code="committee_meeting")
    for month in range(1, 13):
        activity_record(
            branch=extra,
            kind=kind,
            held_on=dt.date(YEAR, month, 10),
            topic="支部委员会",
            attendance={cadre.pk: (Attendance.Status.PRESENT, "") for cadre in cadres},
        )
    VolunteerTeamFactory(level="squad", branch=extra, founded_on=dt.date(2021, 1, 1))
    TalkEventFactory(held_on=dt.date(YEAR, 9, 1), venue_type="village", audience=140)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["staff_user", "secretary_a"])
def test_it_costs_the_same_few_queries_however_much_there_is(
    role,
    annual_data,  # noqa: F811
    request,
    django_assert_num_queries,
):
    user = request.getfixturevalue(role)
    user.branch  # noqa: B018  (the secretary's branch is loaded with the user in a request)
    scope = {"scope_branch": annual_data["branch_a"], "scope_area": annual_data["east"]}
    with django_assert_num_queries(REPORT_QUERIES):
        annual_report(user=user, year=YEAR, **scope)
    _more_of_everything(annual_data["branch_a"])  # sits in the east district, as branch a
    with django_assert_num_queries(REPORT_QUERIES):
        report = annual_report(user=user, year=YEAR, **scope)
    assert report.figure("activities").value == 14  # the 12 added were counted


@pytest.mark.django_db
def test_the_workbook_has_a_cover_and_a_sheet_per_section(annual_data, staff_user, client_as):  # noqa: F811
    response = client_as(staff_user).get(
        reverse("reports:annual"), {"year": YEAR, "branch": annual_data["branch_a"].pk, "format": "xlsx"}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert ".xlsx" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content))
    report = annual_report(user=staff_user, year=YEAR, scope_branch=annual_data["branch_a"])
    # Names and labels in the user's language, as the page shows them (Chinese by default).
    assert workbook.sheetnames == [_("Cover"), *(section.title for section in report.sections)]
    cover = {row[0]: row[1] for row in workbook[_("Cover")].iter_rows(values_only=True) if row and row[0]}
    assert cover[_("Year")] == YEAR
    assert cover[_("Compared with")] == YEAR - 1
    assert cover[_("Scope")] == annual_data["branch_a"].name
    assert cover[_("Stocks counted on")].date() == dt.date(YEAR, 12, 31)

    sheet = workbook[report.section("branch_life").title]
    assert [cell.value for cell in sheet[1]] == [
        _("Figure"),
        str(YEAR),
        str(YEAR - 1),
        _("Change on last year"),
        _("Change on last year (%)"),
    ]
    rows = {row[0].strip("\u3000"): row[1:] for row in sheet.iter_rows(min_row=2, values_only=True) if row[0]}
    activities = report.figure("activities")
    assert rows[activities.label] == (
        activities.value,
        activities.last,
        activities.value - activities.last,
        100.0,
    )
    rate = report.figure("attendance_rate")
    assert rows[rate.label][:2] == (rate.value, rate.last)

    outreach = workbook[report.section("outreach").title]
    texts = [row[0] for row in outreach.iter_rows(values_only=True)]
    assert "百千万宣讲行动" in texts  # the campaign table follows the figures


@pytest.mark.django_db
def test_the_csv_is_the_flat_list_of_figures(annual_data, staff_user, client_as):  # noqa: F811
    response = client_as(staff_user).get(reverse("reports:annual"), {"year": YEAR, "format": "csv"})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    report = annual_report(user=staff_user, year=YEAR)
    assert rows[0] == [_("Section"), _("Figure"), str(YEAR), str(YEAR - 1), _("Change on last year")]
    assert len(rows) == 1 + len(report.figures())
    members = report.figure("members")
    assert [report.section("organisation").title, members.label, str(members.value), str(members.last)] in [
        row[:4] for row in rows
    ]


@pytest.mark.django_db
def test_a_formula_in_a_name_is_written_as_text(staff_user, client_as, committee):
    BranchFactory(name="=HYPERLINK(1)", parent=committee)
    campaign_branch = BranchFactory(name="+1 党支部", parent=committee)
    response = client_as(staff_user).get(
        reverse("reports:annual"), {"year": YEAR, "branch": campaign_branch.pk, "format": "xlsx"}
    )
    cover = load_workbook(io.BytesIO(response.content))[_("Cover")]
    scope = next(row[1] for row in cover.iter_rows(values_only=True) if row and row[0] == _("Scope"))
    assert scope == "'+1 党支部"


# The organisations list ------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_organisations_list_filters_as_the_report_counts(annual_data, staff_user, client_as):  # noqa: F811
    client = client_as(staff_user)
    url = reverse("reports:annual_organisations")

    def names(**params):
        response = client.get(url, params)
        assert response.status_code == 200
        return sorted(branch.name for branch in response.context["page_obj"].paginator.object_list)

    assert len(names(on="2025-12-31")) == 5
    assert len(names(on="2024-12-31")) == 5
    assert names(founded=2025) == names(kind="temporary")
    assert names(rating_year=YEAR, stars=5) == sorted(
        [annual_data["branch_a"].name, names(kind="temporary")[0]]
    )
    assert names(rating_year=YEAR, stars=3) == [annual_data["branch_b"].name]
    # In the west district: branch b, and the branch dissolved on 30 December 2024.
    assert len(names(area=annual_data["west"].pk, kind="branch")) == 2
    assert names(area=annual_data["west"].pk, kind="branch", on="2025-12-31") == [
        annual_data["branch_b"].name
    ]
    response = client.get(url, {"rating_year": YEAR, "format": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 1 + 3
    assert {row[-1] for row in rows[1:]} == {"5", "3"}


@pytest.mark.django_db
def test_stars_without_a_year_is_an_error(staff_user, client_as):
    response = client_as(staff_user).get(reverse("reports:annual_organisations"), {"stars": 5})
    assert response.context["form"].non_field_errors()


@pytest.mark.django_db
def test_a_secretary_lists_only_their_own_organisations(annual_data, secretary_a, client_as):  # noqa: F811
    client = client_as(secretary_a)
    response = client.get(reverse("reports:annual_organisations"))
    listed = {branch.pk for branch in response.context["page_obj"].paginator.object_list}
    assert annual_data["branch_a"].pk in listed
    assert annual_data["branch_b"].pk not in listed
    response = client.get(reverse("reports:annual_organisations"), {"branch": annual_data["branch_b"].pk})
    assert "branch" in response.context["form"].errors
