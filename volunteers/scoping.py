"""The one rule of who may see which volunteer teams, chief posts, service records and wishes.

Every volunteers queryset that reaches a user passes here. Bureau-wide roles (and auditors,
read-only by their permissions) see everything. A branch secretary sees the teams that grew
from their branches, the chief posts of their members and the records of both. A volunteer
team leader sees their team and every team below it, with those teams' chief posts and records.
Anyone else sees nothing.
"""

from django.db.models import Q, QuerySet

from accounts.scoping import scope_queryset, visible_branches
from branches.models import Area
from cadres.models import Cadre
from volunteers.models import ChiefPost, MicroWish, PatrolArea, TeamMembership, VolunteerTeam


def _is_secretary(user) -> bool:
    return user.is_authenticated and user.is_branch_secretary and bool(user.branch_id)


def _is_team_leader(user) -> bool:
    return user.is_authenticated and user.is_team_leader and bool(user.volunteer_team_id)


def visible_teams(user) -> QuerySet[VolunteerTeam]:
    """The teams `user` may see: all for the bureau, their branches' teams for a secretary, the
    own team and those below it for a team leader, else none."""
    if not user.is_authenticated:
        return VolunteerTeam.objects.none()
    if user.is_bureau_wide:
        return VolunteerTeam.objects.all()
    if _is_secretary(user):
        return VolunteerTeam.objects.filter(branch__in=visible_branches(user).values("pk"))
    if _is_team_leader(user):
        # A prefix match on the materialised path: the subtree in one condition, however deep.
        return VolunteerTeam.objects.filter(path__startswith=user.volunteer_team.path)
    return VolunteerTeam.objects.none()


def scope_by_team(user, queryset: QuerySet, team_field: str = "team") -> QuerySet:
    """Narrow `queryset` to rows whose `team_field` is a team `user` may see."""
    if not user.is_authenticated:
        return queryset.none()
    if user.is_bureau_wide:
        return queryset
    return queryset.filter(**{f"{team_field}__in": visible_teams(user).values("pk")})


def scope_chief_posts(user, queryset: QuerySet[ChiefPost] | None = None) -> QuerySet[ChiefPost]:
    """Chief posts `user` may see: a secretary's are those held by cadres whose current branch they
    see; a team leader's those attached to their teams."""
    queryset = ChiefPost.objects.all() if queryset is None else queryset
    if not user.is_authenticated:
        return queryset.none()
    if user.is_bureau_wide:
        return queryset
    if _is_secretary(user):
        return scope_queryset(user, queryset, "cadre__branch")
    if _is_team_leader(user):
        return queryset.filter(team__in=visible_teams(user).values("pk"))
    return queryset.none()


def scope_service_records(user, queryset: QuerySet) -> QuerySet:
    """Service records of the teams and chief posts `user` may see."""
    if not user.is_authenticated:
        return queryset.none()
    if user.is_bureau_wide:
        return queryset
    if _is_secretary(user) or _is_team_leader(user):
        posts = scope_chief_posts(user).values("pk")
        return queryset.filter(Q(team__in=visible_teams(user).values("pk")) | Q(chief_post__in=posts))
    return queryset.none()


def service_area(user) -> Area | None:
    """The area a secretary's branch or a team leader's team serves, if it has one."""
    if _is_secretary(user):
        return user.branch.area
    if _is_team_leader(user):
        return user.volunteer_team.area
    return None


def _area_subtree(area: Area):
    return Area.objects.filter(path__startswith=area.path).values("pk")


def visible_patrol_areas(user) -> QuerySet[PatrolArea]:
    """Patrol areas `user` may see: all for the bureau; for others, those in the area their branch
    or team serves and those with a chief post they see."""
    if not user.is_authenticated:
        return PatrolArea.objects.none()
    if user.is_bureau_wide:
        return PatrolArea.objects.all()
    if not (_is_secretary(user) or _is_team_leader(user)):
        return PatrolArea.objects.none()
    seen = Q(pk__in=scope_chief_posts(user).values("patrol_area_id"))
    area = service_area(user)
    if area is not None:
        seen |= Q(area__in=_area_subtree(area))
    return PatrolArea.objects.filter(seen)


def volunteer_cadres(user) -> QuerySet[Cadre]:
    """Cadres `user` may name in a volunteers form: the registry's scope for the bureau and
    secretaries; a team leader, who sees no registry, names only the current members of their teams."""
    if _is_team_leader(user):
        members = TeamMembership.objects.filter(
            team__in=visible_teams(user).values("pk"), left_on__isnull=True
        ).values("cadre_id")
        return Cadre.objects.filter(pk__in=members)
    return scope_queryset(user, Cadre.objects.all())


def own_wishes(user) -> Q:
    """The wishes that are `user`'s own people's business: of their members, or claimed by their
    branches, teams or volunteers. Names on these are shown in full."""
    if user.is_bureau_wide:
        return Q()
    if _is_secretary(user):
        branches = visible_branches(user).values("pk")
        return (
            Q(beneficiary__branch__in=branches)
            | Q(claimed_by_branch__in=branches)
            | Q(claimed_by_cadre__branch__in=branches)
            | Q(claimed_by_team__in=visible_teams(user).values("pk"))
        )
    if _is_team_leader(user):
        members = volunteer_cadres(user).values("pk")
        return (
            Q(claimed_by_team__in=visible_teams(user).values("pk"))
            | Q(claimed_by_cadre__in=members)
            | Q(beneficiary__in=members)
        )
    return Q(pk__in=[])


def open_wishes_nearby(user) -> Q:
    """Wishes still waiting for someone, in the area `user`'s branch or team serves: the wish wall
    they may claim from. The beneficiary's name is masked until they claim it."""
    area = service_area(user)
    if area is None:
        return Q(pk__in=[])
    return Q(status=MicroWish.Status.POSTED, area__in=_area_subtree(area))


def scope_wishes(user, queryset: QuerySet[MicroWish]) -> QuerySet[MicroWish]:
    """Micro-wishes `user` may see: all for the bureau, else their own people's and the open ones nearby."""
    if not user.is_authenticated:
        return queryset.none()
    if user.is_bureau_wide:
        return queryset
    if not (_is_secretary(user) or _is_team_leader(user)):
        return queryset.none()
    return queryset.filter(own_wishes(user) | open_wishes_nearby(user))
