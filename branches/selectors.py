"""Reads on the branch tree; every one passes through the scoping rule."""

from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.scoping import visible_branches
from branches.models import Branch, BranchOfficer
from cadres.models import Cadre

# The tree page opens this many levels below the user's top; deeper levels are one click away.
TREE_LEVELS = 3


def _with_member_counts(queryset):
    # A count per listed branch on the (branch, id) index, rather than a GROUP BY over
    # every cadre joined to the tree.
    members = (
        Cadre.objects.filter(branch=OuterRef("pk"), deceased_on__isnull=True)
        .order_by()
        .values("branch")
        .annotate(total=Count("pk"))
        .values("total")
    )
    return queryset.annotate(member_count=Coalesce(Subquery(members), 0))


def branch_tree(*, user, query: str = "") -> QuerySet[Branch]:
    """The top levels of the branches `user` may see (or those whose name contains `query`), in tree order."""
    branches = visible_branches(user).select_related("area")
    if query:
        branches = branches.filter(name__contains=query)
    else:
        top = visible_branches(user).order_by("depth").values_list("depth", flat=True).first() or 1
        branches = branches.filter(depth__lt=top + TREE_LEVELS)
    return _with_member_counts(branches).order_by("path")


def branch_get(*, user, pk) -> Branch:
    """The branch `pk` if `user` may see it; 404 otherwise."""
    return get_object_or_404(visible_branches(user).select_related("area"), pk=pk)


def branch_ancestors(*, user, branch: Branch) -> list[Branch]:
    """The visible ancestors of `branch`, root first, for the breadcrumb."""
    paths = [branch.path[:i] for i in range(Branch.steplen, len(branch.path), Branch.steplen)]
    return list(visible_branches(user).filter(path__in=paths).order_by("depth"))


def branch_children(*, branch: Branch) -> QuerySet[Branch]:
    return _with_member_counts(
        Branch.objects.filter(path__startswith=branch.path, depth=branch.depth + 1)
    ).order_by("path")


def branch_members(*, branch: Branch) -> QuerySet[Cadre]:
    """Living cadres whose current branch is exactly `branch`."""
    return (
        Cadre.objects.filter(branch=branch, deceased_on__isnull=True)
        .only("name", "sex", "birth_date", "retirement_type", "party_join_date", "phone", "branch_id")
        .order_by("id")
    )


def branch_officers(*, branch: Branch, current_only: bool = False) -> QuerySet[BranchOfficer]:
    officers = BranchOfficer.objects.filter(branch=branch).select_related("cadre")
    if current_only:
        officers = officers.filter(term_end__gte=timezone.localdate())
    return officers.order_by("-term_end", "role")
