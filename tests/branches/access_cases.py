"""Access cases of the cadres and branches URLs: how to build another branch's object id."""

import datetime as dt

from branches.models import Activity, ActivityKind, Attendance, Branch, BranchMembership, BranchOfficer
from branches.records import DuesPayment
from branches.services import activity_record
from cadres.models import Cadre

CASES = {
    "cadres:cadre_detail": lambda ctx: {"pk": ctx["cadre_b"].pk},
    "cadres:cadre_update": lambda ctx: {"pk": ctx["cadre_b"].pk},
    "cadres:cadre_transfer": lambda ctx: {"pk": ctx["cadre_b"].pk},
    "branches:branch_detail": lambda ctx: {"pk": ctx["branch_b"].pk},
    "branches:branch_update": lambda ctx: {"pk": ctx["branch_b"].pk},
    "branches:branch_create_child": lambda ctx: {"pk": ctx["branch_b"].pk},
    "branches:officer_create": lambda ctx: {"pk": ctx["branch_b"].pk},
    "branches:activity_create": lambda ctx: {"pk": ctx["branch_b"].pk},
    "branches:activity_detail": lambda ctx: {"pk": ctx["activity_b"].pk},
    "branches:activity_update": lambda ctx: {"pk": ctx["activity_b"].pk},
    "branches:activity_add_photos": lambda ctx: {"pk": ctx["activity_b"].pk},
    "branches:activity_delete": lambda ctx: {"pk": ctx["activity_b"].pk},
    "branches:dues_ledger": lambda ctx: {"pk": ctx["branch_b"].pk},
}

SNAPSHOT_MODELS = [Activity, DuesPayment, Attendance, Cadre, Branch, BranchOfficer, BranchMembership]


def activity(branch):
    kind = ActivityKind.objects.get(code="theme_day")
    return activity_record(branch=branch, kind=kind, held_on=dt.date(2026, 7, 1), topic="主题党日")


def build(ctx):
    """Objects of branch a and branch b, keyed `<name>_a` and `<name>_b`."""
    return {"activity_a": activity(ctx["branch_a"]), "activity_b": activity(ctx["branch_b"])}
