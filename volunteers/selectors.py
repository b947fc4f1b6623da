"""Reads on volunteer service; every one starts from volunteers.scoping.

The list filters and the summary share the filter functions below, so a figure on the summary
page is, by construction, the number of rows of the list it links to.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import BooleanField, Case, Count, OuterRef, Q, QuerySet, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from branches.models import Area, Branch
from branches.selectors import existing_on
from core.periods import Period
from volunteers.models import (
    CHIEF_TITLES,
    ChiefPost,
    MicroWish,
    PatrolArea,
    ServiceProject,
    ServiceRecord,
    TeamMembership,
    VolunteerTeam,
)
from volunteers.scoping import (
    own_wishes,
    scope_by_team,
    scope_chief_posts,
    scope_service_records,
    scope_wishes,
    visible_patrol_areas,
    visible_teams,
)

RECENT_RECORDS = 10


def _area_subtree(area: Area):
    return Area.objects.filter(path__startswith=area.path).values("pk")


def _team_subtree(team: VolunteerTeam):
    return VolunteerTeam.objects.filter(path__startswith=team.path).values("pk")


def _branch_subtree(branch: Branch):
    return Branch.objects.filter(path__startswith=branch.path).values("pk")


def _existed_during(period: Period, start: str, end: str) -> Q:
    """Rows whose [start, end] dates overlap `period` (an empty start or end is open)."""
    return (Q(**{f"{start}__isnull": True}) | Q(**{f"{start}__lt": period.end})) & (
        Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gte": period.start})
    )


# Filters shared by the lists and the summary ------------------------------------------------


def filter_teams(
    teams: QuerySet[VolunteerTeam],
    *,
    area: Area | None = None,
    root: VolunteerTeam | None = None,
    level: str = "",
    period: Period | None = None,
    query: str = "",
    branch: Branch | None = None,
    on: dt.date | None = None,
) -> QuerySet[VolunteerTeam]:
    """Teams in `area` (and below), under `root` (and it), at `level`, existing during `period`,
    grown from `branch` (and below), existing on the day `on`."""
    if area is not None:
        teams = teams.filter(area__in=_area_subtree(area))
    if root is not None:
        teams = teams.filter(path__startswith=root.path)
    if level:
        teams = teams.filter(level=level)
    if period is not None:
        teams = teams.filter(_existed_during(period, "founded_on", "dissolved_on"))
    if branch is not None:
        teams = teams.filter(branch__in=_branch_subtree(branch))
    if on is not None:
        teams = teams.filter(existing_on(on))
    if query:
        teams = teams.filter(name__contains=query)
    return teams


def filter_chief_posts(
    posts: QuerySet[ChiefPost],
    *,
    area: Area | None = None,
    team: VolunteerTeam | None = None,
    kind: str = "",
    period: Period | None = None,
    current: bool | None = None,
    branch: Branch | None = None,
    on: dt.date | None = None,
) -> QuerySet[ChiefPost]:
    """Posts on patrol areas in `area`, attached to `team`'s subtree, of `kind`, held during `period`,
    held by members of `branch` (and below, by their current branch), held on the day `on`."""
    if area is not None:
        posts = posts.filter(patrol_area__area__in=_area_subtree(area))
    if team is not None:
        posts = posts.filter(team__in=_team_subtree(team))
    if kind:
        posts = posts.filter(patrol_area__kind=kind)
    if period is not None:
        posts = posts.filter(_existed_during(period, "appointed_on", "ended_on"))
    if current is not None:
        posts = posts.filter(ended_on__isnull=current)
    if branch is not None:
        posts = posts.filter(cadre__branch__in=_branch_subtree(branch))
    if on is not None:
        posts = posts.filter(existing_on(on, start="appointed_on", end="ended_on"))
    return posts


def filter_patrol_areas(
    patrol_areas: QuerySet[PatrolArea],
    *,
    area: Area | None = None,
    kind: str = "",
    query: str = "",
    covered_on: dt.date | None = None,
    branch: Branch | None = None,
) -> QuerySet[PatrolArea]:
    """Patrol areas in `area`, of `kind`, whose name contains `query`; with `covered_on` or `branch`,
    only those with a chief post held on that day, or held by a member of `branch` (and below)."""
    if query:
        patrol_areas = patrol_areas.filter(name__contains=query)
    if kind:
        patrol_areas = patrol_areas.filter(kind=kind)
    if area is not None:
        patrol_areas = patrol_areas.filter(area__path__startswith=area.path)
    if covered_on is not None or branch is not None:
        posts = filter_chief_posts(ChiefPost.objects.all(), branch=branch, on=covered_on)
        patrol_areas = patrol_areas.filter(pk__in=posts.values("patrol_area_id"))
    return patrol_areas


def filter_service_records(
    records: QuerySet[ServiceRecord],
    *,
    area: Area | None = None,
    team: VolunteerTeam | None = None,
    post_kind: str = "",
    kind: str = "",
    period: Period | None = None,
    branch: Branch | None = None,
) -> QuerySet[ServiceRecord]:
    """Records of teams or patrol areas in `area`, of `team`'s subtree (its teams and their chiefs),
    by chiefs of `post_kind`, of `kind`, served during `period`, of `branch`'s teams and members."""
    if area is not None:
        subtree = _area_subtree(area)
        records = records.filter(Q(team__area__in=subtree) | Q(chief_post__patrol_area__area__in=subtree))
    if team is not None:
        subtree = _team_subtree(team)
        records = records.filter(Q(team__in=subtree) | Q(chief_post__team__in=subtree))
    if post_kind:
        records = records.filter(chief_post__patrol_area__kind=post_kind)
    if kind:
        records = records.filter(kind=kind)
    if period is not None:
        records = records.filter(served_on__gte=period.start, served_on__lt=period.end)
    if branch is not None:
        subtree = _branch_subtree(branch)
        records = records.filter(Q(team__branch__in=subtree) | Q(chief_post__cadre__branch__in=subtree))
    return records


