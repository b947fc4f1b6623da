"""The one rule of who may see which branch. Every queryset that reaches a user passes here."""

from django.db.models import QuerySet

from branches.models import Branch


def visible_branches(user) -> QuerySet[Branch]:
    """The branches `user` may see: all for the bureau, the own subtree for a secretary, else none."""
    if not user.is_authenticated:
        return Branch.objects.none()
    if user.is_bureau_wide:
        return Branch.objects.all()
    if user.is_branch_secretary and user.branch_id:
        branch = user.branch
        return Branch.objects.filter(path__startswith=branch.path, depth__gte=branch.depth)
    return Branch.objects.none()


def scope_queryset(user, queryset: QuerySet, branch_field: str = "branch") -> QuerySet:
    """Narrow `queryset` to rows whose `branch_field` lies in a branch `user` may see.

    A secretary's scope is a prefix match on the materialised path of their branch,
    so "a branch and everything below it" stays one query however deep the tree.
    """
    if not user.is_authenticated:
        return queryset.none()
    if user.is_bureau_wide:
        return queryset
    if user.is_branch_secretary and user.branch_id:
        # An IN over the subtree's ids: it plans faster than a join on the path.
        subtree = Branch.objects.filter(path__startswith=user.branch.path).values("pk")
        return queryset.filter(**{f"{branch_field}__in": subtree})
    return queryset.none()


def can_see_branch(user, branch: Branch) -> bool:
    return visible_branches(user).filter(pk=branch.pk).exists()
