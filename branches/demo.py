"""Demo branch life for `seed_demo`: recent meetings with attendance, dues, ratings and honours.

Most branches keep up with 三会一课 and a few fall behind, so the compliance page, the
secretary's workspace and the dues ledger all have something true to show.
"""

import datetime as dt
import random
from decimal import Decimal

from django.db.models import Count

from branches.models import Activity, ActivityKind, Attendance, Branch
from branches.record_services import commendation_create, dues_record, rating_set
from branches.records import BranchRating, Commendation, DuesPayment
from branches.selectors import COMPLIANCE_KINDS
from branches.services import activity_record, branch_members_on
from core.periods import MONTH, YEAR, Period, period_of

DEMO_MONTHS = 6
# Share of branches that miss about a third of their meetings.
LAGGING_SHARE = 0.2
TOPICS = [
    "学习贯彻党的二十届四中全会精神",
    "重温入党誓词",
    "学习《中国共产党纪律处分条例》",
    "传承红色基因，讲好党的故事",
    "银龄助力基层治理",
    "学习习近平总书记关于老干部工作的重要论述",
    "过政治生日，话初心使命",
    "关心下一代工作交流",
]
PLACES = ["单位活动室", "社区党群服务中心", "老干部活动中心", "新时代文明实践站"]
LEAVE_REASONS = [reason for reason, _label in Attendance.LeaveReason.choices]


def seed_branch_life(*, seed: int, today: dt.date, secretary_branch: Branch) -> dict[str, int]:
    """Record the last DEMO_MONTHS months of required meetings, a year of dues for the
    secretary's branch, last year's ratings and a few commendations; returns counts."""
    rng = random.Random(seed)
    start = period_of(MONTH, today).start
    for _ in range(DEMO_MONTHS - 1):
        start = period_of(MONTH, start - dt.timedelta(days=1)).start
    window = Period(MONTH, start, today + dt.timedelta(days=1))
    kinds = list(ActivityKind.objects.filter(is_active=True).exclude(frequency=""))
    branches = list(
        Branch.objects.filter(kind__in=COMPLIANCE_KINDS, dissolved_on__isnull=True)
        .annotate(members=Count("cadres"))
        .filter(members__gt=0)
        .order_by("path")
    )
    for branch in branches:
        keeps_up = branch == secretary_branch or rng.random() >= LAGGING_SHARE
        for kind in kinds:
            if (kind.held_by == ActivityKind.HeldBy.GROUP) != (branch.kind == Branch.Kind.GROUP):
                continue
            for slot in _slots(window, kind.frequency):
                if keeps_up or rng.random() < 0.65:
                    _record(rng, branch=branch, kind=kind, slot=slot, today=today)
    _seed_dues(rng, branch=secretary_branch, today=today)
    _seed_honours(rng, branches=branches, today=today)
    return {
        "activities": Activity.objects.count(),
        "dues payments": DuesPayment.objects.count(),
        "ratings": BranchRating.objects.count(),
    }


def _slots(window: Period, frequency: str) -> list[Period]:
    if frequency == YEAR:
        # A yearly meeting is usually held early in the year: January if it lies in the window.
        year_start = dt.date(window.end.year, 1, 1)
        return (
            [Period(MONTH, year_start, dt.date(year_start.year, 2, 1))] if year_start >= window.start else []
        )
    return [slot for slot in window.slots(frequency) if slot.start <= window.end]


def _record(rng: random.Random, *, branch: Branch, kind: ActivityKind, slot: Period, today: dt.date) -> None:
    last_day = min(slot.end - dt.timedelta(days=1), today)
    held_on = slot.start + dt.timedelta(days=rng.randrange((last_day - slot.start).days + 1))
    members = list(branch_members_on(branch=branch, day=held_on).values_list("pk", flat=True))
    attendance = {}
    for cadre_id in members:
        draw = rng.random()
        if draw < 0.82:
            attendance[cadre_id] = ("present", "")
        elif draw < 0.95:
            attendance[cadre_id] = ("leave", rng.choice(LEAVE_REASONS))
        else:
            attendance[cadre_id] = ("absent", "")
    activity_record(
        branch=branch,
        kind=kind,
        held_on=held_on,
        topic=rng.choice(TOPICS),
        place=rng.choice(PLACES),
        attendance=attendance,
    )


def _seed_dues(rng: random.Random, *, branch: Branch, today: dt.date) -> None:
    """Monthly dues of this year for the branch's members; a few months are left owing."""
    for month in range(1, today.month + 1):
        first = dt.date(today.year, month, 1)
        paid_on = min(first + dt.timedelta(days=rng.randrange(5, 20)), today)
        for cadre in branch_members_on(branch=branch, day=paid_on):
            if rng.random() < 0.9:
                amount = Decimal(rng.choice(["2.00", "5.00", "10.00", "20.00", "30.00"]))
                dues_record(branch=branch, cadre=cadre, amount=amount, paid_on=paid_on, month=first)


def _seed_honours(rng: random.Random, *, branches: list[Branch], today: dt.date) -> None:
    last_year = today.year - 1
    titles = [code for code, _label in BranchRating.Title.choices]
    for branch in branches:
        stars = rng.choices([2, 3, 4, 5], weights=[1, 4, 4, 2])[0]
        chosen = rng.sample(titles, k=1) if stars == 5 else []
        rating_set(branch=branch, year=last_year, stars=stars, titles=chosen)
    for branch in rng.sample(branches, k=min(3, len(branches))):
        commendation_create(
            year=last_year,
            kind=Commendation.Kind.MODEL_BRANCH,
            branch=branch,
            title="先进基层党组织",
            issuing_body="市委老干部局",
        )
