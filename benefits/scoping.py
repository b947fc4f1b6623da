"""Who may see which care records: each follows the cadre's current branch, through accounts.scoping.

A condolence campaign is seen with its branch, or through any target `user` may see; its
progress is then counted over the targets `user` may see.
"""

from django.db.models import Q, QuerySet

from accounts.scoping import scope_queryset
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


def occasions_visible(user) -> QuerySet[Occasion]:
    return scope_queryset(user, Occasion.objects.all(), "cadre__branch")


def visits_visible(user) -> QuerySet[Visit]:
    return scope_queryset(user, Visit.objects.all(), "cadre__branch")


def assignments_visible(user) -> QuerySet[ContactAssignment]:
    return scope_queryset(user, ContactAssignment.objects.all(), "cadre__branch")


def contact_logs_visible(user) -> QuerySet[ContactLog]:
    return scope_queryset(user, ContactLog.objects.all(), "assignment__cadre__branch")


def targets_visible(user) -> QuerySet[CondolenceTarget]:
    return scope_queryset(user, CondolenceTarget.objects.all(), "cadre__branch")


def campaigns_visible(user) -> QuerySet[CondolenceCampaign]:
    """A campaign of a branch `user` may see, or one that reaches any cadre `user` may see (a
    secretary ticks off the own members in the bureau's city-wide campaign)."""
    own = scope_queryset(user, CondolenceCampaign.objects.all(), "branch")
    return CondolenceCampaign.objects.filter(
        Q(pk__in=own.values("pk")) | Q(pk__in=targets_visible(user).values("campaign"))
    )


def health_checks_visible(user) -> QuerySet[HealthCheck]:
    return scope_queryset(user, HealthCheck.objects.all(), "cadre__branch")


def trips_visible(user) -> QuerySet[SanatoriumTrip]:
    """A trip of a branch `user` may see, or one with a participant `user` may see."""
    own = scope_queryset(user, SanatoriumTrip.objects.all(), "branch")
    theirs = scope_queryset(user, SanatoriumTrip.participants.through.objects.all(), "cadre__branch")
    return SanatoriumTrip.objects.filter(
        Q(pk__in=own.values("pk")) | Q(pk__in=theirs.values("sanatoriumtrip"))
    )


def medals_visible(user) -> QuerySet[MedalAward]:
    return scope_queryset(user, MedalAward.objects.all(), "cadre__branch")
