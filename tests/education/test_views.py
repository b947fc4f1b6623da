"""The senior-university pages: forms that refuse bad input and say why, scoped lists and exports that
mask ID numbers, what each role may do, and lists whose queries do not grow with their rows."""

import csv
import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Role
from core.masking import mask_id_number
from education.models import Course, Enrolment, SeniorSchool
from education.services import course_create, course_update, enrolment_create, school_create
from tests.factories import AreaFactory, CadreFactory, UserFactory, VolunteerTeamFactory

pytestmark = pytest.mark.django_db

SCHOOLS = reverse("education:school_list")
COURSES = reverse("education:course_list")
ENROLMENTS = reverse("education:enrolment_list")


def _csv(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def _listed(response) -> list:
    assert response.status_code == 200
    return list(response.context["page_obj"].paginator.object_list)


# Schools and courses: create and edit ---------------------------------------------------------------


def test_staff_add_a_branch_school_of_the_university(university, staff_user, client_as):
    area = AreaFactory(name="安丰镇", kind="town")
    response = client_as(staff_user).post(
        reverse("education:school_create"),
        {"name": "大垛镇分校", "parent": university.pk, "area": area.pk, "founded_on": "2019-09-01"},
    )
    school = SeniorSchool.objects.get(name="大垛镇分校")
    assert response.status_code == 302 and response["Location"] == school.get_absolute_url()
    assert (school.parent, school.area, school.founded_on) == (university, area, dt.date(2019, 9, 1))


def test_a_school_that_closes_before_its_founding_is_shown_the_error(university, staff_user, client_as):
    response = client_as(staff_user).post(
        reverse("education:school_update", args=[university.pk]),
        {"name": university.name, "founded_on": "1988-09-01", "closed_on": "1980-01-01"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["closed_on"]
    assert SeniorSchool.objects.get(pk=university.pk).closed_on is None


def test_staff_add_a_course_whose_year_is_its_start(branch_school, staff_user, client_as):
    client = client_as(staff_user)
    page = client.get(reverse("education:course_create"), {"school": branch_school.pk})
    assert page.context["form"].initial["school"] == branch_school.pk
    response = client.post(
        reverse("education:course_create"),
        {
            "school": branch_school.pk,
            "name": "数码摄影班",
            "subject": "photography",
            "starts_on": "2025-09-01",
            "ends_on": "2026-01-15",
            "teacher": "陈光影",
            "capacity": "40",
        },
    )
    course = Course.objects.get(name="数码摄影班")
    assert response.status_code == 302 and response["Location"] == course.get_absolute_url()
    assert (course.year, course.capacity, course.teacher) == (2025, 40, "陈光影")


def test_a_course_that_ends_before_it_starts_is_shown_the_error_and_keeps_the_input(
    branch_school, staff_user, client_as
):
    response = client_as(staff_user).post(
        reverse("education:course_create"),
        {"school": branch_school.pk, "name": "国画班", "subject": "calligraphy_painting",
         "starts_on": "2025-09-01", "ends_on": "2025-08-01"},
    )  # fmt: skip
    assert response.status_code == 200
    assert response.context["form"].errors["ends_on"]
    html = response.content.decode()
    assert "国画班" in html  # nothing typed is lost
    assert not Course.objects.filter(name="国画班").exists()


def test_staff_edit_a_course_and_may_not_cut_its_places_below_its_students(
    enrolled, calligraphy, cadre_b, staff_user, client_as
):
    enrolment_create(course=calligraphy, cadre=cadre_b, enrolled_on=dt.date(2025, 2, 21))
    url = reverse("education:course_update", args=[calligraphy.pk])
    data = {
        "school": calligraphy.school_id,
        "name": "书法提高班",
        "subject": "calligraphy_painting",
        "starts_on": "2025-03-01",
        "ends_on": "2025-07-15",
        "capacity": "1",
    }
    response = client_as(staff_user).post(url, data)
    assert response.status_code == 200
    assert "2" in " ".join(response.context["form"].errors["capacity"])
    response = client_as(staff_user).post(url, {**data, "capacity": "20"})
    assert response.status_code == 302
    calligraphy.refresh_from_db()
    assert (calligraphy.name, calligraphy.capacity) == ("书法提高班", 20)


# Enrolling and withdrawing ----------------------------------------------------------------------------


def test_staff_enrol_a_cadre_from_the_course_page(calligraphy, cadre_a, staff_user, client_as):
    client = client_as(staff_user)
    page = client.get(calligraphy.get_absolute_url())
    assert page.context["enrol_form"] is not None
    assert reverse("education:course_enrol", args=[calligraphy.pk]) in page.content.decode()
    response = client.post(
        reverse("education:course_enrol", args=[calligraphy.pk]),
        {"cadre": f"{cadre_a.name} #{cadre_a.pk}", "enrolled_on": "2025-02-20"},
    )
    assert response.status_code == 302 and response["Location"] == calligraphy.get_absolute_url()
    assert Enrolment.objects.get().cadre == cadre_a


def test_a_full_course_says_so_and_enrols_no_one(enrolled, calligraphy, cadre_b, staff_user, client_as):
    enrolment_create(course=calligraphy, cadre=cadre_b, enrolled_on=dt.date(2025, 2, 21))
    late = CadreFactory(name="赵晚来")
    response = client_as(staff_user).post(
        reverse("education:course_enrol", args=[calligraphy.pk]),
        {"cadre": f"#{late.pk}", "enrolled_on": "2025-02-22"},
    )
    assert response.status_code == 200
    errors = response.context["form"].non_field_errors()
    assert errors and "2" in errors[0]
    assert errors[0] in response.content.decode()
    assert not Enrolment.objects.filter(cadre=late).exists()


def test_a_deceased_cadre_is_refused_by_name(calligraphy, staff_user, client_as):
    died = CadreFactory(name="钱故去", deceased_on=dt.date(2024, 5, 1))
    response = client_as(staff_user).post(
        reverse("education:course_enrol", args=[calligraphy.pk]),
        {"cadre": f"#{died.pk}", "enrolled_on": "2025-02-22"},
    )
    assert response.status_code == 200
    assert "钱故去" in " ".join(response.context["form"].errors["cadre"])
    assert not Enrolment.objects.exists()


def test_staff_withdraw_a_student_and_delete_a_mistaken_enrolment(enrolled, staff_user, client_as):
    client = client_as(staff_user)
    response = client.post(
        reverse("education:enrolment_withdraw", args=[enrolled["a"].pk]), {"left_on": "2025-04-01"}
    )
    assert response.status_code == 302
    assert Enrolment.objects.get(pk=enrolled["a"].pk).left_on == dt.date(2025, 4, 1)
    url = reverse("education:enrolment_delete", args=[enrolled["b"].pk])
    assert client.get(url).status_code == 200  # the confirmation
    assert client.post(url).status_code == 302
    assert not Enrolment.objects.filter(pk=enrolled["b"].pk).exists()


# What each role may see and do ------------------------------------------------------------------------


def test_a_secretary_reads_only_the_own_members_enrolments(enrolled, secretary_a, cadre_a, client_as):
    client = client_as(secretary_a)
    assert _listed(client.get(ENROLMENTS)) == [enrolled["a"]]
    # The schools and courses they meet are those the own members attend.
    assert [school.name for school in _listed(client.get(SCHOOLS))] == ["安丰镇分校"]
    assert [course.name for course in _listed(client.get(COURSES))] == ["书法班"]
    rows = _csv(client.get(ENROLMENTS, {"format": "csv"}))
    assert [row[0] for row in rows[1:]] == [cadre_a.name]
    # The university's own course, where only branch b's cadre studies, is not theirs to open.
    poetry = enrolled["b"].course
    assert client.get(poetry.get_absolute_url()).status_code == 404
    assert client.get(enrolled["b"].course.school.get_absolute_url()).status_code == 404


def test_a_secretary_counts_only_the_own_members_on_a_school(
    enrolled, calligraphy, cadre_b, secretary_a, staff_user, client_as
):
    enrolment_create(course=calligraphy, cadre=cadre_b, enrolled_on=dt.date(2025, 2, 21))
    (mine,) = _listed(client_as(secretary_a).get(SCHOOLS))
    assert (mine.course_count, mine.student_count) == (1, 1)
    staff = {school.name: school for school in _listed(client_as(staff_user).get(SCHOOLS))}
    assert (staff["安丰镇分校"].course_count, staff["安丰镇分校"].student_count) == (1, 2)
    assert (staff["市老年大学"].course_count, staff["市老年大学"].student_count) == (1, 1)
    course = client_as(secretary_a).get(calligraphy.get_absolute_url())
    assert course.status_code == 200
    assert [row.cadre for row in course.context["enrolments"]] == [enrolled["a"].cadre]
    assert course.context["enrol_form"] is None


@pytest.mark.parametrize("role", ["secretary_a", "auditor"])
def test_secretaries_and_auditors_only_read(role, enrolled, calligraphy, request, client_as):
    client = client_as(request.getfixturevalue(role))
    for url in (SCHOOLS, COURSES, ENROLMENTS, calligraphy.get_absolute_url()):
        assert client.get(url).status_code == 200, url
    for url in (
        reverse("education:school_create"),
        reverse("education:school_update", args=[calligraphy.school_id]),
        reverse("education:course_create"),
        reverse("education:course_update", args=[calligraphy.pk]),
        reverse("education:course_enrol", args=[calligraphy.pk]),
        reverse("education:enrolment_withdraw", args=[enrolled["a"].pk]),
        reverse("education:enrolment_delete", args=[enrolled["a"].pk]),
    ):
        assert client.get(url).status_code == 403, url
        assert client.post(url, {"name": "篡改", "left_on": "2025-04-01"}).status_code == 403, url
    assert Enrolment.objects.get(pk=enrolled["a"].pk).left_on is None


def test_a_team_leader_sees_nothing_of_it(enrolled, calligraphy, client_as):
    leader = UserFactory(username="leader", role=Role.TEAM_LEADER, volunteer_team=VolunteerTeamFactory())
    client = client_as(leader)
    for url in (SCHOOLS, COURSES, ENROLMENTS):
        assert client.get(url).status_code == 403
    assert client.get(calligraphy.get_absolute_url()).status_code == 404


def test_the_navigation_offers_it_under_care(enrolled, staff_user, secretary_a, client_as):
    for user in (staff_user, secretary_a):
        page = client_as(user).get(COURSES)
        current = [e["url"] for s in page.context["navigation"] for e in s["entries"] if e["current"]]
        assert current == [SCHOOLS]


# Masking -------------------------------------------------------------------------------------------


def test_id_numbers_are_masked_on_the_pages_and_in_the_exports(
    enrolled, calligraphy, cadre_a, staff_user, client_as
):
    client = client_as(staff_user)
    for response in (client.get(ENROLMENTS), client.get(calligraphy.get_absolute_url())):
        html = response.content.decode()
        assert cadre_a.id_number not in html
        assert mask_id_number(cadre_a.id_number) in html
    rows = _csv(client.get(ENROLMENTS, {"format": "csv"}))
    assert cadre_a.id_number not in str(rows)
    assert mask_id_number(cadre_a.id_number) in {row[1] for row in rows[1:]}


# Filters ----------------------------------------------------------------------------------------------


def test_the_course_list_filters_by_school_year_and_subject(
    enrolled, calligraphy, poetry, staff_user, client_as
):
    client = client_as(staff_user)
    older = course_create(
        school=poetry.school, name="太极拳班", subject="health", starts_on=dt.date(2024, 3, 1)
    )

    def names(**params):
        return sorted(course.name for course in _listed(client.get(COURSES, params)))

    assert names() == ["书法班", "太极拳班", "诗词鉴赏班"]
    assert names(year=2025) == ["书法班", "诗词鉴赏班"]
    assert names(year=2024) == [older.name]
    assert names(school=poetry.school_id) == ["太极拳班", "诗词鉴赏班"]
    assert names(subject="calligraphy_painting") == ["书法班"]
    assert names(year="nonsense") == names()  # a bad filter shows its error and is ignored


def test_the_school_list_filters_by_kind_and_the_day_it_was_open(
    university, branch_school, staff_user, client_as
):
    school_create(
        name="林湖乡分校", parent=university, founded_on=dt.date(2010, 1, 1), closed_on=dt.date(2020, 1, 1)
    )
    client = client_as(staff_user)

    def names(**params):
        return sorted(school.name for school in _listed(client.get(SCHOOLS, params)))

    assert names(kind="branch") == ["安丰镇分校", "林湖乡分校"]
    assert names(kind="main") == ["市老年大学"]
    assert names(kind="branch", on="2019-12-31") == ["安丰镇分校", "林湖乡分校"]
    assert names(kind="branch", on="2020-01-01") == ["安丰镇分校"]
    assert names(kind="branch", on="2012-01-01") == ["林湖乡分校"]


# Queries ----------------------------------------------------------------------------------------------

# Each list page: the session and the user; the request's savepoint; the user's and the group's
# permissions; the school filter's choices (courses and enrolments); the paginator's count and its
# rows, with their counts in subqueries and the school or the student's branch joined; the
# navigation's reminder badge; the session's save in a savepoint of its own. Pinned, so a query per
# row or a forgotten select_related shows here.
LIST_QUERIES = {"school_list": 12, "course_list": 13, "enrolment_list": 13}


def _grow(count: int, university, branch) -> None:
    """`count` more branch schools, each with a course and a student of `branch`."""
    for _ in range(count):
        school = school_create(name=f"测试镇分校{SeniorSchool.objects.count()}", parent=university)
        course = course_create(school=school, name="兴趣班", subject="other", starts_on=dt.date(2025, 3, 1))
        enrolment_create(course=course, cadre=CadreFactory(branch=branch), enrolled_on=dt.date(2025, 2, 1))


@pytest.mark.parametrize("user_fixture", ["staff_user", "secretary_a"])
@pytest.mark.parametrize("url_name", sorted(LIST_QUERIES))
def test_the_lists_run_a_pinned_number_of_queries_however_many_rows(
    url_name, user_fixture, university, branch_a, request, client_as
):
    client = client_as(request.getfixturevalue(user_fixture))
    url = reverse(f"education:{url_name}")
    counts = []
    made = 0
    for rows in (3, 12):
        _grow(rows - made, university, branch_a)
        made = rows
        client.get(url, {"per_page": 50})  # warm the cache (tree choices)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url, {"per_page": 50})
        assert response.status_code == 200
        assert len(response.context["rows"]) >= rows
        counts.append(len(ctx))
    assert counts == [LIST_QUERIES[url_name]] * 2, "\n".join(q["sql"][:150] for q in ctx.captured_queries)


def test_the_course_page_runs_the_same_queries_for_2_and_8_students(
    calligraphy, branch_a, staff_user, client_as
):
    course_update(course=calligraphy, capacity=None)  # room for everyone
    client = client_as(staff_user)
    counts = []
    for students in (2, 8):
        while Enrolment.objects.filter(course=calligraphy).count() < students:
            enrolment_create(
                course=calligraphy, cadre=CadreFactory(branch=branch_a), enrolled_on=dt.date(2025, 2, 1)
            )
        client.get(calligraphy.get_absolute_url())
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(calligraphy.get_absolute_url())
        assert len(response.context["enrolments"]) == students
        counts.append(len(ctx))
    assert counts[0] == counts[1]
