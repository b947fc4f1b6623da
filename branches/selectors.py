"""Reads on the branch tree; every one passes through the scoping rule."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Case, Count, DateField, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum, When
from django.db.models.functions import Coalesce, TruncMonth, TruncQuarter, TruncYear
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.scoping import scope_queryset, visible_branches
from branches.models import Activity, ActivityKind, Area, Attendance, Branch, BranchMembership, BranchOfficer
from branches.record_services import member_points
from branches.records import BranchAlliance, BranchRating, Commendation, PointRule, Studio
from cadres.models import Cadre
from core.periods import Period

# The tree page opens this many levels below the user's top; deeper levels are one click away.
TREE_LEVELS = 3
# Organisations that hold the required meetings themselves (党委 and 党总支 answer for theirs).
COMPLIANCE_KINDS = [Branch.Kind.BRANCH, Branch.Kind.TEMPORARY, Branch.Kind.GROUP]


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


def branch_tree(*, user, query: str = "", all_levels: bool = False) -> QuerySet[Branch]:
    """The top levels of the branches `user` may see (or those whose name contains `query`, or with
    `all_levels` every one of them), in tree order, with their member counts."""
    branches = visible_branches(user).select_related("area")
    if query:
        branches = branches.filter(name__contains=query)
    elif not all_levels:
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


@dataclass(frozen=True)
class RequirementStatus:
    kind: ActivityKind
    needed: int
    held: int

    @property
    def missing(self) -> int:
        return max(self.needed - self.held, 0)


@dataclass(frozen=True)
class BranchCompliance:
    branch: Branch
    requirements: list[RequirementStatus]
    present: int
    attendance_rows: int

    @property
    def compliant(self) -> bool:
        return all(r.missing == 0 for r in self.requirements)

    @property
    def attendance_rate(self) -> float | None:
        return self.present / self.attendance_rows if self.attendance_rows else None


def branch_compliance(
    *, user, period: Period, root: Branch | None = None, area: Area | None = None
) -> list[BranchCompliance]:
    """For each branch (and Party group) `user` may see under `root` (and sitting in `area`):
    required activities held or missing in `period`, and the attendance rate. A few set-based
    queries, whatever the number of branches."""
    branches = visible_branches(user).filter(kind__in=COMPLIANCE_KINDS)
    if root is not None:
        branches = branches.filter(path__startswith=root.path)
    if area is not None:
        branches = branches.filter(area__in=Area.objects.filter(path__startswith=area.path).values("pk"))
    branches = branches.filter(
        Q(founded_on__isnull=True) | Q(founded_on__lt=period.end),
        Q(dissolved_on__isnull=True) | Q(dissolved_on__gte=period.start),
    )
    kinds = list(ActivityKind.objects.filter(is_active=True).exclude(frequency=""))
    in_period = Q(held_on__gte=period.start, held_on__lt=period.end)
    # Each required kind counts the distinct months, quarters or years it was held in.
    slot = Case(
        When(kind__frequency=ActivityKind.Frequency.MONTHLY, then=TruncMonth("held_on")),
        When(kind__frequency=ActivityKind.Frequency.QUARTERLY, then=TruncQuarter("held_on")),
        default=TruncYear("held_on"),
        output_field=DateField(),
    )
    # One pass over the period's activities: distinct slots held per required kind, and the
    # attendance tallies of every activity, required kind or not (see Activity.present_count).
    held, attendance = {}, {}
    for row in (
        Activity.objects.filter(in_period, branch__in=branches.values("pk"))
        .values("branch_id", "kind_id")
        .annotate(
            slots=Count(slot, distinct=True, filter=Q(kind__in=kinds)),
            present=Sum("present_count"),
            rows=Sum("roll_count"),
        )
    ):
        held[row["branch_id"], row["kind_id"]] = row["slots"]
        present, rows = attendance.get(row["branch_id"], (0, 0))
        attendance[row["branch_id"]] = (present + row["present"], rows + row["rows"])
    slots = {kind.pk: period.slots(kind.frequency) for kind in kinds}
    last_day = period.end - dt.timedelta(days=1)
    fields = ("pk", "name", "kind", "path", "depth", "founded_on", "dissolved_on")
    results = []
    for branch in branches.only(*fields).order_by("path"):
        # Most branches exist for the whole period and owe every slot: skip the per-slot test.
        whole = (branch.founded_on is None or branch.founded_on <= period.start) and (
            branch.dissolved_on is None or branch.dissolved_on >= last_day
        )
        requirements = []
        for kind in kinds:
            if (kind.held_by == ActivityKind.HeldBy.GROUP) != (branch.kind == Branch.Kind.GROUP):
                continue
            owed = slots[kind.pk]
            needed = len(owed) if whole else sum(1 for slot in owed if _open_during(branch, slot))
            if needed:
                requirements.append(
                    RequirementStatus(
                        kind=kind, needed=needed, held=min(held.get((branch.pk, kind.pk), 0), needed)
                    )
                )
        present, rows = attendance.get(branch.pk, (0, 0))
        results.append(
            BranchCompliance(branch=branch, requirements=requirements, present=present, attendance_rows=rows)
        )
    return results


def existing_on(day: dt.date, *, start: str = "founded_on", end: str = "dissolved_on") -> Q:
    """Rows that existed on `day`: begun on or before it (or undated) and not yet ended.

    An end date is the first day without the row (a transfer's date opens the new membership
    and closes the old), as in branches.services.branch_members_on."""
    return (Q(**{f"{start}__isnull": True}) | Q(**{f"{start}__lte": day})) & (
        Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gt": day})
    )


def memberships_open_on(*, day: dt.date) -> QuerySet[BranchMembership]:
    """Branch memberships open on `day` (joined on or before it, not left by then)."""
    return BranchMembership.objects.filter(existing_on(day, start="joined_on", end="left_on"))


def _open_during(branch: Branch, slot: Period) -> bool:
    """Whether the branch existed for the whole of `slot` (a branch founded mid-month owes nothing for it)."""
    founded_before = branch.founded_on is None or branch.founded_on <= slot.start
    dissolved_after = branch.dissolved_on is None or branch.dissolved_on >= slot.end - dt.timedelta(days=1)
    return founded_before and dissolved_after


def activity_list(*, user) -> QuerySet[Activity]:
    """Activities of the branches `user` may see, newest first, with what the list shows."""
    return (
        scope_queryset(user, Activity.objects.all())
        .select_related("branch", "kind")
        .order_by("-held_on", "-id")
    )


def activity_get(*, user, pk) -> Activity:
    """The activity `pk` if `user` may see its branch; 404 otherwise."""
    return get_object_or_404(
        scope_queryset(
            user, Activity.objects.select_related("branch", "kind", "created_by", "service_project", "talk")
        ),
        pk=pk,
    )


def activity_attendance(*, activity: Activity) -> QuerySet[Attendance]:
    return activity.attendance.select_related("cadre").order_by("cadre__name", "cadre_id")


def dues_payments(*, branch: Branch, year: int):
    """The branch's dues received in `year`, newest first, and their total."""
    from branches.records import DuesPayment

    payments = (
        DuesPayment.objects.filter(branch=branch, paid_on__year=year)
        .select_related("cadre")
        .order_by("-paid_on", "-id")
    )
    return payments, payments.aggregate(total=Sum("amount"))["total"] or 0


