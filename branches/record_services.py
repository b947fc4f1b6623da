"""Writes and sums on a branch's records: dues, ratings, commendations, alliances, studios and points."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, IntegerField, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from branches.models import Attendance, Branch, BranchMembership
from branches.records import BranchAlliance, BranchRating, Commendation, DuesPayment, PointRule, Studio
from branches.services import branch_members_on


@transaction.atomic
def dues_record(
    *,
    branch: Branch,
    cadre,
    amount: Decimal,
    paid_on: dt.date,
    kind: str = DuesPayment.Kind.MONTHLY,
    month: dt.date | None = None,
    note: str = "",
) -> DuesPayment:
    """Record a dues payment of `cadre` to `branch`; monthly dues cover the month of `month`."""
    if not branch_members_on(branch=branch, day=paid_on).filter(pk=cadre.pk).exists():
        raise ValidationError(
            {"cadre": _("Dues are recorded for members of the branch on the day they pay.")}
        )
    if month is not None:
        month = month.replace(day=1)
    payment = DuesPayment(
        branch=branch, cadre=cadre, kind=kind, month=month, amount=amount, paid_on=paid_on, note=note
    )
    payment.full_clean()
    payment.save()
    return payment


def _months(year: int, today: dt.date) -> list[dt.date]:
    """First days of the months of `year` that have begun by `today`."""
    if year > today.year:
        return []
    last = today.month if year == today.year else 12
    return [dt.date(year, month, 1) for month in range(1, last + 1)]


def dues_arrears(*, branch: Branch, year: int, today: dt.date) -> dict[int, list[dt.date]]:
    """Months of `year` up to `today` for which each current member paid no monthly dues.

    A member owes from the month they joined the branch; members who owe nothing are left out.
    """
    months = _months(year, today)
    if not months:
        return {}
    joined = dict(
        BranchMembership.objects.filter(
            branch=branch, cadre__in=branch_members_on(branch=branch, day=today), joined_on__lte=today
        )
        .filter(Q(left_on__isnull=True) | Q(left_on__gt=today))
        .values_list("cadre_id", "joined_on")
    )
    # Any branch's receipt counts: a member who moved may have paid the month in the old branch.
    paid = set(
        DuesPayment.objects.filter(
            kind=DuesPayment.Kind.MONTHLY, cadre_id__in=list(joined), month__in=months
        ).values_list("cadre_id", "month")
    )
    arrears = {}
    for cadre_id, joined_on in sorted(joined.items()):
        first = joined_on.replace(day=1)
        owed = [month for month in months if month >= first and (cadre_id, month) not in paid]
        if owed:
            arrears[cadre_id] = owed
    return arrears


@transaction.atomic
def rating_set(
    *, branch: Branch, year: int, stars: int, titles: list[str], note: str | None = None
) -> BranchRating:
    """Set `branch`'s rating for `year`, replacing that year's rating if there is one."""
    rating = BranchRating.objects.select_for_update().filter(branch=branch, year=year).first()
    if rating is None:
        rating = BranchRating(branch=branch, year=year)
    rating.stars = stars
    rating.titles = list(titles)
    if note is not None:
        rating.note = note
    rating.full_clean()
    rating.save()
    return rating


@transaction.atomic
def alliance_create(
    *, name: str, branches: list[Branch], founded_on: dt.date, note: str = ""
) -> BranchAlliance:
    """Create an alliance of two or more branches."""
    branch_ids = {branch.pk for branch in branches}
    if len(branch_ids) < 2:
        raise ValidationError({"branches": _("An alliance joins at least two branches.")})
    alliance = BranchAlliance(name=name, founded_on=founded_on, note=note)
    alliance.full_clean()
    alliance.save()
    alliance.branches.set(branch_ids)
    return alliance


@transaction.atomic
def alliance_delete(*, alliance: BranchAlliance) -> None:
    """Delete `alliance`; its branches stay."""
    alliance.delete()


# Each kind of commendation names its subject: a branch, or a cadre (the model's check constraint).
_COMMENDATION_SUBJECT = {
    Commendation.Kind.MODEL_BRANCH: "branch",
    Commendation.Kind.EXCELLENT_SECRETARY: "cadre",
    Commendation.Kind.EXCELLENT_MEMBER: "cadre",
}


@transaction.atomic
def commendation_create(
    *,
    year: int,
    kind: str,
    title: str,
    branch: Branch | None = None,
    cadre=None,
    issuing_body: str = "",
) -> Commendation:
    """Record a commendation of `branch` or `cadre` for `year`."""
    subject = _COMMENDATION_SUBJECT.get(kind)
    if subject == "branch" and branch is None:
        raise ValidationError({"branch": _("A model branch commendation names the branch.")})
    if subject == "cadre" and cadre is None:
        raise ValidationError({"cadre": _("This commendation names the cadre it honours.")})
    commendation = Commendation(
        year=year, kind=kind, title=title, branch=branch, cadre=cadre, issuing_body=issuing_body
    )
    commendation.full_clean()
    commendation.save()
    return commendation


@transaction.atomic
def commendation_delete(*, commendation: Commendation) -> None:
    """Delete `commendation`."""
    commendation.delete()


@transaction.atomic
def studio_create(
    *,
    name: str,
    area=None,
    community: str = "",
    run_by=None,
    founded_on: dt.date | None = None,
    note: str = "",
) -> Studio:
    """Register a veteran member's studio."""
    studio = Studio(
        name=name, area=area, community=community, run_by=run_by, founded_on=founded_on, note=note
    )
    studio.full_clean()
    studio.save()
    return studio


_STUDIO_FIELDS = {"name", "area", "community", "run_by", "founded_on", "note"}


@transaction.atomic
def studio_update(*, studio: Studio, **fields) -> Studio:
    """Change the given fields of `studio`."""
    unknown = set(fields) - _STUDIO_FIELDS
    if unknown:
        raise TypeError(f"studio_update() got unexpected fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(studio, name, value)
    studio.full_clean()
    studio.save()
    return studio


def _present_points():
    """The points one present attendance earns: the sum of the active attendance rules, or 0."""
    rules = (
        PointRule.objects.filter(source=PointRule.Source.ATTENDANCE_PRESENT, is_active=True)
        .order_by()
        .values("source")  # one source, so one group
        .annotate(total=Sum("points"))
        .values("total")
    )
    return Coalesce(Subquery(rules, output_field=IntegerField()), 0)


def _present_in(year: int):
    return Attendance.objects.filter(status=Attendance.Status.PRESENT, activity__held_on__year=year)


def member_points(*, cadre_ids, year: int) -> dict[int, int]:
    """Points each cadre earned from attendance in `year`; 0 for those with none."""
    points = dict.fromkeys(cadre_ids, 0)
    rows = (
        _present_in(year)
        .filter(cadre_id__in=list(points))
        .values("cadre_id")
        .annotate(points=Count("id") * _present_points())
        .values_list("cadre_id", "points")
    )
    points.update(rows)
    return points


def branch_points(*, branch: Branch, year: int) -> int:
    """Points the members of `branch` earned from its activities' attendance in `year`."""
    total = (
        _present_in(year).filter(activity__branch=branch).aggregate(points=Count("id") * _present_points())
    )
    return total["points"] or 0
