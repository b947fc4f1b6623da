"""Reads on outreach; every one starts from outreach.scoping."""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, F, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce, TruncMonth
from django.shortcuts import get_object_or_404
from django.utils import timezone

from cadres.models import Cadre
from outreach import scoping
from outreach.models import (
    Campaign,
    LectureGroup,
    LectureGroupMembership,
    Lecturer,
    Publicity,
    TalkEvent,
    Topic,
    VenueType,
)


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


def _current_memberships():
    return LectureGroupMembership.objects.filter(left_on__isnull=True)


# Lecture groups


def group_list(*, user) -> QuerySet[LectureGroup]:
    """Groups `user` may see, by name, with their area, branch, current member and talk counts."""
    return (
        scoping.groups_visible(user)
        .select_related("area", "branch")
        .annotate(
            member_count=_count_of(_current_memberships(), "group"),
            talk_count=_count_of(TalkEvent.objects.all(), "group"),
        )
        .order_by("name", "id")
    )


def group_get(*, user, pk) -> LectureGroup:
    """The group `pk` if `user` may see it; 404 otherwise."""
    return get_object_or_404(scoping.groups_visible(user).select_related("area", "branch"), pk=pk)


def group_memberships(*, group: LectureGroup) -> QuerySet[LectureGroupMembership]:
    """The group's memberships, current first, with each lecturer's cadre and branch."""
    return group.memberships.select_related("lecturer__cadre__branch").order_by(
        F("left_on").desc(nulls_first=True), "lecturer__cadre__name", "id"
    )


def group_current_lecturers(*, group: LectureGroup, include: list[int] | None = None) -> QuerySet[Lecturer]:
    """The group's current active lecturers (and those with ids in `include`), by name."""
    current = Q(memberships__group=group, memberships__left_on__isnull=True, is_active=True)
    if include:
        current |= Q(pk__in=include)
    return Lecturer.objects.filter(current).select_related("cadre").distinct().order_by("cadre__name", "id")


def membership_get(*, user, pk) -> LectureGroupMembership:
    """The membership `pk` if `user` may see its group; 404 otherwise."""
    return get_object_or_404(
        scoping.memberships_visible(user).select_related("group", "lecturer__cadre"), pk=pk
    )


# Lecturers


def lecturer_list(*, user) -> QuerySet[Lecturer]:
    """Lecturers `user` may see, by number, with the cadre, branch and talk count the list shows."""
    return (
        scoping.lecturers_visible(user)
        .select_related("cadre__branch")
        .annotate(talk_count=_count_of(TalkEvent.lecturers.through.objects.all(), "lecturer"))
        .order_by("id")
    )


def lecturers_in_a_group_on(*, day: dt.date):
    """The ids of lecturers holding a place in a lecture group on `day` (joined, not yet left)."""
    from branches.selectors import existing_on

    return LectureGroupMembership.objects.filter(existing_on(day, start="joined_on", end="left_on")).values(
        "lecturer_id"
    )


def lecturer_get(*, user, pk) -> Lecturer:
    """The lecturer `pk` if `user` may see the cadre's branch; 404 otherwise."""
    return get_object_or_404(scoping.lecturers_visible(user).select_related("cadre__branch"), pk=pk)


def lecturer_cadres(*, user) -> QuerySet[Cadre]:
    """Cadres who are lecturers `user` may see: what a lecturer lookup resolves names in."""
    return Cadre.objects.filter(lecturer__in=scoping.lecturers_visible(user))


def lecturer_memberships(*, lecturer: Lecturer) -> QuerySet[LectureGroupMembership]:
    return lecturer.memberships.select_related("group").order_by("-joined_on", "id")


def lecturer_talks(*, user, lecturer: Lecturer) -> QuerySet[TalkEvent]:
    """The lecturer's talks that `user` may see, newest first."""
    return talk_list(user=user).filter(lecturers=lecturer)


# Talks