def branch_honours(*, branch: Branch):
    """The branch's ratings by year (newest first) and the commendations it received."""
    return (
        list(branch.ratings.order_by("-year")),
        list(branch.commendations.order_by("-year", "-id")),
    )


def branch_ratings(*, branch: Branch) -> QuerySet[BranchRating]:
    """The branch's ratings, newest year first."""
    return branch.ratings.order_by("-year")


def commendation_list(*, user) -> QuerySet[Commendation]:
    """Commendations `user` may see: those of a visible branch or of a cadre whose current branch is
    visible. Newest year first, with the branch and cadre names the list shows."""
    commendations = Commendation.objects.all()
    visible = scope_queryset(user, commendations, "branch") | scope_queryset(
        user, commendations, "cadre__branch"
    )
    return (
        visible.select_related("branch", "cadre")
        .only("year", "kind", "title", "issuing_body", "branch", "branch__name", "cadre", "cadre__name")
        .order_by("-year", "kind", "id")
    )


def commendation_get(*, user, pk) -> Commendation:
    """The commendation `pk` if `user` may see it; 404 otherwise."""
    return get_object_or_404(commendation_list(user=user), pk=pk)


def alliance_list(*, user) -> QuerySet[BranchAlliance]:
    """Alliances with at least one branch `user` may see, newest first, with all their branches."""
    reachable = scope_queryset(user, BranchAlliance.objects.all(), "branches").values("pk")
    members = Branch.objects.only("pk", "name", "path").order_by("path")
    return (
        BranchAlliance.objects.filter(pk__in=reachable)
        .prefetch_related(Prefetch("branches", queryset=members))
        .order_by("-founded_on", "id")
    )


def alliance_get(*, user, pk) -> BranchAlliance:
    """The alliance `pk` if one of its branches is visible to `user`; 404 otherwise."""
    return get_object_or_404(alliance_list(user=user), pk=pk)


def studio_list(*, user) -> QuerySet[Studio]:
    """Studios run by a cadre whose current branch `user` may see (all for the bureau), by name."""
    return (
        scope_queryset(user, Studio.objects.all(), "run_by__branch")
        .select_related("area", "run_by")
        .order_by("name", "id")
    )


def studio_get(*, user, pk) -> Studio:
    """The studio `pk` if `user` may see it; 404 otherwise."""
    return get_object_or_404(studio_list(user=user), pk=pk)


def branch_member_points(*, branch: Branch, year: int) -> list[tuple[Cadre, int]]:
    """The branch's current members with the points each earned in `year`, most points first,
    then by name. Two queries, however many members."""
    members = list(branch_members(branch=branch))
    points = member_points(cadre_ids=[cadre.pk for cadre in members], year=year)
    return sorted(
        ((cadre, points[cadre.pk]) for cadre in members), key=lambda row: (-row[1], row[0].name, row[0].pk)
    )


def point_rules_active() -> QuerySet[PointRule]:
    """The point rules in use."""
    return PointRule.objects.filter(is_active=True).order_by("source", "code")