# Which date of a wish a period filter looks at.
WISH_DATES = {"posted": "posted_on", "claimed": "claimed_on", "fulfilled": "fulfilled_on"}


def filter_wishes(
    wishes: QuerySet[MicroWish],
    *,
    area: Area | None = None,
    team: VolunteerTeam | None = None,
    status: str = "",
    period: Period | None = None,
    dated: str = "posted",
    branch: Branch | None = None,
) -> QuerySet[MicroWish]:
    """Wishes of elders in `area`, claimed by `team`'s subtree, in `status`, whose `dated` date
    (posted, claimed or fulfilled) falls in `period`; with `branch`, the wishes that are that
    branch's business (its members' wishes, or claimed by it, its teams or its members)."""
    if area is not None:
        wishes = wishes.filter(area__in=_area_subtree(area))
    if team is not None:
        wishes = wishes.filter(claimed_by_team__in=_team_subtree(team))
    if status:
        wishes = wishes.filter(status=status)
    if period is not None:
        field = WISH_DATES.get(dated, "posted_on")
        wishes = wishes.filter(**{f"{field}__gte": period.start, f"{field}__lt": period.end})
    if branch is not None:
        subtree = _branch_subtree(branch)
        wishes = wishes.filter(
            Q(beneficiary__branch__in=subtree)
            | Q(claimed_by_branch__in=subtree)
            | Q(claimed_by_cadre__branch__in=subtree)
            | Q(claimed_by_team__branch__in=subtree)
        )
    return wishes


# Teams and memberships --------------------------------------------------------------------


def _with_member_counts(teams):
    members = (
        TeamMembership.objects.filter(team=OuterRef("pk"), left_on__isnull=True)
        .order_by()
        .values("team")
        .annotate(total=Count("pk"))
        .values("total")
    )
    return teams.annotate(member_count=Coalesce(Subquery(members), 0))


def team_list(*, user) -> QuerySet[VolunteerTeam]:
    """Teams `user` may see in tree order, with their area, branch, leader and current member count."""
    return _with_member_counts(visible_teams(user).select_related("area", "branch", "leader")).order_by(
        "path"
    )


def team_get(*, user, pk) -> VolunteerTeam:
    """The team `pk` if `user` may see it; 404 otherwise."""
    return get_object_or_404(visible_teams(user).select_related("area", "branch", "leader"), pk=pk)


def team_ancestors(*, user, team: VolunteerTeam) -> list[VolunteerTeam]:
    """The visible ancestors of `team`, root first, for the breadcrumb."""
    steplen = VolunteerTeam.steplen
    paths = [team.path[:i] for i in range(steplen, len(team.path), steplen)]
    return list(visible_teams(user).filter(path__in=paths).order_by("depth"))


def team_children(*, user, team: VolunteerTeam) -> QuerySet[VolunteerTeam]:
    return _with_member_counts(
        visible_teams(user).filter(path__startswith=team.path, depth=team.depth + 1)
    ).order_by("path")


