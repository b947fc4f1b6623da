"""Access cases of the benefits URLs: how to build another branch's object id (see tests/test_access.py)."""

import datetime as dt
from decimal import Decimal

from accounts.models import Role, User
from benefits.models import (
    CondolenceCampaign,
    CondolenceTarget,
    ContactAssignment,
    ContactLog,
    Occasion,
    Visit,
    VisitPhoto,
)
from benefits.services import (
    assignment_create,
    campaign_create,
    campaign_generate_targets,
    contact_log_record,
    health_check_record,
    occasion_record,
    trip_add_participant,
    trip_create,
    visit_record,
)

CASES = {
    "benefits:occasion_detail": lambda ctx: {"pk": ctx["benefits_occasion_b"].pk},
    "benefits:occasion_visit": lambda ctx: {"pk": ctx["benefits_occasion_b"].pk},
    "benefits:occasion_update": lambda ctx: {"pk": ctx["benefits_occasion_b"].pk},
    "benefits:occasion_delete": lambda ctx: {"pk": ctx["benefits_occasion_b"].pk},
    "benefits:visit_detail": lambda ctx: {"pk": ctx["benefits_visit_b"].pk},
    "benefits:visit_update": lambda ctx: {"pk": ctx["benefits_visit_b"].pk},
    "benefits:visit_add_photos": lambda ctx: {"pk": ctx["benefits_visit_b"].pk},
    "benefits:visit_delete": lambda ctx: {"pk": ctx["benefits_visit_b"].pk},
    "benefits:assignment_detail": lambda ctx: {"pk": ctx["benefits_assignment_b"].pk},
    "benefits:assignment_log": lambda ctx: {"pk": ctx["benefits_assignment_b"].pk},
    "benefits:assignment_end": lambda ctx: {"pk": ctx["benefits_assignment_b"].pk},
    "benefits:campaign_detail": lambda ctx: {"pk": ctx["benefits_campaign_b"].pk},
    "benefits:campaign_generate": lambda ctx: {"pk": ctx["benefits_campaign_b"].pk},
    "benefits:target_tick": lambda ctx: {"pk": ctx["benefits_target_b"].pk},
    "benefits:trip_detail": lambda ctx: {"pk": ctx["benefits_trip_b"].pk},
    "benefits:trip_participant_add": lambda ctx: {"pk": ctx["benefits_trip_b"].pk},
}

SNAPSHOT_MODELS = [
    Occasion,
    Visit,
    VisitPhoto,
    ContactAssignment,
    ContactLog,
    CondolenceCampaign,
    CondolenceTarget,
]


def _objects(branch, cadre, suffix):
    staff = User.objects.create_user(username=f"benefits_staff_{suffix}", role=Role.BUREAU_STAFF)
    occasion = occasion_record(cadre=cadre, kind="hospitalised", occurred_on=dt.date(2025, 3, 1), note="住院")
    # A second, still open occasion: the one the visit URL is tried on stays unvisited for the a-side.
    open_occasion = occasion_record(cadre=cadre, kind="hardship", occurred_on=dt.date(2025, 4, 1))
    visit = visit_record(
        occasion=occasion,
        visited_on=dt.date(2025, 3, 2),
        visitors="局领导、支部书记",
        gift="慰问品",
        condolence_money=Decimal("500.00"),
    )
    assignment = assignment_create(staff=staff, cadre=cadre, interval_days=30, started_on=dt.date(2025, 1, 1))
    contact_log_record(assignment=assignment, contacted_on=dt.date(2025, 2, 1), method="phone")
    campaign = campaign_create(
        name=f"{branch.name}春节走访慰问",
        festival="spring_festival",
        starts_on=dt.date(2025, 1, 20),
        ends_on=dt.date(2025, 2, 10),
        branch=branch,
        gift="米、油",
    )
    campaign_generate_targets(campaign=campaign)
    health_check_record(
        cadre=cadre, checked_on=dt.date(2025, 5, 1), institution="市人民医院", findings="血压偏高"
    )
    trip = trip_create(
        name=f"{branch.name}疗养",
        destination="北戴河",
        starts_on=dt.date(2025, 6, 1),
        ends_on=dt.date(2025, 6, 7),
        quota=5,
        branch=branch,
    )
    trip_add_participant(trip=trip, cadre=cadre)
    return {
        f"benefits_trip_{suffix}": trip,
        f"benefits_campaign_{suffix}": campaign,
        f"benefits_target_{suffix}": CondolenceTarget.objects.get(campaign=campaign, cadre=cadre),
        f"benefits_occasion_{suffix}": open_occasion,
        f"benefits_visited_occasion_{suffix}": occasion,
        f"benefits_visit_{suffix}": visit,
        f"benefits_assignment_{suffix}": assignment,
    }


def build(ctx):
    """Objects of branch a and branch b, keyed `benefits_<name>_a` and `benefits_<name>_b`."""
    return {
        **_objects(ctx["branch_a"], ctx["cadre_a"], "a"),
        **_objects(ctx["branch_b"], ctx["cadre_b"], "b"),
    }
