"""Demo care records: believable records made through the services from the demo registry."""

import datetime as dt

import pytest
from django.utils import timezone

from accounts.models import Role, User
from benefits import selectors
from benefits.demo import seed_benefits
from benefits.models import (
    CondolenceCampaign,
    CondolenceTarget,
    ContactAssignment,
    ContactLog,
    HealthCheck,
    MedalAward,
    Occasion,
    SanatoriumTrip,
    Visit,
)
from cadres.models import Cadre

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(demo_registry, db):
    return seed_benefits(seed=1, today=timezone.localdate())


def test_it_returns_the_counts_and_a_second_run_changes_nothing(seeded):
    assert seeded == {
        "occasions": Occasion.objects.count(),
        "visits": Visit.objects.count(),
        "contact assignments": ContactAssignment.objects.count(),
        "contacts": ContactLog.objects.count(),
        "condolence campaigns": CondolenceCampaign.objects.count(),
        "health checks": HealthCheck.objects.count(),
        "sanatorium trips": SanatoriumTrip.objects.count(),
        "medals": MedalAward.objects.count(),
    }
    assert seeded["occasions"] >= 15
    assert seeded["contact assignments"] >= 2
    assert seed_benefits(seed=2, today=timezone.localdate()) == seeded


def test_most_occasions_are_visited_and_some_are_overdue(seeded):
    today = timezone.localdate()
    open_overdue = selectors.visits_overdue(on=today).count()
    visited = Occasion.objects.filter(visits__isnull=False).distinct().count()
    assert visited > seeded["occasions"] / 2
    assert open_overdue >= 1


def test_visits_keep_the_rules(seeded):
    today = timezone.localdate()
    for visit in Visit.objects.select_related("occasion", "cadre"):
        assert visit.visited_on <= today
        if visit.occasion:
            assert visit.occasion.occurred_on <= visit.visited_on
            assert visit.reason == visit.occasion.kind
        if visit.cadre.deceased_on:
            assert visit.reason == "death"
    assert not Occasion.objects.filter(cadre__deceased_on__isnull=False).exclude(kind="death").exists()


def test_the_demo_secretary_has_occasions_and_a_contact_of_their_own(seeded):
    secretary = User.objects.get(role=Role.BRANCH_SECRETARY)
    assert selectors.occasion_list(user=secretary).exists()
    assert ContactAssignment.objects.filter(staff=secretary).exists()


def test_milestone_birthdays_are_of_ages_80_and_over_in_fives(seeded):
    for occasion in Occasion.objects.filter(kind="milestone_birthday").select_related("cadre"):
        age = occasion.occurred_on.year - occasion.cadre.birth_date.year
        assert age >= 80 and age % 5 == 0
    assert Cadre.objects.exists()


def test_the_spring_festival_campaign_is_mostly_done_and_trips_keep_their_quota(seeded):
    campaign = CondolenceCampaign.objects.get()
    targets = CondolenceTarget.objects.filter(campaign=campaign)
    done = targets.filter(visit__isnull=False).count() + targets.filter(gift_given_on__isnull=False).count()
    assert targets.exists() and done >= targets.count() * 0.6
    assert not targets.filter(cadre__deceased_on__isnull=False).exists()
    for trip in SanatoriumTrip.objects.all():
        assert 0 < trip.participants.count() <= trip.quota
    assert seeded["health checks"] > 0


def test_every_50_year_medal_went_to_a_member_of_50_years_by_1_july(seeded):
    medals = MedalAward.objects.filter(kind="party_50_years").select_related("cadre")
    assert medals.exists()
    for medal in medals:
        assert medal.cadre.party_join_date <= dt.date(medal.awarded_on.year - 50, 7, 1)