def team_members(*, team: VolunteerTeam) -> QuerySet[TeamMembership]:
    """The team's current memberships, by name; only the names of the members are shown."""
    return (
        TeamMembership.objects.filter(team=team, left_on__isnull=True)
        .select_related("cadre")
        .only("team_id", "joined_on", "left_on", "cadre__name")
        .order_by("cadre__name", "cadre_id")
    )


def membership_get(*, user, pk) -> TeamMembership:
    """The membership `pk` if `user` may see its team; 404 otherwise."""
    return get_object_or_404(
        scope_by_team(user, TeamMembership.objects.select_related("team", "cadre")), pk=pk
    )


# Projects and patrol areas ----------------------------------------------------------------


def project_list(*, user) -> QuerySet[ServiceProject]:
    """Projects of the teams `user` may see, by name."""
    return scope_by_team(user, ServiceProject.objects.select_related("team")).order_by("name", "id")


def project_get(*, user, pk) -> ServiceProject:
    return get_object_or_404(project_list(user=user), pk=pk)


def projects_for_records(*, user) -> QuerySet[ServiceProject]:
    """Active projects `user` may record service under."""
    return project_list(user=user).filter(is_active=True)


def patrol_area_list(*, user) -> QuerySet[PatrolArea]:
    """Patrol areas `user` may see, with their area and the number of chiefs holding a post now."""
    chiefs = (
        ChiefPost.objects.filter(patrol_area=OuterRef("pk"), ended_on__isnull=True)
        .order_by()
        .values("patrol_area")
        .annotate(total=Count("pk"))
        .values("total")
    )
    return (
        visible_patrol_areas(user)
        .select_related("area")
        .annotate(chief_count=Coalesce(Subquery(chiefs), 0))
        .order_by("kind", "name", "id")
    )


def patrol_area_get(*, user, pk) -> PatrolArea:
    return get_object_or_404(visible_patrol_areas(user).select_related("area"), pk=pk)


# Chief posts ----------------------------------------------------------------------------------


def chief_post_list(*, user) -> QuerySet[ChiefPost]:
    """Chief posts `user` may see, current first, with the chief, patrol area and team."""
    return (
        scope_chief_posts(user)
        .select_related("cadre", "patrol_area", "patrol_area__area", "team")
        .only(
            "appointed_on",
            "ended_on",
            "cadre__name",
            "cadre__phone",
            "patrol_area__kind",
            "patrol_area__name",
            "patrol_area__area__name",
            "team__name",
        )
        .order_by("patrol_area__kind", "patrol_area__name", "-appointed_on", "id")
    )


def chief_post_get(*, user, pk) -> ChiefPost:
    return get_object_or_404(
        scope_chief_posts(user).select_related("cadre", "patrol_area", "patrol_area__area", "team"), pk=pk
    )


def chief_posts_for_records(*, user) -> QuerySet[ChiefPost]:
    """Posts `user` may record a patrol on: those held now, by patrol area."""
    return (
        scope_chief_posts(user)
        .filter(ended_on__isnull=True)
        .select_related("cadre", "patrol_area")
        .order_by("patrol_area__kind", "patrol_area__name", "id")
    )


# Service records --------------------------------------------------------------------------


def record_list(*, user) -> QuerySet[ServiceRecord]:
    """Service records `user` may see, newest first, with who served and under which project."""
    return scope_service_records(
        user,
        ServiceRecord.objects.select_related(
            "team", "chief_post", "chief_post__cadre", "chief_post__patrol_area", "project", "recorded_by"
        ),
    ).order_by("-served_on", "-id")


def record_get(*, user, pk) -> ServiceRecord:
    return get_object_or_404(record_list(user=user), pk=pk)


def recent_records(*, user, team: VolunteerTeam | None = None, post: ChiefPost | None = None, project=None):
    """The latest service records of a team (its own and its chiefs'), a chief post or a project."""
    records = record_list(user=user)
    if team is not None:
        records = records.filter(Q(team=team) | Q(chief_post__team=team))
    if post is not None:
        records = records.filter(chief_post=post)
    if project is not None:
        records = records.filter(project=project)
    return records[:RECENT_RECORDS]


# Micro-wishes -----------------------------------------------------------------------------


