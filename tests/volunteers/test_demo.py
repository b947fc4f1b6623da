"""Demo volunteer service on top of seed_demo: believable, deterministic, and within every rule."""

import pytest
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import Role, User
from volunteers.demo import TEAM_LEADER_USERNAME, seed_volunteers
from volunteers.models import (
    ChiefPost,
    MicroWish,
    PatrolArea,
    ServiceProject,
    ServiceRecord,
    TeamMembership,
    VolunteerTeam,
)
from volunteers.scoping import scope_service_records, visible_teams

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry(demo_registry, db):
    return demo_registry


@pytest.fixture
def seeded(registry):
    return seed_volunteers(seed=1, today=timezone.localdate())


class _Undo(Exception):
    pass


def _seeded_rows():
    return (
        sorted(VolunteerTeam.objects.values_list("name", "level", "area__name")),
        sorted(ChiefPost.objects.values_list("cadre__id_number", "patrol_area__name", "appointed_on")),
        sorted(ServiceRecord.objects.values_list("served_on", "kind", "hours", "problems_found")),
        sorted(MicroWish.objects.values_list("beneficiary__id_number", "wish", "status")),
    )


def test_it_seeds_teams_chiefs_service_and_wishes_that_keep_the_rules(seeded):
    # The corps down to community squads.
    assert set(VolunteerTeam.objects.values_list("level", flat=True)) == {
        "corps",
        "detachment",
        "squadron",
        "squad",
    }
    assert VolunteerTeam.objects.filter(depth=1).count() == 1
    assert {squad.area.kind for squad in VolunteerTeam.objects.filter(level="squad")} <= {
        "community",
        "village",
    }
    assert seeded["volunteer teams"] == VolunteerTeam.objects.count() > 10
    assert TeamMembership.objects.filter(cadre__deceased_on__isnull=True).exists()
    # River, road and grid chiefs, and their patrols within the rules.
    assert set(ChiefPost.objects.values_list("patrol_area__kind", flat=True)) == set(PatrolArea.Kind.values)
    assert ServiceRecord.objects.filter(kind="patrol").exists()
    assert not ServiceRecord.objects.filter(problems_resolved__gt=F("problems_found")).exists()
    assert not ServiceRecord.objects.filter(served_on__gt=timezone.localdate()).exists()
    assert not ServiceRecord.objects.filter(
        chief_post__isnull=False, served_on__lt=F("chief_post__appointed_on")
    ).exists()
    # Wishes waiting, claimed and fulfilled.
    assert set(MicroWish.objects.values_list("status", flat=True)) >= {"posted", "claimed", "fulfilled"}
    # The demo team leader leads a squad with chiefs, and sees only it.
    leader = User.objects.get(username=TEAM_LEADER_USERNAME)
    assert (leader.role, leader.volunteer_team.level) == (Role.TEAM_LEADER, "squad")
    assert ChiefPost.objects.filter(team=leader.volunteer_team).exists()
    assert list(visible_teams(leader)) == [leader.volunteer_team]
    assert scope_service_records(leader, ServiceRecord.objects.all()).exists()


def test_it_is_deterministic_and_runs_once(registry):
    """seed_demo has seeded the volunteers once; wiping them and seeding again gives the same rows."""
    today = timezone.localdate()
    first = _seeded_rows()
    counts = seed_volunteers(seed=1, today=today)  # a second run changes nothing
    assert _seeded_rows() == first
    with pytest.raises(_Undo), transaction.atomic():
        User.objects.filter(username=TEAM_LEADER_USERNAME).delete()
        for model in (MicroWish, ServiceRecord, ChiefPost, ServiceProject, TeamMembership, PatrolArea):
            model.objects.all().delete()
        VolunteerTeam.objects.all().delete()
        assert not VolunteerTeam.objects.exists()
        assert seed_volunteers(seed=1, today=today) == counts
        assert _seeded_rows() == first
        raise _Undo
