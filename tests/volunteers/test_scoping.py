"""Who sees which teams, chief posts, records, patrol areas and wishes (volunteers/scoping.py)."""

import pytest

from accounts.models import Role
from tests.factories import CadreFactory, UserFactory, VolunteerTeamFactory
from tests.volunteers.conftest import DAY
from volunteers.models import MicroWish, ServiceRecord
from volunteers.scoping import (
    scope_chief_posts,
    scope_service_records,
    scope_wishes,
    visible_patrol_areas,
    visible_teams,
    volunteer_cadres,
)
from volunteers.selectors import wish_list
from volunteers.services import record_create
from volunteers.wish_services import wish_claim, wish_post

pytestmark = pytest.mark.django_db


def pks(queryset):
    return set(queryset.values_list("pk", flat=True))


@pytest.fixture
def records(team_a, team_b, post_a, post_b):
    return {
        "team_a": record_create(team=team_a, served_on=DAY, kind="care_visit"),
        "team_b": record_create(team=team_b, served_on=DAY, kind="care_visit"),
        "post_a": record_create(chief_post=post_a, served_on=DAY, kind="patrol"),
        "post_b": record_create(chief_post=post_b, served_on=DAY, kind="patrol"),
    }


@pytest.mark.parametrize("role", [Role.BUREAU_ADMIN, Role.BUREAU_STAFF, Role.AUDITOR])
def test_the_bureau_roles_see_every_team_and_record(role, corps, team_a, team_b, records):
    user = UserFactory(role=role)
    assert pks(visible_teams(user)) == {corps.pk, team_a.pk, team_b.pk}
    assert pks(scope_service_records(user, ServiceRecord.objects.all())) == {r.pk for r in records.values()}


def test_a_secretary_sees_the_teams_that_grew_from_the_branch_and_the_members_posts(
    secretary_a, team_a, post_a, post_b, records
):
    assert pks(visible_teams(secretary_a)) == {team_a.pk}
    assert pks(scope_chief_posts(secretary_a)) == {post_a.pk}
    assert pks(scope_service_records(secretary_a, ServiceRecord.objects.all())) == {
        records["team_a"].pk,
        records["post_a"].pk,
    }


def test_a_team_leader_sees_the_own_team_and_those_below_it_only(leader_a, team_a, team_b, records, post_a):
    below = VolunteerTeamFactory(level="squad", parent=None)  # another tree altogether
    assert pks(visible_teams(leader_a)) == {team_a.pk}
    assert below.pk not in pks(visible_teams(leader_a))
    assert pks(scope_chief_posts(leader_a)) == {post_a.pk}
    assert pks(scope_service_records(leader_a, ServiceRecord.objects.all())) == {
        records["team_a"].pk,
        records["post_a"].pk,
    }


def test_a_leader_of_a_detachment_sees_its_squads(corps, team_a, team_b):
    detachment = VolunteerTeamFactory(level="detachment", parent=corps)
    squad = VolunteerTeamFactory(level="squad", parent=detachment)
    leader = UserFactory(role=Role.TEAM_LEADER, volunteer_team=detachment)
    assert pks(visible_teams(leader)) == {detachment.pk, squad.pk}


def test_a_team_leader_names_only_the_members_of_the_own_teams(leader_a, cadre_a, cadre_b):
    stranger = CadreFactory(name="周国华")
    assert pks(volunteer_cadres(leader_a)) == {cadre_a.pk}
    assert stranger.pk not in pks(volunteer_cadres(leader_a))


def test_a_user_without_a_role_sees_nothing(team_a, records):
    user = UserFactory(role="")
    assert not visible_teams(user).exists()
    assert not scope_service_records(user, ServiceRecord.objects.all()).exists()
    assert not visible_patrol_areas(user).exists()


def test_patrol_areas_follow_the_visible_posts_and_the_served_area(
    secretary_a, leader_a, river_a, river_b, post_a
):
    assert pks(visible_patrol_areas(secretary_a)) == {river_a.pk}
    # The leader's team serves the district river a lies in; river b lies elsewhere.
    assert pks(visible_patrol_areas(leader_a)) == {river_a.pk}


def test_the_wish_wall_shows_open_wishes_nearby_with_the_name_masked(leader_a, district, cadre_b, team_a):
    elder = CadreFactory(name="赵淑兰", sex="F", area=district)
    nearby = wish_post(beneficiary=elder, wish="想要一副老花镜", posted_on=DAY)
    elsewhere = wish_post(beneficiary=cadre_b, wish="想要一台收音机", posted_on=DAY)
    assert pks(scope_wishes(leader_a, MicroWish.objects.all())) == {nearby.pk}
    assert wish_list(user=leader_a).get().is_own is False

    wish_claim(wish=nearby, claimed_on=DAY, team=team_a)
    assert wish_list(user=leader_a).get().is_own is True
    assert elsewhere.pk not in pks(scope_wishes(leader_a, MicroWish.objects.all()))


def test_a_secretary_sees_the_members_wishes_and_not_other_branches(secretary_a, cadre_a, cadre_b):
    own = wish_post(beneficiary=cadre_a, wish="想要一台收音机", posted_on=DAY)
    wish_post(beneficiary=cadre_b, wish="想要一副老花镜", posted_on=DAY)
    assert pks(scope_wishes(secretary_a, MicroWish.objects.all())) == {own.pk}
    assert wish_list(user=secretary_a).get().is_own is True