def wish_list(*, user) -> QuerySet[MicroWish]:
    """Wishes `user` may see, newest first; `is_own` says whether the beneficiary's name may be shown."""
    wishes = scope_wishes(
        user,
        MicroWish.objects.select_related(
            "beneficiary", "area", "claimed_by_branch", "claimed_by_team", "claimed_by_cadre"
        ),
    )
    if user.is_authenticated and user.is_bureau_wide:
        is_own = Value(True)
    else:
        is_own = Case(
            When(own_wishes(user), then=Value(True)), default=Value(False), output_field=BooleanField()
        )
    return wishes.annotate(is_own=is_own).order_by("-posted_on", "-id")


def wish_get(*, user, pk) -> MicroWish:
    return get_object_or_404(wish_list(user=user).select_related("posted_by", "claimed_by_user"), pk=pk)


def masked_name(name: str) -> str:
    """The surname and a star per other character: 王** for a wish on the wall."""
    return name[:1] + "*" * (len(name) - 1) if name else ""


# The summary ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChiefFigures:
    kind: str
    label: str
    chiefs: int
    posts: int
    patrol_areas: int


@dataclass(frozen=True)
class VolunteerSummary:
    period: Period
    teams_by_level: list[tuple[str, str, int]]
    chiefs_by_kind: list[ChiefFigures]
    chiefs: int
    patrol_areas: int
    records: int
    patrols: int
    hours: Decimal
    volunteers: int
    people_served: int
    problems_found: int
    problems_resolved: int
    wishes_posted: int
    wishes_claimed: int
    wishes_fulfilled: int

    @property
    def teams(self) -> int:
        return sum(count for _level, _label, count in self.teams_by_level)


def volunteer_summary(
    *, user, period: Period, area: Area | None = None, team: VolunteerTeam | None = None
) -> VolunteerSummary:
    """The volunteer figures of `period` for what `user` sees, narrowed to `area` or `team`'s subtree.

    Five aggregate queries, whatever the number of teams, posts or records.
    """
    teams = filter_teams(visible_teams(user), area=area, root=team, period=period)
    by_level = dict(teams.order_by().values_list("level").annotate(total=Count("pk")))
    posts = filter_chief_posts(scope_chief_posts(user), area=area, team=team, period=period)
    by_kind = {
        row["patrol_area__kind"]: row
        for row in posts.order_by()
        .values("patrol_area__kind")
        .annotate(
            chiefs=Count("cadre", distinct=True),
            posts=Count("pk"),
            patrol_areas=Count("patrol_area", distinct=True),
        )
    }
    # Across kinds: a cadre who is both a river and a road chief is one chief.
    post_totals = posts.aggregate(
        chiefs=Count("cadre", distinct=True), patrol_areas=Count("patrol_area", distinct=True)
    )
    records = filter_service_records(
        scope_service_records(user, ServiceRecord.objects.all()), area=area, team=team, period=period
    ).aggregate(
        count=Count("pk"),
        patrols=Count("pk", filter=Q(kind=ServiceRecord.Kind.PATROL)),
        hours=Sum("hours"),
        volunteers=Sum("volunteers_present"),
        people_served=Sum("people_served"),
        problems_found=Sum("problems_found"),
        problems_resolved=Sum("problems_resolved"),
    )
    wishes = filter_wishes(scope_wishes(user, MicroWish.objects.all()), area=area, team=team).aggregate(
        **{
            name: Count("pk", filter=Q(**{f"{field}__gte": period.start, f"{field}__lt": period.end}))
            for name, field in WISH_DATES.items()
        }
    )
    return VolunteerSummary(
        period=period,
        teams_by_level=[
            (level, label, by_level.get(level, 0)) for level, label in VolunteerTeam.Level.choices
        ],
        chiefs_by_kind=[
            ChiefFigures(
                kind=kind,
                label=str(CHIEF_TITLES[kind]),
                chiefs=by_kind.get(kind, {}).get("chiefs", 0),
                posts=by_kind.get(kind, {}).get("posts", 0),
                patrol_areas=by_kind.get(kind, {}).get("patrol_areas", 0),
            )
            for kind in PatrolArea.Kind.values
        ],
        chiefs=post_totals["chiefs"],
        patrol_areas=post_totals["patrol_areas"],
        records=records["count"],
        patrols=records["patrols"],
        hours=records["hours"] or Decimal("0"),
        volunteers=records["volunteers"] or 0,
        people_served=records["people_served"] or 0,
        problems_found=records["problems_found"] or 0,
        problems_resolved=records["problems_resolved"] or 0,
        wishes_posted=wishes["posted"],
        wishes_claimed=wishes["claimed"],
        wishes_fulfilled=wishes["fulfilled"],
    )
