"""Reads on the cadre registry; every one passes through the scoping rule."""

from django.db.models import F, QuerySet
from django.shortcuts import get_object_or_404

from accounts.scoping import scope_queryset
from branches.models import BranchMembership
from cadres.models import Cadre
from imports.specs import CADRE_ROSTER


def cadre_visible(*, user) -> QuerySet[Cadre]:
    """All cadres `user` may see."""
    return scope_queryset(user, Cadre.objects.all())


def cadre_list(*, user) -> QuerySet[Cadre]:
    """Cadres `user` may see, with what the list shows of their branch and area, newest last."""
    return (
        cadre_visible(user=user)
        .select_related("branch", "area")
        .only(
            "name",
            "sex",
            "birth_date",
            "id_number",
            "retirement_type",
            "party_join_date",
            "phone",
            "lives_elsewhere",
            "special_hardship",
            "deceased_on",
            "branch__name",
            "area__name",
        )
        .order_by("id")
    )


def cadre_roster(*, user) -> QuerySet[Cadre]:
    """Cadres `user` may see, with every field the roster import reads (the branch by its name), in id order."""
    fields = [column.field for column in CADRE_ROSTER.columns if column.field != "branch"]
    return cadre_visible(user=user).select_related("branch").only(*fields, "branch__name").order_by("id")


def cadre_get(*, user, pk) -> Cadre:
    """The cadre `pk` if `user` may see it; 404 otherwise, so other branches' ids reveal nothing."""
    return get_object_or_404(cadre_visible(user=user).select_related("branch", "area"), pk=pk)


def cadre_memberships(*, cadre: Cadre) -> QuerySet[BranchMembership]:
    """The cadre's membership history, current first."""
    return cadre.memberships.select_related("branch").order_by(
        F("left_on").desc(nulls_first=True), "-joined_on"
    )


def cadre_officer_posts(*, cadre: Cadre):
    return cadre.officer_posts.select_related("branch").order_by("-term_start")
