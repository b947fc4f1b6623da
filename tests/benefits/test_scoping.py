"""Who sees which care records: the cadre's current branch decides, through accounts.scoping."""

import datetime as dt

import pytest

from accounts.models import Role
from benefits import scoping, services
from tests.factories import BranchFactory, CadreFactory, UserFactory

pytestmark = pytest.mark.django_db

DAY = dt.date.today() - dt.timedelta(days=5)


@pytest.fixture
def records(branch_a, branch_b, staff_user):
    child = BranchFactory(name="市城管局离退休干部第一党小组", parent=branch_a)
    made = {}
    for key, branch in (("a", branch_a), ("child", child), ("b", branch_b)):
        cadre = CadreFactory(branch=branch)
        occasion = services.occasion_record(cadre=cadre, kind="hardship", occurred_on=DAY)
        services.visit_record(occasion=occasion, visited_on=DAY, visitors="干部科")
        assignment = services.assignment_create(
            staff=staff_user, cadre=cadre, interval_days=30, started_on=DAY
        )
        services.contact_log_record(assignment=assignment, contacted_on=DAY, method="phone")
        made[key] = cadre
    return made


VISIBLE = {
    scoping.occasions_visible: "cadre",
    scoping.visits_visible: "cadre",
    scoping.assignments_visible: "cadre",
    scoping.contact_logs_visible: "assignment__cadre",
}


@pytest.mark.parametrize("visible", list(VISIBLE))
def test_a_secretary_sees_the_own_subtree_only(visible, records, secretary_a):
    seen = set(visible(secretary_a).values_list(f"{VISIBLE[visible]}__pk", flat=True))
    assert seen == {records["a"].pk, records["child"].pk}


@pytest.mark.parametrize("visible", list(VISIBLE))
def test_the_bureau_and_the_auditor_see_everything(visible, records, staff_user, auditor):
    for user in (staff_user, auditor):
        assert visible(user).count() == 3


@pytest.mark.parametrize("visible", list(VISIBLE))
def test_a_team_leader_and_a_user_without_a_role_see_nothing(visible, records):
    from volunteers.services import team_create

    leader = UserFactory(role=Role.TEAM_LEADER, volunteer_team=team_create(name="银发小队", level="corps"))
    nobody = UserFactory(role="")
    assert not visible(leader).exists()
    assert not visible(nobody).exists()


def test_a_transferred_cadres_records_follow_the_cadre(records, secretary_a, branch_b):
    from branches.services import membership_transfer

    cadre = records["a"]
    assert scoping.occasions_visible(secretary_a).filter(cadre=cadre).exists()
    membership_transfer(cadre=cadre, branch=branch_b, on=dt.date.today())
    assert not scoping.occasions_visible(secretary_a).filter(cadre=cadre).exists()