def talk_list(*, user) -> QuerySet[TalkEvent]:
    """Talks `user` may see, newest first, with the group, area, campaign and lecturers' names."""
    lecturers = Lecturer.objects.select_related("cadre").only("cadre__name").order_by("cadre__name", "id")
    return (
        scoping.talks_visible(user)
        .select_related("group", "area", "campaign")
        .prefetch_related(Prefetch("lecturers", queryset=lecturers))
        .order_by("-held_on", "-id")
    )


def talk_get(*, user, pk) -> TalkEvent:
    """The talk `pk` if `user` may see its group; 404 otherwise."""
    return get_object_or_404(
        talk_list(user=user).select_related("recorded_by", "group__branch"),
        pk=pk,
    )


@dataclass(frozen=True)
class Breakdown:
    code: str
    label: str
    talks: int
    audience: int
    youth_audience: int


@dataclass(frozen=True)
class OutreachSummary:
    talks: int
    audience: int
    youth_audience: int
    lecturers: int
    groups: int
    by_venue_type: list[Breakdown] = field(default_factory=list)
    by_topic: list[Breakdown] = field(default_factory=list)


def outreach_summary(*, talks: QuerySet[TalkEvent]) -> OutreachSummary:
    """Totals of `talks` (already scoped and filtered): counts, audiences, distinct lecturers and
    groups, and the same by venue type and by topic. Four aggregate queries."""
    talks = talks.order_by()
    ids = talks.values("pk")
    totals = TalkEvent.objects.filter(pk__in=ids).aggregate(
        talks=Count("pk"),
        audience=Coalesce(Sum("audience"), 0),
        youth=Coalesce(Sum("youth_audience"), 0),
        groups=Count("group", distinct=True),
    )
    lecturers = TalkEvent.lecturers.through.objects.filter(talkevent_id__in=ids).aggregate(
        n=Count("lecturer_id", distinct=True)
    )["n"]

    def breakdown(field_name, choices):
        rows = {
            row[field_name]: row
            for row in TalkEvent.objects.filter(pk__in=ids)
            .values(field_name)
            .annotate(talks=Count("pk"), audience=Sum("audience"), youth=Sum("youth_audience"))
            .order_by()
        }
        return [
            Breakdown(
                code=code,
                label=str(label),
                talks=rows.get(code, {}).get("talks", 0),
                audience=rows.get(code, {}).get("audience") or 0,
                youth_audience=rows.get(code, {}).get("youth") or 0,
            )
            for code, label in choices
        ]

    return OutreachSummary(
        talks=totals["talks"],
        audience=totals["audience"],
        youth_audience=totals["youth"],
        lecturers=lecturers,
        groups=totals["groups"],
        by_venue_type=breakdown("venue_type", VenueType.choices),
        by_topic=breakdown("topic", Topic.choices),
    )


# Campaigns


def campaign_list(*, user) -> QuerySet[Campaign]:
    """Campaigns `user` may see, newest first, with the talks and audience counted in their period."""
    in_period = TalkEvent.objects.filter(
        campaign=OuterRef("pk"), held_on__gte=OuterRef("starts_on"), held_on__lte=OuterRef("ends_on")
    ).order_by()
    talks = in_period.values("campaign").annotate(n=Count("pk")).values("n")
    audience = in_period.values("campaign").annotate(n=Sum("audience")).values("n")
    return (
        scoping.campaigns_visible(user)
        .select_related("area", "branch")
        .annotate(
            talk_count=Coalesce(Subquery(talks, output_field=IntegerField()), Value(0)),
            audience_total=Coalesce(Subquery(audience, output_field=IntegerField()), Value(0)),
        )
        .order_by("-starts_on", "id")
    )


def campaign_get(*, user, pk) -> Campaign:
    """The campaign `pk` if `user` may see it; 404 otherwise."""
    return get_object_or_404(scoping.campaigns_visible(user).select_related("area", "branch"), pk=pk)


def _percent(value: int, target: int) -> float | None:
    return round(100 * value / target, 1) if target else None


@dataclass(frozen=True)
class Measure:
    key: str
    value: int
    target: int | None

    @property
    def percent(self) -> float | None:
        return _percent(self.value, self.target) if self.target is not None else None


