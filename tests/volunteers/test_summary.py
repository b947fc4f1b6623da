"""The volunteer summary: each figure equals the rows of the list it links to, for the same period and scope."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import AreaFactory, CadreFactory, PatrolAreaFactory, VolunteerTeamFactory
from volunteers.services import chief_appoint, chief_post_update, record_create, team_update
from volunteers.wish_services import wish_claim, wish_fulfil, wish_post

pytestmark = pytest.mark.django_db

JULY = "2026-07"


@pytest.fixture
def city(corps, team_a, team_b, district, cadre_a, cadre_b, post_a, post_b, branch_a):
    """A summer of service: rivers, a road and a grid; records and wishes in and out of July."""
    other = AreaFactory(name="昭阳街道")
    detachment = VolunteerTeamFactory(name="兴化支队", level="detachment", parent=corps, area=district)
    old_squad = VolunteerTeamFactory(
        level="squad", parent=detachment, area=district, founded_on=dt.date(2025, 1, 1)
    )
    team_update(team=old_squad, dissolved_on=dt.date(2026, 6, 1))  # gone before July
    road = PatrolAreaFactory(kind="road", name="英武路", area=district)
    grid = PatrolAreaFactory(kind="grid", name="文林社区第3网格", area=other)
    # Cadre a is both a river chief and a road chief: one chief, two posts.
    road_post = chief_appoint(cadre=cadre_a, patrol_area=road, appointed_on=dt.date(2026, 7, 10), team=team_a)
    grid_post = chief_appoint(cadre=CadreFactory(), patrol_area=grid, appointed_on=dt.date(2026, 5, 1))
    chief_post_update(post=grid_post, ended_on=dt.date(2026, 6, 15))  # ended before July
    for day, post, kind, hours, found, resolved in [
        (dt.date(2026, 7, 2), post_a, "patrol", "2.0", 2, 1),
        (dt.date(2026, 7, 20), road_post, "patrol", "1.5", 1, 1),
        (dt.date(2026, 7, 21), post_b, "patrol", "3.0", 4, 2),
        (dt.date(2026, 8, 1), post_a, "patrol", "1.0", 1, 0),  # August
        (dt.date(2026, 6, 1), grid_post, "grid_service", "2.0", 0, 0),  # June
    ]:
        record_create(
            chief_post=post, served_on=day, kind=kind, hours=Decimal(hours), problems_found=found,
            problems_resolved=resolved, people_served=3, volunteers_present=1,
        )  # fmt: skip
    record_create(
        team=team_a, served_on=dt.date(2026, 7, 5), kind="care_visit", hours=Decimal("4"), people_served=6
    )
    record_create(
        team=team_b, served_on=dt.date(2026, 7, 6), kind="other", hours=Decimal("1"), people_served=1
    )
    elder = CadreFactory(name="赵淑兰", sex="F", area=district, branch=branch_a)
    early = wish_post(beneficiary=elder, wish="想要一台收音机", posted_on=dt.date(2026, 6, 20))
    early = wish_claim(wish=early, claimed_on=dt.date(2026, 7, 1), team=team_a)
    wish_fulfil(wish=early, fulfilled_on=dt.date(2026, 7, 8))
    july = wish_post(beneficiary=cadre_a, wish="想要一副老花镜", posted_on=dt.date(2026, 7, 3))
    wish_claim(wish=july, claimed_on=dt.date(2026, 8, 2), branch=branch_a)
    wish_post(beneficiary=cadre_b, wish="想要一根拐杖", posted_on=dt.date(2026, 7, 4))
    return {"other": other, "detachment": detachment}


def _rows(client, url_name, **params):
    response = client.get(reverse(url_name), {"per_page": 100, **params})
    assert response.status_code == 200
    return list(response.context["rows"])


def _check_summary_against_lists(client, **scope):
    summary = client.get(reverse("volunteers:summary"), {"period": JULY, **scope}).context["summary"]
    params = {"period": JULY, **scope}
    records = _rows(client, "volunteers:record_list", **params)
    assert summary.records == len(records)
    assert summary.patrols == len(_rows(client, "volunteers:record_list", kind="patrol", **params))
    assert summary.hours == sum((r.hours for r in records), Decimal("0"))
    assert summary.volunteers == sum(r.volunteers_present for r in records)
    assert summary.people_served == sum(r.people_served for r in records)
    assert summary.problems_found == sum(r.problems_found for r in records)
    assert summary.problems_resolved == sum(r.problems_resolved for r in records)
    for level, _label, count in summary.teams_by_level:
        assert count == len(_rows(client, "volunteers:team_list", level=level, **params)), level
    for row in summary.chiefs_by_kind:
        posts = _rows(client, "volunteers:chief_post_list", kind=row.kind, **params)
        assert row.posts == len(posts), row.kind
        assert row.chiefs == len({post.cadre_id for post in posts}), row.kind
        assert row.patrol_areas == len({post.patrol_area_id for post in posts}), row.kind
    posts = _rows(client, "volunteers:chief_post_list", **params)
    assert summary.chiefs == len({post.cadre_id for post in posts})
    assert summary.patrol_areas == len({post.patrol_area_id for post in posts})
    for dated, figure in [
        ("posted", summary.wishes_posted),
        ("claimed", summary.wishes_claimed),
        ("fulfilled", summary.wishes_fulfilled),
    ]:
        assert figure == len(_rows(client, "volunteers:wish_list", dated=dated, **params)), dated
    return summary


def test_the_bureaus_july_figures_are_the_rows_of_the_lists(city, staff_user, client_as):
    summary = _check_summary_against_lists(client_as(staff_user))
    # And the figures are the ones the fixture planted.
    assert (summary.records, summary.patrols, summary.problems_found, summary.problems_resolved) == (
        5,
        3,
        7,
        4,
    )
    assert summary.hours == Decimal("11.5")
    assert {level: count for level, _label, count in summary.teams_by_level} == {
        "corps": 1,
        "detachment": 1,
        "squadron": 0,
        "squad": 2,
    }
    by_kind = {row.kind: (row.chiefs, row.patrol_areas) for row in summary.chiefs_by_kind}
    assert by_kind == {"river": (2, 2), "road": (1, 1), "grid": (0, 0)}
    assert (summary.chiefs, summary.patrol_areas) == (2, 3)
    assert (summary.wishes_posted, summary.wishes_claimed, summary.wishes_fulfilled) == (2, 1, 1)


def test_an_area_scope_counts_what_lies_in_the_area(city, district, staff_user, client_as):
    summary = _check_summary_against_lists(client_as(staff_user), area=district.pk)
    assert summary.patrols == 2  # river b lies in another street


def test_a_team_scope_counts_its_subtree(city, team_a, staff_user, client_as):
    summary = _check_summary_against_lists(client_as(staff_user), team=team_a.pk)
    assert (summary.records, summary.wishes_claimed) == (3, 1)


def test_a_secretarys_figures_are_those_of_the_own_people(city, secretary_a, client_as):
    summary = _check_summary_against_lists(client_as(secretary_a))
    assert summary.patrols == 2
    assert summary.problems_found == 3


def test_a_team_leaders_figures_are_those_of_the_own_teams(city, leader_a, client_as):
    summary = _check_summary_against_lists(client_as(leader_a))
    assert (summary.records, summary.patrols) == (3, 2)


def test_the_summary_runs_the_same_queries_however_many_teams_and_records(
    team_a, post_a, staff_user, client_as
):
    client = client_as(staff_user)
    counts = []
    for extra in (1, 20):
        for _ in range(extra):
            team = VolunteerTeamFactory(level="squad")
            record_create(team=team, served_on=dt.date(2026, 7, 3), kind="other")
        client.get(reverse("volunteers:summary"), {"period": JULY})
        with CaptureQueriesContext(connection) as queries:
            client.get(reverse("volunteers:summary"), {"period": JULY})
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_a_bad_period_falls_back_to_this_month_with_the_error_shown(staff_user, client_as):
    response = client_as(staff_user).get(reverse("volunteers:summary"), {"period": "2026-13"})
    assert response.status_code == 200
    assert "period" in response.context["form"].errors
