"""Micro-wishes: posted, claimed by exactly one claimant (even when two press at once), fulfilled or withdrawn."""

import datetime as dt
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, connections, transaction

from tests.factories import BranchFactory, CadreFactory, VolunteerTeamFactory
from tests.volunteers.conftest import DAY, jpeg
from volunteers.models import MicroWish
from volunteers.wish_services import wish_claim, wish_fulfil, wish_post, wish_withdraw

pytestmark = pytest.mark.django_db


@pytest.fixture
def wish(cadre_a):
    return wish_post(beneficiary=cadre_a, wish="想要一台收音机", posted_on=DAY)


def test_a_wish_is_offered_where_the_elder_lives(district):
    elder = CadreFactory(area=district)
    posted = wish_post(beneficiary=elder, wish="想要一副老花镜", posted_on=DAY)
    assert (posted.status, posted.area) == (MicroWish.Status.POSTED, district)


def test_a_branch_claims_and_fulfils_a_wish_with_a_photo(wish, branch_a, secretary_a):
    claimed = wish_claim(
        wish=wish, claimed_on=dt.date(2026, 7, 2), branch=branch_a, claimed_by_user=secretary_a
    )
    assert (claimed.status, claimed.claimant, claimed.claimed_by_user) == ("claimed", branch_a, secretary_a)
    fulfilled = wish_fulfil(
        wish=claimed, fulfilled_on=dt.date(2026, 7, 9), feedback="老人很高兴", photo=jpeg()
    )
    assert fulfilled.status == MicroWish.Status.FULFILLED
    assert fulfilled.evidence_photo.storage.exists(fulfilled.evidence_photo.name)
    assert fulfilled.evidence_thumbnail.name


def test_a_second_claim_is_told_who_was_first(wish, branch_a, team_b):
    wish_claim(wish=wish, claimed_on=DAY, branch=branch_a)
    with pytest.raises(ValidationError) as error:
        wish_claim(wish=wish, claimed_on=DAY, team=team_b)  # a stale copy still says "posted"
    assert branch_a.name in error.value.messages[0]
    assert MicroWish.objects.get().claimed_by_team is None


@pytest.mark.parametrize("claimants", [{}, {"both": True}])
def test_a_claim_names_exactly_one_claimant(wish, branch_a, team_a, claimants):
    kwargs = {"branch": branch_a, "team": team_a} if claimants else {}
    with pytest.raises(ValidationError) as error:
        wish_claim(wish=wish, claimed_on=DAY, **kwargs)
    assert "claimant" in error.value.message_dict
    assert MicroWish.objects.get().status == MicroWish.Status.POSTED


def test_a_wish_cannot_be_claimed_before_it_was_posted(wish, branch_a):
    with pytest.raises(ValidationError) as error:
        wish_claim(wish=wish, claimed_on=dt.date(2026, 6, 30), branch=branch_a)
    assert "claimed_on" in error.value.message_dict


def test_a_wish_cannot_be_fulfilled_before_it_was_claimed(wish, branch_a):
    claimed = wish_claim(wish=wish, claimed_on=dt.date(2026, 7, 5), branch=branch_a)
    with pytest.raises(ValidationError) as error:
        wish_fulfil(wish=claimed, fulfilled_on=dt.date(2026, 7, 4))
    assert "fulfilled_on" in error.value.message_dict
    assert MicroWish.objects.get().status == MicroWish.Status.CLAIMED


def test_only_a_claimed_wish_is_fulfilled(wish):
    with pytest.raises(ValidationError):
        wish_fulfil(wish=wish, fulfilled_on=DAY)
    assert MicroWish.objects.get().fulfilled_on is None


def test_a_withdrawn_wish_keeps_its_reason_and_cannot_be_claimed(wish, branch_a):
    with pytest.raises(ValidationError) as error:
        wish_withdraw(wish=wish, reason="  ", withdrawn_on=DAY)
    assert "reason" in error.value.message_dict
    wish_withdraw(wish=wish, reason="老人已搬去子女家", withdrawn_on=DAY)
    with pytest.raises(ValidationError) as error:
        wish_claim(wish=MicroWish.objects.get(), claimed_on=DAY, branch=branch_a)
    assert "撤回" in error.value.messages[0]  # the message says it was withdrawn (zh-hans by default)


@pytest.mark.parametrize(
    "values",
    [
        {"status": "claimed"},  # claimed without a claimant
        {"status": "fulfilled"},  # fulfilled without a date
        {"status": "withdrawn"},  # withdrawn without a reason
        {"claimed_on": DAY},  # a claim date but no claimant
    ],
)
def test_the_database_keeps_the_wishs_states_consistent(wish, values):
    with pytest.raises(IntegrityError), transaction.atomic():
        MicroWish.objects.filter(pk=wish.pk).update(**values)


def test_the_database_refuses_two_claimants(wish, branch_a, team_a):
    with pytest.raises(IntegrityError), transaction.atomic():
        MicroWish.objects.filter(pk=wish.pk).update(
            status="claimed", claimed_on=DAY, claimed_by_branch=branch_a, claimed_by_team=team_a
        )


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="two real connections race on PostgreSQL; CI runs on it"
)
@pytest.mark.django_db(transaction=True)
def test_two_people_claiming_at_once_exactly_one_wins():
    committee = BranchFactory(name="市委老干部局离退休干部党委", kind="committee")
    branch = BranchFactory(name="市城管局离退休干部党支部", parent=committee)
    team = VolunteerTeamFactory(name="车路河银发护河小队", level="squad")
    elder = CadreFactory(name="王建国", branch=branch)
    posted = wish_post(beneficiary=elder, wish="想要一台收音机", posted_on=DAY)
    barrier = threading.Barrier(2, timeout=10)
    outcomes: dict[str, object] = {}

    def claim(name, **claimant):
        try:
            stale = MicroWish.objects.get(pk=posted.pk)  # both read it while it is still posted
            barrier.wait()
            outcomes[name] = wish_claim(wish=stale, claimed_on=DAY, **claimant)
        except Exception as error:  # the loser's ValidationError is the point of the test
            outcomes[name] = error
        finally:
            connections.close_all()  # this thread's own connection

    threads = [
        threading.Thread(target=claim, args=("branch",), kwargs={"branch": branch}),
        threading.Thread(target=claim, args=("team",), kwargs={"team": team}),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    winners = [name for name, outcome in outcomes.items() if isinstance(outcome, MicroWish)]
    losers = [outcome for outcome in outcomes.values() if isinstance(outcome, ValidationError)]
    assert len(winners) == 1, outcomes
    assert len(losers) == 1, outcomes
    stored = MicroWish.objects.select_related("claimed_by_branch", "claimed_by_team").get(pk=posted.pk)
    assert stored.status == MicroWish.Status.CLAIMED
    assert stored.claimant.name in losers[0].messages[0]
    assert [stored.claimed_by_branch is not None, stored.claimed_by_team is not None].count(True) == 1
