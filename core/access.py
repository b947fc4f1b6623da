"""View helpers for permissions, checked after the scoped lookup so foreign ids answer 404."""

from django.core.exceptions import PermissionDenied


def require_perm(user, perm: str) -> None:
    if not user.has_perm(perm):
        raise PermissionDenied
