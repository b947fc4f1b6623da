"""The one scoping rule: which branches, and so which cadres, a user may see."""

import pytest
from django.contrib.auth import get_user
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest

from accounts.models import Role, User
from accounts.scoping import can_see_branch, scope_queryset, visible_branches
from cadres.models import Cadre
from tests.factories import BranchFactory, CadreFactory, UserFactory

pytestmark = pytest.mark.django_db


def _fresh(user):
    """The user reloaded from the database: nothing related is cached."""
    return User.objects.get(pk=user.pk)


def _request_user(client, user):
    """The user exactly as AuthenticationMiddleware loads it for the next request of a session."""
    client.force_login(user)
    request = HttpRequest()
    request.session = client.session
    loaded = get_user(request)
    assert loaded.pk == user.pk
    return loaded


@pytest.fixture
def child_of_a(branch_a):
    return BranchFactory(name="市城管局离退休干部党支部第一党小组", kind="group", parent=branch_a)


@pytest.fixture
def tree(committee, branch_a, branch_b, child_of_a):
    return {"committee": committee, "branch_a": branch_a, "branch_b": branch_b, "child_of_a": child_of_a}


@pytest.mark.parametrize("role", [Role.BUREAU_ADMIN, Role.BUREAU_STAFF, Role.AUDITOR])
def test_it_shows_every_branch_to_the_bureau_roles(role, tree):
    user = UserFactory(role=role)
    assert set(visible_branches(user)) == set(tree.values())


def test_it_shows_every_branch_to_a_superuser_without_a_role(tree):
    user = UserFactory(role="", is_superuser=True)
    assert set(visible_branches(user)) == set(tree.values())


def test_it_shows_a_secretary_the_own_branch_and_its_subtree(tree, secretary_a):
    visible = set(visible_branches(_fresh(secretary_a)))
    assert visible == {tree["branch_a"], tree["child_of_a"]}
    assert tree["branch_b"] not in visible
    assert tree["committee"] not in visible


def test_it_shows_a_secretary_of_a_higher_organisation_everything_below_it(tree):
    user = UserFactory(role=Role.BRANCH_SECRETARY, branch=tree["committee"])
    assert set(visible_branches(_fresh(user))) == set(tree.values())


def test_it_shows_nothing_to_a_user_without_a_role(tree):
    user = UserFactory(role="", branch=tree["branch_a"])
    assert not visible_branches(user).exists()
    assert not scope_queryset(user, Cadre.objects.all()).exists()


def test_it_shows_nothing_to_an_anonymous_user(tree, cadre_a):
    assert not visible_branches(AnonymousUser()).exists()
    assert not scope_queryset(AnonymousUser(), Cadre.objects.all()).exists()


def test_it_answers_whether_a_user_can_see_one_branch(tree, secretary_a):
    user = _fresh(secretary_a)
    assert can_see_branch(user, tree["child_of_a"])
    assert not can_see_branch(user, tree["branch_b"])


def test_it_scopes_cadres_to_the_secretarys_subtree(tree, cadre_a, cadre_b, secretary_a):
    cadre_in_child = CadreFactory(name="赵小组", branch=tree["child_of_a"])
    without_branch = CadreFactory(name="钱无支部")
    visible = set(scope_queryset(_fresh(secretary_a), Cadre.objects.all()))
    assert visible == {cadre_a, cadre_in_child}
    assert cadre_b not in visible
    assert without_branch not in visible


def test_it_scopes_no_cadre_away_from_bureau_staff(tree, cadre_a, cadre_b, staff_user):
    without_branch = CadreFactory(name="钱无支部")
    assert set(scope_queryset(staff_user, Cadre.objects.all())) == {cadre_a, cadre_b, without_branch}


def test_it_scopes_through_a_custom_branch_field(tree, cadre_a, cadre_b, secretary_a):
    from branches.models import BranchMembership

    memberships = scope_queryset(_fresh(secretary_a), BranchMembership.objects.all(), "branch")
    assert {m.cadre_id for m in memberships} == {cadre_a.pk}
    via_cadre = scope_queryset(_fresh(secretary_a), BranchMembership.objects.all(), "cadre__branch")
    assert {m.cadre_id for m in via_cadre} == {cadre_a.pk}


def test_it_reads_a_secretarys_visible_branches_in_one_query(
    tree, secretary_a, client, django_assert_num_queries
):
    # Deepen the subtree: the cost must not grow with the depth of the tree.
    leaf = tree["child_of_a"]
    for level in range(3):
        leaf = BranchFactory(name=f"下级组织{level}", kind="group", parent=leaf)
    user = _request_user(client, secretary_a)
    with django_assert_num_queries(1):
        branches = list(visible_branches(user))
    assert len(branches) == 5


def test_it_reads_a_bureau_users_visible_branches_in_one_query(
    tree, staff_user, client, django_assert_num_queries
):
    user = _request_user(client, staff_user)
    with django_assert_num_queries(1):
        assert len(list(visible_branches(user))) == 4


def test_it_shows_no_branch_to_a_volunteer_team_leader(tree):
    from volunteers.services import team_create

    team = team_create(name="车路河银发护河小队", level="squad", branch=tree["branch_a"])
    user = UserFactory(role=Role.TEAM_LEADER, volunteer_team=team)
    assert not visible_branches(user).exists()
