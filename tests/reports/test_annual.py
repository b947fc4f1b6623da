"""The annual report: each figure is the number of rows (or the sum of a column) of the list it links
to, for this year and last; stocks are counted as they stood on 31 December; the scope holds."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.models import Role
from benefits.services import assignment_create, contact_log_record, medal_award, visit_record
from branches.models import ActivityKind, Attendance
from branches.record_services import commendation_create, rating_set, studio_create
from branches.services import activity_record, branch_update, membership_end, membership_transfer
from education.services import course_create, enrolment_create, enrolment_withdraw, school_create
from outreach.services import campaign_create, group_member_add
from reports.selectors_annual import COUNT, RATE, SUM, annual_report
from tests.factories import (
    AreaFactory,
    BranchFactory,
    CadreFactory,
    LectureGroupFactory,
    LecturerFactory,
    PatrolAreaFactory,
    TalkEventFactory,
    UserFactory,
    VolunteerTeamFactory,
)
from volunteers.services import chief_appoint, chief_post_update, record_create, team_update
from volunteers.wish_services import wish_claim, wish_fulfil, wish_post

YEAR, LAST = 2025, 2024
PRESENT = (Attendance.Status.PRESENT, "")


def _d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


@pytest.fixture
def annual_data(committee, branch_a, branch_b, cadre_a, cadre_b, staff_user):
    """Two years of every kind of record, in two branches (each in its own district)."""
    east = AreaFactory(name="东城区", kind="district")
    west = AreaFactory(name="西城区", kind="district")
    branch_a = branch_update(branch=branch_a, area=east)
    branch_b = branch_update(branch=branch_b, area=west)
    data = {"east": east, "west": west, "branch_a": branch_a, "branch_b": branch_b}

    # Organisations: new in each year, one dissolved on the last day of the year (gone at its end).
    temporary = BranchFactory(kind="temporary", parent=branch_a, founded_on=_d("2025-03-01"), area=east)
    BranchFactory(kind="group", parent=branch_b, founded_on=_d("2024-05-01"), area=west)
    BranchFactory(parent=branch_a, founded_on=_d("2020-01-01"), dissolved_on=_d("2025-12-31"), area=east)
    BranchFactory(parent=branch_b, founded_on=_d("2020-01-01"), dissolved_on=_d("2024-12-30"), area=west)
    rating_set(branch=branch_a, year=YEAR, stars=5, titles=[])
    rating_set(branch=temporary, year=YEAR, stars=5, titles=[])
    rating_set(branch=branch_b, year=YEAR, stars=3, titles=[])
    rating_set(branch=branch_a, year=LAST, stars=4, titles=[])

    # Members: cadre_a and cadre_b since 2020, and these around the turn of the year.
    def member(branch, area, **fields):
        return CadreFactory(branch=branch, area=area, joined_on=_d("2020-01-01"), **fields)

    left_30_dec = member(branch_a, east)
    membership_end(cadre=left_30_dec, on=_d("2025-12-30"))
    left_31_dec = member(branch_a, east)
    membership_end(cadre=left_31_dec, on=_d("2025-12-31"))
    left_1_jan = member(branch_a, east)
    membership_end(cadre=left_1_jan, on=_d("2026-01-01"))
    moved = member(branch_b, west)
    membership_transfer(cadre=moved, branch=branch_a, on=_d("2025-06-01"))
    newcomer = CadreFactory(branch=branch_a, area=east, joined_on=_d("2025-03-01"))
    died = member(branch_b, west, deceased_on=_d("2025-06-01"))
    veteran = member(branch_b, west, party_join_date=_d("1970-03-01"), birth_date=_d("1945-01-01"))
    data.update(moved=moved, newcomer=newcomer, died=died, veteran=veteran)

    # Branch life.
    kinds = {kind.code: kind for kind in ActivityKind.objects.all()}
    activity_record(
        branch=branch_a,
        kind=kinds["theme_day"],
        held_on=_d("2025-03-10"),
        topic="学习二十届三中全会精神",
        attendance={cadre_a.pk: PRESENT, newcomer.pk: PRESENT},
    )
    activity_record(
        branch=branch_a, kind=kinds["party_lecture"], held_on=_d("2025-07-05"), topic="党史专题党课",
        attendance={cadre_a.pk: PRESENT},
    )  # fmt: skip
    activity_record(
        branch=branch_b, kind=kinds["theme_day"], held_on=_d("2025-04-02"), topic="重温入党誓词",
        attendance={cadre_b.pk: PRESENT, veteran.pk: (Attendance.Status.LEAVE, "sick")},
    )  # fmt: skip
    activity_record(
        branch=branch_a, kind=kinds["general_meeting"], held_on=_d("2024-05-05"), topic="支部党员大会",
        attendance={cadre_a.pk: PRESENT},
    )  # fmt: skip
    activity_record(
        branch=branch_b, kind=kinds["theme_day"], held_on=_d("2024-09-09"), topic="主题党日",
        attendance={cadre_b.pk: PRESENT, moved.pk: PRESENT},
    )  # fmt: skip
    commendation_create(year=YEAR, kind="model_branch", title="示范党支部", branch=branch_a)
    commendation_create(year=YEAR, kind="excellent_member", title="优秀党员", cadre=cadre_b)
    commendation_create(year=LAST, kind="excellent_secretary", title="优秀党支部书记", cadre=cadre_a)
    commendation_create(year=YEAR, kind="other", title="先进集体")
    studio_create(name="王建国老党员工作室", run_by=cadre_a, founded_on=_d("2025-05-01"), area=east)
    studio_create(name="银龄红管家工作室", run_by=cadre_b, founded_on=_d("2019-01-01"), area=west)

    # Volunteers.
    team_a = VolunteerTeamFactory(level="squad", branch=branch_a, area=east, founded_on=_d("2024-03-01"))
    team_b = VolunteerTeamFactory(level="squadron", branch=branch_b, area=west, founded_on=_d("2020-01-01"))
    VolunteerTeamFactory(level="corps", founded_on=_d("2019-01-01"))
    river = PatrolAreaFactory(kind="river", area=east)
    road = PatrolAreaFactory(kind="road", area=west)
    grid = PatrolAreaFactory(kind="grid", area=east)
    post_a = chief_appoint(cadre=cadre_a, patrol_area=river, appointed_on=_d("2024-02-01"), team=team_a)
    post_b = chief_appoint(cadre=cadre_b, patrol_area=road, appointed_on=_d("2023-01-01"))
    chief_post_update(post=post_b, ended_on=_d("2025-08-01"))
    chief_appoint(cadre=newcomer, patrol_area=grid, appointed_on=_d("2025-04-01"))
    record_create(
        served_on=_d("2025-05-05"), kind="patrol", chief_post=post_a, hours=Decimal("2.5"),
        people_served=10, problems_found=3, problems_resolved=2,
    )  # fmt: skip
    record_create(
        served_on=_d("2025-06-01"), kind="care_visit", team=team_a, hours=Decimal("4"), people_served=20
    )
    record_create(
        served_on=_d("2024-07-01"), kind="grid_service", team=team_b, hours=Decimal("3"),
        people_served=5, problems_found=1, problems_resolved=1,
    )  # fmt: skip
    record_create(
        served_on=_d("2025-02-02"), kind="patrol", chief_post=post_b, hours=Decimal("1.5"),
        problems_found=2, problems_resolved=2,
    )  # fmt: skip
    wish = wish_post(beneficiary=cadre_a, wish="想要一台收音机", posted_on=_d("2025-03-01"))
    wish_claim(wish=wish, claimed_on=_d("2025-03-05"), branch=branch_a)
    wish_fulfil(wish=wish, fulfilled_on=_d("2025-04-01"))
    wish = wish_post(beneficiary=cadre_b, wish="陪同就医", posted_on=_d("2024-12-20"))
    wish_claim(wish=wish, claimed_on=_d("2024-12-25"), team=team_b)
    wish_fulfil(wish=wish, fulfilled_on=_d("2025-01-05"))
    wish_post(beneficiary=cadre_b, wish="理发上门", posted_on=_d("2025-06-01"))
    team_update(team=team_b, dissolved_on=_d("2025-10-01"))

    # Outreach.
    group_a = LectureGroupFactory(branch=branch_a, area=east, founded_on=_d("2024-01-01"))
    group_city = LectureGroupFactory(founded_on=_d("2025-02-01"))
    lecturer_a = LecturerFactory(cadre=cadre_a)
    group_member_add(group=group_a, lecturer=lecturer_a, joined_on=_d("2024-02-01"))
    lecturer_b = LecturerFactory(cadre=cadre_b)
    group_member_add(group=group_city, lecturer=lecturer_b, joined_on=_d("2025-03-01"))
    campaign = campaign_create(
        name="百千万宣讲行动", starts_on=_d("2025-01-01"), ends_on=_d("2026-06-30"), branch=branch_a,
        target_lecturers=5, target_talks=10, target_audience=1000,
    )  # fmt: skip
    TalkEventFactory(
        group=group_a, lecturers=[lecturer_a], held_on=_d("2025-05-01"), venue_type="school",
        audience=100, youth_audience=80, area=east, campaign=campaign,
    )  # fmt: skip
    TalkEventFactory(
        group=group_a, lecturers=[lecturer_a], held_on=_d("2024-06-01"), venue_type="community",
        audience=50, youth_audience=0, area=east,
    )  # fmt: skip
    TalkEventFactory(
        group=group_city, lecturers=[lecturer_b], held_on=_d("2025-07-01"), venue_type="online",
        audience=300, youth_audience=30, area=west,
    )  # fmt: skip
    data["campaign"] = campaign

    # Care.
    visit_record(cadre=cadre_a, visited_on=_d("2025-02-01"), visitors="局领导", reason="festival")
    visit_record(cadre=cadre_a, visited_on=_d("2025-10-01"), visitors="支部书记")
    visit_record(cadre=cadre_b, visited_on=_d("2025-03-03"), visitors="老干部科", reason="hospitalised")
    visit_record(cadre=cadre_b, visited_on=_d("2024-05-05"), visitors="老干部科")
    assignment = assignment_create(
        staff=staff_user, cadre=cadre_a, interval_days=30, started_on=_d("2024-01-01")
    )
    for day in ("2024-03-01", "2025-03-01", "2025-09-01"):
        contact_log_record(assignment=assignment, contacted_on=_d(day), method="phone")
    medal_award(cadre=veteran, kind="party_50_years", awarded_on=_d("2025-07-01"))
    medal_award(cadre=cadre_b, kind="honourable_retirement", awarded_on=_d("2024-06-01"))

    # Senior university: the city's university, a branch school in each district, one closed on the
    # last day of 2025 (gone at its end) and one founded after it.
    university = school_create(name="市老年大学", founded_on=_d("1990-09-01"))
    east_school = school_create(name="东城分校", parent=university, area=east, founded_on=_d("2024-03-01"))
    west_school = school_create(name="西城分校", parent=university, area=west, founded_on=_d("2020-01-01"))
    closing = school_create(
        name="安丰镇分校",
        parent=university,
        area=east,
        founded_on=_d("2020-01-01"),
        closed_on=_d("2025-12-31"),
    )
    school_create(name="大垛镇分校", parent=university, area=west, founded_on=_d("2026-03-01"))
    calligraphy = course_create(
        school=east_school, name="书法班", subject="calligraphy_painting", starts_on=_d("2025-03-01"),
        ends_on=_d("2025-07-15"), capacity=2,
    )  # fmt: skip
    photography = course_create(
        school=west_school, name="摄影班", subject="photography", starts_on=_d("2025-09-01")
    )
    poetry = course_create(
        school=university,
        name="诗词鉴赏",
        subject="poetry",
        starts_on=_d("2024-09-01"),
        ends_on=_d("2025-01-15"),
    )
    course_create(school=closing, name="太极拳", subject="health", starts_on=_d("2024-03-01"))
    enrolment_create(course=calligraphy, cadre=cadre_a, enrolled_on=_d("2025-02-20"))
    enrolment_create(course=calligraphy, cadre=newcomer, enrolled_on=_d("2025-03-01"))
    enrolment_create(course=photography, cadre=cadre_b, enrolled_on=_d("2025-08-20"))
    enrolment_create(course=photography, cadre=cadre_a, enrolled_on=_d("2025-08-25"))
    left = enrolment_create(course=photography, cadre=veteran, enrolled_on=_d("2025-08-21"))
    enrolment_withdraw(enrolment=left, left_on=_d("2025-10-01"))
    enrolment_create(course=poetry, cadre=cadre_b, enrolled_on=_d("2024-08-01"))
    enrolment_create(course=poetry, cadre=moved, enrolled_on=_d("2024-08-02"))
    return data


# Following the links ---------------------------------------------------------------------------

# A SUM figure adds up this column of the rows its list shows.
SUM_COLUMNS = {
    "attendance_present": "present_count",
    "service_hours": "hours",
    "people_served": "people_served",
    "problems_found": "problems_found",
    "problems_resolved": "problems_resolved",
    "audience": "audience",
    "youth_audience": "youth_audience",
}


def _percent(part, whole):
    return round(100 * part / whole, 1) if whole else None


# A RATE figure is a share of the rows its list shows.
RATES = {
    "attendance_rate": lambda rows: _percent(
        sum(row.present_count for row in rows), sum(row.roll_count for row in rows)
    ),
    "compliance_share": lambda rows: _percent(sum(1 for row in rows if row.compliant), len(rows)),
}


def listed(client, url: str, figure):
    """What the list at `url` shows, measured as `figure` measures it."""
    response = client.get(url)
    assert response.status_code == 200, url
    paginator = response.context["page_obj"].paginator
    if figure.measure == COUNT:
        return paginator.count
    rows = list(paginator.object_list)
    if figure.measure == SUM:
        return sum(getattr(row, SUM_COLUMNS[figure.key]) for row in rows)
    assert figure.measure == RATE
    return RATES[figure.key](rows)


def report_as(client, **params):
    response = client.get(reverse("reports:annual"), {"year": YEAR, **params})
    assert response.status_code == 200
    return response.context["report"]


SCOPES = {
    "city": lambda data: {},
    "branch_a": lambda data: {"branch": data["branch_a"].pk},
    "west": lambda data: {"area": data["west"].pk},
    "branch_a_in_east": lambda data: {"branch": data["branch_a"].pk, "area": data["east"].pk},
}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "scope"),
    [
        ("staff_user", "city"),
        ("staff_user", "branch_a"),
        ("staff_user", "west"),
        ("auditor", "branch_a_in_east"),
        ("secretary_a", "city"),  # their own branch, by default
        ("secretary_a", "west"),
    ],
)
def test_it_counts_for_each_figure_the_rows_its_list_shows(role, scope, annual_data, request, client_as):
    client = client_as(request.getfixturevalue(role))
    report = report_as(client, **SCOPES[scope](annual_data))
    checked = 0
    for figure in report.figures():
        assert figure.url and figure.last_url, figure.key
        assert listed(client, figure.url, figure) == figure.value, (figure.key, figure.url)
        assert listed(client, figure.last_url, figure) == figure.last, (figure.key, figure.last_url)
        checked += 1
    assert checked >= 60
    # Not a report of zeros: the data gives most figures a value in one year or the other.
    if scope == "city":
        assert sum(1 for figure in report.figures() if figure.value or figure.last) >= 40


@pytest.mark.django_db
def test_the_campaign_table_links_to_the_talks_it_counts(annual_data, staff_user, client_as):
    client = client_as(staff_user)
    table = report_as(client).section("outreach").tables[0]
    (row,) = table.rows
    assert row[0][0] == "百千万宣讲行动"
    (talks, talks_url), (audience, audience_url) = row[4], row[7]
    assert (talks, audience) == (1, 100)
    assert audience_url == talks_url  # the audience is summed over the same talks
    response = client.get(talks_url)
    assert response.context["page_obj"].paginator.count == talks
    assert sum(talk.audience for talk in response.context["page_obj"].paginator.object_list) == audience
    assert row[6][0] == 10.0  # 1 talk of 10
    assert row[2][0] == 1  # one lecturer gave its talks


# What is counted ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_it_counts_members_as_they_stood_on_31_december(annual_data, staff_user):
    report = annual_report(user=staff_user, year=YEAR)
    members = report.figure("members")
    # 2025: cadre_a, cadre_b, the one who left on 1 January, the one moved in, the newcomer and the
    # veteran. Not the one who left on 30 or 31 December (a membership's end is its first day
    # outside), nor the one who died in June.
    assert members.value == 6
    # 2024: cadre_a, cadre_b, the three who left in December 2025 or later, the one moved (then in
    # branch b), the one who died in 2025 and the veteran; not the newcomer.
    assert members.last == 8
    assert report.as_of == dt.date(YEAR, 12, 31)
    assert report.last_as_of == dt.date(LAST, 12, 31)


@pytest.mark.django_db
def test_it_counts_the_year_end_stocks_and_the_years_flows(annual_data, staff_user):
    report = annual_report(user=staff_user, year=YEAR)
    values = {figure.key: (figure.value, figure.last) for figure in report.figures()}
    # The branch dissolved on 31 December 2025 is gone at its end; the one dissolved on 30 December
    # 2024 at the end of 2024.
    assert values["organisations"] == (5, 5)
    assert values["organisations_branch"] == (2, 3)
    assert values["organisations_new"] == (1, 1)
    assert values["rated_5_stars"] == (2, 0)
    assert values["rated_4_stars"] == (0, 1)
    assert values["activities"] == (3, 2)
    assert values["activities_kind_theme_day"] == (2, 1)
    # 2025: 4 present of 6 on the rolls (the newcomer and the one moved in count from their day).
    assert values["attendance_present"] == (4, 3)
    assert values["commendations"] == (3, 1)
    assert values["studios"] == (2, 1)
    assert values["teams"] == (2, 3)  # the squadron was dissolved in October 2025
    assert values["chief_posts"] == (2, 2)
    assert values["chief_posts_grid"] == (1, 0)
    assert values["patrol_areas_road"] == (0, 1)
    assert values["service_records"] == (3, 1)
    assert values["service_hours"] == (Decimal("8.0"), Decimal("3.0"))
    assert values["problems_resolved"] == (4, 1)
    assert values["wishes_posted"] == (2, 1)
    assert values["wishes_fulfilled"] == (2, 0)
    assert values["lecture_groups"] == (2, 1)
    assert values["lecturers"] == (2, 1)
    assert values["talks"] == (2, 1)
    assert values["audience"] == (400, 50)
    assert values["youth_audience"] == (110, 0)
    assert values["visits"] == (3, 1)
    assert values["visits_hospitalised"] == (1, 0)
    assert values["people_visited"] == (2, 1)
    assert values["contacts"] == (2, 1)
    assert values["medals_party_50_years"] == (1, 0)
    # The branch school closed on 31 December 2025 is gone at its end; the one of 2026 not yet there.
    assert values["senior_schools"] == (2, 3)
    assert values["senior_courses"] == (2, 2)
    assert values["senior_courses_photography"] == (1, 0)
    # A withdrawn student's enrolment still counts; cadre a, on two courses, is one student.
    assert values["senior_enrolments"] == (5, 2)
    assert values["senior_students"] == (4, 2)


@pytest.mark.django_db
def test_a_secretarys_report_covers_only_their_subtree(annual_data, secretary_a, staff_user, client_as):
    mine = report_as(client_as(secretary_a))
    assert mine.scope_branch == annual_data["branch_a"]
    staff = annual_report(user=staff_user, year=YEAR, scope_branch=annual_data["branch_a"])
    city = annual_report(user=staff_user, year=YEAR)
    # Branch b's 2025 activity, its chief, its studio and its visits are not in it.
    assert mine.figure("activities").value == 2 < city.figure("activities").value
    assert mine.figure("studios").value == 1
    assert mine.figure("visits").value == 2
    assert mine.figure("chief_posts").value == 2
    assert mine.figure("talks").value == 1
    for key in (
        "activities",
        "teams",
        "service_records",
        "talks",
        "visits",
        "medals",
        "senior_schools",
        "senior_courses",
        "senior_enrolments",
        "senior_students",
    ):
        assert (mine.figure(key).value, mine.figure(key).last) == (
            staff.figure(key).value,
            staff.figure(key).last,
        ), key
    # Members who have left the subtree since are outside the secretary's registry (accounts.scoping
    # follows the current branch), so their report leaves them out where the bureau's counts them:
    # 2025 cadre_a, the one moved in and the newcomer (the bureau adds the one who left on 1 January);
    # 2024 cadre_a (the bureau adds the three who left in December 2025 or later).
    assert (mine.figure("members").value, mine.figure("members").last) == (3, 1)
    # The senior university as the own members meet it: the branch schools and courses they attend,
    # their enrolments (cadre a twice and the newcomer; in 2024 the one moved in since).
    assert (mine.figure("senior_schools").value, mine.figure("senior_schools").last) == (2, 2)
    assert (mine.figure("senior_courses").value, mine.figure("senior_courses").last) == (2, 1)
    assert (mine.figure("senior_enrolments").value, mine.figure("senior_enrolments").last) == (3, 1)
    assert (mine.figure("senior_students").value, mine.figure("senior_students").last) == (2, 1)
    assert (staff.figure("members").value, staff.figure("members").last) == (4, 4)


@pytest.mark.django_db
def test_another_branchs_id_is_a_form_error_and_shows_no_figures(annual_data, secretary_a, client_as):
    client = client_as(secretary_a)
    for params in (
        {"branch": annual_data["branch_b"].pk},
        {"branch": annual_data["branch_b"].pk, "format": "xlsx"},
    ):
        response = client.get(reverse("reports:annual"), {"year": YEAR, **params})
        assert response.status_code == 200
        assert response.context["report"] is None
        assert "branch" in response.context["form"].errors
        assert "data-figure" not in response.content.decode()


@pytest.mark.django_db
def test_a_year_not_offered_is_a_form_error(staff_user, client_as):
    response = client_as(staff_user).get(reverse("reports:annual"), {"year": "1900"})
    assert response.context["report"] is None
    assert "year" in response.context["form"].errors


@pytest.mark.django_db
def test_it_defaults_to_the_last_complete_year(staff_user, client_as):
    from django.utils import timezone

    report = client_as(staff_user).get(reverse("reports:annual")).context["report"]
    assert report.year == timezone.localdate().year - 1
    assert report.last_year == report.year - 1


@pytest.mark.django_db
def test_the_year_in_progress_counts_its_stocks_today(annual_data, staff_user):
    from django.utils import timezone

    today = timezone.localdate()
    report = annual_report(user=staff_user, year=today.year)
    assert report.as_of == today
    assert report.last_as_of == dt.date(today.year - 1, 12, 31)
    if today != dt.date(today.year, 12, 31):
        assert report.in_progress


@pytest.mark.django_db
def test_the_page_shows_each_figure_with_last_year_and_the_change(annual_data, staff_user, client_as):
    response = client_as(staff_user).get(reverse("reports:annual"), {"year": YEAR})
    html = response.content.decode()
    report = response.context["report"]
    assert [section.key for section in report.sections] == [
        "organisation",
        "branch_life",
        "volunteering",
        "outreach",
        "care",
    ]
    assert html.count("data-figure=") == len(report.figures())
    activities = report.figure("activities")
    assert f'href="{activities.url}"'.replace("&", "&amp;") in html
    assert "+1 (+50.0%)" in html  # activities: 3 against 2
    assert 'id="annual-charts"' in html
    assert "reports/annual.css" in html and "vendor/chartjs/chart.umd.min.js" in html


# Access ------------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["staff_user", "admin_user", "auditor", "secretary_a"])
def test_the_bureau_the_auditor_and_secretaries_may_read_it(role, request, client_as):
    client = client_as(request.getfixturevalue(role))
    assert client.get(reverse("reports:annual")).status_code == 200
    assert client.get(reverse("reports:annual_organisations")).status_code == 200


@pytest.mark.django_db
def test_a_team_leader_may_not(client_as):
    leader = UserFactory(username="leader", role=Role.TEAM_LEADER, volunteer_team=VolunteerTeamFactory())
    client = client_as(leader)
    assert client.get(reverse("reports:annual")).status_code == 403
    assert client.get(reverse("reports:annual"), {"format": "xlsx"}).status_code == 403
    assert client.get(reverse("reports:annual_organisations")).status_code == 403


@pytest.mark.django_db
def test_anonymous_users_are_sent_to_log_in(client):
    response = client.get(reverse("reports:annual"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


@pytest.mark.django_db
def test_the_navigation_offers_it_to_readers_of_the_registry(staff_user, client_as):
    response = client_as(staff_user).get(reverse("reports:annual"))
    current = [
        entry["url"]
        for section in response.context["navigation"]
        for entry in section["entries"]
        if entry["current"]
    ]
    assert current == [reverse("reports:annual")]
