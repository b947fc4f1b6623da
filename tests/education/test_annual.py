"""The annual report's senior-university figures: each is the number of rows of the list it links to,
for this year and last, for each role and scope; stocks as they stood on 31 December."""

import datetime as dt

import pytest

from branches.services import branch_update
from education.services import course_create, enrolment_create, enrolment_withdraw, school_create
from reports.selectors_annual import annual_report
from tests.factories import AreaFactory, BranchFactory, CadreFactory
from tests.reports.test_annual import listed, report_as

YEAR = 2025
SENIOR = ("senior_schools", "senior_courses", "senior_enrolments", "senior_students")


@pytest.fixture
def university_data(branch_a, branch_b, cadre_a, cadre_b):
    east = AreaFactory(name="东城区", kind="district")
    west = AreaFactory(name="西城区", kind="district")
    branch_update(branch=branch_a, area=east)
    branch_update(branch=branch_b, area=west)
    below_a = BranchFactory(name="城管局第二党小组", kind="group", parent=branch_a)
    in_group = CadreFactory(name="孙小组", branch=below_a, area=east)
    westerner = CadreFactory(name="周西住", branch=branch_a, area=west)

    university = school_create(name="市老年大学", founded_on=dt.date(1988, 9, 1))
    east_school = school_create(name="东城分校", parent=university, area=east, founded_on=dt.date(2025, 2, 1))
    west_school = school_create(name="西城分校", parent=university, area=west, founded_on=dt.date(2018, 9, 1))
    school_create(
        name="林湖乡分校",
        parent=university,
        area=west,
        founded_on=dt.date(2018, 9, 1),
        closed_on=dt.date(2025, 6, 30),
    )
    dance = course_create(school=east_school, name="民族舞班", subject="dance", starts_on=dt.date(2025, 3, 1))
    phones = course_create(
        school=west_school, name="智能手机班", subject="computers", starts_on=dt.date(2025, 9, 1)
    )
    music = course_create(school=university, name="合唱班", subject="music", starts_on=dt.date(2024, 9, 1))
    for course, cadre, day in (
        (dance, cadre_a, "2025-02-20"),
        (dance, in_group, "2025-02-21"),
        (phones, westerner, "2025-08-20"),
        (phones, cadre_b, "2025-08-21"),
        (music, cadre_a, "2024-08-20"),
    ):
        enrolment_create(course=course, cadre=cadre, enrolled_on=dt.date.fromisoformat(day))
    # One who withdrew still counts among the year's enrolments.
    left = enrolment_create(course=music, cadre=cadre_b, enrolled_on=dt.date(2024, 8, 21))
    enrolment_withdraw(enrolment=left, left_on=dt.date(2024, 10, 1))
    return {"east": east, "west": west, "branch_a": branch_a}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "params"),
    [
        ("staff_user", lambda d: {}),
        ("staff_user", lambda d: {"area": d["west"].pk}),
        ("staff_user", lambda d: {"branch": d["branch_a"].pk}),
        ("auditor", lambda d: {"branch": d["branch_a"].pk, "area": d["east"].pk}),
        ("secretary_a", lambda d: {}),
        ("secretary_a", lambda d: {"area": d["west"].pk}),
    ],
)
def test_each_figure_is_the_row_count_of_its_list(role, params, university_data, request, client_as):
    client = client_as(request.getfixturevalue(role))
    report = report_as(client, **params(university_data))
    figures = [figure for figure in report.section("care").figures if figure.key.startswith("senior_")]
    assert {figure.key for figure in figures} >= set(SENIOR)
    for figure in figures:
        assert listed(client, figure.url, figure) == figure.value, (figure.key, figure.url)
        assert listed(client, figure.last_url, figure) == figure.last, (figure.key, figure.last_url)


@pytest.mark.django_db
def test_it_counts_for_the_city_and_for_a_branch(university_data, staff_user, secretary_a):
    def values(report):
        return {key: (report.figure(key).value, report.figure(key).last) for key in SENIOR}

    # The school closed in June 2025 is gone by its end; the east school was founded in 2025.
    assert values(annual_report(user=staff_user, year=YEAR)) == {
        "senior_schools": (2, 2),
        "senior_courses": (2, 1),
        "senior_enrolments": (4, 2),
        "senior_students": (4, 2),
    }
    # Branch a's members (and those of the group below it): the dance course in the east school and
    # the phone course in the west one this year, the choir of the university last year.
    mine = values(annual_report(user=secretary_a, year=YEAR, scope_branch=university_data["branch_a"]))
    assert mine == {
        "senior_schools": (2, 1),
        "senior_courses": (2, 1),
        "senior_enrolments": (3, 1),
        "senior_students": (3, 1),
    }
    assert mine == values(annual_report(user=staff_user, year=YEAR, scope_branch=university_data["branch_a"]))
    assert annual_report(user=staff_user, year=YEAR).figure("senior_courses_dance").value == 1
