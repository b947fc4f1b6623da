"""Roles: one group per role holding exactly its permissions, and what each role may do."""

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError

from accounts.models import Role, User
from accounts.roles import ROLE_PERMISSIONS
from accounts.services import user_set_role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _codes(permissions):
    return {f"{p.content_type.app_label}.{p.codename}" for p in permissions}


def _fresh(user):
    """The user as the next request loads it, with no cached permissions."""
    return User.objects.get(pk=user.pk)


@pytest.mark.parametrize("role", Role.values)
def test_it_creates_one_group_per_role_with_exactly_its_permissions(role):
    group = Group.objects.get(name=role)
    assert _codes(group.permissions.select_related("content_type")) == set(ROLE_PERMISSIONS[role])


def test_it_has_a_permission_list_for_every_role_and_no_other_role_groups():
    assert set(ROLE_PERMISSIONS) == set(Role.values)
    assert set(Group.objects.filter(name__in=Role.values).values_list("name", flat=True)) == set(Role.values)


def test_it_puts_the_user_in_the_roles_group_only(branch_a):
    user = UserFactory(role=Role.BRANCH_SECRETARY, branch=branch_a)
    assert list(user.groups.values_list("name", flat=True)) == [Role.BRANCH_SECRETARY]

    user_set_role(user=user, role=Role.AUDITOR)
    user = _fresh(user)
    assert user.role == Role.AUDITOR
    assert list(user.groups.values_list("name", flat=True)) == [Role.AUDITOR]


@pytest.mark.parametrize("role", [Role.BUREAU_ADMIN, Role.BUREAU_STAFF, Role.AUDITOR])
def test_it_clears_the_branch_of_a_user_who_is_no_longer_a_secretary(role, branch_a):
    user = UserFactory(role=Role.BRANCH_SECRETARY, branch=branch_a)
    user_set_role(user=user, role=role, branch=branch_a)
    assert _fresh(user).branch_id is None


def test_it_keeps_the_branch_of_a_secretary(branch_a):
    user = UserFactory(role=Role.BUREAU_STAFF)
    user_set_role(user=user, role=Role.BRANCH_SECRETARY, branch=branch_a)
    user = _fresh(user)
    assert user.branch_id == branch_a.pk
    assert list(user.groups.values_list("name", flat=True)) == [Role.BRANCH_SECRETARY]


def test_it_refuses_a_secretary_without_a_branch():
    user = UserFactory(role=Role.BUREAU_STAFF)
    with pytest.raises(ValidationError) as error:
        user_set_role(user=user, role=Role.BRANCH_SECRETARY)
    assert "branch" in error.value.message_dict
    user = _fresh(user)
    assert user.role == Role.BUREAU_STAFF
    assert list(user.groups.values_list("name", flat=True)) == [Role.BUREAU_STAFF]


def test_it_lets_a_secretary_see_phones_but_not_full_id_numbers(secretary_a):
    user = _fresh(secretary_a)
    assert user.has_perm("cadres.view_sensitive_details")
    assert not user.has_perm("cadres.view_full_id_number")
    assert user.has_perm("cadres.change_cadre")
    assert not user.has_perm("cadres.add_cadre")
    assert not user.has_perm("cadres.delete_cadre")
    assert not user.has_perm("auditlog.view_logentry")


def test_it_gives_the_auditor_the_log_and_no_change_permission(auditor):
    user = _fresh(auditor)
    assert user.has_perm("auditlog.view_logentry")
    assert user.has_perm("cadres.view_cadre")
    perms = user.get_all_permissions()
    assert not {p for p in perms if p.split(".")[1].startswith(("add_", "change_", "delete_"))}
    assert "cadres.view_full_id_number" not in perms


def test_it_lets_bureau_staff_see_full_id_numbers_but_not_the_log(staff_user):
    user = _fresh(staff_user)
    assert user.has_perm("cadres.view_full_id_number")
    assert user.has_perm("cadres.view_sensitive_details")
    assert user.has_perm("cadres.change_cadre")
    assert not user.has_perm("auditlog.view_logentry")
    assert not user.has_perm("accounts.change_user")


def test_it_gives_the_bureau_admin_users_and_the_log(admin_user):
    user = _fresh(admin_user)
    assert user.has_perm("accounts.change_user")
    assert user.has_perm("auditlog.view_logentry")
    assert user.has_perm("cadres.view_full_id_number")
    assert not user.is_superuser


def test_it_gives_a_user_without_a_role_no_permission():
    user = UserFactory(role="")
    assert _fresh(user).get_all_permissions() == set()


def test_it_refuses_a_team_leader_without_a_team():
    user = UserFactory(role=Role.BUREAU_STAFF)
    with pytest.raises(ValidationError) as error:
        user_set_role(user=user, role=Role.TEAM_LEADER)
    assert "volunteer_team" in error.value.message_dict
    assert _fresh(user).role == Role.BUREAU_STAFF


def test_it_gives_a_team_leader_the_volunteer_pages_and_nothing_of_the_registry(db):
    from volunteers.services import team_create, team_leader_assign

    team = team_create(name="车路河银发护河小队", level="squad")
    user = _fresh(team_leader_assign(user=UserFactory(role=Role.BUREAU_STAFF), team=team))
    assert (user.role, user.volunteer_team_id, user.is_team_leader) == (Role.TEAM_LEADER, team.pk, True)
    assert list(user.groups.values_list("name", flat=True)) == [Role.TEAM_LEADER]
    assert user.has_perm("volunteers.add_servicerecord")
    assert user.has_perm("volunteers.claim_microwish")
    assert not user.has_perm("volunteers.add_volunteerteam")
    assert not {perm for perm in user.get_all_permissions() if not perm.startswith("volunteers.")}


def test_a_role_change_drops_the_team_of_a_former_team_leader(db):
    from tests.factories import UserFactory, VolunteerTeamFactory

    team = VolunteerTeamFactory()
    leader = UserFactory(username="leader", role=Role.TEAM_LEADER, volunteer_team=team)
    assert leader.volunteer_team == team
    user_set_role(user=leader, role=Role.BUREAU_STAFF)
    leader.refresh_from_db()
    assert leader.volunteer_team is None