@dataclass(frozen=True)
class MonthRow:
    month: dt.date
    talks: int
    audience: int
    youth_audience: int
    talks_to_date: int
    audience_to_date: int


@dataclass(frozen=True)
class CampaignProgress:
    campaign: Campaign
    lecturers: Measure
    talks: Measure
    audience: Measure
    youth_audience: Measure
    months: list[MonthRow]

    @property
    def measures(self) -> list[Measure]:
        return [self.lecturers, self.talks, self.audience, self.youth_audience]

    def chart_data(self) -> dict:
        """The monthly series for the progress chart (cumulative against the target line)."""
        return {
            "labels": [f"{row.month:%Y-%m}" for row in self.months],
            "talks": [row.talks for row in self.months],
            "talks_to_date": [row.talks_to_date for row in self.months],
            "audience": [row.audience for row in self.months],
            "audience_to_date": [row.audience_to_date for row in self.months],
            "target_talks": self.campaign.target_talks,
            "target_audience": self.campaign.target_audience,
        }


def _months_between(start: dt.date, end: dt.date) -> list[dt.date]:
    months, month = [], start.replace(day=1)
    while month <= end:
        months.append(month)
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return months


def campaign_progress(campaign: Campaign) -> CampaignProgress:
    """Progress of `campaign` from its linked talks in its period: distinct lecturers, talks,
    audience and young people against the targets, and a monthly series. Three queries."""
    talks = TalkEvent.objects.filter(
        campaign=campaign, held_on__gte=campaign.starts_on, held_on__lte=campaign.ends_on
    ).order_by()
    totals = talks.aggregate(
        talks=Count("pk"), audience=Coalesce(Sum("audience"), 0), youth=Coalesce(Sum("youth_audience"), 0)
    )
    lecturers = TalkEvent.lecturers.through.objects.filter(talkevent__in=talks.values("pk")).aggregate(
        n=Count("lecturer_id", distinct=True)
    )["n"]
    monthly = {
        (row["month"].date() if isinstance(row["month"], dt.datetime) else row["month"]): row
        for row in talks.annotate(month=TruncMonth("held_on"))
        .values("month")
        .annotate(talks=Count("pk"), audience=Sum("audience"), youth=Sum("youth_audience"))
        .order_by("month")
    }
    # The series runs to today for a running campaign, to its end otherwise.
    last = min(campaign.ends_on, max(timezone.localdate(), campaign.starts_on))
    months, talks_to_date, audience_to_date = [], 0, 0
    for month in _months_between(campaign.starts_on, last):
        row = monthly.get(month, {})
        talks_to_date += row.get("talks", 0)
        audience_to_date += row.get("audience") or 0
        months.append(
            MonthRow(
                month=month,
                talks=row.get("talks", 0),
                audience=row.get("audience") or 0,
                youth_audience=row.get("youth") or 0,
                talks_to_date=talks_to_date,
                audience_to_date=audience_to_date,
            )
        )
    return CampaignProgress(
        campaign=campaign,
        lecturers=Measure("lecturers", lecturers, campaign.target_lecturers),
        talks=Measure("talks", totals["talks"], campaign.target_talks),
        audience=Measure("audience", totals["audience"], campaign.target_audience),
        youth_audience=Measure("youth_audience", totals["youth"], None),
        months=months,
    )


# Publicity


def publicity_list(*, user) -> QuerySet[Publicity]:
    """Publicity `user` may see, newest first, with the names of the cadre or branch."""
    return (
        scoping.publicity_visible(user)
        .select_related("cadre", "branch")
        .only(
            "title",
            "outlet",
            "level",
            "published_on",
            "link",
            "cadre",
            "cadre__name",
            "branch",
            "branch__name",
        )
        .order_by("-published_on", "-id")
    )


def publicity_get(*, user, pk) -> Publicity:
    """The publicity record `pk` if `user` may see it; 404 otherwise."""
    return get_object_or_404(publicity_list(user=user), pk=pk)
