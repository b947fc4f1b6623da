"""Writes on users and roles."""

from django.contrib.auth.models import Group, Permission
from django.db import transaction

from accounts.models import Role, User
from accounts.roles import ROLE_PERMISSIONS


def roles_sync_groups(*, using: str = "default") -> None:
    """Create or update one group per role with exactly the permissions ROLE_PERMISSIONS lists."""
    with transaction.atomic(using=using):
        for role, codes in ROLE_PERMISSIONS.items():
            group, _created = Group.objects.using(using).get_or_create(name=role)
            perms = []
            for code in codes:
                app_label, codename = code.split(".")
                perm = (
                    Permission.objects.using(using)
                    .filter(content_type__app_label=app_label, codename=codename)
                    .first()
                )
                if perm is not None:  # an app migrated later adds its permissions on its own run
                    perms.append(perm)
            group.permissions.set(perms)


@transaction.atomic
def user_set_role(*, user: User, role: str, branch=None, volunteer_team=None) -> User:
    """Give `user` a role (a secretary's branch, a team leader's team) and put them in that role's group only."""
    user.role = role
    user.branch = branch if role == Role.BRANCH_SECRETARY else None
    user.volunteer_team = volunteer_team if role == Role.TEAM_LEADER else None
    user.full_clean()
    user.save()
    user.groups.set(Group.objects.filter(name=role))
    return user


@transaction.atomic
def user_create(*, username: str, password: str, role: str, branch=None, **fields) -> User:
    """Create a user with a role; the password passes the configured validators."""
    from django.contrib.auth.password_validation import validate_password

    user = User(username=username, **fields)
    validate_password(password, user)
    user.set_password(password)
    user.role = role
    user.branch = branch
    user.full_clean()
    user.save()
    return user_set_role(user=user, role=role, branch=branch, volunteer_team=user.volunteer_team)
