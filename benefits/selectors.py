"""Reads on care and benefits; every list starts from benefits.scoping."""

import datetime as dt

from django.db.models import (
    Count,
    DateField,
    Exists,
    F,
    Func,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from benefits import scoping
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
from benefits.rules import party_50_years_cutoff


class AddDays(Func):
    """`date + days` as a date, on PostgreSQL (date + integer) and SQLite (date(d, '+n days'))."""

    output_field = DateField()
    arity = 2

    def as_sql(self, compiler, connection, **extra_context):
        return super().as_sql(
            compiler, connection, template="(%(expressions)s)", arg_joiner=" + ", **extra_context
        )

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(
            compiler,
            connection,
            template="date(%(expressions)s || ' days')",
            arg_joiner=", '+' || ",
            **extra_context,
        )


def _has_visit():
    return Exists(Visit.objects.filter(occasion=OuterRef("pk")))


def _last_contact():
    return Subquery(
        ContactLog.objects.filter(assignment=OuterRef("pk"))
        .order_by()
        .values("assignment")
        .annotate(last=Max("contacted_on"))
        .values("last"),
        output_field=DateField(),
    )


# Occasions


def visits_overdue(*, on: dt.date) -> QuerySet[Occasion]:
    """Occasions with no visit whose visit was due before `on`, of living cadres (and deaths: the
    family is visited); one query, with the cadre."""
    return (
        Occasion.objects.filter(due_on__lt=on)
        .filter(Q(cadre__deceased_on__isnull=True) | Q(kind=Occasion.Kind.DEATH))
        .filter(~_has_visit())
        .select_related("cadre")
        .order_by("due_on", "id")
    )


def occasion_list(*, user) -> QuerySet[Occasion]:
    """Occasions `user` may see, newest first, with the cadre and branch and whether a visit closed it."""
    return (
        scoping.occasions_visible(user)
        .select_related("cadre__branch")
        .annotate(is_closed=_has_visit())
        .order_by("-occurred_on", "-id")
    )


def occasion_filter_status(occasions: QuerySet[Occasion], *, status: str, on: dt.date) -> QuerySet[Occasion]:
    """Narrow to "due" (open, not yet overdue), "overdue" (open, due before `on`) or "closed"."""
    if status == "closed":
        return occasions.filter(_has_visit())
    if status == "overdue":
        return occasions.filter(~_has_visit(), due_on__lt=on)
    if status == "due":
        return occasions.filter(~_has_visit(), due_on__gte=on)
    return occasions


def occasion_get(*, user, pk) -> Occasion:
    return get_object_or_404(occasion_list(user=user).select_related("recorded_by"), pk=pk)


def occasion_answered_by(*, cadre, reason: str, visited_on: dt.date) -> Occasion | None:
    """The open occasion a visit of `reason` on `visited_on` answers: the cadre's latest occasion
    of that kind on or before the visit with no visit yet; None for a routine visit or none open."""
    if reason not in Occasion.Kind.values:
        return None
    return (
        Occasion.objects.filter(cadre=cadre, kind=reason, occurred_on__lte=visited_on)
        .exclude(_has_visit())
        .order_by("-occurred_on", "-id")
        .first()
    )


# Visits


def visit_list(*, user) -> QuerySet[Visit]:
    """Visits `user` may see, newest first, with the cadre, branch and occasion."""
    return (
        scoping.visits_visible(user)
        .select_related("cadre__branch", "occasion")
        .order_by("-visited_on", "-id")
    )


def visit_get(*, user, pk) -> Visit:
    return get_object_or_404(visit_list(user=user).select_related("recorded_by"), pk=pk)


# One-to-one contact


def contacts_overdue(*, on: dt.date) -> QuerySet[ContactAssignment]:
    """Open assignments of living cadres whose last contact (or start) plus the interval falls before
    `on`; one query, with the staff member, the cadre and `last_contacted_on`/`contact_due_on`."""
    return (
        ContactAssignment.objects.filter(ended_on__isnull=True, cadre__deceased_on__isnull=True)
        .annotate(last_contacted_on=_last_contact())
        .annotate(contact_due_on=AddDays(Coalesce("last_contacted_on", "started_on"), F("interval_days")))
        .filter(contact_due_on__lt=on)
        .select_related("staff", "cadre")
        .order_by("contact_due_on", "id")
    )


def assignment_list(*, user) -> QuerySet[ContactAssignment]:
    """Assignments `user` may see, open first, with the last contact and the next one's due date."""
    return (
        scoping.assignments_visible(user)
        .select_related("staff", "cadre__branch")
        .annotate(last_contacted_on=_last_contact())
        .annotate(contact_due_on=AddDays(Coalesce("last_contacted_on", "started_on"), F("interval_days")))
        .order_by(F("ended_on").desc(nulls_first=True), "contact_due_on", "id")
    )


def assignment_get(*, user, pk) -> ContactAssignment:
    return get_object_or_404(assignment_list(user=user), pk=pk)


def contact_log_list(*, user) -> QuerySet[ContactLog]:
    """Contacts `user` may see, newest first, with the assignment's staff member and cadre."""
    return (
        scoping.contact_logs_visible(user)
        .select_related("assignment__staff", "assignment__cadre__branch")
        .order_by("-contacted_on", "-id")
    )


# Condolence campaigns


def _count_of(queryset, group_field: str):
    """A correlated COUNT of `queryset` rows per outer row, 0 when there are none."""
    counted = (
        queryset.filter(**{group_field: OuterRef("pk")})
        .order_by()
        .values(group_field)
        .annotate(total=Count("pk"))
        .values("total")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def _done():
    return Q(visit__isnull=False) | Q(gift_given_on__isnull=False)


def campaign_list(*, user) -> QuerySet[CondolenceCampaign]:
    """Campaigns `user` may see, newest first, with the targets and reached targets `user` may see."""
    targets = scoping.targets_visible(user)
    return (
        scoping.campaigns_visible(user)
        .select_related("branch", "area")
        .annotate(
            target_count=_count_of(targets, "campaign"),
            done_count=_count_of(targets.filter(_done()), "campaign"),
        )
        .order_by("-starts_on", "-id")
    )


def campaign_get(*, user, pk) -> CondolenceCampaign:
    return get_object_or_404(campaign_list(user=user), pk=pk)


def campaign_targets(*, user, campaign: CondolenceCampaign) -> QuerySet[CondolenceTarget]:
    """The campaign's targets `user` may see, by cadre, with the cadre's branch and the visit."""
    return (
        scoping.targets_visible(user)
        .filter(campaign=campaign)
        .select_related("cadre__branch", "visit")
        .order_by("cadre__name", "cadre_id")
    )


def target_filter_status(targets: QuerySet[CondolenceTarget], *, status: str) -> QuerySet[CondolenceTarget]:
    if status == "done":
        return targets.filter(_done())
    if status == "pending":
        return targets.exclude(_done())
    return targets


def target_get(*, user, pk) -> CondolenceTarget:
    return get_object_or_404(scoping.targets_visible(user).select_related("campaign", "cadre__branch"), pk=pk)


# Health checks and sanatorium trips


def health_check_list(*, user) -> QuerySet[HealthCheck]:
    return scoping.health_checks_visible(user).select_related("cadre__branch").order_by("-checked_on", "-id")


def trip_list(*, user) -> QuerySet[SanatoriumTrip]:
    """Trips `user` may see, newest first, with the number of places taken."""
    return (
        scoping.trips_visible(user)
        .select_related("branch")
        .annotate(taken=_count_of(SanatoriumTrip.participants.through.objects.all(), "sanatoriumtrip"))
        .order_by("-starts_on", "-id")
    )


def trip_get(*, user, pk) -> SanatoriumTrip:
    return get_object_or_404(trip_list(user=user), pk=pk)


def trip_participants(*, user, trip: SanatoriumTrip):
    """The trip's participants `user` may see, by name."""
    from cadres.selectors import cadre_visible

    return (
        cadre_visible(user=user).filter(sanatorium_trips=trip).select_related("branch").order_by("name", "id")
    )


# Medals


def medal_list(*, user) -> QuerySet[MedalAward]:
    return scoping.medals_visible(user).select_related("cadre__branch").order_by("-awarded_on", "-id")


def medals_due(*, year: int, user=None):
    """Living Party members with 50 years' standing by 1 July of `year` who have no 50-year medal yet;
    within `user`'s scope when given. One query."""
    from accounts.scoping import scope_queryset
    from cadres.models import Cadre

    cadres = Cadre.objects.filter(
        deceased_on__isnull=True, party_join_date__lte=party_50_years_cutoff(year)
    ).exclude(pk__in=MedalAward.objects.filter(kind=MedalAward.Kind.PARTY_50_YEARS).values("cadre"))
    if user is not None:
        cadres = scope_queryset(user, cadres, "branch")
    return cadres.select_related("branch").order_by("party_join_date", "id")
