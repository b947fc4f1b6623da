"""Demo outreach: believable records made through the services from the demo registry."""

import pytest
from django.db.models import F, Sum
from django.utils import timezone

from accounts.models import Role, User
from outreach.demo import seed_outreach
from outreach.models import Campaign, LectureGroup, LectureGroupMembership, Lecturer, Publicity, TalkEvent
from outreach.selectors import campaign_progress

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(demo_registry, db):
    return seed_outreach(seed=1, today=timezone.localdate())


def test_seed_demo_runs_it_and_a_second_run_changes_nothing(seeded):
    assert seeded["talks"] > 0
    assert seed_outreach(seed=1, today=timezone.localdate()) == seeded


def test_it_returns_the_counts_of_what_it_made(seeded):
    assert seeded == {
        "lecture groups": LectureGroup.objects.count(),
        "lecturers": Lecturer.objects.count(),
        "talks": TalkEvent.objects.count(),
        "campaigns": Campaign.objects.count(),
        "publicity": Publicity.objects.count(),
    }
    assert seeded["lecturers"] >= 12
    assert seeded["talks"] >= 2 * seeded["lecturers"] * 0.8


def test_the_demo_secretarys_branch_has_its_own_group_of_its_own_members(seeded):
    secretary = User.objects.get(role=Role.BRANCH_SECRETARY)
    group = LectureGroup.objects.get(branch=secretary.branch)
    members = LectureGroupMembership.objects.filter(group=group).select_related("lecturer__cadre")
    assert members.exists()
    assert {row.lecturer.cadre.branch_id for row in members} == {secretary.branch_id}
    assert TalkEvent.objects.filter(group=group).exists()


def test_every_talks_lecturers_were_in_its_group_that_day_and_youth_fits_the_audience(seeded):
    assert not TalkEvent.objects.filter(youth_audience__gt=F("audience")).exists()
    assert not TalkEvent.objects.filter(held_on__gt=timezone.localdate()).exists()
    for talk in TalkEvent.objects.prefetch_related("lecturers")[:50]:
        for lecturer in talk.lecturers.all():
            assert LectureGroupMembership.objects.filter(
                group=talk.group_id, lecturer=lecturer, joined_on__lte=talk.held_on
            ).exists()


def test_school_talks_reach_mostly_young_people(seeded):
    school = TalkEvent.objects.filter(venue_type="school").aggregate(
        all=Sum("audience"), young=Sum("youth_audience")
    )
    assert school["young"] > 0.85 * school["all"]


def test_the_bureau_campaign_is_part_way_to_its_targets(seeded):
    campaign = Campaign.objects.get(branch__isnull=True)
    assert (campaign.target_lecturers, campaign.target_talks, campaign.target_audience) == (100, 1000, 10000)
    progress = campaign_progress(campaign)
    assert 0 < progress.talks.percent < 100
    assert progress.lecturers.value > 0
    assert progress.months[-1].talks_to_date == progress.talks.value
